import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createObjectQL, type DataRecord, type ObjectQL } from "@/server/objectql/objectql";
import { ObjectQLError } from "@/server/objectql/errors";
import { RECORD_SHARE_TABLE } from "@/server/objectql/schema/applied-schema-store";
import { Harness, defineObject } from "@/server/objectql/test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "@/server/objectql/test-support/test-databases";
import type { ObjectDef } from "@/spec/object";
import { securitySchema } from "@/spec/security";
import { userAccess } from "./access";
import { MODEL, OBJECTS, USERS, account, ctxOf, lineItem, loadPermissionFixture, opportunity, type ObjectName, type User } from "./test-support/permission-fixture";
import { FixtureAccessOracle, type OracleObject } from "./test-support/fixture-access-oracle";
import { criteriaMatch, describeCriteria, explainAccess, type ExplainShare, type ExplainSubject } from "./explain-access";
import type { Filter } from "@/spec/query";

/**
 * Access explain must say what the engine does. The fixture is the permission matrix's
 * (server/security/permission-matrix.suite.ts): six users with different profiles, permission
 * sets, roles, groups, sharing rules, manual shares and ownership over three related objects, one
 * of them controlled by its parent. For every user and record, explain's read / edit / delete
 * verdict and what the engine lets the user do are both compared with an oracle written by hand
 * from the model (test-support/fixture-access-oracle.ts): explain and the engine share
 * `access.ts`, so agreeing with each other alone would not catch a wrong rule there.
 */

// Plus an object with no org-wide default (public read/write), which the Standard profile grants.
const note = defineObject({ name: "note", label: "Note", pluralLabel: "Notes", fields: [{ id: "n1", name: "name", label: "Name", type: "text", required: true }] });
const NOTE_MODEL = securitySchema.parse({
  ...MODEL,
  profiles: MODEL.profiles.map((profile) => profile.name === "standard" ? { ...profile, objects: { ...profile.objects, note: { create: true, read: true, edit: true, delete: true } } } : profile),
});
const ALL_OBJECTS: OracleObject[] = [...OBJECTS, "note"];

const OBJECT_DEFS: Record<string, ObjectDef> = { account, opportunity, line_item: lineItem, note };

type Row = DataRecord & { owner_id: string };

/** Thrown to roll a probing write back. */
class Rollback extends Error {}

describe("access explain and the engine agree with an independent oracle (permission-matrix fixture)", () => {
  let test: TestDatabase;
  let h: Harness;
  let ql: ObjectQL;
  const rows: Record<OracleObject, Row[]> = { account: [], opportunity: [], line_item: [], note: [] };
  const shares: { object: string; record_id: string; principal: string; access: "read" | "edit" }[] = [];

  const sharesOf = (object: string, id: string): ExplainShare[] =>
    shares.filter((share) => share.object === object && share.record_id === id).map(({ principal, access }) => ({ principal, access }));

  function subjectOf(object: OracleObject, row: Row): ExplainSubject {
    const subject: ExplainSubject = { object: OBJECT_DEFS[object], record: row, shares: sharesOf(object, row.id) };
    if (object === "line_item") {
      const parentId = (row.opportunity as { id: string } | null)?.id;
      const parent = rows.opportunity.find((candidate) => candidate.id === parentId);
      subject.parent = parent ? subjectOf("opportunity", parent) : null;
    }
    return subject;
  }

  /** What the engine lets the user do with the record: read it, change it, delete it (rolled back). */
  async function engineVerdict(user: User, object: OracleObject, row: Row) {
    const ctx = ctxOf(user);
    const read = await ql.findOne(ctx, object, row.id).then((found) => found !== null, (error: unknown) => {
      if (error instanceof ObjectQLError && error.code === "FORBIDDEN") return false;
      throw error;
    });
    const attempt = async (work: (tx: ObjectQL) => Promise<unknown>) =>
      ql.transaction(ctx, async (tx) => {
        await work(tx);
        throw new Rollback();
      }).then(() => true, (error: unknown) => {
        if (error instanceof Rollback) return true;
        if (error instanceof ObjectQLError && ["FORBIDDEN", "NOT_FOUND"].includes(error.code)) return false;
        throw error;
      });
    const edit = await attempt((tx) => tx.update(ctx, object, row.id, { name: row.name }));
    const remove = await attempt((tx) => tx.delete(ctx, object, row.id));
    return { read, edit, delete: remove };
  }

  beforeAll(async () => {
    test = await sqliteFactory.create();
    ({ h } = await loadPermissionFixture(test.db));
    await h.sync(note);
    for (const [index, owner] of USERS.entries()) await h.ql.insert(ctxOf(owner), "note", { name: `Note ${index}` });
    for (const object of ALL_OBJECTS) rows[object] = (await h.ql.find({ kind: "system" }, { object, limit: 1000 })).records as Row[];
    const small = (owner: string, nth = 0) => rows.opportunity.filter((row) => row.owner_id === owner && Number(row.amount) < 5000)[nth]!;
    const now = new Date().toISOString();
    for (const share of [
      { object: "opportunity", record_id: small("ceo").id, principal: "user:rep2", access: "read" as const },
      { object: "opportunity", record_id: small("mgr").id, principal: "user:rep1", access: "edit" as const },
      { object: "opportunity", record_id: small("ceo", 1).id, principal: "group:big_deals", access: "read" as const },
    ]) {
      await test.db.kysely.insertInto(RECORD_SHARE_TABLE).values({ ...share, created_by: "test", created_at: now }).execute();
      shares.push(share);
    }
  });

  afterAll(async () => {
    await test?.cleanup();
  });

  // Access compiled and an engine made per test, not in the hook: the engine keeps each user's
  // compiled security, and mutation testing credits code to the test that runs it
  // (docs/mutation-testing.md).
  beforeEach(() => {
    const access = new Map(USERS.map((user) => [user, userAccess(NOTE_MODEL, "notes", user)]));
    ql = createObjectQL({ db: test.db, registry: h.registry, accessFor: async (ctx) => access.get(ctx.userId as User) ?? null });
  });

  it("gives the oracle's read, edit and delete verdict for every user and record, as the engine does", async () => {
    const oracle = new FixtureAccessOracle(rows.opportunity, shares.map((share) => ({ ...share })));
    let checked = 0;
    const verdicts = { read: 0, edit: 0, delete: 0 };
    for (const user of USERS) {
      for (const object of ALL_OBJECTS) {
        for (const row of rows[object]) {
          const expected = oracle.verdict(user, object, row);
          const explained = explainAccess({ ...subjectOf(object, row), model: NOTE_MODEL, user: { id: user, role: "user" }, objects: (name) => OBJECT_DEFS[name] });
          const engine = await engineVerdict(user, object, row);
          const label = `${user} ${object} ${row.name as string} (owner ${row.owner_id}):\n${explained.reasons.join("\n")}`;
          expect({ read: explained.read, edit: explained.edit, delete: explained.delete }, `explain: ${label}`).toEqual(expected);
          expect(engine, `engine: ${label}`).toEqual(expected);
          checked++;
          for (const key of ["read", "edit", "delete"] as const) if (expected[key]) verdicts[key]++;
        }
      }
    }
    expect(checked).toBe(USERS.length * (6 + 18 + 24 + USERS.length));
    // Both answers of every verdict occur (counted from the oracle, for the fixture and shares above).
    for (const count of Object.values(verdicts)) expect(count).toBeGreaterThan(0);
    for (const count of Object.values(verdicts)) expect(count).toBeLessThan(checked);
  });

  it("explains in sentences: profiles, org-wide defaults, hierarchy, rules, shares, hidden fields", () => {
    const explain = (user: User, object: ObjectName, row: Row) =>
      explainAccess({ ...subjectOf(object, row), model: MODEL, user: { id: user, role: "user" }, objects: (name) => OBJECT_DEFS[name] });

    const repDeal = rows.opportunity.find((row) => row.owner_id === "rep1" && row.stage !== "won" && Number(row.amount) < 5000)!;
    const byManager = explain("mgr", "opportunity", repDeal);
    expect(byManager.read).toBe(true);
    expect(byManager.reasons).toContain("Profile 'Standard' grants Create, Read, Edit, Delete on Opportunity");
    expect(byManager.reasons).toContain("Org-wide default for Opportunity is Private");
    expect(byManager.reasons).toContain("Owner is rep1, whose role Sales rep is below Sales manager");

    const won = rows.opportunity.find((row) => row.owner_id === "mgr" && row.stage === "won" && Number(row.amount) < 5000)!;
    const byRep = explain("rep2", "opportunity", won);
    expect(byRep).toMatchObject({ read: true, edit: false });
    expect(byRep.reasons).toContain("Sharing rule 'Won deals to reps' matches (stage = won) and shares with role Sales rep (read)");
    expect(byRep.fields.find((field) => field.name === "secret_note")).toMatchObject({
      access: "none", reason: "Field 'secret_note' is hidden by every profile and permission set the user has",
    });

    const groupShared = rows.opportunity.find((row) => row.id === shares[2].record_id)!;
    expect(explain("support", "opportunity", groupShared)).toMatchObject({ read: false });
    expect(explain("rep1", "opportunity", groupShared).reasons).toContain("Manually shared with group Big deals (read)");

    const hidden = explain("support", "opportunity", won);
    expect(hidden.read).toBe(false);
    expect(hidden.reasons).toContain("No profile or permission set of the user grants anything on Opportunity");

    const item = rows.line_item.find((row) => (row.opportunity as { id: string }).id === repDeal.id)
      ?? rows.line_item.find((row) => rows.opportunity.find((opp) => opp.id === (row.opportunity as { id: string }).id)?.owner_id === "rep1")!;
    const parentLed = explain("mgr", "line_item", item);
    expect(parentLed.read).toBe(true);
    expect(parentLed.reasons.some((reason) => reason.startsWith("Org-wide default for Line item is Controlled by parent"))).toBe(true);
  });

  it("admins are unrestricted; with no model published every user works with every record", () => {
    const row = rows.opportunity[0];
    expect(explainAccess({ ...subjectOf("opportunity", row), model: MODEL, user: { id: "someone", role: "admin" } })).toMatchObject({
      read: true, edit: true, delete: true, reasons: ["The user is a platform admin: admins are never restricted"],
    });
    const open = explainAccess({ ...subjectOf("opportunity", row), model: null, user: { id: "rep2", role: "user" } });
    expect(open).toMatchObject({ read: true, edit: true, delete: true });
    expect(open.reasons[0]).toContain("No security model is published");
  });

  it("evaluates simple criteria in code and leaves the rest to the caller", () => {
    const record = { id: "x", owner_id: null, name: "Deal", amount: 7000, stage: "won" };
    expect(criteriaMatch({ and: [{ field: "stage", operator: "=", value: "won" }, { field: "amount", operator: ">=", value: 5000 }] }, opportunity, record)).toBe(true);
    expect(criteriaMatch({ or: [{ field: "stage", operator: "in", value: ["lost"] }, { field: "name", operator: "starts_with", value: "de" }] }, opportunity, record)).toBe(true);
    expect(criteriaMatch({ not: { field: "amount", operator: "between", value: [1, 8000] } }, opportunity, record)).toBe(false);
    expect(criteriaMatch({ field: "account.name", operator: "=", value: "A" }, opportunity, record)).toBeUndefined();
    // An undecidable part does not matter when the rest decides.
    expect(criteriaMatch({ and: [{ field: "stage", operator: "=", value: "lost" }, { field: "account.name", operator: "=", value: "A" }] }, opportunity, record)).toBe(false);
  });

  it("decides each operator over the record's own values as the database would, and leaves the rest undecided", () => {
    const deal = defineObject({
      name: "deal", label: "Deal", pluralLabel: "Deals",
      fields: [
        { id: "d1", name: "name", label: "Name", type: "text", required: true },
        { id: "d2", name: "amount", label: "Amount", type: "number" },
        { id: "d3", name: "note", label: "Note", type: "text" },
        { id: "d4", name: "tags", label: "Tags", type: "multiselect", options: ["a", "b", "c"].map((value) => ({ value, label: value })) },
        { id: "d5", name: "account", label: "Account", type: "lookup", reference: "account" },
        { id: "d6", name: "double", label: "Double", type: "formula", returnType: "number", expression: "amount * 2" },
        { id: "d7", name: "closes", label: "Closes", type: "date" },
      ],
    });
    const record = { id: "x", owner_id: "u1", name: "Deal", amount: 7000, note: null, tags: ["a", "b"], account: { id: "acc1", name: "A" }, double: 14000, closes: "2026-01-01" };
    const match = (field: string, operator: string, value?: unknown) => criteriaMatch({ field, operator, value } as Filter, deal, record);
    const cases: [string, string, unknown, boolean | undefined][] = [
      ["amount", "=", 7000, true], ["amount", "=", 7001, false], ["note", "=", null, false],
      ["amount", "!=", 7000, false], ["amount", "!=", 1, true], ["note", "!=", "x", true],
      ["amount", "<", 7001, true], ["amount", "<", 7000, false], ["note", "<", "z", false], ["name", "<", "E", true], ["name", "<", "D", false],
      ["amount", "<=", 7000, true], ["amount", "<=", 6999, false], ["note", "<=", "z", false],
      ["amount", ">", 6999, true], ["amount", ">", 7000, false], ["note", ">", "", false],
      ["amount", ">=", 7000, true], ["amount", ">=", 7001, false], ["note", ">=", "", false],
      ["amount", "between", [7000, 7000], true], ["amount", "between", [1, 6999], false], ["amount", "between", [7001, 8000], false],
      ["amount", "between", [7000], false], ["note", "between", ["", "z"], false],
      ["amount", "in", [1, 7000], true], ["amount", "in", [1], false], ["note", "in", [null], false],
      ["amount", "not_in", [1], true], ["amount", "not_in", [7000], false], ["note", "not_in", ["x"], true],
      ["name", "contains", "EA", true], ["name", "contains", "x", false], ["note", "contains", "", false],
      ["name", "starts_with", "de", true], ["name", "starts_with", "al", false], ["note", "starts_with", "", false],
      ["name", "ends_with", "AL", true], ["name", "ends_with", "de", false], ["note", "ends_with", "", false],
      ["note", "is_null", undefined, true], ["amount", "is_null", undefined, false], ["amount", "is_not_null", undefined, true], ["note", "is_not_null", undefined, false],
      ["missing", "is_null", undefined, undefined], ["owner_id", "=", "u1", true], ["created_by", "is_null", undefined, true],
      ["account", "=", "acc1", true], ["account", "=", "A", false],
      ["tags", "contains", "a", true], ["tags", "contains", "c", false], ["tags", "in", ["c", "b"], true], ["tags", "in", ["c"], false], ["tags", "=", "a", undefined],
      // Undecided: computed fields, relative dates (alone or in a list), names through lookups, unknown operators.
      ["double", "=", 14000, undefined], ["closes", "=", "TODAY", undefined], ["closes", "in", ["2026-01-01", "LAST_N_DAYS:3"], undefined],
      ["account.name", "=", "A", undefined], ["amount", "like", 1, undefined],
    ];
    for (const [field, operator, value, expected] of cases) expect(match(field, operator, value), `${field} ${operator} ${JSON.stringify(value)}`).toBe(expected);
    expect(criteriaMatch({ field: "tags", operator: "contains", value: "a" }, deal, { ...record, tags: null })).toBe(false);

    const yes: Filter = { field: "amount", operator: "=", value: 7000 };
    const no: Filter = { field: "amount", operator: "=", value: 1 };
    const unknown: Filter = { field: "double", operator: "=", value: 1 };
    const combined: [Filter, boolean | undefined][] = [
      [{ and: [yes, unknown] }, undefined], [{ and: [no, unknown] }, false], [{ and: [unknown, no] }, false], [{ and: [yes, yes] }, true], [{ and: [] }, true],
      [{ or: [yes, unknown] }, true], [{ or: [unknown, yes] }, true], [{ or: [no, unknown] }, undefined], [{ or: [no, no] }, false], [{ or: [] }, false],
      [{ not: yes }, false], [{ not: no }, true], [{ not: unknown }, undefined],
    ];
    for (const [filter, expected] of combined) expect(criteriaMatch(filter, deal, record), JSON.stringify(filter)).toBe(expected);
  });

  it("describes criteria as a person reads them", () => {
    const won: Filter = { field: "stage", operator: "=", value: "won" };
    const cases: [Filter, string][] = [
      [{ and: [] }, "every record"],
      [{ and: [won, { field: "amount", operator: ">=", value: 5000 }] }, "stage = won and amount >= 5000"],
      [{ or: [won, { field: "stage", operator: "=", value: "lost" }] }, "(stage = won or stage = lost)"],
      [{ not: won }, "not (stage = won)"],
      [{ field: "secret_note", operator: "is_null" }, "secret_note is empty"],
      [{ field: "secret_note", operator: "is_not_null" }, "secret_note is not empty"],
      [{ field: "stage", operator: "not_in", value: ["won", "lost"] }, "stage not in [won, lost]"],
      [{ field: "name", operator: "starts_with", value: "De" }, "name starts with De"],
    ];
    for (const [filter, expected] of cases) expect(describeCriteria(filter, opportunity)).toBe(expected);
  });
});
