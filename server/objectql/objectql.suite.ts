import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Filter } from "@/spec/query";
import { ObjectQLError } from "./errors";
import { timestampParameter } from "./records/codec";
import { tableName } from "./schema/sql-names";
import type { DataRecord } from "./objectql";
import { Harness, company, defineObject, systemCtx, userCtx } from "./test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "./test-support/test-databases";

const account = defineObject({
  name: "account",
  label: "Account",
  pluralLabel: "Accounts",
  fields: [
    { id: "f1", name: "name", label: "Name", type: "text", required: true, maxLength: 100 },
    { id: "f2", name: "email", label: "Email", type: "email", unique: true },
    { id: "f3", name: "employees", label: "Employees", type: "number" },
    { id: "f4", name: "revenue", label: "Revenue", type: "currency", scale: 2 },
    { id: "f5", name: "active", label: "Active", type: "boolean", defaultValue: false },
    { id: "f6", name: "founded", label: "Founded", type: "date" },
    { id: "f7", name: "last_contact", label: "Last contact", type: "datetime" },
    { id: "f8", name: "industry", label: "Industry", type: "select", options: [
      { value: "tech", label: "Tech" }, { value: "retail", label: "Retail" }, { value: "finance", label: "Finance" },
    ] },
    { id: "f9", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "vip", label: "VIP" }, { value: "new", label: "New" }] },
    { id: "f10", name: "parent_company", label: "Parent company", type: "lookup", reference: "company" },
    { id: "f11", name: "code", label: "Code", type: "autonumber", format: "ACC-{000}", startAt: 5 },
    { id: "f12", name: "meta", label: "Meta", type: "json" },
    { id: "f13", name: "notes", label: "Notes", type: "textarea" },
  ],
});

/** ObjectQL engine behaviour, run against SQLite (unit) and PostgreSQL (int). */
export function defineObjectQLSuite(factory: DatabaseFactory): void {
  describe(`ObjectQL engine (${factory.dialect})`, () => {
    let test: TestDatabase;
    let h: Harness;
    let acme: DataRecord;
    let globex: DataRecord;

    async function names(filter?: Filter, extra: { search?: string } = {}): Promise<string[]> {
      const { records } = await h.ql.find(userCtx, { object: "account", filter, ...extra, orderBy: [{ field: "name", direction: "asc" }] });
      return records.map((record) => record.name as string);
    }

    async function expectError(promise: Promise<unknown>, code: ObjectQLError["code"], ...messageParts: (string | RegExp)[]) {
      const error = await promise.then(
        () => { throw new Error("expected an ObjectQLError"); },
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ObjectQLError);
      expect((error as ObjectQLError).code).toBe(code);
      for (const part of messageParts) expect((error as ObjectQLError).message).toMatch(part);
      return error as ObjectQLError;
    }

    beforeEach(async () => {
      test = await factory.create();
      h = new Harness(test.db);
      await h.sync(company);
      await h.sync(account);
      acme = await h.ql.insert(userCtx, "company", { title: "Acme Holdings" });
      globex = await h.ql.insert(userCtx, "company", { title: "Globex" });
      const rows: Record<string, unknown>[] = [
        { name: "Alpha", email: "alpha@example.com", employees: 5, revenue: 1000.5, active: true, founded: "2010-06-01", last_contact: "2024-01-10T10:00:00Z", industry: "tech", tags: ["vip"], parent_company: acme.id, meta: { tier: 1 } },
        { name: "Beta", email: "beta@example.com", employees: 50, revenue: 20000, active: false, founded: "2018-03-15", last_contact: "2024-02-20T08:30:00Z", industry: "retail", tags: ["new", "vip"], parent_company: globex.id },
        { name: "Gamma", email: "gamma@example.com", employees: 500, revenue: 3.25, active: true, founded: "2021-11-30", industry: "finance", tags: [] },
        { name: "100% Pure", employees: 12, industry: "tech", notes: "percent sign" },
        { name: "under_score", notes: "Mentions ALPHA in notes" },
      ];
      for (const row of rows) await h.ql.insert(userCtx, "account", row);
    });
    afterEach(async () => {
      await test.cleanup();
    });

    it("supports every comparison operator", async () => {
      const cases: [Filter, string[]][] = [
        [{ field: "name", operator: "=", value: "Beta" }, ["Beta"]],
        [{ field: "industry", operator: "!=", value: "tech" }, ["Beta", "Gamma", "under_score"]],
        [{ field: "employees", operator: ">", value: 12 }, ["Beta", "Gamma"]],
        [{ field: "employees", operator: ">=", value: 12 }, ["100% Pure", "Beta", "Gamma"]],
        [{ field: "employees", operator: "<", value: 12 }, ["Alpha"]],
        [{ field: "employees", operator: "<=", value: 12 }, ["100% Pure", "Alpha"]],
        [{ field: "industry", operator: "in", value: ["tech", "retail"] }, ["100% Pure", "Alpha", "Beta"]],
        [{ field: "industry", operator: "not_in", value: ["tech", "retail"] }, ["Gamma", "under_score"]],
        [{ field: "industry", operator: "in", value: [] }, []],
        [{ field: "name", operator: "contains", value: "ET" }, ["Beta"]],
        [{ field: "name", operator: "starts_with", value: "g" }, ["Gamma"]],
        [{ field: "name", operator: "ends_with", value: "A" }, ["Alpha", "Beta", "Gamma"]],
        [{ field: "employees", operator: "between", value: [5, 50] }, ["100% Pure", "Alpha", "Beta"]],
        [{ field: "employees", operator: "is_null" }, ["under_score"]],
        [{ field: "email", operator: "is_not_null" }, ["Alpha", "Beta", "Gamma"]],
        [{ field: "active", operator: "=", value: true }, ["Alpha", "Gamma"]],
        [{ field: "active", operator: "!=", value: true }, ["100% Pure", "Beta", "under_score"]],
        [{ field: "revenue", operator: ">", value: 1000 }, ["Alpha", "Beta"]],
        [{ field: "founded", operator: ">=", value: "2018-03-15" }, ["Beta", "Gamma"]],
        [{ field: "founded", operator: "between", value: ["2010-01-01", "2019-01-01"] }, ["Alpha", "Beta"]],
        [{ field: "last_contact", operator: ">", value: "2024-02-01T00:00:00+00:00" }, ["Beta"]],
        [{ field: "tags", operator: "contains", value: "vip" }, ["Alpha", "Beta"]],
        [{ field: "tags", operator: "in", value: ["new"] }, ["Beta"]],
        [{ field: "parent_company", operator: "=", value: acme.id }, ["Alpha"]],
        [{ field: "parent_company", operator: "is_null" }, ["100% Pure", "Gamma", "under_score"]],
        [{ field: "meta", operator: "is_not_null" }, ["Alpha"]],
        [{ field: "created_by", operator: "=", value: "user-1" }, ["100% Pure", "Alpha", "Beta", "Gamma", "under_score"]],
      ];
      for (const [filter, expected] of cases) {
        expect({ filter, result: await names(filter) }).toEqual({ filter, result: expected });
      }
    });

    it("treats % _ and \\ in text operators literally", async () => {
      expect(await names({ field: "name", operator: "contains", value: "%" })).toEqual(["100% Pure"]);
      expect(await names({ field: "name", operator: "contains", value: "_" })).toEqual(["under_score"]);
      expect(await names({ field: "name", operator: "contains", value: "\\" })).toEqual([]);
      expect(await names({ field: "name", operator: "starts_with", value: "100%" })).toEqual(["100% Pure"]);
    });

    it("combines conditions with and / or / not", async () => {
      expect(await names({ and: [{ field: "active", operator: "=", value: true }, { field: "employees", operator: ">", value: 10 }] })).toEqual(["Gamma"]);
      expect(await names({ or: [{ field: "name", operator: "=", value: "Alpha" }, { field: "industry", operator: "=", value: "finance" }] })).toEqual(["Alpha", "Gamma"]);
      // NOT is two-valued: a record without an industry is "not tech", exactly as with '!='.
      expect(await names({ not: { field: "industry", operator: "=", value: "tech" } })).toEqual(["Beta", "Gamma", "under_score"]);
      expect(
        await names({
          and: [
            { or: [{ field: "industry", operator: "=", value: "tech" }, { field: "industry", operator: "=", value: "retail" }] },
            { not: { field: "name", operator: "starts_with", value: "1" } },
          ],
        }),
      ).toEqual(["Alpha", "Beta"]);
      expect(await names({ and: [] })).toHaveLength(5);
      expect(await names({ or: [] })).toEqual([]);
    });

    it("searches text-like fields case-insensitively", async () => {
      expect(await names(undefined, { search: "alpha" })).toEqual(["Alpha", "under_score"]);
      expect(await names(undefined, { search: "GAMMA@EXAMPLE" })).toEqual(["Gamma"]);
      expect(await names(undefined, { search: "  " })).toHaveLength(5);
      expect(await names({ field: "employees", operator: ">", value: 10 }, { search: "am" })).toEqual(["Beta", "Gamma"]);
    });

    it("sorts, including nulls last and lookups by the referenced name", async () => {
      const byEmployees = await h.ql.find(userCtx, { object: "account", orderBy: [{ field: "employees", direction: "desc" }] });
      expect(byEmployees.records.map((r) => r.name)).toEqual(["under_score", "Gamma", "Beta", "100% Pure", "Alpha"]);
      const ascending = await h.ql.find(userCtx, { object: "account", orderBy: [{ field: "employees", direction: "asc" }] });
      expect(ascending.records.map((r) => r.name)).toEqual(["Alpha", "100% Pure", "Beta", "Gamma", "under_score"]);
      const multi = await h.ql.find(userCtx, {
        object: "account",
        orderBy: [{ field: "industry", direction: "asc" }, { field: "name", direction: "desc" }],
      });
      expect(multi.records.map((r) => r.name)).toEqual(["Gamma", "Beta", "Alpha", "100% Pure", "under_score"]);
      const byParent = await h.ql.find(userCtx, { object: "account", orderBy: [{ field: "parent_company", direction: "desc" }], filter: { field: "parent_company", operator: "is_not_null" } });
      expect(byParent.records.map((r) => r.name)).toEqual(["Beta", "Alpha"]);
    });

    it("pages with limit and offset", async () => {
      const page = (offset: number) =>
        h.ql.find(userCtx, { object: "account", orderBy: [{ field: "name", direction: "asc" }], limit: 2, offset });
      expect((await page(0)).records.map((r) => r.name)).toEqual(["100% Pure", "Alpha"]);
      expect((await page(2)).records.map((r) => r.name)).toEqual(["Beta", "Gamma"]);
      expect((await page(4)).records.map((r) => r.name)).toEqual(["under_score"]);
      expect((await page(6)).records).toEqual([]);
    });

    it("returns only selected fields plus system fields", async () => {
      const { records } = await h.ql.find(userCtx, { object: "account", select: ["name", "parent_company", "id"], filter: { field: "name", operator: "=", value: "Alpha" } });
      expect(Object.keys(records[0]).sort()).toEqual(["created_at", "created_by", "id", "name", "owner_id", "parent_company", "updated_at", "updated_by"]);
      expect(records[0].parent_company).toEqual({ id: acme.id, name: "Acme Holdings" });
    });

    it("counts with filter and search", async () => {
      expect(await h.ql.count(userCtx, { object: "account" })).toBe(5);
      expect(await h.ql.count(userCtx, { object: "account", filter: { field: "industry", operator: "=", value: "tech" } })).toBe(2);
      expect(await h.ql.count(userCtx, { object: "account", search: "example.com" })).toBe(3);
      await expectError(h.ql.count(userCtx, { object: "account", filter: { field: "nope", operator: "=", value: 1 } }), "BAD_REQUEST", "Unknown field 'nope' on object 'account'");
    });

    it("finds one record by id, or null", async () => {
      const { records } = await h.ql.find(userCtx, { object: "account", filter: { field: "name", operator: "=", value: "Beta" } });
      const found = await h.ql.findOne(userCtx, "account", records[0].id);
      expect(found).toMatchObject({ name: "Beta", employees: 50, revenue: 20000, active: false, founded: "2018-03-15", last_contact: "2024-02-20T08:30:00.000Z", industry: "retail", tags: ["new", "vip"] });
      expect(found?.parent_company).toEqual({ id: globex.id, name: "Globex" });
      expect(await h.ql.findOne(userCtx, "account", "00000000-0000-0000-0000-000000000000")).toBeNull();
    });

    it("inserts with defaults and autonumbers, updates partially, deletes", async () => {
      const created = await h.ql.insert(systemCtx, "account", { name: "Delta", parent_company: { id: acme.id, name: "ignored" } });
      expect(created).toMatchObject({ name: "Delta", active: false, code: "ACC-010", created_by: null, updated_by: null, employees: null, tags: null, parent_company: { id: acme.id, name: "Acme Holdings" } });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      const all = await h.ql.find(userCtx, { object: "account", orderBy: [{ field: "code", direction: "asc" }] });
      expect(all.records.map((r) => r.code)).toEqual(["ACC-005", "ACC-006", "ACC-007", "ACC-008", "ACC-009", "ACC-010"]);

      const updated = await h.ql.update(userCtx, "account", created.id, { employees: 7, parent_company: null });
      expect(updated).toMatchObject({ name: "Delta", employees: 7, parent_company: null, created_by: null, updated_by: "user-1", code: "ACC-010" });
      expect(updated.updated_at >= created.updated_at).toBe(true);

      await h.ql.delete(userCtx, "account", created.id);
      expect(await h.ql.findOne(userCtx, "account", created.id)).toBeNull();
      await expectError(h.ql.delete(userCtx, "account", created.id), "NOT_FOUND", /not found/, /'account'/);
      await expectError(h.ql.update(userCtx, "account", created.id, { employees: 1 }), "NOT_FOUND", /not found/);
    });

    it("gives the records whose lookup a delete clears a new version: an edit made against the old one is refused", async () => {
      const byName = async (name: string) => (await h.ql.find(systemCtx, { object: "account", filter: { field: "name", operator: "=", value: name } })).records[0];
      const alpha = await byName("Alpha");
      expect(alpha.parent_company).toMatchObject({ id: acme.id });
      // Beta's version is ahead of the clock (another server's clock, say): its next one still moves forward.
      await sql`update ${sql.table(tableName("account"))} set updated_at = ${timestampParameter("2999-01-01T00:00:00.000Z", test.db.dialect)} where name = ${"Beta"}`.execute(test.db.kysely);

      await h.ql.delete(userCtx, "company", acme.id);
      const cleared = await byName("Alpha");
      expect(cleared.parent_company).toBeNull();
      expect(cleared.updated_at > alpha.updated_at).toBe(true);
      expect(cleared.updated_by).toBe("user-1");
      await expectError(h.ql.update(userCtx, "account", alpha.id, { employees: 6 }, { expectedUpdatedAt: alpha.updated_at }), "CONFLICT");
      expect((await h.ql.update(userCtx, "account", alpha.id, { employees: 6 }, { expectedUpdatedAt: cleared.updated_at })).employees).toBe(6);
      // Records the lookup did not point at keep their version.
      const gammaBefore = await byName("Gamma");

      await h.ql.delete(systemCtx, "company", globex.id);
      const beta = await byName("Beta");
      expect(beta).toMatchObject({ parent_company: null, updated_at: "2999-01-01T00:00:00.001Z", updated_by: null });
      expect((await byName("Gamma")).updated_at).toBe(gammaBefore.updated_at);
    });

    it("inserts many records in one transaction, all or none", async () => {
      const { ids } = await h.ql.insertMany(userCtx, "account", [
        { name: "Bulk 1", employees: 1, parent_company: acme.id },
        { name: "Bulk 2", industry: "retail" },
        { name: "Bulk 3", tags: ["vip"] },
      ]);
      expect(ids).toHaveLength(3);
      const { records } = await h.ql.find(userCtx, { object: "account", filter: { field: "name", operator: "starts_with", value: "Bulk" }, orderBy: [{ field: "name", direction: "asc" }] });
      expect(records.map((record) => [record.name, record.code, record.active])).toEqual([
        ["Bulk 1", "ACC-010", false], ["Bulk 2", "ACC-011", false], ["Bulk 3", "ACC-012", false],
      ]);
      expect(records[0].parent_company).toEqual({ id: acme.id, name: "Acme Holdings" });
      expect(records.every((record) => record.created_by === (userCtx.kind === "user" ? userCtx.userId : null))).toBe(true);

      const invalid = await expectError(
        h.ql.insertMany(userCtx, "account", [{ name: "Bulk 4" }, { name: "Bulk 5", employees: "many" }]),
        "BAD_REQUEST", /employees/,
      );
      expect(invalid.issues?.[0]?.path).toEqual([1, "employees"]);
      const missing = await expectError(
        h.ql.insertMany(userCtx, "account", [{ name: "Bulk 6", parent_company: "no-such-company" }]),
        "BAD_REQUEST", /parent_company/,
      );
      expect(missing.issues?.[0]?.path).toEqual([0, "parent_company"]);
      await expectError(
        h.ql.insertMany(userCtx, "account", [{ name: "Dup", email: "dup@example.com" }, { name: "Dup 2", email: "dup@example.com" }]),
        "CONFLICT", /email/,
      );
      expect(await h.ql.count(userCtx, { object: "account", filter: { or: [
        { field: "name", operator: "starts_with", value: "Bulk" }, { field: "name", operator: "starts_with", value: "Dup" },
      ] } })).toBe(3);
    });

    it("inserts thousands of records across several statements, and rolls them all back on a late failure", async () => {
      // More rows than one statement's bound-parameter budget holds, so the insert runs in chunks (the last one partial).
      const rows = Array.from({ length: 4_001 }, (_, index) => ({ name: `Many ${index}`, employees: index, industry: index % 2 ? "tech" : "retail" }));
      const { ids } = await h.ql.insertMany(userCtx, "account", rows);
      expect(new Set(ids).size).toBe(4_001);
      const many = { field: "name", operator: "starts_with", value: "Many " } as const;
      expect(await h.ql.count(userCtx, { object: "account", filter: many })).toBe(4_001);
      const last = await h.ql.findOne(userCtx, "account", ids[4_000]);
      expect([last?.name, last?.employees, last?.industry]).toEqual(["Many 4000", 4000, "retail"]);

      const failing = [...Array.from({ length: 4_000 }, (_, index) => ({ name: `Late ${index}` })), { name: "Late dup", email: "late@example.com" }, { name: "Late dup 2", email: "late@example.com" }];
      await expectError(h.ql.insertMany(userCtx, "account", failing), "CONFLICT", /email/);
      expect(await h.ql.count(userCtx, { object: "account", filter: { field: "name", operator: "starts_with", value: "Late" } })).toBe(0);
      for (const chunk of [0, 2_000, 4_000]) await Promise.all(ids.slice(chunk, chunk + 2_000).map((id) => h.ql.delete(userCtx, "account", id)));
    });

    it("updates many records in one transaction, all or none", async () => {
      const { records } = await h.ql.find(userCtx, { object: "account", filter: { field: "industry", operator: "=", value: "tech" } });
      const ids = records.map((record) => record.id);
      expect(ids).toHaveLength(2);
      expect(await h.ql.updateMany(userCtx, "account", ids, { industry: "finance", employees: 7 })).toEqual({ count: 2 });
      const after = await h.ql.find(userCtx, { object: "account", filter: { field: "id", operator: "in", value: ids } });
      expect(after.records.map((record) => [record.industry, record.employees])).toEqual([["finance", 7], ["finance", 7]]);
      expect(after.records.every((record) => record.updated_at > records[0].updated_at || record.updated_at > records[1].updated_at)).toBe(true);

      await expectError(h.ql.updateMany(userCtx, "account", [ids[0], "missing-id"], { employees: 8 }), "NOT_FOUND", /missing-id/);
      await expectError(h.ql.updateMany(userCtx, "account", ids, { employees: "eight" }), "BAD_REQUEST", /employees/);
      await expectError(h.ql.updateMany(userCtx, "account", ids, { email: "same@example.com" }), "CONFLICT", /email/);
      const unchanged = await h.ql.find(userCtx, { object: "account", filter: { field: "id", operator: "in", value: ids } });
      expect(unchanged.records.map((record) => [record.employees, record.email ?? null])).toEqual(after.records.map((record) => [7, record.email ?? null]));
    });

    it("refuses a lookup id that does not exist, naming the field", async () => {
      const error = await expectError(h.ql.insert(userCtx, "account", { name: "X", parent_company: "missing-id" }), "BAD_REQUEST", /'parent_company'/, /'company'/, /does not exist/);
      expect(error.path).toEqual(["parent_company"]);
    });

    it("translates unique violations into CONFLICT naming the field", async () => {
      const error = await expectError(h.ql.insert(userCtx, "account", { name: "Dup", email: "alpha@example.com" }), "CONFLICT", /'email'/, /'account'/);
      expect(error.path).toEqual(["email"]);
    });

    it("reports validation errors clearly", async () => {
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "nope", operator: "=", value: "x" } }), "BAD_REQUEST", "Unknown field 'nope' on object 'account'");
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "employees", operator: "=", value: "abc" } }), "BAD_REQUEST", /'employees'/, /must be a number/);
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "employees", operator: "contains", value: "1" } }), "BAD_REQUEST", /'contains'/, /'employees'/, /allowed operators: =/);
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "active", operator: ">", value: true } }), "BAD_REQUEST", /'>'/, /'active'/, /allowed operators/);
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "employees", operator: "between", value: [1] } }), "BAD_REQUEST", /exactly two/);
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "employees", operator: "is_null", value: 3 } }), "BAD_REQUEST", /takes no value/);
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "parent_company.nope", operator: "=", value: "x" } }), "BAD_REQUEST", "Unknown field 'nope' on object 'company'");
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "name.title", operator: "=", value: "x" } }), "BAD_REQUEST", /goes through 'name', which is not a lookup/);
      await expectError(h.ql.find(userCtx, { object: "account", orderBy: [{ field: "ghost", direction: "asc" }] }), "BAD_REQUEST", "Unknown field 'ghost' on object 'account'");
      await expectError(h.ql.find(userCtx, { object: "account", select: ["ghost"] }), "BAD_REQUEST", "Unknown field 'ghost'");
      await expectError(h.ql.find(userCtx, { object: "nothing" }), "NOT_FOUND", "Unknown object 'nothing'");
      await expectError(h.ql.find(userCtx, { object: "account", limit: 5000 }), "BAD_REQUEST", /limit/, /at most 1000/);

      let deep: Filter = { field: "name", operator: "=", value: "x" };
      for (let level = 0; level < 20; level++) deep = { not: deep };
      await expectError(h.ql.find(userCtx, { object: "account", filter: deep }), "BAD_REQUEST", /nested too deeply/, /12/);

      const select = await expectError(h.ql.insert(userCtx, "account", { name: "X", industry: "mining" }), "BAD_REQUEST", /'industry'/, /'tech', 'retail', 'finance'/);
      expect(select.issues).toEqual([{ path: ["industry"], message: expect.stringContaining("must be one of") }]);
      await expectError(h.ql.insert(userCtx, "account", { employees: 3 }), "BAD_REQUEST", "Field 'name' is required");
      await expectError(h.ql.insert(userCtx, "account", { name: "X", employees: "12" }), "BAD_REQUEST", /'employees' must be a number/);
      await expectError(h.ql.insert(userCtx, "account", { name: "X", bogus: 1 }), "BAD_REQUEST", "Unknown field 'bogus' on object 'account'");
      await expectError(h.ql.insert(userCtx, "account", { name: "X", id: "mine" }), "BAD_REQUEST", /'id' is a system field/);
      await expectError(h.ql.insert(userCtx, "account", { name: "X", code: "ACC-1" }), "BAD_REQUEST", /autonumber/);
      const { records } = await h.ql.find(userCtx, { object: "account", limit: 1 });
      await expectError(h.ql.update(userCtx, "account", records[0].id, { name: "" }), "BAD_REQUEST", "Field 'name' is required");
      await expectError(h.ql.insert(userCtx, "nothing", { name: "X" }), "NOT_FOUND", "Unknown object 'nothing'");
    });

    it("stores SQL-looking values verbatim and leaves tables unharmed", async () => {
      const evil = "'); DROP TABLE obj_account; --";
      const created = await h.ql.insert(userCtx, "account", { name: evil, notes: 'x" OR 1=1; --', meta: { sql: evil } });
      expect(created.name).toBe(evil);
      expect((await h.ql.findOne(userCtx, "account", created.id))?.meta).toEqual({ sql: evil });
      expect(await names({ field: "name", operator: "=", value: evil })).toEqual([evil]);
      expect(await names({ field: "name", operator: "contains", value: "DROP TABLE" })).toEqual([evil]);
      expect(await names(undefined, { search: evil })).toEqual([evil]);
      await expectError(h.ql.find(userCtx, { object: "account; drop table obj_account" }), "BAD_REQUEST");
      await expectError(h.ql.find(userCtx, { object: "account", filter: { field: "name\" = '' or 1=1 --", operator: "=", value: "x" } }), "BAD_REQUEST", /Unknown field/);
      expect(await h.ql.count(userCtx, { object: "account" })).toBe(6);
      expect(await h.tableExists("obj_account")).toBe(true);
    });
  });
}
