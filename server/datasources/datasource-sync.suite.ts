import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createServices, type Services } from "@/server/services";
import { refused } from "@/test/trpc-assertions";
import { createHarness, type Harness, type TestDatabase } from "@/test/services-harness";
import { sqliteExternal, type ExternalDatabase } from "./test-support/external-databases";

/**
 * Two processes over one platform database: A (the harness) publishes, edits and deletes a data
 * source; B (a second set of services) learns of each change at its next request (the
 * published-change counter, read by getServices: called here as B's request would).
 */
export function runDatasourceSyncSuite(platform: string, createDatabase: () => Promise<TestDatabase>): void {
  describe(`data source changes made by another process (platform on ${platform})`, () => {
    let database: TestDatabase;
    let a: Harness;
    let b: Services;
    let external: ExternalDatabase;
    const nextRequestToB = () => b.publishedChanges.ensureCurrent();
    let bAsUser: ReturnType<typeof createCaller>;
    let bAsAdmin: ReturnType<typeof createCaller>;

    beforeAll(async () => {
      external = sqliteExternal("crm", "CRM");
      await external.exec("create table company (id integer primary key, company_name text not null)");
      await external.exec("insert into company values (1, 'Acme'), (2, 'Globex')");
      database = await createDatabase();
      a = await createHarness({ url: database.url, cleanup: async () => undefined });
      b = await createServices(database.url);
      bAsUser = createCaller({ user: a.user, services: b });
      bAsAdmin = createCaller({ user: a.admin, services: b });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await database?.cleanup();
      await external?.cleanup();
    });

    it("picks up a data source and its objects published elsewhere, at its next request", async () => {
      await a.asAdmin.metadata.create({ kind: "datasource", body: external.datasource });
      await a.asAdmin.metadata.publish({ kind: "datasource", name: "crm" });
      await a.asAdmin.datasources.importObjects({ datasource: "crm", tables: ["company"] });
      expect(b.datasources.get("crm")).toBeUndefined(); // nothing pushes changes: B reads the counter per request

      await nextRequestToB();
      expect(b.datasources.get("crm")).toMatchObject({ label: "CRM" });
      expect(b.externalObjects.get("company")?.source?.table).toBe("company");
      expect(await bAsUser.data.count({ object: "company" })).toBe(2);
    });

    it("keeps pools and engines when nothing changed, and replaces them when the source was edited", async () => {
      const engine = b.externalObjects.engineFor("company");
      const applied = b.publishedChanges.appliedCounter;
      const detail = await a.asAdmin.metadata.get({ kind: "datasource", name: "crm" }); // reads do not count as changes
      await a.asAdmin.metadata.saveDraft({ kind: "datasource", name: "crm", baseRevision: detail.draftRevision, body: { ...detail.published, label: "CRM (edited)" } });
      await nextRequestToB(); // nor do drafts
      expect(b.publishedChanges.appliedCounter).toBe(applied);
      expect(b.externalObjects.engineFor("company")).toBe(engine);
      expect(b.datasources.get("crm")?.label).toBe("CRM");

      await a.asAdmin.metadata.publish({ kind: "datasource", name: "crm" });
      await nextRequestToB();
      expect(b.datasources.get("crm")?.label).toBe("CRM (edited)");
      expect(b.externalObjects.engineFor("company")).not.toBe(engine);
      expect(await bAsUser.data.count({ object: "company" })).toBe(2);
    });

    it("forgets a data source and its objects deleted elsewhere", async () => {
      await a.asAdmin.datasources.delete({ name: "crm", deleteObjects: true });
      await nextRequestToB();
      expect(b.datasources.get("crm")).toBeUndefined();
      expect(b.externalObjects.get("company")).toBeUndefined();
      await refused(bAsUser.data.describe({ object: "company" }), "NOT_FOUND");
    });

    it("checks at once when a data source procedure names a source this process has not loaded", async () => {
      await a.asAdmin.metadata.create({ kind: "datasource", body: { ...external.datasource, name: "crm2" } });
      await a.asAdmin.metadata.publish({ kind: "datasource", name: "crm2" });
      expect((await bAsAdmin.datasources.introspect({ name: "crm2" })).tables.map((table) => table.name)).toEqual(["company"]);
    });
  });
}
