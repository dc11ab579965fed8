import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { PG_TEST_URL } from "@/server/objectql/test-support/test-databases";
import { createServices, type Services } from "@/server/services";
import { createCaller } from "@/server/api/root";
import type { CurrentUser } from "@/server/auth/options";
import { hashPassword } from "@/server/auth/password";

/** A database for one test file: a temp SQLite file, or a fresh schema in the local PostgreSQL. */
export type TestDatabase = { url: string; cleanup(): Promise<void> };

export function sqliteTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "objectstudio-test-"));
  return { url: `file:${join(dir, "test.db")}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

export const POSTGRES_URL = PG_TEST_URL;

export async function postgresTestDatabase(): Promise<TestDatabase> {
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("schema", schema);
  return {
    url: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      // The flow job queue's schema (server/automation/queue/pg-boss-queue.ts).
      await client.query(`drop schema if exists "${schema}_jobs" cascade`);
      await client.end();
    },
  };
}

export type Harness = {
  services: Services;
  admin: CurrentUser;
  user: CurrentUser;
  asAdmin: ReturnType<typeof createCaller>;
  asUser: ReturnType<typeof createCaller>;
  anonymous: ReturnType<typeof createCaller>;
  close(): Promise<void>;
};

/** Services on a fresh database with an admin and a regular user, and tRPC callers for each. */
export async function createHarness(database: TestDatabase): Promise<Harness> {
  const services = await createServices(database.url);
  const passwordHash = await hashPassword("Password123!");
  const adminRow = await services.platformDb.user.create({ data: { email: "admin@test.local", name: "Admin", role: "admin", passwordHash } });
  const userRow = await services.platformDb.user.create({ data: { email: "user@test.local", name: "User", role: "user", passwordHash } });
  const admin: CurrentUser = { id: adminRow.id, email: adminRow.email, name: adminRow.name, role: "admin" };
  const user: CurrentUser = { id: userRow.id, email: userRow.email, name: userRow.name, role: "user" };
  return {
    services,
    admin,
    user,
    asAdmin: createCaller({ user: admin, services }),
    asUser: createCaller({ user, services }),
    anonymous: createCaller({ user: null, services }),
    async close() {
      await services.close();
      await database.cleanup();
    },
  };
}

/** Creates and publishes object definitions as the harness's admin, in order (targets of lookups first). */
export async function publishObjects(h: Harness, objects: { name: string }[]): Promise<void> {
  for (const body of objects) {
    await h.asAdmin.metadata.create({ kind: "object", body });
    await h.asAdmin.metadata.publish({ kind: "object", name: body.name });
  }
}

/**
 * Two sets of services over one database, as two web processes have: A (a harness, with its
 * users and callers) and B (bare services). `b` is re-read after `restartB()`.
 */
export type TwoProcesses = { a: Harness; b: Services; restartB(): Promise<void>; close(): Promise<void> };

export async function createTwoProcesses(makeDatabase: () => Promise<TestDatabase> | TestDatabase): Promise<TwoProcesses> {
  const database = await makeDatabase();
  const a = await createHarness({ url: database.url, cleanup: async () => undefined });
  const processes: TwoProcesses = {
    a,
    b: await createServices(database.url),
    async restartB() {
      await processes.b.close();
      processes.b = await createServices(database.url);
    },
    async close() {
      await processes.b.close();
      await a.close();
      await database.cleanup();
    },
  };
  return processes;
}
