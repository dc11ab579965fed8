import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectQL } from "@/server/objectql/objectql";
import { ObjectQLError } from "@/server/objectql/errors";
import { Harness } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "@/server/objectql/test-support/test-databases";
import { RECORD_SHARE_TABLE } from "@/server/objectql/schema/applied-schema-store";
import type { Filter } from "@/spec/query";
import { OBJECTS, USERS, ctxOf, loadPermissionFixture, type ObjectName, type User } from "./test-support/permission-fixture";

/**
 * The permission test matrix: six users with different profiles, permission sets, roles,
 * sharing rules, manual shares and ownership over three related objects. For every user and
 * every path (list, get, count, group-by, lookup paths in select/filter/group-by, search,
 * expand, update, delete) the engine's answer is compared with an oracle computed in plain
 * code from the same rules. Zero leaks. Then a randomized run of generated filters.
 */


// ---- The oracle: the same rules, in plain code, independent of the engine. ----

type Row = Record<string, unknown> & { id: string; owner_id: string };

const ROLE_OF: Record<User, string | null> = { ceo: "ceo", mgr: "sales_manager", rep1: "sales_rep", rep2: "sales_rep", support: "support_agent", auditor: null };
const MANAGERS: Record<string, string[]> = { ceo: [], sales_manager: ["ceo"], sales_rep: ["sales_manager", "ceo"], support_agent: [] };
const PERMS: Record<User, Record<ObjectName, { create: boolean; read: boolean; edit: boolean; delete: boolean; viewAll: boolean }>> = (() => {
  const none = { create: false, read: false, edit: false, delete: false, viewAll: false };
  const all = { create: true, read: true, edit: true, delete: true, viewAll: false };
  const readOnly = { ...none, read: true };
  return {
    ceo: { account: all, opportunity: all, line_item: all },
    mgr: { account: all, opportunity: all, line_item: all },
    rep1: { account: all, opportunity: all, line_item: all },
    rep2: { account: none, opportunity: readOnly, line_item: readOnly },
    support: { account: readOnly, opportunity: none, line_item: none },
    auditor: { account: all, opportunity: { ...all, viewAll: true }, line_item: all },
  };
})();
const HIDDEN: Record<User, Partial<Record<ObjectName, string[]>>> = {
  ceo: {}, mgr: {}, rep1: {}, rep2: { opportunity: ["secret_note"] }, support: { account: ["revenue"] }, auditor: {},
};
const IN_BIG_DEALS: Record<User, boolean> = { ceo: false, mgr: false, rep1: true, rep2: true, support: true, auditor: false };

/** Owner is the user or someone whose role is below theirs. */
function ownsOrManages(user: User, owner: string): boolean {
  if (owner === user) return true;
  const ownerRole = ROLE_OF[owner as User] ?? null;
  const role = ROLE_OF[user];
  return ownerRole !== null && role !== null && MANAGERS[ownerRole]?.includes(role) === true;
}

class Oracle {
  shares: { object: string; record: string; principal: string; access: "read" | "edit" }[] = [];
  constructor(private readonly rows: Record<ObjectName, Row[]>) {}

  private shared(user: User, object: string, row: Row, level: "read" | "edit"): boolean {
    const principals = [`user:${user}`, ...(IN_BIG_DEALS[user] ? ["group:big_deals"] : [])];
    return this.shares.some((share) => share.object === object && share.record === row.id && principals.includes(share.principal) && (level === "read" || share.access === "edit"));
  }

  opportunityReach(user: User, row: Row, level: "read" | "edit" | "delete"): boolean {
    const perms = PERMS[user].opportunity;
    if (!perms.read) return false;
    if (level === "read" && perms.viewAll) return true;
    if (ownsOrManages(user, row.owner_id)) return true;
    if (level === "delete") return false;
    const won = row.stage === "won" && ROLE_OF[user] === "sales_rep" && level === "read";
    const big = typeof row.amount === "number" && row.amount >= 5000 && IN_BIG_DEALS[user];
    return won || big || this.shared(user, "opportunity", row, level);
  }

  reaches(user: User, object: ObjectName, row: Row, level: "read" | "edit" | "delete"): boolean {
    if (!PERMS[user][object].read) return false;
    if (object === "account") return level === "read" || ownsOrManages(user, row.owner_id);
    if (object === "opportunity") return this.opportunityReach(user, row, level);
    const parent = this.rows.opportunity.find((opp) => opp.id === row.opportunity);
    return parent !== undefined && this.opportunityReach(user, parent, level === "delete" ? "edit" : level);
  }

  visible(user: User, object: ObjectName): Row[] {
    return this.rows[object].filter((row) => this.reaches(user, object, row, "read"));
  }
}

export function definePermissionMatrixSuite(factory: DatabaseFactory): void {
  describe(`permission matrix (${factory.dialect})`, () => {
    let test: TestDatabase;
    let h: Harness;
    let ql: ObjectQL;
    let oracle: Oracle;
    const rows: Record<ObjectName, Row[]> = { account: [], opportunity: [], line_item: [] };

    // Rows as stored, lookups as plain ids.
    const raw = async (object: ObjectName) =>
      (await h.ql.find({ kind: "system" }, { object, limit: 1000 })).records.map((record) =>
        Object.fromEntries(Object.entries(record).map(([key, value]) => [key, value !== null && typeof value === "object" && "id" in value ? (value as { id: string }).id : value])),
      ) as unknown as Row[];
    const ids = (records: { id: string }[]) => records.map((record) => record.id).sort();

    async function refused(promise: Promise<unknown>): Promise<ObjectQLError> {
      const error = await promise.then(() => null, (caught: unknown) => caught);
      expect(error, "expected the engine to refuse").toBeInstanceOf(ObjectQLError);
      return error as ObjectQLError;
    }

    beforeAll(async () => {
      test = await factory.create();
      ({ h, ql } = await loadPermissionFixture(test.db));
      for (const object of OBJECTS) rows[object] = await raw(object);
      oracle = new Oracle(rows);
      // Manual shares: a deal of the CEO shared with rep2 (read) and one of mgr with support (edit; no object permission).
      const ceoDeal = rows.opportunity.find((row) => row.owner_id === "ceo" && row.stage === "open" && Number(row.amount) < 5000)!;
      const mgrDeal = rows.opportunity.find((row) => row.owner_id === "mgr" && Number(row.amount) < 5000)!;
      const now = test.db.dialect === "mysql" ? new Date().toISOString().slice(0, 23).replace("T", " ") : new Date().toISOString();
      for (const share of [
        { object: "opportunity", record_id: ceoDeal.id, principal: "user:rep2", access: "read" },
        { object: "opportunity", record_id: mgrDeal.id, principal: "user:rep1", access: "edit" },
      ]) {
        await test.db.kysely.insertInto(RECORD_SHARE_TABLE).values({ ...share, created_by: "test", created_at: now }).execute();
        oracle.shares.push({ object: share.object, record: share.record_id, principal: share.principal, access: share.access as "read" | "edit" });
      }
    });

    afterAll(async () => {
      await test?.cleanup();
    });

    it("lists, gets and counts exactly the records the rules allow, with only readable fields", async () => {
      for (const user of USERS) {
        for (const object of OBJECTS) {
          const ctx = ctxOf(user);
          if (!PERMS[user][object].read) {
            expect((await refused(ql.find(ctx, { object }))).code, `${user} list ${object}`).toBe("FORBIDDEN");
            expect((await refused(ql.count(ctx, { object }))).code).toBe("FORBIDDEN");
            expect((await refused(ql.aggregate(ctx, { object, aggregate: [{ function: "count", alias: "n" }] }))).code).toBe("FORBIDDEN");
            expect((await refused(ql.findOne(ctx, object, rows[object][0].id))).code).toBe("FORBIDDEN");
            continue;
          }
          const expected = oracle.visible(user, object);
          const { records } = await ql.find(ctx, { object, limit: 1000 });
          expect(ids(records), `${user} list ${object}`).toEqual(ids(expected));
          expect(await ql.count(ctx, { object }), `${user} count ${object}`).toBe(expected.length);
          for (const hidden of HIDDEN[user][object] ?? []) {
            expect(records.every((record) => !(hidden in record)), `${user} sees ${object}.${hidden}`).toBe(true);
            expect((await refused(ql.find(ctx, { object, filter: { field: hidden, operator: "is_not_null" } }))).code).toBe("BAD_REQUEST");
            expect((await refused(ql.find(ctx, { object, orderBy: [{ field: hidden, direction: "asc" }] }))).code).toBe("BAD_REQUEST");
            expect((await refused(ql.aggregate(ctx, { object, aggregate: [{ function: "sum", field: hidden, alias: "s" }] }))).code).toBe("BAD_REQUEST");
            // Writing it is answered as for a name that does not exist: the refusal must not reveal the field.
            if (PERMS[user][object].edit) {
              const target = oracle.visible(user, object).find((row) => oracle.reaches(user, object, row, "edit"))!;
              const written = await refused(ql.update(ctx, object, target.id, { [hidden]: "x" }));
              expect([written.code, written.message]).toEqual(["BAD_REQUEST", `Invalid record for object '${object}': Unknown field '${hidden}' on object '${object}'`]);
              const unknown = await refused(ql.update(ctx, object, target.id, { no_such_field: "x" }));
              expect(unknown.message).toBe(`Invalid record for object '${object}': Unknown field 'no_such_field' on object '${object}'`);
            }
          }
          for (const row of rows[object]) {
            const found = await ql.findOne(ctx, object, row.id);
            expect(found !== null, `${user} get ${object} ${row.id}`).toBe(expected.some((visible) => visible.id === row.id));
          }
        }
      }
    });

    it("aggregates and groups only visible records", async () => {
      for (const user of USERS) {
        if (!PERMS[user].opportunity.read) continue;
        const { rows: groups } = await ql.aggregate(ctxOf(user), { object: "opportunity", groupBy: [{ field: "stage" }], aggregate: [{ function: "count", alias: "n" }, { function: "sum", field: "amount", alias: "total" }] });
        const expected = new Map<string, { n: number; total: number }>();
        for (const row of oracle.visible(user, "opportunity")) {
          const entry = expected.get(String(row.stage)) ?? { n: 0, total: 0 };
          entry.n++;
          entry.total += Number(row.amount);
          expected.set(String(row.stage), entry);
        }
        const actual = new Map(groups.map((group) => [String(group.stage), { n: Number(group.n), total: Number(group.total) }]));
        expect(actual, `${user} group by stage`).toEqual(expected);
      }
    });

    it("never reveals a field or a record through a lookup path, search or expand", async () => {
      // rep2 may not read accounts: the lookup shows only the id, and paths into account are unknown fields.
      const rep2 = ctxOf("rep2");
      const { records } = await ql.find(rep2, { object: "opportunity", limit: 1000 });
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        const lookup = record.account as { id: string; name: string } | null;
        if (lookup) expect(lookup.name, "account name behind a lookup rep2 may not read").toBe(lookup.id);
      }
      for (const query of [
        { object: "opportunity", select: ["name", "account.name"] },
        { object: "opportunity", filter: { field: "account.name", operator: "=", value: "Account 0" } as Filter },
        { object: "opportunity", orderBy: [{ field: "account.region", direction: "asc" as const }] },
      ]) {
        expect((await refused(ql.find(rep2, query))).code).toBe("BAD_REQUEST");
      }
      expect((await refused(ql.aggregate(rep2, { object: "opportunity", groupBy: [{ field: "account.region" }], aggregate: [{ function: "count", alias: "n" }] }))).code).toBe("BAD_REQUEST");
      // Search does not look into hidden fields: the secret note matches nothing for rep2 but matches for rep1.
      const secretOwnedByRep1 = oracle.visible("rep1", "opportunity").find((row) => row.owner_id === "rep1")!;
      expect((await ql.find(ctxOf("rep1"), { object: "opportunity", search: String(secretOwnedByRep1.secret_note) })).records.map((r) => r.id)).toContain(secretOwnedByRep1.id);
      expect((await ql.find(rep2, { object: "opportunity", search: "secret-" })).records).toEqual([]);
      // support may read accounts but not revenue: dotted or plain, it is unknown.
      expect((await refused(ql.find(ctxOf("support"), { object: "account", select: ["name", "revenue"] }))).code).toBe("BAD_REQUEST");

      // Line items through their opportunity: visible names only where the opportunity is visible (always, as they are controlled by it).
      for (const user of ["mgr", "rep1", "rep2"] as const) {
        const visibleOpps = new Set(oracle.visible(user, "opportunity").map((row) => row.id));
        const items = await ql.find(ctxOf(user), { object: "line_item", select: ["name", "opportunity", "opportunity.amount"], limit: 1000 });
        for (const item of items.records) {
          const opp = item.opportunity as { id: string; name: string };
          expect(visibleOpps.has(opp.id)).toBe(true);
          expect(item["opportunity.amount"]).toBe(rows.opportunity.find((row) => row.id === opp.id)!.amount);
        }
        // Filtering on the parent's amount cannot find items under invisible deals.
        const big = await ql.find(ctxOf(user), { object: "line_item", filter: { field: "opportunity.amount", operator: ">=", value: 0 }, limit: 1000 });
        expect(ids(big.records)).toEqual(ids(oracle.visible(user, "line_item")));
      }

      // Expand: each account's opportunities are the visible ones only.
      for (const user of ["ceo", "mgr", "rep1", "auditor"] as const) {
        const { records: accounts } = await ql.find(ctxOf(user), { object: "account", expand: [{ relation: "opportunity.account" }], limit: 1000 });
        const visibleOpps = oracle.visible(user, "opportunity");
        for (const acc of accounts) {
          const children = ((acc["opportunity.account"] ?? acc.opportunity ?? []) as { id: string }[]);
          expect(ids(children), `${user} expand ${acc.id}`).toEqual(ids(visibleOpps.filter((row) => row.account === acc.id)));
        }
      }
    });

    it("updates and deletes only what the rules allow; unseen records are not found", async () => {
      for (const user of USERS) {
        const ctx = ctxOf(user);
        for (const object of ["opportunity", "line_item"] as const) {
          for (const row of rows[object]) {
            const canRead = oracle.reaches(user, object, row, "read");
            const canEdit = PERMS[user][object].edit && oracle.reaches(user, object, row, "edit");
            const attempt = ql.update(ctx, object, row.id, { name: `${row.name}` });
            if (canEdit) {
              await attempt;
            } else {
              const error = await refused(attempt);
              expect(error.code, `${user} edit ${object} ${row.id}`).toBe(!PERMS[user][object].edit ? "FORBIDDEN" : canRead ? "FORBIDDEN" : "NOT_FOUND");
            }
          }
        }
        // Deleting: only owners and their managers (never through sharing); tried on deals the user does not own.
        for (const row of rows.opportunity.filter((candidate) => candidate.owner_id !== user).slice(0, 6)) {
          const canDelete = PERMS[user].opportunity.delete && oracle.reaches(user, "opportunity", row, "delete");
          if (canDelete) continue; // not actually deleted: that would change the fixture for the next users
          const error = await refused(ql.delete(ctx, "opportunity", row.id));
          expect(["FORBIDDEN", "NOT_FOUND"], `${user} delete ${row.id}`).toContain(error.code);
          expect(await h.ql.findOne({ kind: "system" }, "opportunity", row.id)).not.toBeNull();
        }
      }
      // Bulk writes obey the same rules: no create permission, and records out of reach.
      expect((await refused(ql.insertMany(ctxOf("rep2"), "opportunity", [{ name: "bulk" }]))).code).toBe("FORBIDDEN");
      const unseen = rows.opportunity.filter((row) => !oracle.reaches("rep1", "opportunity", row, "read")).map((row) => row.id);
      expect(unseen.length).toBeGreaterThan(0);
      expect((await refused(ql.updateMany(ctxOf("rep1"), "opportunity", unseen, { name: "bulk" }))).code).toBe("NOT_FOUND");
      const readOnly = rows.opportunity.filter((row) => oracle.reaches("rep1", "opportunity", row, "read") && !oracle.reaches("rep1", "opportunity", row, "edit")).map((row) => row.id);
      expect(readOnly.length).toBeGreaterThan(0);
      expect((await refused(ql.updateMany(ctxOf("rep1"), "opportunity", readOnly, { name: "bulk" }))).code).toBe("FORBIDDEN");
      // A field rep2 may not edit, and an object support may not create in.
      expect((await refused(ql.insert(ctxOf("support"), "opportunity", { name: "x" }))).code).toBe("FORBIDDEN");
      expect((await refused(ql.insert(ctxOf("support"), "account", { name: "x" }))).code).toBe("FORBIDDEN");
      // A line item under a deal rep1 may not edit is refused and not kept.
      const foreign = rows.opportunity.find((row) => !oracle.reaches("rep1", "opportunity", row, "edit"))!;
      expect((await refused(ql.insert(ctxOf("rep1"), "line_item", { name: "sneaky", opportunity: foreign.id }))).code).toBe("FORBIDDEN");
      expect((await h.ql.count({ kind: "system" }, { object: "line_item", filter: { field: "name", operator: "=", value: "sneaky" } }))).toBe(0);
    });

    it("agrees with the oracle on a thousand generated filters", async () => {
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const conditions: { filter: Filter; test: (row: Row) => boolean }[] = [];
      for (let index = 0; index < 1000; index++) {
        const kind = pick(["stage", "amount", "name"] as const);
        if (kind === "stage") {
          const value = pick(["open", "won", "lost"]);
          conditions.push({ filter: { field: "stage", operator: "=", value }, test: (row) => row.stage === value });
        } else if (kind === "amount") {
          const value = Math.floor(random() * 13_000);
          const operator = pick([">=", "<"] as const);
          conditions.push({ filter: { field: "amount", operator, value }, test: (row) => (operator === ">=" ? Number(row.amount) >= value : Number(row.amount) < value) });
        } else {
          const value = `Deal ${Math.floor(random() * 18)}`;
          conditions.push({ filter: { field: "name", operator: "starts_with", value }, test: (row) => String(row.name).startsWith(value) });
        }
      }
      const readers = USERS.filter((user) => PERMS[user].opportunity.read);
      for (const [index, condition] of conditions.entries()) {
        const user = readers[index % readers.length];
        const { records } = await ql.find(ctxOf(user), { object: "opportunity", filter: condition.filter, limit: 1000 });
        expect(ids(records), `${user} ${JSON.stringify(condition.filter)}`).toEqual(ids(oracle.visible(user, "opportunity").filter(condition.test)));
      }
    });
  });
}
