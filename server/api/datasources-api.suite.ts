import type { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatasourceDriver } from "@/spec/datasource";
import type { ExternalDatabase } from "@/server/datasources/test-support/external-databases";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

/**
 * The data sources API end to end on one driver (SQLite in the unit run, PostgreSQL and MySQL in
 * the int run): an admin attaches the external database, publishes it, introspects it, imports
 * its tables (one renamed), users read the rows through data.*, writes are refused; the admin
 * edits the source and finally deletes it with its objects. The external tables are never touched.
 */
function ddl(driver: DatasourceDriver): string[] {
  const engine = driver === "mysql" ? " engine = InnoDB" : "";
  return [
    `create table company (id integer primary key, company_name varchar(80) not null, city varchar(80))${engine}`,
    `create table contact (id integer primary key, full_name varchar(80) not null, score integer, company_id integer, constraint fk_contact_company foreign key (company_id) references company (id))${engine}`,
    `insert into company (id, company_name, city) values (1, 'Acme', 'Paris'), (2, 'Globex', 'Oslo')`,
    `insert into contact (id, full_name, score, company_id) values (10, 'Ann', 7, 1), (11, 'Bob', 3, 2), (12, 'Cara', 9, 1)`,
  ];
}

/** The paths of the input issues a refused call names (the HTTP layer sends them as `issues`). */
function inputPaths(error: TRPCError): string[] {
  return error.cause instanceof ZodError ? error.cause.issues.map((issue) => issue.path.join(".")) : [];
}

export function runDatasourcesApiSuite(driver: DatasourceDriver, createExternal: () => Promise<ExternalDatabase>): void {
  describe(`datasources API (${driver})`, () => {
    let h: Harness;
    let external: ExternalDatabase;
    let name: string;

    beforeAll(async () => {
      external = await createExternal();
      for (const statement of ddl(driver)) await external.exec(statement);
      name = external.datasource.name;
      h = await createHarness(sqliteTestDatabase());
    }, 60_000);

    afterAll(async () => {
      await h?.close();
      await external?.cleanup();
    });

    it("refuses the data source procedures to anonymous callers and non-admins", async () => {
      await refused(h.anonymous.datasources.list(), "UNAUTHORIZED");
      await refused(h.anonymous.datasources.introspect({ name }), "UNAUTHORIZED");
      await refused(h.asUser.datasources.introspect({ name }), "FORBIDDEN");
      await refused(h.asUser.datasources.importObjects({ datasource: name, tables: ["contact"] }), "FORBIDDEN");
      await refused(h.asUser.datasources.importedObjects({ name }), "FORBIDDEN");
      await refused(h.asUser.datasources.delete({ name }), "FORBIDDEN");
    });

    it("publishes the data source, introspects it and imports its tables, one renamed", async () => {
      await h.asAdmin.metadata.create({ kind: "datasource", body: external.datasource });
      await refused(h.asAdmin.datasources.introspect({ name }), "NOT_FOUND");
      await h.asAdmin.metadata.publish({ kind: "datasource", name });
      expect((await h.asAdmin.datasources.list()).map((source) => source.name)).toEqual([name]);

      const introspection = await h.asAdmin.datasources.introspect({ name });
      expect(introspection.tables.map((table) => [table.name, table.object, table.label])).toEqual([
        ["company", "company", "Company"],
        ["contact", "contact", "Contact"],
      ]);

      // Bad choices are refused before anything is created, naming the input.
      const badName = await refused(h.asAdmin.datasources.importObjects({ datasource: name, tables: ["contact"], rename: { contact: { name: "Bad Name" } } }), "BAD_REQUEST");
      expect(inputPaths(badName)).toEqual(["rename.contact.name"]);
      const notImported = await refused(h.asAdmin.datasources.importObjects({ datasource: name, tables: ["contact"], rename: { company: { name: "firm" } } }), "BAD_REQUEST");
      expect(notImported.message).toMatch(/'company': it is not among the tables to import/);
      const twice = await refused(
        h.asAdmin.datasources.importObjects({ datasource: name, tables: ["company", "contact"], rename: { contact: { name: "company" } } }),
        "BAD_REQUEST",
      );
      expect(twice.message).toMatch(/Tables 'company' and 'contact' would both become object 'company'/);
      await refused(h.asAdmin.datasources.importObjects({ datasource: name, tables: ["nope"] }), "BAD_REQUEST");
      expect(await h.asAdmin.datasources.importedObjects({ name })).toEqual([]);

      const result = await h.asAdmin.datasources.importObjects({
        datasource: name,
        tables: ["company", "contact"],
        rename: { contact: { name: "person", label: "Person" } },
      });
      expect(result.imported).toEqual([
        { name: "company", table: "company", version: 1 },
        { name: "person", table: "contact", version: 1 },
      ]);
      expect(result.skipped).toEqual([]);
      const person = await h.asAdmin.metadata.get({ kind: "object", name: "person" });
      expect(person.label).toBe("Person");
      expect(person.published && "source" in person.published && person.published.source).toMatchObject({ datasource: name, table: "contact" });
      expect((await h.asAdmin.datasources.introspect({ name })).tables.map((table) => table.importedAs)).toEqual(["company", "person"]);
      expect(await h.asAdmin.datasources.importedObjects({ name })).toEqual([
        { name: "company", label: "Company", published: true },
        { name: "person", label: "Person", published: true },
      ]);
      // Importing a table again under a taken name is a conflict naming it, not a duplicate.
      const conflict = await refused(h.asAdmin.datasources.importObjects({ datasource: name, tables: ["contact"], rename: { contact: { name: "company" } } }), "CONFLICT");
      expect(conflict.message).toMatch(/'company' already exist/);
    });

    it("reads the external rows through data.*: find, count, aggregate, get, lookups; writes are refused", async () => {
      expect((await h.asUser.data.describe({ object: "person" })).source?.table).toBe("contact");
      const found = await h.asUser.data.find({
        object: "person",
        filter: { field: "score", operator: ">", value: 5 },
        orderBy: [{ field: "full_name", direction: "desc" }],
        withTotal: true,
      });
      expect(found.total).toBe(2);
      expect(found.records.map((record) => [record.id, record.full_name, record.company_id])).toEqual([
        ["12", "Cara", { id: "1", name: "Acme" }],
        ["10", "Ann", { id: "1", name: "Acme" }],
      ]);
      expect(await h.asUser.data.count({ object: "company" })).toBe(2);
      expect(await h.asUser.data.count({ object: "person", search: "bo" })).toBe(1);
      expect((await h.asUser.data.get({ object: "company", id: "2" })).company_name).toBe("Globex");
      await refused(h.asUser.data.get({ object: "company", id: "99" }), "NOT_FOUND");
      const byCompany = await h.asUser.data.aggregate({
        object: "person",
        groupBy: [{ field: "company_id.company_name" }],
        aggregate: [{ function: "count", alias: "n" }, { function: "sum", field: "score", alias: "total" }],
        orderBy: [{ field: "company_id.company_name", direction: "asc" }],
      });
      expect(byCompany.rows).toEqual([
        { "company_id.company_name": "Acme", n: 2, total: 16 },
        { "company_id.company_name": "Globex", n: 1, total: 3 },
      ]);

      const error = await refused(h.asUser.data.create({ object: "company", values: { company_name: "Initech" } }), "FORBIDDEN");
      expect(error.message).toMatch(new RegExp(`Data source '${name}' is read-only`));
      await refused(h.asUser.data.update({ object: "company", id: "1", values: { company_name: "X" } }), "FORBIDDEN");
      await refused(h.asUser.data.delete({ object: "person", id: "10" }), "FORBIDDEN");
      expect(Number((await external.query("select count(*) as n from company"))[0].n)).toBe(2);

      // External objects can be shown in an app's navigation.
      await h.asAdmin.metadata.create({ kind: "app", body: { name: "sales", label: "Sales", navigation: [{ type: "object", object: "person" }] } });
      await h.asAdmin.metadata.publish({ kind: "app", name: "sales" });
      expect((await h.asUser.apps.get({ name: "sales" })).objects.map((object) => object.name)).toEqual(["person"]);
    });

    it("edits the data source: an unreachable change is refused at publish and nothing is lost; a good one applies", async () => {
      const detail = await h.asAdmin.metadata.get({ kind: "datasource", name });
      const published = detail.published!;
      // The URL without its secret is all the browser ever sees (a password is refused).
      const withPassword = await refused(
        h.asAdmin.metadata.saveDraft({ kind: "datasource", name, baseRevision: detail.draftRevision, body: { ...published, url: `${driver === "sqlite" ? "file:x.db" : `${driver}://u@h/db`}?password=secret` } }),
        "BAD_REQUEST",
      );
      expect(withPassword.message).toMatch(/url: must not contain a password/);

      const broken = await h.asAdmin.metadata.saveDraft({
        kind: "datasource", name, baseRevision: detail.draftRevision,
        body: { ...published, label: "Broken", url: "env:OBJECTSTUDIO_TEST_UNSET_DS_URL" },
      });
      const publishError = await refused(h.asAdmin.metadata.publish({ kind: "datasource", name }), "BAD_REQUEST");
      expect(publishError.message).toMatch(/OBJECTSTUDIO_TEST_UNSET_DS_URL is not set/);
      // The published source still serves its objects, and the draft is kept for the admin to fix.
      expect(await h.asUser.data.count({ object: "person" })).toBe(3);
      expect((await h.asAdmin.metadata.get({ kind: "datasource", name })).draft).toMatchObject({ label: "Broken" });

      // Another database without the imported tables would break the objects: refused, naming them.
      const empty = await createExternal();
      try {
        const current = await h.asAdmin.metadata.get({ kind: "datasource", name });
        await h.asAdmin.metadata.saveDraft({
          kind: "datasource", name, baseRevision: current.draftRevision,
          body: { ...published, label: "Elsewhere", url: empty.datasource.url, schema: empty.datasource.schema },
        });
        const missing = await refused(h.asAdmin.metadata.publish({ kind: "datasource", name }), "BAD_REQUEST");
        expect(missing.message).toMatch(/object 'company' reads table 'company', which this database does not have; object 'person' reads table 'contact'/);
        expect(await h.asUser.data.count({ object: "person" })).toBe(3);
      } finally {
        await empty.cleanup();
      }

      const variable = `OBJECTSTUDIO_TEST_DS_${name.toUpperCase()}_URL`;
      process.env[variable] = external.datasource.url;
      await h.asAdmin.metadata.saveDraft({
        kind: "datasource", name, baseRevision: broken.draftRevision + 1,
        body: { ...published, label: "Renamed source", url: `env:${variable}` },
      });
      expect((await h.asAdmin.metadata.publish({ kind: "datasource", name })).version).toBe(2);
      const listed = await h.asAdmin.datasources.list();
      expect(listed.map((source) => [source.label, source.url, source.objects])).toEqual([["Renamed source", `env:${variable}`, ["company", "person"]]]);
      expect(await h.asUser.data.count({ object: "person" })).toBe(3);
    });

    it("deletes the data source only with its objects, never while they are used, and leaves the external tables alone", async () => {
      expect(inputPaths(await refused(h.asAdmin.datasources.delete({ name: "Not A Name" }), "BAD_REQUEST"))).toEqual(["name"]);
      await refused(h.asAdmin.datasources.delete({ name: "nope" }), "NOT_FOUND");
      const withObjects = await refused(h.asAdmin.datasources.delete({ name }), "PRECONDITION_FAILED");
      expect(withObjects.message).toMatch(/still has imported objects: 'company', 'person'/);

      const used = await refused(h.asAdmin.datasources.delete({ name, deleteObjects: true }), "PRECONDITION_FAILED");
      expect(used.message).toMatch(/app 'sales' shows object 'person'/);
      expect(await h.asUser.data.count({ object: "person" })).toBe(3);
      // An app draft that still shows it counts too; once the app no longer does, the source can go.
      const app = await h.asAdmin.metadata.get({ kind: "app", name: "sales" });
      const draft = await h.asAdmin.metadata.saveDraft({ kind: "app", name: "sales", baseRevision: app.draftRevision, body: { ...app.published, label: "Sales 2" } });
      await h.asAdmin.metadata.publish({ kind: "app", name: "sales" });
      await h.asAdmin.metadata.saveDraft({ kind: "app", name: "sales", baseRevision: draft.draftRevision + 1, body: { ...app.published, label: "Sales 3" } });
      await refused(h.asAdmin.datasources.delete({ name, deleteObjects: true }), "PRECONDITION_FAILED");
      const current = await h.asAdmin.metadata.get({ kind: "app", name: "sales" });
      await h.asAdmin.metadata.saveDraft({ kind: "app", name: "sales", baseRevision: current.draftRevision, body: { ...app.published, navigation: [] } });
      await h.asAdmin.metadata.publish({ kind: "app", name: "sales" });

      expect(await h.asAdmin.datasources.delete({ name, deleteObjects: true })).toEqual({ deletedObjects: ["company", "person"] });
      expect(await h.asAdmin.datasources.list()).toEqual([]);
      await refused(h.asAdmin.metadata.get({ kind: "datasource", name }), "NOT_FOUND");
      await refused(h.asAdmin.metadata.get({ kind: "object", name: "person" }), "NOT_FOUND");
      await refused(h.asUser.data.describe({ object: "person" }), "NOT_FOUND");
      expect(Number((await external.query("select count(*) as n from contact"))[0].n)).toBe(3);

      // A data source without objects goes at once; so does one that was never published.
      await h.asAdmin.metadata.create({ kind: "datasource", body: external.datasource });
      await h.asAdmin.metadata.publish({ kind: "datasource", name });
      expect(await h.asAdmin.datasources.delete({ name })).toEqual({ deletedObjects: [] });
      await h.asAdmin.metadata.create({ kind: "datasource", body: external.datasource });
      expect(await h.asAdmin.datasources.delete({ name })).toEqual({ deletedObjects: [] });
      expect(await h.asAdmin.metadata.list({ kind: "datasource" })).toEqual([]);
    });
  });
}
