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

/** Null when the MySQL/MariaDB server answers, else the reason (integration suites print it and skip). */
export async function mysqlUnavailable(url = MYSQL_TEST_URL): Promise<string | null> {
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection(mysqlServerUrl(url).config);
    await connection.query("select 1");
    return null;
  } catch (error) {
    return `MySQL/MariaDB at ${url} is unreachable (${error instanceof Error ? error.message : String(error)}): skipping MySQL tests`;
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
