import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import pg from "pg";
import type { DatasourceInput } from "@/spec/datasource";
import { PG_TEST_URL, mysqlTestDatabase } from "@/server/objectql/test-support/test-databases";

/**
 * A database that plays an external data source in tests: a SQLite file, a fresh schema of the
 * PostgreSQL test database, or a fresh MySQL/MariaDB database, dropped by `cleanup`.
 */
export type ExternalDatabase = {
  datasource: DatasourceInput & { name: string; url: string };
  /** Runs one statement directly on the external database (setup, and checks that it was left alone). */
  exec(statement: string): Promise<void>;
  /** Reads rows directly from the external database. */
  query(statement: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
};

export function sqliteExternal(name: string, label = name): ExternalDatabase {
  const dir = mkdtempSync(join(tmpdir(), "objectstudio-datasource-"));
  const file = join(dir, "external.db");
  const setup = new Database(file);
  setup.pragma("foreign_keys = ON");
  return {
    datasource: { name, label, driver: "sqlite", url: `file:${file}` },
    async exec(statement) {
      setup.exec(statement);
    },
    async query(statement) {
      return setup.prepare(statement).all() as Record<string, unknown>[];
    },
    async cleanup() {
      setup.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema `ext_<random>` of the PostgreSQL test database. */
export async function postgresExternal(name: string, label = name): Promise<ExternalDatabase> {
  const schema = `ext_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.query(`set search_path = ${schema}`);
  return {
    datasource: { name, label, driver: "postgres", url: PG_TEST_URL, schema },
    async exec(statement) {
      await client.query(statement);
    },
    async query(statement) {
      return (await client.query(statement)).rows as Record<string, unknown>[];
    },
    async cleanup() {
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** A fresh database `t_<random>` on the MySQL/MariaDB test server. */
export async function mysqlExternal(name: string, label = name): Promise<ExternalDatabase> {
  const fresh = await mysqlTestDatabase();
  const url = new URL(fresh.url);
  const connection = await mysql.createConnection({
    host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || "root",
    password: decodeURIComponent(url.password), database: fresh.database,
  });
  return {
    datasource: { name, label, driver: "mysql", url: fresh.url },
    async exec(statement) {
      await connection.query(statement);
    },
    async query(statement) {
      const [rows] = await connection.query(statement);
      return rows as Record<string, unknown>[];
    },
    async cleanup() {
      await connection.end();
      await fresh.cleanup();
    },
  };
}
