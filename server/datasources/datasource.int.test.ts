import { describe } from "vitest";
import { PG_TEST_URL, mysqlUnavailable, probePostgres } from "@/server/objectql/test-support/test-databases";
import { defineDatasourceSuite } from "./datasource.suite";
import { mysqlExternal, postgresExternal } from "./test-support/external-databases";

const postgres = await probePostgres();
if (!postgres.ok) console.warn(`Skipping PostgreSQL data source tests: cannot connect to ${PG_TEST_URL} (${postgres.reason})`);
const mysqlDown = await mysqlUnavailable();
if (mysqlDown) console.warn(mysqlDown);

describe.skipIf(!postgres.ok)("postgres", () => {
  defineDatasourceSuite("postgres", () => postgresExternal("warehouse", "Warehouse"));
});

describe.skipIf(mysqlDown !== null)("mysql", () => {
  defineDatasourceSuite("mysql", () => mysqlExternal("shop", "Shop"));
});
