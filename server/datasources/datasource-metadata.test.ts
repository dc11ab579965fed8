import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TRPCError } from "@trpc/server";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, sqliteTestDatabase, type Harness, type TestDatabase } from "@/test/services-harness";
import { DatasourceRegistry } from "./datasource-registry";

/** Data source definitions are `datasource` metadata documents: validated, versioned, published only when reachable. */
describe("datasource metadata", () => {
  let database: TestDatabase;
  let h: Harness;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "objectstudio-datasource-meta-"));
    file = join(dir, "legacy.db");
    const setup = new Database(file);
    setup.exec("create table customers (id integer primary key, name text not null)");
    setup.exec("insert into customers (id, name) values (1, 'Acme')");
    setup.close();
    database = sqliteTestDatabase();
    h = await createHarness(database);
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function refused(call: Promise<unknown>, code: TRPCError["code"], message: RegExp) {
    const error = await call.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe(code);
    expect((error as TRPCError).message).toMatch(message);
  }

  it("stores, publishes and lists a data source; only admins may", async () => {
    const body = { name: "legacy", label: "Legacy CRM", driver: "sqlite", url: `file:${file}` };
    await refused(h.asUser.metadata.create({ kind: "datasource", body }), "FORBIDDEN", /./);
    await h.asAdmin.metadata.create({ kind: "datasource", body });
    expect((await h.asAdmin.metadata.publish({ kind: "datasource", name: "legacy" })).version).toBe(1);
    const published = await h.services.metadata.listPublished("datasource");
    expect(published).toEqual([{ ...body, readOnly: true }]);

    // A published definition is what the registry connects with.
    const registry = new DatasourceRegistry();
    await registry.register(published[0]);
    const ql = await registry.objectql("legacy");
    expect((await ql.find({ kind: "system" }, { object: "customers" })).records.map((record) => record.name)).toEqual(["Acme"]);
    await registry.close();
  });

  it("refuses passwords in the URL (definitions are exported) and unreachable sources", async () => {
    await refused(
      h.asAdmin.metadata.create({ kind: "datasource", body: { name: "shop", label: "Shop", driver: "mysql", url: "mysql://app:secret@db.internal:3306/shop" } }),
      "BAD_REQUEST",
      /url: must not contain a password.*env:NAME/,
    );
    await h.asAdmin.metadata.create({ kind: "datasource", body: { name: "shop", label: "Shop", driver: "mysql", url: "env:OBJECTSTUDIO_TEST_UNSET_SHOP_URL" } });
    await refused(h.asAdmin.metadata.publish({ kind: "datasource", name: "shop" }), "BAD_REQUEST", /Cannot publish data source 'shop'.*OBJECTSTUDIO_TEST_UNSET_SHOP_URL is not set/);
  });

  it("reports a source that cannot be reached when introspected as such, with the reason", async () => {
    const registry = new DatasourceRegistry();
    await registry.register({ name: "gone", label: "Gone", driver: "postgres", url: "postgres://nobody@127.0.0.1:1/nothing" });
    const error = await registry.introspect("gone").then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ObjectQLError", code: "PRECONDITION_FAILED", path: ["datasource"] });
    expect((error as Error).message).toMatch(/Data source 'gone': cannot read its tables \(.*ECONNREFUSED/);
    await registry.close();
  });
});
