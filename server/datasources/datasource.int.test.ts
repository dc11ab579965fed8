import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import pg from "pg";
import { describe } from "vitest";
import { PG_TEST_URL, mysqlTestDatabase, mysqlUnavailable, probePostgres } from "@/server/objectql/test-support/test-databases";
import { defineDatasourceSuite } from "./datasource.suite";

const postgres = await probePostgres();
if (!postgres.ok) console.warn(`Skipping PostgreSQL data source tests: cannot connect to ${PG_TEST_URL} (${postgres.reason})`);
const mysqlDown = await mysqlUnavailable();
if (mysqlDown) console.warn(mysqlDown);

describe.skipIf(!postgres.ok)("postgres", () => {
  defineDatasourceSuite("postgres", async () => {
    // A fresh schema of the test database plays the external database.
    const schema = `ext_${randomBytes(6).toString("hex")}`;
    const client = new pg.Client({ connectionString: PG_TEST_URL });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.query(`set search_path = ${schema}`);
    return {
      datasource: { name: "warehouse", label: "Warehouse", driver: "postgres", url: PG_TEST_URL, schema },
      async exec(statement) {
        await client.query(statement);
      },
      async cleanup() {
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      },
    };
  });
});

describe.skipIf(mysqlDown !== null)("mysql", () => {
  defineDatasourceSuite("mysql", async () => {
    const fresh = await mysqlTestDatabase();
    const url = new URL(fresh.url);
    const connection = await mysql.createConnection({
      host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || "root",
      password: decodeURIComponent(url.password), database: fresh.database,
    });
    return {
      datasource: { name: "shop", label: "Shop", driver: "mysql", url: fresh.url },
      async exec(statement) {
        await connection.query(statement);
      },
      async cleanup() {
        await connection.end();
        await fresh.cleanup();
      },
    };
  });
});
