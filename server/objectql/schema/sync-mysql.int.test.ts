import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ObjectQLError } from "../errors";
import { loadAppliedObjects } from "./sync";
import { Harness, company, defineObject, userCtx, withFields } from "../test-support/fixtures";
import { mysqlFactory, type TestDatabase, requireTestServer } from "../test-support/test-databases";

/**
 * MySQL DDL commits implicitly, so a failed sync is undone step by step (schema/ddl-mysql.ts).
 * These tests make a sync fail at different points and check that the table definition
 * (SHOW CREATE TABLE: columns, types, nullability, indexes, foreign keys), the data and the
 * recorded definition are exactly as before.
 */
const unavailable = await requireTestServer("mysql");

const article = defineObject({
  name: "article",
  label: "Article",
  pluralLabel: "Articles",
  fields: [
    { id: "a1", name: "title", label: "Title", type: "text", required: true },
    { id: "a2", name: "body", label: "Body", type: "textarea" },
    { id: "a3", name: "score", label: "Score", type: "text" },
    { id: "a4", name: "publisher", label: "Publisher", type: "lookup", reference: "company" },
    { id: "a5", name: "flag", label: "Flag", type: "boolean", required: true },
  ],
});

describe.skipIf(unavailable !== null)("schema sync on MySQL: failure leaves everything as it was", () => {
  let test: TestDatabase;
  let h: Harness;

  beforeEach(async () => {
    test = await mysqlFactory().create();
    h = new Harness(test.db);
    await h.sync(company);
    await h.sync(article);
  });
  afterEach(async () => {
    await test.cleanup();
  });

  async function snapshot() {
    const created = await sql<Record<string, string>>`show create table obj_article`.execute(test.db.kysely);
    return {
      ddl: created.rows[0]["Create Table"],
      rows: await h.rawRows("obj_article"),
      applied: await loadAppliedObjects(test.db),
    };
  }

  async function expectConflict(promise: Promise<unknown>, ...messages: RegExp[]) {
    const error = await promise.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ObjectQLError);
    expect((error as ObjectQLError).code).toBe("CONFLICT");
    for (const message of messages) expect((error as ObjectQLError).message).toMatch(message);
    expect((error as ObjectQLError).message).toMatch(/Nothing was changed/);
  }

  async function seed() {
    const acme = await h.ql.insert(userCtx, "company", { title: "Acme" });
    await h.ql.insert(userCtx, "article", { title: "same", body: "x".repeat(300), score: "12.5", publisher: acme.id, flag: true });
    await h.ql.insert(userCtx, "article", { title: "same", body: "short", score: "n/a", flag: false });
  }

  it("undoes a rename, a removed field, a lossy type change, a new column and a foreign key when a unique index fails last", async () => {
    await seed();
    const before = await snapshot();
    const next = withFields(article, (fields) => [
      ...fields
        .filter((field) => field.name !== "body")
        .map((field) => {
          if (field.name === "title") return { ...field, name: "headline", unique: true };
          if (field.name === "score") return { id: "a3", name: "score", label: "Score", type: "number" as const };
          if (field.name === "publisher") return { id: "a4", name: "house", label: "Publisher", type: "master_detail" as const, reference: "company" };
          return field;
        }),
      { id: "a6", name: "extra", label: "Extra", type: "lookup" as const, reference: "company" },
    ]);
    await expectConflict(h.sync(next, { confirmDestructive: true }), /'headline'.*duplicate/);
    expect(await snapshot()).toEqual(before);
  });

  it("undoes a type change whose conversion fails", async () => {
    await seed();
    await h.ql.insert(userCtx, "article", { title: "leap", score: "2024-02-30", flag: true });
    const before = await snapshot();
    // Looks like a date, is not one: strict mode refuses the converting UPDATE.
    const next = withFields(article, (fields) => fields.map((field) => (field.name === "score" ? { id: "a3", name: "score", label: "Score", type: "date" as const } : field)));
    await expectConflict(h.sync(next, { confirmDestructive: true }), /Change field 'score'/, /2024-02-30/);
    expect(await snapshot()).toEqual(before);
  });

  it("widens text columns for a longer maxLength and never narrows them (no data is cut)", async () => {
    await seed();
    const longer = withFields(article, (fields) => fields.map((field) => (field.name === "title" ? { ...field, maxLength: 1000 } : field)));
    await h.sync(longer);
    await h.ql.insert(userCtx, "article", { title: "t".repeat(900), flag: true });
    // textarea -> text and a shorter maxLength keep the wider column: the 300-character body stays intact.
    const shorter = withFields(longer, (fields) =>
      fields.map((field) => {
        if (field.name === "title") return { ...field, maxLength: 50 };
        if (field.name === "body") return { id: "a2", name: "body", label: "Body", type: "text" as const, maxLength: 100 };
        return field;
      }),
    );
    await h.sync(shorter);
    const types = await sql<{ name: string; type: string }>`select column_name as name, column_type as type from information_schema.columns
      where table_schema = database() and table_name = 'obj_article' and column_name in ('title', 'body') order by column_name`.execute(test.db.kysely);
    expect(types.rows).toEqual([{ name: "body", type: "mediumtext" }, { name: "title", type: "text" }]);
    const rows = await h.rawRows("obj_article");
    expect(rows.map((row) => String(row.body ?? "").length)).toEqual([300, 5, 0]);
    expect(rows.map((row) => String(row.title).length)).toEqual([4, 4, 900]);
  });

  it("undoes the DDL when recording the new definition fails", async () => {
    await seed();
    const before = await snapshot();
    await sql`create trigger refuse_schema_write before update on _os_object_schema for each row
      signal sqlstate '45000' set message_text = 'refused by test trigger'`.execute(test.db.kysely);
    const next = withFields(article, (fields) => [
      ...fields.filter((field) => field.name !== "flag").map((field) => (field.name === "score" ? { id: "a3", name: "score", label: "Score", type: "number" as const } : field)),
      { id: "a7", name: "note", label: "Note", type: "text" as const, unique: true },
    ]);
    await expectConflict(h.sync(next, { confirmDestructive: true }), /refused by test trigger/);
    expect(await snapshot()).toEqual(before);
    await sql`drop trigger refuse_schema_write`.execute(test.db.kysely);

    // The same change then applies, and leaves no hidden backup columns behind.
    await h.sync(next, { confirmDestructive: true });
    expect((await h.columns("obj_article")).filter((column) => column.startsWith("__os_"))).toEqual([]);
    const { records } = await h.ql.find(userCtx, { object: "article", orderBy: [{ field: "score", direction: "asc" }] });
    expect(records.map((record) => record.score)).toEqual([12.5, null]);
  });
});
