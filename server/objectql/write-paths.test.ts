import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ObjectQLError } from "./errors";
import { createObjectQL, STALE_RECORD_MESSAGE, type BeforeSaveHook, type ObjectQL, type RecordChange } from "./objectql";
import { timestampParameter } from "./records/codec";
import { RECORD_SHARE_TABLE } from "./schema/applied-schema-store";
import { tableName } from "./schema/sql-names";
import { Harness, caught, defineObject, systemCtx, userCtx } from "./test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "./test-support/test-databases";

/**
 * The write paths' own behaviour (issue 14, the `writes` mutation area): bulk limits and their
 * messages, versions, the changes reported to `onChange` (the audit trail and after-save flows
 * read them), cascades, shares and owners. SQLite, through the engine.
 */
const account = defineObject({
  name: "account",
  label: "Account",
  pluralLabel: "Accounts",
  fields: [
    { id: "a1", name: "name", label: "Name", type: "text", required: true },
    { id: "a2", name: "employees", label: "Employees", type: "number" },
    { id: "a3", name: "code", label: "Code", type: "autonumber", format: "A-{0000}", startAt: 98 },
    // No column: a bulk insert writes only the columns of stored fields.
    { id: "a4", name: "shout", label: "Shout", type: "formula", returnType: "text", expression: "UPPER(name)" },
  ],
  validationRules: [
    { name: "retired", expression: "employees > 1000000", message: "Inactive: never checked", active: false },
    { name: "not_huge", expression: "BLANKVALUE(employees, 0) < 1000", message: "Too many employees", errorField: "employees" },
  ],
});

const contact = defineObject({
  name: "contact",
  label: "Contact",
  pluralLabel: "Contacts",
  fields: [
    { id: "c1", name: "name", label: "Name", type: "text", required: true },
    { id: "c2", name: "account", label: "Account", type: "master_detail", reference: "account" },
  ],
});

/** Formula defaults in a bulk insert. */
const lead = defineObject({
  name: "lead",
  label: "Lead",
  pluralLabel: "Leads",
  fields: [
    { id: "l1", name: "name", label: "Name", type: "text", required: true },
    { id: "l2", name: "initials", label: "Initials", type: "text", defaultFormula: "UPPER(LEFT(name, 2))" },
  ],
});

const note = defineObject({
  name: "note",
  label: "Note",
  pluralLabel: "Notes",
  fields: [
    { id: "n1", name: "text", label: "Text", type: "text" },
    { id: "n2", name: "about", label: "About", type: "lookup", reference: "account" },
  ],
});

const bob = { ...userCtx, userId: "user-bob" };


describe("write paths (sqlite)", () => {
  let test: TestDatabase;
  let h: Harness;
  let ql: ObjectQL;
  let changes: RecordChange[];

  beforeEach(async () => {
    test = await sqliteFactory.create();
    h = new Harness(test.db);
    await h.sync(account);
    await h.sync(contact);
    await h.sync(note);
    await h.sync(lead);
    changes = [];
    ql = createObjectQL({ db: test.db, registry: h.registry, onChange: async (change) => { changes.push(change); } });
  });
  afterEach(async () => {
    await test?.cleanup();
  });

  /** A record's updated_at moved to `iso` behind the engine's back (another server's clock). */
  async function setVersion(object: string, id: string, iso: string) {
    await sql`update ${sql.table(tableName(object))} set updated_at = ${timestampParameter(iso, "sqlite")} where id = ${id}`.execute(test.db.kysely);
  }

  describe("insert and insertMany", () => {
    it("report each created record with its values, actor and context", async () => {
      const one = await ql.insert(userCtx, "account", { name: "One" });
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ kind: "create", ids: [one.id], values: [{ name: "One", code: "A-0098" }], actor: "user-1", ctx: userCtx, at: one.created_at });
      expect(changes[0].object.name).toBe("account");
      const { ids } = await ql.insertMany(systemCtx, "account", [{ name: "Two", employees: 2 }, { name: "Three" }]);
      expect(changes[1]).toMatchObject({ kind: "create", ids, values: [{ name: "Two", employees: 2, code: "A-0099" }, { name: "Three", code: "A-0100" }], actor: null, ctx: systemCtx });
      // A row that leaves a field out stores no value for it.
      const three = await ql.findOne(userCtx, "account", ids[1]);
      expect(three).toMatchObject({ name: "Three", employees: null, code: "A-0100", created_by: null, owner_id: null });
    });

    it("insertMany refuses what is not a list, and more than 200,000 rows, before anything is written", async () => {
      for (const rows of [{ name: "x" }, "rows", null]) {
        const error = await caught(ql.insertMany(userCtx, "account", rows as never));
        expect([error.code, error.message, error.path]).toEqual(["BAD_REQUEST", "rows must be an array of records", ["rows"]]);
      }
      const error = await caught(ql.insertMany(userCtx, "account", new Array(200_001).fill({ name: "x" })));
      expect([error.message, error.path]).toEqual(["At most 200000 records per bulk insert", ["rows"]]);
      // 200,000 is allowed: these rows get as far as validation.
      const invalid = await caught(ql.insertMany(userCtx, "account", new Array(200_000).fill({})));
      expect(invalid.message).toMatch(/^Invalid records for object 'account': 0\.name: Field 'name' is required/);
      expect(await ql.count(userCtx, { object: "account" })).toBe(0);
    });

    it("insertMany names the first three problems in its message, and reports at most 50", async () => {
      const rows = Array.from({ length: 80 }, (_, index) => (index === 1 ? "not a record" : { employees: index }));
      const error = await caught(ql.insertMany(userCtx, "account", rows as never));
      expect(error.message).toBe(
        "Invalid records for object 'account': 0.name: Field 'name' is required; 1: Record values for object 'account' must be an object; 2.name: Field 'name' is required",
      );
      expect(error.path).toEqual([0, "name"]);
      expect(error.issues).toHaveLength(50);
      expect(error.issues![1]).toEqual({ path: [1], message: "Record values for object 'account' must be an object" });
      expect(error.issues![49]).toEqual({ path: [49, "name"], message: "Field 'name' is required" });
      expect(changes).toEqual([]);
    });

    it("insertMany fills formula defaults of each row, and refuses a row that is no record", async () => {
      const { ids } = await ql.insertMany(userCtx, "lead", [{ name: "ann" }, { name: "bob", initials: "XY" }]);
      expect((await Promise.all(ids.map((id) => ql.findOne(userCtx, "lead", id)))).map((record) => record?.initials)).toEqual(["AN", "XY"]);
      const error = await caught(ql.insertMany(userCtx, "lead", [{ name: "cy" }, null] as never));
      expect(error.issues).toEqual([{ path: [1], message: "Record values for object 'lead' must be an object" }]);
    });

    it("insertMany checks validation rules on each row", async () => {
      const error = await caught(ql.insertMany(userCtx, "account", [{ name: "Small", employees: 5 }, { name: "Huge", employees: 5000 }]));
      expect(error.issues).toEqual([{ path: ["employees"], message: "Too many employees", rule: "not_huge" }]);
      expect(await ql.count(userCtx, { object: "account" })).toBe(0);
    });
  });

  describe("update", () => {
    it("reports the values set and the record before, and refuses a missing record naming it", async () => {
      const one = await ql.insert(userCtx, "account", { name: "One", employees: 1 });
      const updated = await ql.update(bob, "account", one.id, { employees: 2 });
      expect(updated).toMatchObject({ employees: 2, updated_by: "user-bob", created_by: "user-1" });
      expect(changes[1]).toMatchObject({ kind: "update", ids: [one.id], values: [{ employees: 2 }], actor: "user-bob", ctx: bob, at: updated.updated_at });
      expect(changes[1].before?.get(one.id)).toMatchObject({ id: one.id, name: "One", employees: 1, updated_at: one.updated_at, owner_id: "user-1" });
      const error = await caught(ql.update(userCtx, "account", "nope", { employees: 3 }));
      expect([error.code, error.message, error.path]).toEqual(["NOT_FOUND", "Record 'nope' of object 'account' not found", ["id"]]);
    });

    it("moves the version past one ahead of the clock, and refuses an edit made against an older one", async () => {
      const one = await ql.insert(userCtx, "account", { name: "One" });
      await setVersion("account", one.id, "2999-01-01T00:00:00.000Z");
      const stale = await caught(ql.update(userCtx, "account", one.id, { employees: 1 }, { expectedUpdatedAt: one.updated_at }));
      expect([stale.code, stale.message, stale.path]).toEqual(["CONFLICT", STALE_RECORD_MESSAGE, ["updated_at"]]);
      expect(stale.issues?.[0].message).toBe(`${STALE_RECORD_MESSAGE} (record '${one.id}' of object 'account'): reload it and apply your change again`);
      const updated = await ql.update(userCtx, "account", one.id, { employees: 1 }, { expectedUpdatedAt: "2999-01-01T00:00:00Z" });
      expect(updated.updated_at).toBe("2999-01-01T00:00:00.001Z");
    });
  });

  describe("updateMany", () => {
    it("refuses ids that are not a non-empty list, and more than 200,000", async () => {
      for (const ids of [[], "id", null]) {
        const error = await caught(ql.updateMany(userCtx, "account", ids as never, { employees: 1 }));
        expect([error.code, error.message, error.path]).toEqual(["BAD_REQUEST", "ids must be a non-empty array of record ids", ["ids"]]);
      }
      const error = await caught(ql.updateMany(userCtx, "account", new Array(200_001).fill("x"), { employees: 1 }));
      expect([error.message, error.path]).toEqual(["At most 200000 records per bulk update", ["ids"]]);
      // 200,000 is allowed: these ids get as far as the lookup of the records.
      const allowed = await caught(ql.updateMany(userCtx, "account", new Array(200_000).fill("x"), { employees: 1 }));
      expect([allowed.code, allowed.message]).toEqual(["NOT_FOUND", "1 record(s) of object 'account' not found: x"]);
    });

    it("checks validation rules against the new values", async () => {
      const [one, two] = [await ql.insert(userCtx, "account", { name: "One" }), await ql.insert(userCtx, "account", { name: "Two" })];
      const error = await caught(ql.updateMany(userCtx, "account", [one.id, two.id], { employees: 1000 }));
      expect(error.issues).toEqual([{ path: ["ids", 0, "employees"], message: "Too many employees", rule: "not_huge" }]);
    });

    it("names at most five missing records", async () => {
      const one = await ql.insert(userCtx, "account", { name: "One" });
      const error = await caught(ql.updateMany(userCtx, "account", [one.id, "m1", "m2", "m3", "m4", "m5", "m6"], { employees: 1 }));
      expect([error.code, error.message, error.path]).toEqual(["NOT_FOUND", "6 record(s) of object 'account' not found: m1, m2, m3, m4, m5", ["ids"]]);
    });

    it("counts each record once, gives all one version past every previous one, and reports them in one change", async () => {
      const [one, two] = [await ql.insert(userCtx, "account", { name: "One" }), await ql.insert(userCtx, "account", { name: "Two" })];
      await setVersion("account", two.id, "2999-01-01T00:00:00.000Z");
      expect(await ql.updateMany(bob, "account", [one.id, two.id, one.id], { employees: 3 })).toEqual({ count: 2 });
      const after = await Promise.all([one.id, two.id].map((id) => ql.findOne(userCtx, "account", id)));
      expect(after.map((record) => [record?.employees, record?.updated_at, record?.updated_by])).toEqual([
        [3, "2999-01-01T00:00:00.001Z", "user-bob"], [3, "2999-01-01T00:00:00.001Z", "user-bob"],
      ]);
      const change = changes.at(-1)!;
      // In the order the ids were given.
      expect(change).toMatchObject({ kind: "update", ids: [one.id, two.id], values: [{ employees: 3 }], actor: "user-bob", ctx: bob, at: "2999-01-01T00:00:00.001Z" });
      expect([...change.before!.keys()]).toEqual([one.id, two.id]);
      await ql.updateMany(bob, "account", [two.id, one.id], { employees: 4 });
      expect(changes.at(-1)!.ids).toEqual([two.id, one.id]);
      expect(change.before!.get(two.id)).toMatchObject({ name: "Two", employees: null });
    });

    it("names the record a rule refuses, and its index in the ids given", async () => {
      const [one, two] = [await ql.insert(userCtx, "account", { name: "One", employees: 1 }), await ql.insert(userCtx, "account", { name: "Two" })];
      // Two's stored value breaks the rule (written before the rule's limit, say): renaming it is refused.
      await sql`update ${sql.table(tableName("account"))} set employees = 5000 where id = ${two.id}`.execute(test.db.kysely);
      for (const ids of [[one.id, two.id], [two.id, one.id], [one.id, one.id, two.id]]) {
        const index = ids.indexOf(two.id);
        const error = await caught(ql.updateMany(userCtx, "account", ids, { name: "Renamed" }));
        expect([error.code, error.message, error.path]).toEqual(["BAD_REQUEST", `Record '${two.id}': Invalid record for object 'account': Too many employees`, ["ids", index]]);
        expect(error.issues).toEqual([{ path: ["ids", index, "employees"], message: "Too many employees", rule: "not_huge" }]);
      }
      expect((await ql.findOne(userCtx, "account", one.id))?.name).toBe("One");
    });
  });

  describe("delete", () => {
    it("takes master-detail children and shares along, clears lookups with a new version, and reports each", async () => {
      const acme = await ql.insert(userCtx, "account", { name: "Acme" });
      const kept = await ql.insert(userCtx, "account", { name: "Kept" });
      const [ann, ben] = [await ql.insert(userCtx, "contact", { name: "Ann", account: acme.id }), await ql.insert(userCtx, "contact", { name: "Ben", account: kept.id })];
      const memo = await ql.insert(userCtx, "note", { text: "memo", about: acme.id });
      const now = new Date().toISOString();
      for (const [object, recordId] of [["account", acme.id], ["account", kept.id], ["contact", ann.id], ["contact", ben.id]]) {
        await test.db.kysely.insertInto(RECORD_SHARE_TABLE).values({ object, record_id: recordId, principal: "user:user-bob", access: "read", created_by: "test", created_at: now }).execute();
      }
      changes = [];
      await ql.delete(bob, "account", acme.id);

      const shares = await test.db.kysely.selectFrom(RECORD_SHARE_TABLE).select(["object", "record_id"]).orderBy("object").execute();
      expect(shares).toEqual([{ object: "account", record_id: kept.id }, { object: "contact", record_id: ben.id }]);
      expect(await ql.findOne(userCtx, "contact", ann.id)).toBeNull();
      const cleared = await ql.findOne(userCtx, "note", memo.id);
      expect(cleared).toMatchObject({ about: null, updated_by: "user-bob" });
      expect(cleared!.updated_at > memo.updated_at).toBe(true);

      expect(changes.map((change) => [change.kind, change.object.name, change.ids, change.actor])).toEqual([
        ["delete", "account", [acme.id], "user-bob"],
        ["delete", "contact", [ann.id], "user-bob"],
        ["update", "note", [memo.id], "user-bob"],
      ]);
      expect(changes[0].before?.get(acme.id)).toMatchObject({ name: "Acme", owner_id: "user-1" });
      expect(changes[1].before?.get(ann.id)).toMatchObject({ name: "Ann", account: acme.id });
      expect(changes[2]).toMatchObject({ values: [{ about: null }], ctx: bob });
      expect(changes[2].before?.get(memo.id)).toEqual({ id: memo.id, about: acme.id });
      expect(changes.every((change) => change.at === changes[0].at)).toBe(true);
    });

    it("refuses a missing record naming it, and reports nothing", async () => {
      const error = await caught(ql.delete(userCtx, "account", "nope"));
      expect([error.code, error.message, error.path]).toEqual(["NOT_FOUND", "Record 'nope' of object 'account' not found", ["id"]]);
      expect(changes).toEqual([]);
    });
  });

  describe("changeOwner", () => {
    it("sets the owner with a new version, reporting the change only when the owner differs", async () => {
      const one = await ql.insert(userCtx, "account", { name: "One" });
      await setVersion("account", one.id, "2999-01-01T00:00:00.000Z");
      changes = [];
      await ql.changeOwner(bob, "account", one.id, "user-2");
      expect(await ql.findOne(userCtx, "account", one.id)).toMatchObject({ owner_id: "user-2", updated_by: "user-bob", updated_at: "2999-01-01T00:00:00.001Z", created_by: "user-1" });
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ kind: "update", ids: [one.id], values: [{ owner_id: "user-2" }], actor: "user-bob", ctx: bob, at: "2999-01-01T00:00:00.001Z" });
      expect(changes[0].before?.get(one.id)).toMatchObject({ owner_id: "user-1" });
      await ql.changeOwner(bob, "account", one.id, "user-2");
      expect(changes).toHaveLength(1);
    });

    it("refuses an owner that is no user id, and a missing record", async () => {
      const one = await ql.insert(userCtx, "account", { name: "One" });
      for (const ownerId of ["", "u".repeat(256), 5, null]) {
        const error = await caught(ql.changeOwner(userCtx, "account", one.id, ownerId as never));
        expect([error.code, error.message, error.path]).toEqual(["BAD_REQUEST", "ownerId must be a user id", ["ownerId"]]);
      }
      await ql.changeOwner(userCtx, "account", one.id, "u".repeat(255));
      const error = await caught(ql.changeOwner(userCtx, "account", "nope", "user-2"));
      expect([error.code, error.message, error.path]).toEqual(["NOT_FOUND", "Record 'nope' of object 'account' not found", ["id"]]);
    });
  });

  describe("the database's own refusals", () => {
    /** Rebuilds an object's (empty) table with a constraint the metadata does not know (made outside the platform). */
    async function redefine(object: string, from: string, to: string) {
      const table = tableName(object);
      const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(test.db.kysely);
      const ddl = rows[0]!.sql;
      expect(ddl).toContain(from);
      await sql`pragma foreign_keys = off`.execute(test.db.kysely);
      await sql.raw(`drop table "${table}"`).execute(test.db.kysely);
      await sql.raw(ddl.replace(from, to)).execute(test.db.kysely);
      await sql`pragma foreign_keys = on`.execute(test.db.kysely);
    }

    it("name the field for a NOT NULL, and say a database constraint refused a CHECK (on its column), on insert and update", async () => {
      await redefine("account", `"employees" real`, `"employees" real not null check ("employees" >= 0)`);
      const missing = await caught(ql.insert(userCtx, "account", { name: "No staff" }));
      expect([missing.code, missing.message, missing.path]).toEqual(["BAD_REQUEST", "Field 'employees' of object 'account' is required", ["employees"]]);
      const negative = await caught(ql.insert(userCtx, "account", { name: "Negative", employees: -1 }));
      // SQLite's message names the column its CHECK reads: the path points at it.
      expect([negative.code, negative.message, negative.path]).toEqual(["BAD_REQUEST", "A value of object 'account' breaks a database constraint", ["employees"]]);
      const kept = await ql.insert(userCtx, "account", { name: "Fine", employees: 1 });
      const bulk = await caught(ql.updateMany(userCtx, "account", [kept.id], { employees: -5 }));
      expect(bulk.message).toBe("A value of object 'account' breaks a database constraint");
      expect((await ql.findOne(userCtx, "account", kept.id))?.employees).toBe(1);
    });

    it("name the unique field, or every field of a unique index, with the issue on the first", async () => {
      const member = defineObject({
        name: "member", label: "Member", pluralLabel: "Members",
        fields: [
          { id: "m1", name: "email", label: "Email", type: "text", unique: true },
          { id: "m2", name: "team", label: "Team", type: "text" },
          { id: "m3", name: "number", label: "Number", type: "number" },
        ],
        indexes: [{ fields: ["team", "number"], unique: true }],
      });
      await h.sync(member);
      await ql.insert(userCtx, "member", { email: "a@x.io", team: "red", number: 7 });
      const email = await caught(ql.insert(userCtx, "member", { email: "a@x.io" }));
      expect([email.code, email.message, email.path, email.issues]).toEqual([
        "CONFLICT", "A record of object 'member' with the same value of 'email' already exists", ["email"], [{ path: ["email"], message: "must be unique" }],
      ]);
      const pair = await caught(ql.insert(userCtx, "member", { email: "b@x.io", team: "red", number: 7 }));
      expect([pair.code, pair.message, pair.path, pair.issues]).toEqual([
        "CONFLICT", "A record of object 'member' with the same combination of 'team', 'number' already exists (they must be unique together)", ["team"],
        [{ path: ["team"], message: "must be unique together with 'number'" }],
      ]);
      // A unique index made outside the platform over a system column and a field: only the field is named.
      await sql.raw(`create unique index member_outside on "${tableName("member")}" (created_by, team)`).execute(test.db.kysely);
      const outside = await caught(ql.insert(userCtx, "member", { email: "c@x.io", team: "red", number: 8 }));
      expect([outside.code, outside.message, outside.path]).toEqual(["CONFLICT", "A record of object 'member' with the same value of 'team' already exists", ["team"]]);
    });

    it("name the lookups of the object when a foreign key the metadata does not know refuses a value", async () => {
      await redefine("note", `"text" text`, `"text" text references "obj_account" (id)`);
      const error = await caught(ql.insert(userCtx, "note", { text: "no such account" }));
      expect([error.code, error.message, error.path]).toEqual(["BAD_REQUEST", "Field 'about' of object 'note' refers to a record that does not exist", []]);
    });
  });

  describe("transaction", () => {
    it("joins a nested transaction to the outer one, and hands out its executor", async () => {
      await caught(
        ql.transaction(userCtx, async (tx, executor) => {
          await tx.insert(userCtx, "account", { name: "Outer" });
          await tx.transaction(userCtx, async (inner, innerExecutor) => {
            expect(innerExecutor).toBe(executor);
            await inner.insert(userCtx, "account", { name: "Inner" });
          });
          const rows = await executor.selectFrom(tableName("account")).select("name").execute();
          expect(rows.map((row) => row.name).sort()).toEqual(["Inner", "Outer"]);
          throw new ObjectQLError("CONFLICT", "give up");
        }),
      );
      expect(await ql.count(userCtx, { object: "account" })).toBe(0);
    });
  });
});

describe("before-save hooks (sqlite)", () => {
  let test: TestDatabase;
  let h: Harness;
  let ql: ObjectQL;
  let changes: RecordChange[];
  let events: { kind: string; record: Record<string, unknown>; prior: Record<string, unknown> | null }[];

  /** Accounts get a name tag on create; an update sets employees to the name's length (different per record). */
  const hook: BeforeSaveHook = {
    handles: (object, kind) => object === "account" && (kind === "create" || kind === "update"),
    async run({ kind, record, prior, engine }) {
      events.push({ kind, record, prior });
      expect(typeof engine.insert).toBe("function");
      if (record.name === "none") return null;
      if (record.name === "bad") return { employees: "many" };
      if (kind === "create") return { name: `${String(record.name)} (new)` };
      return { employees: String(record.name).length };
    },
  };

  beforeEach(async () => {
    test = await sqliteFactory.create();
    h = new Harness(test.db);
    await h.sync(account);
    changes = [];
    events = [];
    ql = createObjectQL({ db: test.db, registry: h.registry, beforeSave: hook, onChange: async (change) => { changes.push(change); } });
  });
  afterEach(async () => {
    await test?.cleanup();
  });

  it("change what insert and insertMany store, validated like input", async () => {
    const one = await ql.insert(userCtx, "account", { name: "One" });
    expect(one.name).toBe("One (new)");
    expect(events[0]).toEqual({ kind: "create", record: { name: "One" }, prior: null });
    expect((await ql.insert(userCtx, "account", { name: "none" })).name).toBe("none");
    const { ids } = await ql.insertMany(userCtx, "account", [{ name: "Two" }, { name: "Three" }]);
    expect((await Promise.all(ids.map((id) => ql.findOne(userCtx, "account", id)))).map((record) => record?.name)).toEqual(["Two (new)", "Three (new)"]);
    expect(changes.at(-1)?.values).toEqual([{ name: "Two (new)", code: "A-0100" }, { name: "Three (new)", code: "A-0101" }]);
    const error = await caught(ql.insert(userCtx, "account", { name: "bad" }));
    expect(error.issues).toEqual([{ path: ["employees"], message: "Field 'employees' must be a number" }]);
  });

  it("see the stored record on update, and may set each record of an updateMany differently", async () => {
    const [ab, abc] = [await ql.insert(userCtx, "account", { name: "none" }), await ql.insert(userCtx, "account", { name: "none" })];
    await sql`update ${sql.table(tableName("account"))} set name = 'ab' where id = ${ab.id}`.execute(test.db.kysely);
    await sql`update ${sql.table(tableName("account"))} set name = 'abc' where id = ${abc.id}`.execute(test.db.kysely);
    events = [];
    const updated = await ql.update(userCtx, "account", ab.id, { employees: 1 });
    expect(updated.employees).toBe(2);
    expect(events[0]).toMatchObject({ kind: "update", record: { id: ab.id, name: "ab", employees: 1 }, prior: { id: ab.id, name: "ab", employees: null } });
    changes = [];
    expect(await ql.updateMany(userCtx, "account", [ab.id, abc.id], { employees: 9 })).toEqual({ count: 2 });
    const after = await Promise.all([ab.id, abc.id].map((id) => ql.findOne(userCtx, "account", id)));
    expect(after.map((record) => record?.employees)).toEqual([2, 3]);
    // One change per group of records that got the same values.
    expect(changes.map((change) => [change.ids, change.values])).toEqual([[[ab.id], [{ employees: 2 }]], [[abc.id], [{ employees: 3 }]]]);
    await ql.updateMany(userCtx, "account", [ab.id, abc.id], { name: "same" });
    expect(changes.at(-1)).toMatchObject({ ids: [ab.id, abc.id], values: [{ name: "same", employees: 4 }] });
  });

  it("check the lookups a hook sets on each record of an updateMany, naming the field, and change nothing", async () => {
    await h.sync(note);
    const target = await ql.insert(userCtx, "account", { name: "none" });
    const pointer: BeforeSaveHook = {
      handles: (object, kind) => object === "note" && kind === "update",
      run: async ({ record }) => (record.text === "stray" ? { about: "no-such-account" } : { about: target.id }),
    };
    const engine = createObjectQL({ db: test.db, registry: h.registry, beforeSave: pointer });
    const [kept, stray] = [await engine.insert(userCtx, "note", { text: "kept" }), await engine.insert(userCtx, "note", { text: "stray" })];
    const error = await caught(engine.updateMany(userCtx, "note", [kept.id, stray.id], { text: "stray" }));
    expect([error.code, error.message, error.path]).toEqual([
      "BAD_REQUEST", "Invalid record for object 'note': Field 'about' refers to a 'account' record that does not exist ('no-such-account')", ["about"],
    ]);
    expect((await engine.find(userCtx, { object: "note", orderBy: [{ field: "text", direction: "asc" }] })).records.map((row) => [row.text, row.about])).toEqual([["kept", null], ["stray", null]]);
  });
});
