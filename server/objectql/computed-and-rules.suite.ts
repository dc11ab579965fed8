import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STALE_RECORD_MESSAGE } from "./objectql";
import { Harness, caught, defineObject, systemCtx, userCtx, withFields } from "./test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "./test-support/test-databases";

/**
 * Formula and rollup fields through the engine, validation rules, formula defaults, composite
 * unique constraints, optimistic concurrency and transactions. Run on SQLite (unit) and PostgreSQL (int).
 */

const account = defineObject({
  name: "account",
  label: "Account",
  pluralLabel: "Accounts",
  fields: [
    { id: "a1", name: "name", label: "Name", type: "text", required: true },
    { id: "a2", name: "revenue", label: "Revenue", type: "currency", scale: 2 },
    { id: "a3", name: "tier", label: "Tier", type: "formula", returnType: "text", expression: "IF(revenue >= 1000000, 'gold', IF(ISBLANK(revenue), 'unknown', 'standard'))" },
  ],
});

const deal = defineObject({
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "title", label: "Title", type: "text", required: true },
    { id: "d2", name: "amount", label: "Amount", type: "currency", scale: 2 },
    { id: "d3", name: "quantity", label: "Quantity", type: "number", defaultFormula: "1 + 1" },
    { id: "d4", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }, { value: "lost", label: "Lost" }] },
    { id: "d5", name: "close_date", label: "Close date", type: "date" },
    { id: "d6", name: "account", label: "Account", type: "master_detail", reference: "account" },
    { id: "d7", name: "discount", label: "Discount", type: "percent", scale: 1 },
    { id: "d8", name: "net", label: "Net", type: "formula", returnType: "currency", scale: 2, expression: "amount * (1 - BLANKVALUE(discount, 0) / 100)" },
    { id: "d9", name: "label", label: "Label", type: "formula", returnType: "text", expression: "UPPER(title) & ' @ ' & account.name & ' (' & account.tier & ')'" },
    { id: "d10", name: "big", label: "Big", type: "formula", returnType: "boolean", expression: "net > account.revenue / 100" },
    { id: "d11", name: "code", label: "Code", type: "text", defaultFormula: "LEFT(UPPER(title), 3) & '-' & TEXT(quantity)" },
  ],
  indexes: [{ fields: ["title", "close_date"], unique: true }],
  validationRules: [
    { name: "amount_positive", expression: "amount > 0", message: "Amount must be positive", errorField: "amount" },
    { name: "won_needs_close_date", expression: "stage != 'won' OR NOT ISBLANK(close_date)", message: "A won deal needs a close date", errorField: "close_date" },
    { name: "not_above_revenue", expression: "BLANKVALUE(amount, 0) <= BLANKVALUE(account.revenue, 1000000000)", message: "A deal cannot exceed the account's revenue" },
  ],
});

const accountWithRollups = withFields(account, (fields) => [
  ...fields,
  { id: "a4", name: "deal_count", label: "Deals", type: "rollup", childObject: "deal", childField: "account", function: "count" },
  { id: "a5", name: "won_total", label: "Won total", type: "rollup", childObject: "deal", childField: "account", function: "sum", field: "amount", filter: { field: "stage", operator: "=", value: "won" } },
  { id: "a6", name: "last_close", label: "Last close", type: "rollup", childObject: "deal", childField: "account", function: "max", field: "close_date" },
  { id: "a7", name: "avg_amount", label: "Average", type: "rollup", childObject: "deal", childField: "account", function: "avg", field: "amount" },
  { id: "a8", name: "health", label: "Health", type: "formula", returnType: "text", expression: "IF(deal_count = 0, 'no deals', TEXT(won_total) & ' won')" },
]);

export function defineComputedAndRulesSuite(factory: DatabaseFactory): void {
  describe(`computed fields and rules (${factory.dialect})`, () => {
    let test: TestDatabase;
    let h: Harness;
    let acme: { id: string };
    let tiny: { id: string };


    beforeEach(async () => {
      test = await factory.create();
      h = new Harness(test.db);
      await h.sync(account);
      await h.sync(deal);
      acme = await h.ql.insert(userCtx, "account", { name: "Acme", revenue: 2_000_000 });
      tiny = await h.ql.insert(userCtx, "account", { name: "Tiny", revenue: 5000 });
    });
    afterEach(async () => {
      await test?.cleanup();
    });

    describe("formula fields", () => {
      it("have no column and are computed on read, insert and update, across lookups", async () => {
        expect(await h.columns("obj_deal")).not.toContain("net");
        expect(await h.columns("obj_account")).not.toContain("tier");
        const created = await h.ql.insert(userCtx, "deal", { title: "Rockets", amount: 200, discount: 12.5, account: acme.id });
        expect(created).toMatchObject({ net: 175, label: "ROCKETS @ Acme (gold)", big: false, quantity: 2, code: "ROC-2" });
        const updated = await h.ql.update(userCtx, "deal", created.id, { amount: 300000 });
        expect(updated).toMatchObject({ net: 262500, big: true });
        expect(await h.ql.findOne(userCtx, "account", tiny.id)).toMatchObject({ tier: "standard" });
      });

      it("can be selected, filtered and sorted in the database", async () => {
        for (const [title, amount, discount] of [["A", 100, 0], ["B", 400, 50], ["C", 300, 10], ["D", 50, null]] as const) {
          await h.ql.insert(userCtx, "deal", { title, amount, discount, account: title === "B" ? tiny.id : acme.id });
        }
        const { records } = await h.ql.find(userCtx, {
          object: "deal",
          select: ["title", "net", "account.tier"],
          filter: { field: "net", operator: ">=", value: 100 },
          orderBy: [{ field: "net", direction: "desc" }],
        });
        expect(records.map((record) => [record.title, record.net, record["account.tier"]])).toEqual([
          ["C", 270, "gold"], ["B", 200, "standard"], ["A", 100, "gold"],
        ]);
        const gold = await h.ql.find(userCtx, { object: "deal", filter: { field: "account.tier", operator: "=", value: "gold" }, orderBy: [{ field: "title", direction: "asc" }] });
        expect(gold.records.map((record) => record.title)).toEqual(["A", "C", "D"]);
        expect(await h.ql.count(userCtx, { object: "deal", filter: { field: "big", operator: "=", value: true } })).toBe(1);
      });

      it("can be grouped by and aggregated", async () => {
        for (const [title, amount, discount] of [["A", 100, 0], ["B", 400, 50], ["C", 300, 10]] as const) {
          await h.ql.insert(userCtx, "deal", { title, amount, discount, account: title === "B" ? tiny.id : acme.id });
        }
        const { rows } = await h.ql.aggregate(userCtx, {
          object: "deal",
          groupBy: [{ field: "account.tier", alias: "tier" }],
          aggregate: [{ function: "sum", field: "net", alias: "total" }, { function: "count", alias: "n" }],
          orderBy: [{ field: "tier", direction: "asc" }],
        });
        expect(rows).toEqual([{ tier: "gold", total: 370, n: 2 }, { tier: "standard", total: 200, n: 1 }]);
      });

      it("cannot be written", async () => {
        const error = await caught(h.ql.insert(userCtx, "deal", { title: "X", amount: 1, account: acme.id, net: 5 }));
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.issues).toContainEqual({ path: ["net"], message: expect.stringMatching(/computed and cannot be written/) });
      });

      it("are type-checked on publish, naming fields.N.expression and the position", async () => {
        const broken = withFields(account, (fields) => [
          ...fields,
          { id: "x1", name: "bad1", label: "Bad 1", type: "formula", returnType: "number", expression: "revenue +\n  nme" },
          { id: "x2", name: "bad2", label: "Bad 2", type: "formula", returnType: "number", expression: "ROUND(name, 2)" },
          { id: "x3", name: "bad3", label: "Bad 3", type: "formula", returnType: "text", expression: "LEFT(name)" },
          { id: "x4", name: "bad4", label: "Bad 4", type: "formula", returnType: "number", expression: "name" },
          { id: "x5", name: "bad5", label: "Bad 5", type: "formula", returnType: "number", expression: "(1 + 2" },
          { id: "x6", name: "bad6", label: "Bad 6", type: "formula", returnType: "number", expression: "bad6 + 1" },
        ]);
        const error = await caught(h.sync(broken));
        expect(error.code).toBe("BAD_REQUEST");
        const byPath = new Map(error.issues!.map((issue) => [issue.path.join("."), issue.message]));
        expect(byPath.get("fields.3.expression")).toMatch(/Unknown field 'nme' on object 'account' \(at line 2, column 3\)/);
        expect(byPath.get("fields.4.expression")).toMatch(/Argument 1 of ROUND\(\) must be number, got text \(at line 1, column 7\)/);
        expect(byPath.get("fields.5.expression")).toMatch(/LEFT\(\) takes 2 argument\(s\), got 1/);
        expect(byPath.get("fields.6.expression")).toMatch(/expression is text but the formula's return type is number/);
        expect(byPath.get("fields.7.expression")).toMatch(/Expected '\)' but found end of formula/);
        expect(byPath.get("fields.8.expression")).toMatch(/refers back to itself/);
        expect(await h.columns("obj_account")).not.toContain("bad1");
      });

      it("turning a stored field into a formula drops its column (confirmed), and back adds an empty one", async () => {
        await h.ql.insert(userCtx, "deal", { title: "A", amount: 100, account: acme.id, code: "keep" });
        const asFormula = withFields(deal, (fields) => fields.map((field) =>
          field.name === "code" ? { id: "d11", name: "code", label: "Code", type: "formula" as const, returnType: "text" as const, expression: "UPPER(title)" } : field));
        const refused = await caught(h.sync(asFormula));
        expect(refused.code).toBe("PRECONDITION_FAILED");
        expect(refused.message).toMatch(/Field 'code' becomes a formula field: its column and stored values are deleted/);
        await h.sync(asFormula, { confirmDestructive: true });
        expect(await h.columns("obj_deal")).not.toContain("code");
        expect((await h.ql.find(userCtx, { object: "deal" })).records[0].code).toBe("A");
        const plan = await h.sync(deal);
        expect(plan.steps.map((step) => step.description)).toContainEqual(expect.stringMatching(/stops being a formula field/));
        expect(await h.columns("obj_deal")).toContain("code");
        expect((await h.ql.find(userCtx, { object: "deal" })).records[0].code).toBeNull();
      });
    });

    describe("rollup fields", () => {
      it("count, sum with a filter, max of a date and avg over children, usable in formulas, filters and sorting", async () => {
        await h.sync(accountWithRollups);
        expect(await h.columns("obj_account")).not.toContain("deal_count");
        await h.ql.insert(userCtx, "deal", { title: "A", amount: 100, stage: "won", close_date: "2024-03-01", account: acme.id });
        await h.ql.insert(userCtx, "deal", { title: "B", amount: 300, stage: "won", close_date: "2024-05-01", account: acme.id });
        await h.ql.insert(userCtx, "deal", { title: "C", amount: 50, stage: "open", account: acme.id });
        const { records } = await h.ql.find(userCtx, { object: "account", orderBy: [{ field: "deal_count", direction: "desc" }] });
        expect(records.map((r) => [r.name, r.deal_count, r.won_total, r.last_close, r.avg_amount, r.health])).toEqual([
          ["Acme", 3, 400, "2024-05-01", 150, "400 won"],
          ["Tiny", 0, 0, null, null, "no deals"],
        ]);
        expect(await h.ql.count(userCtx, { object: "account", filter: { field: "won_total", operator: ">", value: 0 } })).toBe(1);
      });

      it("are checked on publish: sum of a text field is refused", async () => {
        const bad = withFields(account, (fields) => [
          ...fields,
          { id: "r1", name: "titles", label: "Titles", type: "rollup", childObject: "deal", childField: "account", function: "sum", field: "title" },
        ]);
        const error = await caught(h.sync(bad));
        expect(error.issues).toContainEqual({ path: ["fields", 3], message: expect.stringMatching(/sum needs a number field, but 'title' is text/) });
      });

      it("a filter on an unknown child field is refused on publish", async () => {
        const bad = withFields(account, (fields) => [
          ...fields,
          { id: "r2", name: "odd", label: "Odd", type: "rollup", childObject: "deal", childField: "account", function: "count", filter: { field: "colour", operator: "=", value: "red" } },
        ]);
        const error = await caught(h.sync(bad));
        expect(error.issues).toContainEqual({ path: ["fields", 3, "filter"], message: expect.stringMatching(/Unknown field 'colour' on object 'deal'/) });
      });

      it("removing a field that another object's formula uses is refused, naming that object and field", async () => {
        const withoutName = withFields(account, (fields) => fields.map((field) => (field.name === "name" ? { ...field, name: "company_name" } : field)));
        const error = await caught(h.sync(withoutName));
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.issues).toContainEqual({
          path: ["dependents", "deal", "fields", 8, "expression"],
          message: expect.stringMatching(/breaks object 'deal'.*Unknown field 'account.name'/),
        });
        expect(await h.columns("obj_account")).toContain("name");
      });

      it("can be used by validation rules (read inside the write transaction)", async () => {
        const limited = withFields(accountWithRollups, (fields) => fields);
        await h.sync(defineObject({ ...limited, validationRules: [{ name: "few_deals", expression: "deal_count <= 1 OR revenue > 10000", message: "Small accounts may have one deal" }] }));
        await h.ql.insert(userCtx, "deal", { title: "A", amount: 100, account: tiny.id });
        await h.ql.insert(userCtx, "deal", { title: "B", amount: 100, account: tiny.id });
        const error = await caught(h.ql.update(userCtx, "account", tiny.id, { name: "Tiny Ltd" }));
        expect(error.issues).toEqual([{ path: ["_record"], message: "Small accounts may have one deal", rule: "few_deals" }]);
      });
    });

    describe("validation rules", () => {
      it("refuse an invalid insert with every failed rule, naming the field and the rule; nothing is written", async () => {
        const error = await caught(h.ql.insert(userCtx, "deal", { title: "X", amount: -5, stage: "won", account: acme.id }));
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.issues).toEqual([
          { path: ["amount"], message: "Amount must be positive", rule: "amount_positive" },
          { path: ["close_date"], message: "A won deal needs a close date", rule: "won_needs_close_date" },
        ]);
        expect(await h.ql.count(userCtx, { object: "deal" })).toBe(0);
      });

      it("evaluate the merged old and new record on update, and related records through lookups", async () => {
        const created = await h.ql.insert(userCtx, "deal", { title: "X", amount: 4000, account: tiny.id });
        const error = await caught(h.ql.update(userCtx, "deal", created.id, { stage: "won" }));
        expect(error.issues).toEqual([{ path: ["close_date"], message: "A won deal needs a close date", rule: "won_needs_close_date" }]);
        const tooBig = await caught(h.ql.update(userCtx, "deal", created.id, { amount: 6000 }));
        expect(tooBig.issues).toEqual([{ path: ["_record"], message: "A deal cannot exceed the account's revenue", rule: "not_above_revenue" }]);
        expect((await h.ql.findOne(userCtx, "deal", created.id))!.amount).toBe(4000);
        const moved = await h.ql.update(userCtx, "deal", created.id, { amount: 6000, account: acme.id, stage: "won", close_date: "2024-01-01" });
        expect(moved.amount).toBe(6000);
      });

      it("blank values pass (as in a CHECK constraint)", async () => {
        const created = await h.ql.insert(userCtx, "deal", { title: "No amount", account: acme.id });
        expect(created.amount).toBeNull();
      });

      it("are type-checked on publish (validationRules.N.expression)", async () => {
        const error = await caught(h.sync(defineObject({ ...deal, validationRules: [{ name: "r", expression: "amount + 1", message: "m" }] })));
        expect(error.issues).toEqual([{ path: ["validationRules", 0, "expression"], message: expect.stringMatching(/must be true\/false \(it is number\)/) }]);
      });
    });

    describe("defaults and unique constraints", () => {
      it("formula defaults fill fields left out on create, literal values win when given", async () => {
        const created = await h.ql.insert(userCtx, "deal", { title: "gizmo", amount: 10, quantity: 7, account: acme.id });
        expect(created).toMatchObject({ quantity: 7, code: "GIZ-7" });
        const explicit = await h.ql.insert(userCtx, "deal", { title: "other", amount: 10, code: "MINE", account: acme.id });
        expect(explicit.code).toBe("MINE");
      });

      it("a composite unique index violation is a CONFLICT naming its fields", async () => {
        await h.ql.insert(userCtx, "deal", { title: "Same", amount: 1, close_date: "2024-01-01", account: acme.id });
        await h.ql.insert(userCtx, "deal", { title: "Same", amount: 1, close_date: "2024-01-02", account: acme.id });
        const error = await caught(h.ql.insert(userCtx, "deal", { title: "Same", amount: 1, close_date: "2024-01-01", account: acme.id }));
        expect(error.code).toBe("CONFLICT");
        expect(error.message).toMatch(/same combination of 'title', 'close_date' already exists/);
      });
    });

    describe("optimistic concurrency", () => {
      it("refuses a stale expectedUpdatedAt with CONFLICT and writes nothing; a fresh one succeeds", async () => {
        const loaded = await h.ql.insert(userCtx, "deal", { title: "V", amount: 10, account: acme.id });
        const first = await h.ql.update(userCtx, "deal", loaded.id, { amount: 20 }, { expectedUpdatedAt: loaded.updated_at });
        expect(first.updated_at > loaded.updated_at).toBe(true);
        const error = await caught(h.ql.update(userCtx, "deal", loaded.id, { amount: 30 }, { expectedUpdatedAt: loaded.updated_at }));
        expect(error.code).toBe("CONFLICT");
        expect(error.message).toBe(STALE_RECORD_MESSAGE);
        expect((await h.ql.findOne(userCtx, "deal", loaded.id))!.amount).toBe(20);
        const second = await h.ql.update(userCtx, "deal", loaded.id, { amount: 30 }, { expectedUpdatedAt: first.updated_at });
        expect(second.amount).toBe(30);
      });

      it("versions move forward even for updates within the same millisecond", async () => {
        const loaded = await h.ql.insert(userCtx, "deal", { title: "W", amount: 10, account: acme.id });
        let previous = loaded.updated_at;
        for (let i = 0; i < 5; i++) {
          const next = await h.ql.update(userCtx, "deal", loaded.id, { amount: 11 + i }, { expectedUpdatedAt: previous });
          expect(next.updated_at > previous).toBe(true);
          previous = next.updated_at;
        }
      });

      it("refuses an expectedUpdatedAt that is not a date-time", async () => {
        const loaded = await h.ql.insert(userCtx, "deal", { title: "Y", amount: 10, account: acme.id });
        const error = await caught(h.ql.update(userCtx, "deal", loaded.id, { amount: 1 }, { expectedUpdatedAt: "yesterday" }));
        expect(error.code).toBe("BAD_REQUEST");
      });
    });

    describe("explain and the slow-query log", () => {
      it("explain returns the SQL, its bound parameters and the database's plan", async () => {
        const result = await h.ql.explain(userCtx, {
          object: "deal",
          select: ["title", "net", "account.name"],
          filter: { and: [{ field: "stage", operator: "=", value: "won" }, { field: "net", operator: ">", value: 10 }] },
          orderBy: [{ field: "title", direction: "asc" }],
          limit: 5,
        });
        expect(result.sql).toMatch(/obj_deal/);
        expect(result.params).toContain("won");
        if (test.db.dialect === "sqlite") expect(JSON.stringify(result.plan)).toMatch(/SCAN|SEARCH/);
        else if (test.db.dialect === "postgres") expect(JSON.stringify(result.plan)).toMatch(/"Plan"/);
        else expect(JSON.stringify(result.plan)).toMatch(/query_block/);
        const grouped = await h.ql.explain(userCtx, { object: "deal", groupBy: [{ field: "stage" }], aggregate: [{ function: "count", alias: "n" }] });
        expect(grouped.sql).toMatch(/group by/i);
        // Explaining runs nothing.
        expect(await h.ql.count(userCtx, { object: "deal" })).toBe(0);
      });

      it("records slow queries with their shape but without values", async () => {
        const { SlowQueryLog } = await import("./query/slow-query-log");
        const { createObjectQL } = await import("./objectql");
        const warnings: string[] = [];
        const log = new SlowQueryLog({ thresholdMs: 0, capacity: 2, warn: (message) => warnings.push(message) });
        const ql = createObjectQL({ db: test.db, registry: h.registry, queryLog: log });
        await ql.find(userCtx, { object: "deal", filter: { field: "title", operator: "contains", value: "secret" }, orderBy: [{ field: "amount", direction: "desc" }], limit: 7 });
        await ql.count(userCtx, { object: "deal", filter: { or: [{ field: "stage", operator: "in", value: ["won"] }, { field: "amount", operator: "is_null" }] } });
        await ql.count(userCtx, { object: "account" });
        const entries = log.entries();
        expect(entries).toHaveLength(2);
        expect(entries[0].shape).toEqual({ kind: "count", object: "deal", filter: ["stage in", "amount is_null"], orderBy: [] });
        expect(entries[1].shape.object).toBe("account");
        expect(warnings[0]).toMatch(/slow ObjectQL find on 'deal'.*"title contains".*"amount desc".*"limit":7/);
        expect(warnings.join("\n")).not.toMatch(/secret/);
        log.thresholdMs = 60_000;
        await ql.find(userCtx, { object: "deal" });
        expect(log.entries()).toHaveLength(2);
      });
    });

    describe("transactions", () => {
      it("commit several writes together", async () => {
        const ids = await h.ql.transaction(userCtx, async (tx) => {
          const a = await tx.insert(userCtx, "deal", { title: "T1", amount: 1, account: acme.id });
          const b = await tx.insert(userCtx, "deal", { title: "T2", amount: 2, account: acme.id });
          await tx.update(userCtx, "account", acme.id, { revenue: 3_000_000 });
          expect(await tx.count(userCtx, { object: "deal" })).toBe(2);
          return [a.id, b.id];
        });
        expect(ids).toHaveLength(2);
        expect(await h.ql.count(userCtx, { object: "deal" })).toBe(2);
        expect((await h.ql.findOne(userCtx, "account", acme.id))!.revenue).toBe(3_000_000);
      });

      it("roll everything back when a write in the middle fails", async () => {
        const error = await caught(h.ql.transaction(userCtx, async (tx) => {
          await tx.insert(userCtx, "deal", { title: "R1", amount: 1, account: acme.id });
          await tx.update(userCtx, "account", acme.id, { name: "Renamed" });
          await tx.insert(userCtx, "deal", { title: "R2", amount: -1, account: acme.id });
          await tx.insert(userCtx, "deal", { title: "R3", amount: 1, account: acme.id });
        }));
        expect(error.issues?.[0].rule).toBe("amount_positive");
        expect(await h.ql.count(userCtx, { object: "deal" })).toBe(0);
        expect((await h.ql.findOne(userCtx, "account", acme.id))!.name).toBe("Acme");
      });

      it("a failed write that the caller catches is undone alone; the rest commits", async () => {
        await h.ql.transaction(systemCtx, async (tx) => {
          await tx.insert(userCtx, "deal", { title: "K1", amount: 1, close_date: "2024-01-01", account: acme.id });
          await expect(tx.insert(userCtx, "deal", { title: "K1", amount: 1, close_date: "2024-01-01", account: acme.id })).rejects.toThrow(/already exists/);
          await tx.insert(userCtx, "deal", { title: "K2", amount: 1, account: acme.id });
        });
        expect(await h.ql.count(userCtx, { object: "deal" })).toBe(2);
      });

      it("autonumbers, rules and the write share the record's transaction", async () => {
        const rows = await sql<{ n: number }>`select count(*) as n from ${sql.id("obj_deal")}`.execute(test.db.kysely);
        expect(Number(rows.rows[0].n)).toBe(0);
      });
    });
  });
}
