import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";


/** Attaching an external SQLite database through the API: publish, introspect, import, read. */
describe("datasources API (SQLite)", () => {
  let h: Harness;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "objectstudio-external-"));
    const file = join(dir, "crm.db");
    const setup = new Database(file);
    setup.exec(`
      create table company (id integer primary key, company_name text not null, city text);
      create table contact (id integer primary key, full_name text not null, score integer, company_id integer references company(id));
      insert into company values (1, 'Acme', 'Paris'), (2, 'Globex', 'Oslo');
      insert into contact values (10, 'Ann', 7, 1), (11, 'Bob', 3, 2), (12, 'Cara', 9, 1);
    `);
    setup.close();
    url = `file:${file}`;
    h = await createHarness(sqliteTestDatabase());
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the data source procedures to anonymous callers and non-admins", async () => {
    await refused(h.anonymous.datasources.list(), "UNAUTHORIZED");
    await refused(h.anonymous.datasources.introspect({ name: "crm" }), "UNAUTHORIZED");
    await refused(h.asUser.datasources.introspect({ name: "crm" }), "FORBIDDEN");
    await refused(h.asUser.datasources.importObjects({ datasource: "crm", tables: ["contact"] }), "FORBIDDEN");
  });

  it("publishes a data source, introspects it, imports its tables and reads them read-only", async () => {
    await h.asAdmin.metadata.create({ kind: "datasource", body: { name: "crm", label: "CRM", driver: "sqlite", url } });
    await refused(h.asAdmin.datasources.introspect({ name: "crm" }), "NOT_FOUND");
    await h.asAdmin.metadata.publish({ kind: "datasource", name: "crm" });
    expect((await h.asAdmin.datasources.list()).map((source) => source.name)).toEqual(["crm"]);

    const introspection = await h.asAdmin.datasources.introspect({ name: "crm" });
    expect(introspection.tables.map((table) => table.name)).toEqual(["company", "contact"]);
    const contactDraft = introspection.objects.find((object) => object.source?.table === "contact");
    expect(contactDraft?.fields.find((field) => field.name === "company_id")).toMatchObject({ type: "lookup", reference: "company" });

    await refused(h.asAdmin.datasources.importObjects({ datasource: "crm", tables: ["nope"] }), "BAD_REQUEST");
    const result = await h.asAdmin.datasources.importObjects({ datasource: "crm", tables: ["company", "contact"] });
    expect(result.imported.map((object) => [object.name, object.version])).toEqual([["company", 1], ["contact", 1]]);
    expect(result.skipped).toEqual([]);
    const contact = await h.asAdmin.metadata.get({ kind: "object", name: "contact" });
    expect(contact.published && "source" in contact.published && contact.published.source).toMatchObject({ datasource: "crm", table: "contact" });
    // Importing again is a conflict, not a duplicate.
    await refused(h.asAdmin.datasources.importObjects({ datasource: "crm", tables: ["contact"] }), "CONFLICT");

    // Users read the external rows through the data API, with lookup names.
    expect((await h.asUser.data.describe({ object: "contact" })).source?.table).toBe("contact");
    const found = await h.asUser.data.find({
      object: "contact",
      filter: { field: "score", operator: ">", value: 5 },
      orderBy: [{ field: "full_name", direction: "desc" }],
    });
    expect(found.total).toBe(2);
    expect(found.records.map((record) => [record.id, record.full_name, record.company_id])).toEqual([
      ["12", "Cara", { id: "1", name: "Acme" }],
      ["10", "Ann", { id: "1", name: "Acme" }],
    ]);
    expect(await h.asUser.data.count({ object: "company" })).toBe(2);
    expect((await h.asUser.data.get({ object: "company", id: "2" })).company_name).toBe("Globex");
    const byCompany = await h.asUser.data.aggregate({
      object: "contact",
      groupBy: [{ field: "company_id.company_name" }],
      aggregate: [{ function: "count", alias: "n" }],
      orderBy: [{ field: "company_id.company_name", direction: "asc" }],
    });
    expect(byCompany.rows).toEqual([{ "company_id.company_name": "Acme", n: 2 }, { "company_id.company_name": "Globex", n: 1 }]);

    // Writes are refused.
    const error = await refused(h.asUser.data.create({ object: "company", values: { company_name: "Initech" } }), "FORBIDDEN");
    expect(error.message).toMatch(/Data source 'crm' is read-only/);
    await refused(h.asUser.data.update({ object: "company", id: "1", values: { company_name: "X" } }), "FORBIDDEN");
    await refused(h.asUser.data.delete({ object: "company", id: "1" }), "FORBIDDEN");
    expect(await h.asUser.data.count({ object: "company" })).toBe(2);

    // External objects can be shown in an app's navigation.
    await h.asAdmin.metadata.create({ kind: "app", body: { name: "sales", label: "Sales", navigation: [{ type: "object", object: "contact" }] } });
    await h.asAdmin.metadata.publish({ kind: "app", name: "sales" });
    expect((await h.asUser.apps.get({ name: "sales" })).objects.map((object) => object.name)).toEqual(["contact"]);
  });
});
