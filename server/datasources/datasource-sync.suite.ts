import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createServices, type Services } from "@/server/services";
import { refused } from "@/test/trpc-assertions";
import { createHarness, type Harness, type TestDatabase } from "@/test/services-harness";
import { DatasourceSync } from "./datasource-sync";
import { sqliteExternal, type ExternalDatabase } from "./test-support/external-databases";

/**
 * Two processes over one platform database: A (the harness) publishes, edits and deletes a data
 * source; B (a second set of services) learns of each change at its next check, which runs at
 * most once per interval, or at once when forced (a name it does not know yet).
 */
export function runDatasourceSyncSuite(platform: string, createDatabase: () => Promise<TestDatabase>): void {
  describe(`data source changes made by another process (platform on ${platform})`, () => {
    let database: TestDatabase;
    let a: Harness;
    let b: Services;
    let external: ExternalDatabase;
    let clock = 0;
    let sync: DatasourceSync;
    let bAsUser: ReturnType<typeof createCaller>;
    let bAsAdmin: ReturnType<typeof createCaller>;

    beforeAll(async () => {
      external = sqliteExternal("crm", "CRM");
      await external.exec("create table company (id integer primary key, company_name text not null)");
      await external.exec("insert into company values (1, 'Acme'), (2, 'Globex')");
      database = await createDatabase();
      a = await createHarness({ url: database.url, cleanup: async () => undefined });
      b = await createServices(database.url);
      // B's clock is ours, so the interval is tested without waiting.
      sync = new DatasourceSync({ platformDb: b.platformDb, metadata: b.metadata, datasources: b.datasources, externalObjects: b.externalObjects, now: () => clock });
      await sync.load();
      bAsUser = createCaller({ user: a.user, services: b });
      bAsAdmin = createCaller({ user: a.admin, services: b });
    });
    afterAll(async () => {
      await b?.datasources.close();
      await b?.platformDb.$disconnect();
      await b?.dataDb.destroy();
      await a?.close();
      await database?.cleanup();
      await external?.cleanup();
    });

    it("picks up a data source and its objects published elsewhere, at the next check", async () => {
      await a.asAdmin.metadata.create({ kind: "datasource", body: external.datasource });
      await a.asAdmin.metadata.publish({ kind: "datasource", name: "crm" });
      await a.asAdmin.datasources.importObjects({ datasource: "crm", tables: ["company"] });

      clock = 1500; // within the interval: no query, B still knows nothing
      await sync.ensureFresh();
      expect(b.datasources.get("crm")).toBeUndefined();
      await refused(bAsUser.data.count({ object: "company" }), "NOT_FOUND");

      clock = 2500;
      await sync.ensureFresh();
      expect(b.datasources.get("crm")).toMatchObject({ label: "CRM" });
      expect(b.externalObjects.get("company")?.source?.table).toBe("company");
      expect(await bAsUser.data.count({ object: "company" })).toBe(2);
    });

    it("keeps pools and engines when nothing changed, and replaces them when the source was edited", async () => {
      const engine = b.externalObjects.engineFor("company");
      clock = 5000;
      await a.asAdmin.metadata.get({ kind: "datasource", name: "crm" }); // reads do not count as changes
      await sync.ensureFresh();
      expect(b.externalObjects.engineFor("company")).toBe(engine);

      const detail = await a.asAdmin.metadata.get({ kind: "datasource", name: "crm" });
      await a.asAdmin.metadata.saveDraft({ kind: "datasource", name: "crm", baseRevision: detail.draftRevision, body: { ...detail.published, label: "CRM (edited)" } });
      await a.asAdmin.metadata.publish({ kind: "datasource", name: "crm" });
      clock = 6000; // within the interval, but forced (a caller missed a name)
      await sync.ensureFresh({ force: true });
      expect(b.datasources.get("crm")?.label).toBe("CRM (edited)");
      expect(b.externalObjects.engineFor("company")).not.toBe(engine);
      expect(await bAsUser.data.count({ object: "company" })).toBe(2);
    });

    it("forgets a data source and its objects deleted elsewhere", async () => {
      await a.asAdmin.datasources.delete({ name: "crm", deleteObjects: true });
      clock = 9000;
      await sync.ensureFresh();
      expect(b.datasources.get("crm")).toBeUndefined();
      expect(b.externalObjects.get("company")).toBeUndefined();
      await refused(bAsUser.data.describe({ object: "company" }), "NOT_FOUND");
    });

    it("checks at once when a data source procedure names a source this process has not loaded", async () => {
      // B's own services check on their own clock; a miss does not wait for the interval.
      await b.datasourceSync.ensureFresh({ force: true });
      await a.asAdmin.metadata.create({ kind: "datasource", body: { ...external.datasource, name: "crm2" } });
      await a.asAdmin.metadata.publish({ kind: "datasource", name: "crm2" });
      expect((await bAsAdmin.datasources.introspect({ name: "crm2" })).tables.map((table) => table.name)).toEqual(["company"]);
    });
  });
}
