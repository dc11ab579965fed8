import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { addOwnerColumns, readIndexColumns, upgradeIndexColumns } from "./applied-schema-store";
import { ObjectQLError } from "../errors";
import { loadAppliedObjects, planSchemaSync, syncObjectSchema } from "./sync";
import { Harness, company, defineObject, everyType, userCtx, withFields } from "../test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "../test-support/test-databases";
import type { ObjectDef } from "@/spec/object";

/** Schema sync behaviour, run against SQLite (unit) and PostgreSQL (int). */
export function defineSchemaSyncSuite(factory: DatabaseFactory): void {
  describe(`schema sync (${factory.dialect})`, () => {
    let test: TestDatabase;
    let h: Harness;

    const article = defineObject({
      name: "article",
      label: "Article",
      pluralLabel: "Articles",
      fields: [
        { id: "a1", name: "title", label: "Title", type: "text", required: true },
        { id: "a2", name: "body", label: "Body", type: "text" },
        { id: "a3", name: "score", label: "Score", type: "number", scale: 2 },
      ],
    });

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
    });
    afterEach(async () => {
      await test.cleanup();
    });

    it("creates a table with a column for every field type, plus system columns and indexes", async () => {
      await h.sync(company);
      const plan = await h.sync(everyType);
      expect(plan.steps[0].kind).toBe("create_table");
      expect(plan.destructive).toEqual([]);
      expect(plan.steps.filter((step) => step.kind === "add_index").map((step) => step.index!.name).sort()).toEqual(
        ["everything_by_price", "idx_everything_company", "idx_everything_owner_id", "idx_everything_parent", "idx_everything_stage_due", "uq_everything_email"],
      );
      const columns = await h.columns("obj_everything");
      expect(columns.sort()).toEqual(
        ["id", "created_at", "updated_at", "created_by", "updated_by", "owner_id", ...everyType.fields.map((field) => field.name)].sort(),
      );
      const applied = await loadAppliedObjects(test.db);
      expect(applied.map((object) => object.name)).toEqual(["company", "everything"]);
      expect(applied[1]).toEqual(everyType);

      // Every type round-trips through the engine with its JS type.
      const parent = await h.ql.insert(userCtx, "company", { title: "Acme" });
      const record = await h.ql.insert(userCtx, "everything", {
        title: "All", notes: "long", email: "a@example.com", website: "https://example.com", phone: "+1 555 0100",
        quantity: 2.5, price: 10.25, discount: 12.5, active: false, due: "2024-02-29", seen_at: "2024-05-01T09:30:00+02:00",
        stage: "won", tags: ["a", "c"], company: parent.id, parent: parent.id, data: { nested: [1, "two", null] },
      });
      expect(record).toMatchObject({
        title: "All", quantity: 2.5, price: 10.25, discount: 12.5, active: false, due: "2024-02-29",
        seen_at: "2024-05-01T07:30:00.000Z", stage: "won", tags: ["a", "c"], number: "EV-0001",
        company: { id: parent.id, name: "Acme" }, parent: { id: parent.id, name: "Acme" }, data: { nested: [1, "two", null] },
        created_by: "user-1", updated_by: "user-1",
      });
      expect(record.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it("gives tables from before record ownership an owner_id column, filled with the creator", async () => {
      await h.sync(article);
      await h.ql.insert(userCtx, "article", { title: "Old", score: 1 });
      // The table as it was before owners existed.
      if (factory.dialect === "sqlite") await sql`drop index idx_article_owner_id`.execute(test.db.kysely);
      await sql`alter table obj_article drop column owner_id`.execute(test.db.kysely);
      expect(await h.columns("obj_article")).not.toContain("owner_id");
      await addOwnerColumns(test.db);
      expect(await h.columns("obj_article")).toContain("owner_id");
      const [row] = await h.rawRows("obj_article");
      expect(row.owner_id).toBe(row.created_by);
      await addOwnerColumns(test.db); // a second start changes nothing
    });

    // MySQL's InnoDB indexes end with the primary key by themselves: it keeps the declared columns.
    it.skipIf(factory.dialect === "mysql")("ends non-unique indexes with id, and rebuilds indexes created before they did", async () => {
      await h.sync(company);
      await h.sync(everyType);
      const indexes = await readIndexColumns(test.db);
      expect(indexes.get("idx_everything_stage_due")).toEqual(["stage", "due", "id"]);
      expect(indexes.get("everything_by_price")).toEqual(["price", "id"]);
      expect(indexes.get("idx_everything_company")).toEqual(["company", "id"]);
      expect(indexes.get("idx_everything_owner_id")).toEqual(["owner_id", "id"]);
      expect(indexes.get("uq_everything_email")).toEqual(["email"]);
      // An index as it was created before (the declared columns only).
      await sql`drop index idx_everything_stage_due`.execute(test.db.kysely);
      await sql`create index idx_everything_stage_due on obj_everything (stage, due)`.execute(test.db.kysely);
      await upgradeIndexColumns(test.db);
      expect((await readIndexColumns(test.db)).get("idx_everything_stage_due")).toEqual(["stage", "due", "id"]);
      await upgradeIndexColumns(test.db); // a second start changes nothing
      expect(await readIndexColumns(test.db)).toEqual(indexes);

      // A page at an offset finds its ids first; on SQLite from the sort's index alone.
      const page = await h.ql.explain(userCtx, { object: "everything", select: ["title", "company"], orderBy: [{ field: "price", direction: "asc" }], limit: 5, offset: 10 });
      // (On SQLite the page is joined first: CROSS JOIN fixes that order there; see query/find.ts.)
      expect(page.sql).toMatch(factory.dialect === "sqlite" ? /\) as "page" cross join "obj_everything" as "t" .* where "t"."id" = "page"."id"/ : /\) as "page" inner join "obj_everything" as "t" on "t"."id" = "page"."id"/);
      if (factory.dialect === "sqlite") expect(JSON.stringify(page.plan)).toMatch(/COVERING INDEX everything_by_price/);
    });

    it("adds a field as a new column and keeps existing rows", async () => {
      await h.sync(article);
      await h.ql.insert(userCtx, "article", { title: "First", score: 3 });
      const next = withFields(article, (fields) => [...fields, { id: "a4", name: "summary", label: "Summary", type: "text", required: true }]);
      const plan = await h.sync(next);
      expect(plan.steps.map((step) => step.kind)).toEqual(["add_column"]);
      expect(plan.steps[0].description).toMatch(/required is enforced/);
      expect(await h.columns("obj_article")).toContain("summary");
      const { records } = await h.ql.find(userCtx, { object: "article" });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ title: "First", score: 3, summary: null });
    });

    it("renames a field and keeps its data", async () => {
      await h.sync(article);
      const created = await h.ql.insert(userCtx, "article", { title: "Kept" });
      const next = withFields(article, (fields) => fields.map((field) => (field.id === "a1" ? { ...field, name: "subject" } : field)));
      const plan = await h.sync(next);
      expect(plan.steps).toEqual([
        expect.objectContaining({ kind: "rename_column", field: "subject", description: "Rename field 'title' to 'subject' (data kept)", destructive: false }),
      ]);
      const columns = await h.columns("obj_article");
      expect(columns).toContain("subject");
      expect(columns).not.toContain("title");
      expect(await h.ql.findOne(userCtx, "article", created.id)).toMatchObject({ subject: "Kept" });
    });

    it("refuses to remove a field without confirmation and removes it with confirmation", async () => {
      await h.sync(article);
      await h.ql.insert(userCtx, "article", { title: "Stays", body: "precious" });
      const next = withFields(article, (fields) => fields.filter((field) => field.name !== "body"));
      const error = await expectError(h.sync(next), "PRECONDITION_FAILED", /'body'/, /[Cc]onfirm/, /Nothing was changed/);
      expect(error.issues?.length).toBe(1);
      expect(await h.columns("obj_article")).toContain("body");
      expect((await h.rawRows("obj_article"))[0]).toMatchObject({ title: "Stays", body: "precious" });
      expect((await loadAppliedObjects(test.db))[0]).toEqual(article);

      const plan = await h.sync(next, { confirmDestructive: true });
      expect(plan.destructive.map((step) => step.kind)).toEqual(["drop_column"]);
      expect(await h.columns("obj_article")).not.toContain("body");
      expect((await h.rawRows("obj_article"))[0]).toMatchObject({ title: "Stays" });
    });

    it("refuses a lossy type change without confirmation and converts with it (unconvertible values become null)", async () => {
      await h.sync(article);
      const good = await h.ql.insert(userCtx, "article", { title: "a", body: " 12.5 " });
      const bad = await h.ql.insert(userCtx, "article", { title: "b", body: "not a number" });
      const next = withFields(article, (fields) => fields.map((field) => (field.name === "body" ? { id: "a2", name: "body", label: "Body", type: "number", scale: 2 } : field)));
      await expectError(h.sync(next), "PRECONDITION_FAILED", /'body'/, /text to number/, /not numbers will be cleared/);
      expect((await h.ql.findOne(userCtx, "article", bad.id))?.body).toBe("not a number");

      const plan = await h.sync(next, { confirmDestructive: true });
      expect(plan.destructive).toEqual([expect.objectContaining({ kind: "change_type", field: "body", destructive: true })]);
      expect((await h.ql.findOne(userCtx, "article", good.id))?.body).toBe(12.5);
      expect((await h.ql.findOne(userCtx, "article", bad.id))?.body).toBeNull();
      expect((await h.ql.find(userCtx, { object: "article", filter: { field: "body", operator: ">", value: 10 } })).records).toHaveLength(1);
    });

    it("applies safe type changes without confirmation and keeps the data", async () => {
      const dated = defineObject({
        ...article,
        fields: [...article.fields, { id: "a5", name: "due", label: "Due", type: "date" }, { id: "a6", name: "flag", label: "Flag", type: "boolean" }],
      });
      await h.sync(dated);
      const created = await h.ql.insert(userCtx, "article", { title: "Hello", body: "text", score: 4.25, due: "2024-03-01", flag: true });
      const next = withFields(dated, (fields) =>
        fields.map((field) => {
          if (field.name === "title") return { id: "a1", name: "title", label: "Title", type: "textarea", required: true };
          if (field.name === "score") return { id: "a3", name: "score", label: "Score", type: "currency", scale: 2 };
          if (field.name === "due") return { id: "a5", name: "due", label: "Due", type: "datetime" };
          if (field.name === "flag") return { id: "a6", name: "flag", label: "Flag", type: "text" };
          return field;
        }),
      );
      const plan = await h.sync(next);
      expect(plan.destructive).toEqual([]);
      expect(plan.steps.filter((step) => step.kind === "change_type")).toHaveLength(4);
      expect(await h.ql.findOne(userCtx, "article", created.id)).toMatchObject({
        title: "Hello", body: "text", score: 4.25, due: "2024-03-01T00:00:00.000Z", flag: "true",
      });
    });

    it("creates real foreign keys: deleting a parent clears lookups and cascades to master-detail children", async () => {
      await h.sync(company);
      const contact = defineObject({
        name: "contact",
        label: "Contact",
        pluralLabel: "Contacts",
        fields: [
          { id: "k1", name: "full_name", label: "Name", type: "text" },
          { id: "k2", name: "employer", label: "Employer", type: "lookup", reference: "company" },
        ],
      });
      const note = defineObject({
        name: "note",
        label: "Note",
        pluralLabel: "Notes",
        fields: [
          { id: "n1", name: "body", label: "Body", type: "text" },
          { id: "n2", name: "owner", label: "Owner", type: "master_detail", reference: "company" },
        ],
      });
      await h.sync(contact);
      await h.sync(note);
      const acme = await h.ql.insert(userCtx, "company", { title: "Acme" });
      const other = await h.ql.insert(userCtx, "company", { title: "Other" });
      const person = await h.ql.insert(userCtx, "contact", { full_name: "Ann", employer: acme.id });
      await h.ql.insert(userCtx, "note", { body: "n1", owner: acme.id });
      await h.ql.insert(userCtx, "note", { body: "n2", owner: other.id });

      // The database itself enforces the reference (not only the engine).
      await expect(
        test.db.kysely.insertInto("obj_contact").values({ id: "x", created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-01T00:00:00Z", employer: "missing" }).execute(),
      ).rejects.toThrow();

      await h.ql.delete(userCtx, "company", acme.id);
      expect((await h.ql.findOne(userCtx, "contact", person.id))?.employer).toBeNull();
      const notes = await h.ql.find(userCtx, { object: "note" });
      expect(notes.records.map((record) => record.body)).toEqual(["n2"]);
    });

    it("adds a lookup to an existing table and converts a text field into a lookup (dangling ids cleared)", async () => {
      await h.sync(company);
      const acme = await h.ql.insert(userCtx, "company", { title: "Acme" });
      await h.sync(article);
      const a = await h.ql.insert(userCtx, "article", { title: "a", body: acme.id });
      const b = await h.ql.insert(userCtx, "article", { title: "b", body: "no such id" });
      const withLookup = withFields(article, (fields) => [...fields, { id: "a7", name: "publisher", label: "Publisher", type: "lookup", reference: "company" }]);
      expect((await h.sync(withLookup)).steps.map((step) => step.kind)).toEqual(["add_column", "add_foreign_key", "add_index"]);
      await h.ql.update(userCtx, "article", a.id, { publisher: acme.id });

      const converted = withFields(withLookup, (fields) => fields.map((field) => (field.name === "body" ? { id: "a2", name: "body", label: "Body", type: "lookup", reference: "company" } : field)));
      await expectError(h.sync(converted), "PRECONDITION_FAILED", /text to lookup/);
      await h.sync(converted, { confirmDestructive: true });
      expect(await h.ql.findOne(userCtx, "article", a.id)).toMatchObject({ body: { id: acme.id, name: "Acme" }, publisher: { id: acme.id, name: "Acme" } });
      expect((await h.ql.findOne(userCtx, "article", b.id))?.body).toBeNull();
      await h.ql.delete(userCtx, "company", acme.id);
      expect(await h.ql.findOne(userCtx, "article", a.id)).toMatchObject({ body: null, publisher: null });
    });

    it("turns a master-detail into a lookup: children then survive their parent", async () => {
      await h.sync(company);
      const note = defineObject({
        name: "note",
        label: "Note",
        pluralLabel: "Notes",
        fields: [{ id: "n2", name: "owner", label: "Owner", type: "master_detail", reference: "company" }],
      });
      await h.sync(note);
      const acme = await h.ql.insert(userCtx, "company", { title: "Acme" });
      const child = await h.ql.insert(userCtx, "note", { owner: acme.id });
      const plan = await h.sync(withFields(note, () => [{ id: "n2", name: "owner", label: "Owner", type: "lookup", reference: "company" }]));
      expect(plan.destructive).toEqual([]);
      expect(plan.steps.map((step) => step.kind)).toContain("drop_not_null");
      await h.ql.delete(userCtx, "company", acme.id);
      expect(await h.ql.findOne(userCtx, "note", child.id)).toMatchObject({ owner: null });
    });

    it("changing a parent table's column keeps its children and their foreign keys intact", async () => {
      await h.sync(company);
      const note = defineObject({
        name: "note",
        label: "Note",
        pluralLabel: "Notes",
        fields: [{ id: "n2", name: "owner", label: "Owner", type: "master_detail", reference: "company" }],
      });
      await h.sync(note);
      const acme = await h.ql.insert(userCtx, "company", { title: "Acme" });
      const child = await h.ql.insert(userCtx, "note", { owner: acme.id });
      // A type change rebuilds the parent table on SQLite: children must survive it.
      await h.sync(withFields(company, (fields) => [...fields, { id: "c2", name: "size", label: "Size", type: "text" }]));
      await h.sync(withFields(company, (fields) => [...fields, { id: "c2", name: "size", label: "Size", type: "number" }]), { confirmDestructive: true });
      expect(await h.ql.findOne(userCtx, "note", child.id)).toMatchObject({ owner: { id: acme.id, name: "Acme" } });
      await h.ql.delete(userCtx, "company", acme.id);
      expect(await h.ql.findOne(userCtx, "note", child.id)).toBeNull();
    });

    it("renames a lookup field and keeps its foreign key, then retargets it", async () => {
      await h.sync(company);
      const other = defineObject({ name: "agency", label: "Agency", pluralLabel: "Agencies", fields: [{ id: "g1", name: "label", label: "Label", type: "text" }] });
      await h.sync(other);
      const linked = withFields(article, (fields) => [...fields, { id: "a7", name: "publisher", label: "Publisher", type: "lookup", reference: "company" }]);
      await h.sync(linked);
      const acme = await h.ql.insert(userCtx, "company", { title: "Acme" });
      const row = await h.ql.insert(userCtx, "article", { title: "t", publisher: acme.id });
      const renamed = withFields(linked, (fields) => fields.map((field) => (field.id === "a7" ? { ...field, name: "house" } : field)));
      const plan = await h.sync(renamed);
      expect(plan.steps.map((step) => step.kind)).toEqual(["drop_index", "rename_column", "add_index"]);
      expect(await h.ql.findOne(userCtx, "article", row.id)).toMatchObject({ house: { id: acme.id, name: "Acme" } });
      await expect(h.ql.update(userCtx, "article", row.id, { house: "missing" })).rejects.toThrow(/'house'/);

      const retargeted = withFields(renamed, (fields) => fields.map((field) => (field.id === "a7" ? { ...field, reference: "agency" } : field)));
      await expectError(h.sync(retargeted), "PRECONDITION_FAILED", /not ids of 'agency'/);
      await h.sync(retargeted, { confirmDestructive: true });
      expect((await h.ql.findOne(userCtx, "article", row.id))?.house).toBeNull();
      const agency = await h.ql.insert(userCtx, "agency", { label: "Ad Co" });
      await h.ql.update(userCtx, "article", row.id, { house: agency.id });
      await h.ql.delete(userCtx, "agency", agency.id);
      expect((await h.ql.findOne(userCtx, "article", row.id))?.house).toBeNull();
      // The old foreign key to company is gone: deleting the company does not touch the article.
      await h.ql.delete(userCtx, "company", acme.id);
      expect(await h.ql.findOne(userCtx, "article", row.id)).not.toBeNull();
    });

    it("rolls everything back when a step fails midway", async () => {
      await h.sync(article);
      await h.ql.insert(userCtx, "article", { title: "same" });
      await h.ql.insert(userCtx, "article", { title: "same" });
      // Adds a column (succeeds), then a unique index on duplicate values (fails).
      const next = withFields(article, (fields) => [
        ...fields.map((field) => (field.name === "title" ? { ...field, unique: true } : field)),
        { id: "a8", name: "code", label: "Code", type: "text" },
      ]);
      await expectError(h.sync(next), "CONFLICT", /'title'/, /duplicate/, /Nothing was changed/);
      expect(await h.columns("obj_article")).not.toContain("code");
      expect(await h.rawRows("obj_article")).toHaveLength(2);
      expect((await loadAppliedObjects(test.db))[0]).toEqual(article);
    });

    it("refuses to change an object's name", async () => {
      expect(() => planSchemaSync(article, { ...article, name: "post" }, [article])).toThrow(/cannot be renamed/);
      try {
        planSchemaSync(article, { ...article, name: "post" }, [article]);
      } catch (error) {
        expect((error as ObjectQLError).code).toBe("BAD_REQUEST");
        expect((error as ObjectQLError).path).toEqual(["name"]);
      }
    });

    it("refuses a reference to an unknown object, naming the field path", async () => {
      const broken = withFields(article, (fields) => [...fields, { id: "a9", name: "owner", label: "Owner", type: "lookup", reference: "nobody" }]);
      const error = await expectError(h.sync(broken), "BAD_REQUEST", /fields\.3\.reference/, /'nobody'/, /'owner'/);
      expect(error.path).toEqual(["fields", 3, "reference"]);
      expect(await h.tableExists("obj_article")).toBe(false);
    });

    it("refuses SQL-looking object and field names", async () => {
      const badObject = { ...article, name: "account; drop table obj_article; --" } as ObjectDef;
      await expectError(syncObjectSchema(test.db, badObject, { allObjects: [] }), "BAD_REQUEST", /name/, /lowercase/);
      const badField = { ...article, fields: [{ ...article.fields[0], name: 'x" text); drop table obj_article; --' }] } as ObjectDef;
      await expectError(syncObjectSchema(test.db, badField, { allObjects: [] }), "BAD_REQUEST", /fields\.0\.name/);
      const reserved = { ...article, fields: [{ ...article.fields[0], name: "select" }] } as ObjectDef;
      await expectError(syncObjectSchema(test.db, reserved, { allObjects: [] }), "BAD_REQUEST", /reserved/);
      expect(await h.tableExists("obj_article")).toBe(false);
    });

    it("makes a required field optional and drops a unique index", async () => {
      const strict = withFields(article, (fields) => fields.map((field) => (field.name === "body" ? { ...field, required: true, unique: true } : field)));
      await h.sync(strict);
      const plan = await h.sync(article);
      expect(plan.steps.map((step) => step.kind)).toEqual(["drop_index", "drop_not_null"]);
      await h.ql.insert(userCtx, "article", { title: "t" });
      await h.ql.insert(userCtx, "article", { title: "t2" });
      expect(await h.ql.count(userCtx, { object: "article" })).toBe(2);
    });
  });
}
