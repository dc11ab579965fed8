import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDataDatabase, type DataDatabase } from "@/server/db/data-db";

/**
 * Database factories for the shared suites: each test gets a fresh, isolated database
 * (an in-memory SQLite database, or a new PostgreSQL schema dropped afterwards).
 */
export type TestDatabase = { db: DataDatabase; cleanup(): Promise<void> };
export type DatabaseFactory = { dialect: DataDatabase["dialect"]; create(): Promise<TestDatabase> };

export const sqliteFactory: DatabaseFactory = {
  dialect: "sqlite",
  async create() {
    const db = createDataDatabase(":memory:");
    return { db, cleanup: () => db.destroy() };
  },
};

export const PG_TEST_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Connects once; the reason is printed by the caller when PostgreSQL is not reachable. */
export async function probePostgres(url = PG_TEST_URL): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function postgresFactory(url = PG_TEST_URL): DatabaseFactory {
  return {
    dialect: "postgres",
    async create() {
      const schema = `t_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      const separator = url.includes("?") ? "&" : "?";
      // Every pooled connection starts with search_path = the test schema, so concurrent runs never collide.
      const db = createDataDatabase(`${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`);
      return {
        db,
        async cleanup() {
          await db.destroy();
          const dropper = new pg.Client({ connectionString: url });
          await dropper.connect();
          await dropper.query(`drop schema if exists ${schema} cascade`);
          await dropper.end();
        },
      };
    },
  };
}
