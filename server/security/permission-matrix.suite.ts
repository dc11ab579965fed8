import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createObjectQL, type ObjectQL, type SecurityContext } from "@/server/objectql/objectql";
import { ObjectQLError } from "@/server/objectql/errors";
import { Harness, defineObject } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "@/server/objectql/test-support/test-databases";
import { RECORD_SHARE_TABLE } from "@/server/objectql/schema/applied-schema-store";
import { tableName } from "@/server/objectql/schema/sql-names";
import type { Filter } from "@/spec/query";
import { securitySchema } from "@/spec/security";
import { userAccess } from "./access";
import { MODEL, OBJECTS, USERS, ctxOf, loadPermissionFixture, type User } from "./test-support/permission-fixture";

/**
 * The permission test matrix: six users with different profiles, permission sets, roles,
 * sharing rules, manual shares and ownership over three related objects. For every user and
 * every path (list, get, count, group-by, lookup paths in select/filter/group-by, search,
 * expand, create, update, delete, and a write to each field) the engine's answer is compared
 * with an oracle computed in plain code from the same rules. Every write is tried, the allowed
 * ones included (an allowed delete really deletes; the fixture is restored after it).
 * Zero leaks. Then a randomized run of generated filters.
 *
 * The fixture's model gets, here only, a fourth object with the public read/write default
 * (`note`), read-only and hidden fields on objects the users may edit, and a permission set
 * that grants the CEO what the profile withholds: so every org-wide default and every field
 * access level meets a user who may otherwise write.
 */

const note = defineObject({
  name: "note", label: "Note", pluralLabel: "Notes",
  fields: [
    { id: "n1", name: "name", label: "Name", type: "text", required: true },
    { id: "n2", name: "body", label: "Body", type: "text" },
    { id: "n3", name: "internal", label: "Internal", type: "text" },
  ],
});
const MATRIX_OBJECTS = [...OBJECTS, "note"] as const;
type ObjectName = (typeof MATRIX_OBJECTS)[number];

const crud = { create: true, read: true, edit: true, delete: true };
const MATRIX_MODEL = securitySchema.parse({
  ...MODEL,
  profiles: MODEL.profiles.map((profile) => {
    // Input to securitySchema.parse: the parser fills in every flag left out.
    const objects: Record<string, unknown> = { ...profile.objects };
    if (profile.name === "standard") {
      objects.account = { ...profile.objects.account, fields: { revenue: "read" } };
      objects.note = { ...crud, fields: { internal: "none" } };
    }
    if (profile.name === "restricted") objects.note = { read: true, fields: { internal: "none" } };
    if (profile.name === "support") objects.note = { read: true, create: true, edit: true };
    return { ...profile, objects };
  }),
  permissionSets: [
    ...MODEL.permissionSets,
    { name: "exec", label: "Exec", objects: { account: { read: true, edit: true, fields: { revenue: "edit" } }, note: { read: true, edit: true, fields: { internal: "edit" } } } },
    // Reads accounts, every field "edit" by default: without the object's edit permission that is read.
    { name: "viewer", label: "Viewer", objects: { account: { read: true } } },
  ],
  orgWideDefaults: { ...MODEL.orgWideDefaults, note: "public_read_write" },
  assignments: { ...MODEL.assignments, ceo: { ...MODEL.assignments.ceo, permissionSets: ["exec"] }, mgr: { ...MODEL.assignments.mgr, permissionSets: ["viewer"] } },
});


// ---- The oracle: the same rules, in plain code, independent of the engine. ----

type Row = Record<string, unknown> & { id: string; owner_id: string };

const ROLE_OF: Record<User, string | null> = { ceo: "ceo", mgr: "sales_manager", rep1: "sales_rep", rep2: "sales_rep", support: "support_agent", auditor: null };
const MANAGERS: Record<string, string[]> = { ceo: [], sales_manager: ["ceo"], sales_rep: ["sales_manager", "ceo"], support_agent: [] };
const PERMS: Record<User, Record<ObjectName, { create: boolean; read: boolean; edit: boolean; delete: boolean; viewAll: boolean }>> = (() => {
  const none = { create: false, read: false, edit: false, delete: false, viewAll: false };
  const all = { create: true, read: true, edit: true, delete: true, viewAll: false };
  const readOnly = { ...none, read: true };
  return {
    ceo: { account: all, opportunity: all, line_item: all, note: all },
    mgr: { account: all, opportunity: all, line_item: all, note: all },
    rep1: { account: all, opportunity: all, line_item: all, note: all },
    rep2: { account: none, opportunity: readOnly, line_item: readOnly, note: readOnly },
    support: { account: readOnly, opportunity: none, line_item: none, note: { ...none, read: true, create: true, edit: true } },
    auditor: { account: all, opportunity: { ...all, viewAll: true }, line_item: all, note: all },
  };
})();
const HIDDEN: Record<User, Partial<Record<ObjectName, string[]>>> = {
  ceo: {}, mgr: { note: ["internal"] }, rep1: { note: ["internal"] }, rep2: { opportunity: ["secret_note"], note: ["internal"] }, support: { account: ["revenue"] }, auditor: { note: ["internal"] },
};
/** Fields the user sees but may not write, though they may edit the object. */
const READ_ONLY: Record<User, Partial<Record<ObjectName, string[]>>> = {
  ceo: {}, mgr: { account: ["revenue"] }, rep1: { account: ["revenue"] }, rep2: {}, support: {}, auditor: { account: ["revenue"] },
};
/** Every field of each object, as the fixture defines them. */
const FIELDS: Record<ObjectName, string[]> = {
  account: ["name", "region", "revenue"],
  opportunity: ["name", "amount", "stage", "account", "secret_note"],
  line_item: ["name", "quantity", "opportunity"],
  note: ["name", "body", "internal"],
};

function fieldAccessOf(user: User, object: ObjectName, field: string): "none" | "read" | "edit" {
  if (!PERMS[user][object].read || (HIDDEN[user][object] ?? []).includes(field)) return "none";
  if (!PERMS[user][object].edit || (READ_ONLY[user][object] ?? []).includes(field)) return "read";
  return "edit";
}
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
    if (object === "note") return level !== "delete" || ownsOrManages(user, row.owner_id);
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
    const rows: Record<ObjectName, Row[]> = { account: [], opportunity: [], line_item: [], note: [] };
    const system: SecurityContext = { kind: "system" };
    // Each table's stored rows once the fixture is complete: an allowed delete is undone by writing them back.
    const TABLES = [...MATRIX_OBJECTS.map((object) => tableName(object)), RECORD_SHARE_TABLE];
    const snapshot = new Map<string, Record<string, unknown>[]>();

    // Rows as stored, lookups as plain ids.
    const raw = async (object: ObjectName) =>
      (await h.ql.find({ kind: "system" }, { object, limit: 1000 })).records.map((record) =>
        Object.fromEntries(Object.entries(record).map(([key, value]) => [key, value !== null && typeof value === "object" && "id" in value ? (value as { id: string }).id : value])),
      ) as unknown as Row[];
    const ids = (records: { id: string }[]) => records.map((record) => record.id).sort();

    async function refused(promise: Promise<unknown>, label = ""): Promise<ObjectQLError> {
      const error = await promise.then(() => null, (caught: unknown) => caught);
      expect(error, `expected the engine to refuse ${label}`).toBeInstanceOf(ObjectQLError);
      return error as ObjectQLError;
    }

    beforeAll(async () => {
      test = await factory.create();
      ({ h } = await loadPermissionFixture(test.db));
      await h.sync(note);
      const owners: User[] = ["ceo", "mgr", "rep1", "rep2", "auditor", "rep1"];
      for (const [index, owner] of owners.entries()) {
        await h.ql.insert(ctxOf(owner), "note", { name: `Note ${index}`, body: `body-${index}`, internal: `internal-${index}` });
      }
      for (const object of MATRIX_OBJECTS) rows[object] = await raw(object);
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
      for (const table of TABLES) snapshot.set(table, await test.db.kysely.selectFrom(table).selectAll().execute());
    });

    /** Puts every table back as the fixture left it (children deleted first, parents inserted first). */
    async function restoreFixture(): Promise<void> {
      await test.db.kysely.transaction().execute(async (trx) => {
        for (const table of [...TABLES].reverse()) await trx.deleteFrom(table).execute();
        for (const table of TABLES) {
          const stored = snapshot.get(table)!;
          if (stored.length > 0) await trx.insertInto(table).values(stored).execute();
        }
      });
    }

    afterAll(async () => {
      await test?.cleanup();
    });

    // An engine per test, its access compiled when a test first asks (not in a hook): the engine
    // keeps each user's compiled security, and mutation testing credits code to the test that
    // runs it, code run in beforeAll to none (docs/mutation-testing.md).
    beforeEach(() => {
      ql = createObjectQL({ db: test.db, registry: h.registry, accessFor: async (ctx) => (USERS.includes(ctx.userId as User) ? userAccess(MATRIX_MODEL, "matrix", ctx.userId) : null) });
    });

    it("lists, gets and counts exactly the records the rules allow, with only readable fields", async () => {
      for (const user of USERS) {
        for (const object of MATRIX_OBJECTS) {
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
      const lookups = records.map((record) => record.account as { id: string; name: string } | null).filter((lookup) => lookup !== null);
      // The fixture gives most deals an account: the check below must have lookups to look at.
      expect(lookups.length).toBeGreaterThan(0);
      for (const lookup of lookups) expect(lookup.name, "account name behind a lookup rep2 may not read").toBe(lookup.id);
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

    /** The engine's message for a refused write to one record (as the API shows it). */
    function refusalMessage(code: "FORBIDDEN" | "NOT_FOUND", user: User, object: ObjectName, id: string, operation: "edit" | "delete"): string {
      if (!PERMS[user][object][operation]) return `You may not ${operation} records of object '${object}'`;
      if (code === "NOT_FOUND") return `Record '${id}' of object '${object}' not found`;
      return operation === "delete" ? `You may not delete record '${id}' of object '${object}'` : `You may read but not edit record '${id}' of object '${object}'`;
    }

    /** The expected refusal of a write to an existing record, or null where the rules allow it. */
    function expectedRowRefusal(user: User, object: ObjectName, row: Row, operation: "edit" | "delete"): "FORBIDDEN" | "NOT_FOUND" | null {
      if (!PERMS[user][object][operation]) return "FORBIDDEN";
      if (!oracle.reaches(user, object, row, "read")) return "NOT_FOUND";
      return oracle.reaches(user, object, row, operation) ? null : "FORBIDDEN";
    }

    /** A value for `field` that differs from the row's (lookups: another record the user owns or manages, so the record stays theirs). */
    function changedValue(user: User, object: ObjectName, row: Row | null, field: string): unknown {
      const current = row?.[field];
      switch (field) {
        case "region": return current === "north" ? "south" : "north";
        case "revenue": case "amount": case "quantity": return Number(current ?? 0) + 1;
        case "stage": return current === "open" ? "lost" : "open";
        case "account": return rows.account.find((account) => account.id !== current)!.id;
        case "opportunity": {
          const others = rows.opportunity.filter((opp) => opp.id !== current);
          return (others.find((opp) => ownsOrManages(user, opp.owner_id)) ?? others[0]).id;
        }
        default: return `${String(current ?? object)} (written by ${user})`;
      }
    }
    /** The stored value of a field as a plain value (a lookup as its id). */
    async function storedValue(object: ObjectName, id: string, field: string): Promise<unknown> {
      const value = (await h.ql.findOne(system, object, id))![field];
      return value !== null && typeof value === "object" && "id" in value ? (value as { id: string }).id : value;
    }

    it("creates records only where the rules allow, in every object, with every field", async () => {
      for (const user of USERS) {
        const ctx = ctxOf(user);
        // A line item's opportunity: one the user may edit (their own or their reports'), when they have one.
        const parent = rows.opportunity.find((opp) => PERMS[user].opportunity.edit && ownsOrManages(user, opp.owner_id)) ?? rows.opportunity[0];
        for (const object of MATRIX_OBJECTS) {
          for (const field of FIELDS[object]) {
            const values: Record<string, unknown> = { name: `new ${object} of ${user}`, ...(object === "line_item" ? { opportunity: parent.id } : {}) };
            values[field] = field === "name" ? values.name : field === "opportunity" ? parent.id : changedValue(user, object, null, field);
            const label = `${user} create ${object} with ${field}`;
            const attempt = ql.insert(ctx, object, values);
            const access = fieldAccessOf(user, object, field);
            if (!PERMS[user][object].create) {
              const error = await refused(attempt, label);
              expect([error.code, error.message], label).toEqual(["FORBIDDEN", `You may not create records of object '${object}'`]);
            } else if (access === "none") {
              const error = await refused(attempt, label);
              expect([error.code, error.message], label).toEqual(["BAD_REQUEST", `Invalid record for object '${object}': Unknown field '${field}' on object '${object}'`]);
              expect([error.path, error.issues], label).toEqual([[field], [{ path: [field], message: `Unknown field '${field}' on object '${object}'` }]]);
            } else if (access === "read") {
              const error = await refused(attempt, label);
              expect([error.code, error.message], label).toEqual(["FORBIDDEN", `You may not change '${field}' of object '${object}'`]);
              expect([error.path, error.issues], label).toEqual([[field], [{ path: [field], message: `Field '${field}' is read-only for you` }]]);
            } else {
              const created = await attempt;
              expect(created.owner_id, label).toBe(user);
              expect(await storedValue(object, created.id, field), label).toEqual(values[field]);
              await h.ql.delete(system, object, created.id);
            }
          }
        }
      }
      // Nothing refused was kept, and what was created is gone again.
      for (const object of MATRIX_OBJECTS) expect(ids(await raw(object)), object).toEqual(ids(rows[object]));
      // A line item under a deal rep1 may read but not edit, or may not even see, is refused and not kept.
      for (const seen of [true, false]) {
        const foreign = rows.opportunity.find((row) => oracle.reaches("rep1", "opportunity", row, "read") === seen && !oracle.reaches("rep1", "opportunity", row, "edit"))!;
        const error = await refused(ql.insert(ctxOf("rep1"), "line_item", { name: "sneaky", opportunity: foreign.id }));
        expect([error.code, error.message, error.path]).toEqual(["FORBIDDEN", "You may not create this record of object 'line_item': you may not edit the 'opportunity' record it belongs to", ["opportunity"]]);
        const many = await refused(ql.insertMany(ctxOf("rep1"), "line_item", [{ name: "sneaky", opportunity: foreign.id }, { name: "sneaky", opportunity: foreign.id }]));
        expect([many.code, many.message]).toEqual(["FORBIDDEN", "You may not create these records of object 'line_item': you may not edit the 'opportunity' record it belongs to"]);
      }
      expect((await h.ql.count(system, { object: "line_item", filter: { field: "name", operator: "=", value: "sneaky" } }))).toBe(0);
    });

    it("updates every record of every object only where the rules allow; unseen records are not found", async () => {
      for (const user of USERS) {
        const ctx = ctxOf(user);
        for (const object of MATRIX_OBJECTS) {
          for (const row of rows[object]) {
            const label = `${user} edit ${object} ${row.name}`;
            const expected = expectedRowRefusal(user, object, row, "edit");
            const attempt = ql.update(ctx, object, row.id, { name: `${row.name}` });
            if (expected === null) {
              expect((await attempt).id, label).toBe(row.id);
            } else {
              const error = await refused(attempt, label);
              expect([error.code, error.message, error.path], label).toEqual([expected, refusalMessage(expected, user, object, row.id, "edit"), PERMS[user][object].edit ? ["id"] : ["object"]]);
            }
          }
        }
      }
    });

    it("writes each field only where the user may edit it: read-only fields are refused, hidden ones unknown", async () => {
      for (const user of USERS) {
        const ctx = ctxOf(user);
        for (const object of MATRIX_OBJECTS) {
          // The record to write: one the user may edit as its owner or manager (a changed value cannot take it out of reach).
          const editable = rows[object].filter((row) => expectedRowRefusal(user, object, row, "edit") === null);
          const target = editable.find((row) => ownsOrManages(user, row.owner_id)) ?? editable[0] ?? rows[object][0];
          for (const field of FIELDS[object]) {
            const label = `${user} write ${object}.${field}`;
            const value = changedValue(user, object, target, field);
            const attempt = ql.update(ctx, object, target.id, { [field]: value });
            const access = fieldAccessOf(user, object, field);
            if (!PERMS[user][object].edit) {
              const error = await refused(attempt, label);
              expect([error.code, error.message], label).toEqual(["FORBIDDEN", `You may not edit records of object '${object}'`]);
            } else if (access === "none") {
              const error = await refused(attempt, label);
              expect([error.code, error.message], label).toEqual(["BAD_REQUEST", `Invalid record for object '${object}': Unknown field '${field}' on object '${object}'`]);
              expect([error.path, error.issues], label).toEqual([[field], [{ path: [field], message: `Unknown field '${field}' on object '${object}'` }]]);
            } else if (access === "read") {
              const error = await refused(attempt, label);
              expect([error.code, error.message], label).toEqual(["FORBIDDEN", `You may not change '${field}' of object '${object}'`]);
              expect([error.path, error.issues], label).toEqual([[field], [{ path: [field], message: `Field '${field}' is read-only for you` }]]);
            } else {
              expect(editable, label).toContain(target);
              await attempt;
              expect(await storedValue(object, target.id, field), label).toEqual(value);
              await h.ql.update(system, object, target.id, { [field]: target[field] });
            }
            expect(await storedValue(object, target.id, field), `${label}: the stored value afterwards`).toEqual(target[field]);
          }
        }
      }
    });

    it("deletes every record of every object only where the rules allow; an allowed delete deletes", async () => {
      let deletes = 0;
      for (const user of USERS) {
        const ctx = ctxOf(user);
        for (const object of MATRIX_OBJECTS) {
          for (const row of rows[object]) {
            const label = `${user} delete ${object} ${row.name}`;
            const expected = expectedRowRefusal(user, object, row, "delete");
            const attempt = ql.delete(ctx, object, row.id);
            if (expected === null) {
              await attempt;
              deletes++;
              expect(await h.ql.findOne(system, object, row.id), label).toBeNull();
              // An opportunity's line items go with it.
              const children = object === "opportunity" ? rows.line_item.filter((item) => item.opportunity === row.id) : [];
              for (const child of children) expect(await h.ql.findOne(system, "line_item", child.id), `${label}: item ${child.name}`).toBeNull();
              await restoreFixture();
            } else {
              const error = await refused(attempt, label);
              expect([error.code, error.message, error.path], label).toEqual([expected, refusalMessage(expected, user, object, row.id, "delete"), PERMS[user][object].delete ? ["id"] : ["object"]]);
              expect(await h.ql.findOne(system, object, row.id), `${label}: still there`).not.toBeNull();
            }
          }
        }
      }
      // Owners and managers delete: the fixture gives them many records to delete.
      expect(deletes).toBeGreaterThan(50);
      for (const object of MATRIX_OBJECTS) expect(await raw(object), `${object} restored`).toEqual(rows[object]);
    }, 180_000); // over a hundred deletes and restores: about 20 s on a loaded MariaDB

    it("bulk writes obey the same rules", async () => {
      // No create permission, and records out of reach.
      expect((await refused(ql.insertMany(ctxOf("rep2"), "opportunity", [{ name: "bulk" }]))).code).toBe("FORBIDDEN");
      const unseen = rows.opportunity.filter((row) => !oracle.reaches("rep1", "opportunity", row, "read")).map((row) => row.id);
      expect(unseen.length).toBeGreaterThan(0);
      const notFound = await refused(ql.updateMany(ctxOf("rep1"), "opportunity", unseen, { name: "bulk" }));
      expect([notFound.code, notFound.message, notFound.path]).toEqual(["NOT_FOUND", `${unseen.length} record(s) of object 'opportunity' not found`, ["ids"]]);
      const readOnly = rows.opportunity.filter((row) => oracle.reaches("rep1", "opportunity", row, "read") && !oracle.reaches("rep1", "opportunity", row, "edit")).map((row) => row.id);
      expect(readOnly.length).toBeGreaterThan(0);
      const notEditable = await refused(ql.updateMany(ctxOf("rep1"), "opportunity", readOnly, { name: "bulk" }));
      expect([notEditable.code, notEditable.message, notEditable.path]).toEqual(["FORBIDDEN", `You may read but not edit ${readOnly.length} of these records of object 'opportunity'`, ["ids"]]);
      // A read-only field in a bulk write, and in a bulk insert.
      const own = rows.account.filter((row) => row.owner_id === "rep1").map((row) => row.id);
      expect((await refused(ql.updateMany(ctxOf("rep1"), "account", own, { revenue: 1 }))).message).toBe("You may not change 'revenue' of object 'account'");
      expect((await refused(ql.insertMany(ctxOf("mgr"), "account", [{ name: "bulk" }, { name: "bulk", revenue: 1 }]))).message).toBe("You may not change 'revenue' of object 'account'");
      expect((await h.ql.count(system, { object: "account", filter: { field: "name", operator: "=", value: "bulk" } }))).toBe(0);
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
