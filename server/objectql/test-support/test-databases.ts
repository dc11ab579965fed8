import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import pg from "pg";
import { createDataDatabase, type DataDatabase } from "@/server/db/data-db";

/**
 * Database factories for the shared suites: each test gets a fresh, isolated database
 * (an in-memory SQLite database, a new PostgreSQL schema or a new MySQL/MariaDB database,
 * dropped afterwards).
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

export const MYSQL_TEST_URL = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

function mysqlServerUrl(url: string): { config: mysql.ConnectionOptions; withDatabase(name: string): string } {
  const parsed = new URL(url);
  return {
    config: {
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username) || "root",
      password: decodeURIComponent(parsed.password),
      connectTimeout: 3000,
    },
    withDatabase(name: string) {
      const copy = new URL(url);
      copy.pathname = `/${name}`;
      return copy.toString();
    },
  };
}

/** Null when the MySQL/MariaDB server answers, else the reason (see requireTestServer). */
export async function mysqlUnavailable(url = MYSQL_TEST_URL): Promise<string | null> {
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection(mysqlServerUrl(url).config);
    await connection.query("select 1");
    return null;
  } catch (error) {
    return `MySQL/MariaDB at ${redact(url)} (TEST_MYSQL_URL) is unreachable: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

/** A fresh database `t_<random>` on the MySQL/MariaDB server: its URL, and a cleanup that drops it. */
export async function mysqlTestDatabase(url = MYSQL_TEST_URL): Promise<{ url: string; database: string; cleanup(): Promise<void> }> {
  const server = mysqlServerUrl(url);
  const database = `t_${randomBytes(6).toString("hex")}`;
  const admin = await mysql.createConnection(server.config);
  try {
    await admin.query(`create database \`${database}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    url: server.withDatabase(database),
    database,
    async cleanup() {
      const dropper = await mysql.createConnection(server.config);
      try {
        await dropper.query(`drop database if exists \`${database}\``);
      } finally {
        await dropper.end();
      }
    },
  };
}

export function mysqlFactory(url = MYSQL_TEST_URL): DatabaseFactory {
  return {
    dialect: "mysql",
    async create() {
      const fresh = await mysqlTestDatabase(url);
      const db = createDataDatabase(fresh.url);
      return {
        db,
        async cleanup() {
          await db.destroy();
          await fresh.cleanup();
        },
      };
    },
  };
}

export type TestServer = "postgres" | "mysql";

/** Whether this run is CI's (`CI` set to anything but empty, `0` or `false`): there a test server must answer. */
export function underCi(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = (env.CI ?? "").trim().toLowerCase();
  return value !== "" && value !== "0" && value !== "false";
}

/**
 * The one gate of every integration suite (`*.int.test.ts`; a unit test checks they all use
 * it): null when the server answers, so the suite runs. When it does not: under CI this throws,
 * so the run fails instead of quietly skipping the suite; on a user's machine it prints the
 * reason and returns it, and the suite skips (`describe.skipIf(reason !== null)`).
 * The servers are TEST_DATABASE_URL (PostgreSQL) and TEST_MYSQL_URL (MySQL/MariaDB).
 */
export async function requireTestServer(server: TestServer, options: { env?: Readonly<Record<string, string | undefined>>; url?: string } = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  const url = options.url ?? (server === "postgres" ? PG_TEST_URL : MYSQL_TEST_URL);
  let reason: string | null;
  if (server === "postgres") {
    const probe = await probePostgres(url);
    reason = probe.ok ? null : `PostgreSQL at ${redact(url)} (TEST_DATABASE_URL) is unreachable: ${probe.reason}`;
  } else {
    reason = await mysqlUnavailable(url);
  }
  if (reason === null) return null;
  if (underCi(env)) throw new Error(`${reason}. Under CI the integration suites never skip: start the server or point ${server === "postgres" ? "TEST_DATABASE_URL" : "TEST_MYSQL_URL"} at one.`);
  console.warn(`${reason}: skipping these ${server === "postgres" ? "PostgreSQL" : "MySQL/MariaDB"} tests`);
  return reason;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}
