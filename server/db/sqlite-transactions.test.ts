import { afterAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { createDataDatabase } from "./data-db";
import { applyPlatformMigrations } from "./migrate";
import { createPlatformDb } from "./platform-db";

/**
 * Several processes on one SQLite file (WEB_CONCURRENCY): a transaction that reads and then
 * writes must hold the write lock from its start, or another process's write in between fails it
 * at once with SQLITE_BUSY. "Another process" is a second connection with no busy timeout here.
 */
describe("SQLite transactions take the write lock when they begin", () => {
  const dir = mkdtempSync(join(tmpdir(), "objectstudio-tx-"));
  const file = join(dir, "test.db");
  const dataDb = createDataDatabase(`file:${file}`);
  const platformDb = createPlatformDb(`file:${file}`);
  const other = new Database(file, { timeout: 0 });
  afterAll(async () => {
    other.close();
    await platformDb.$disconnect();
    await dataDb.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const otherProcessMayWrite = () => {
    try {
      other.prepare("begin immediate").run();
      other.prepare("rollback").run();
      return true;
    } catch (error) {
      expect((error as { code?: string }).code).toBe("SQLITE_BUSY");
      return false;
    }
  };

  it("the data layer's (Kysely) transactions", async () => {
    await applyPlatformMigrations(dataDb);
    expect(otherProcessMayWrite()).toBe(true);
    await dataDb.kysely.transaction().execute(async (trx) => {
      await sql`select count(*) from _os_migrations`.execute(trx);
      expect(otherProcessMayWrite()).toBe(false);
    });
    expect(otherProcessMayWrite()).toBe(true);
  });

  it("the platform tables' (Prisma) transactions", async () => {
    await platformDb.$transaction(async (tx) => {
      await tx.user.count();
      expect(otherProcessMayWrite()).toBe(false);
    });
    expect(otherProcessMayWrite()).toBe(true);
  });
});
