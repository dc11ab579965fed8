import { describe } from "vitest";
import { runConformanceSuite } from "./conformance.suite";
import { MYSQL_TEST_URL, PG_TEST_URL, mysqlFactory, mysqlUnavailable, postgresFactory, probePostgres } from "../test-support/test-databases";

/** The conformance suite on the database servers: each run gets its own schema/database, dropped afterwards. */

const postgres = await probePostgres();
if (!postgres.ok) console.warn(`Skipping PostgreSQL conformance: cannot connect to ${PG_TEST_URL} (${postgres.reason})`);
describe.skipIf(!postgres.ok)("postgres", () => {
  runConformanceSuite("postgres", () => postgresFactory().create());
});

const mysqlReason = await mysqlUnavailable();
if (mysqlReason) console.warn(`Skipping MySQL conformance (${MYSQL_TEST_URL}): ${mysqlReason}`);
describe.skipIf(mysqlReason !== null)("mysql", () => {
  runConformanceSuite("mysql", () => mysqlFactory().create());
});
