import { describe } from "vitest";
import { mysqlFactory, mysqlUnavailable, postgresFactory, probePostgres, PG_TEST_URL } from "@/server/objectql/test-support/test-databases";
import { defineRecordHistorySuite } from "./record-history.suite";

const postgres = await probePostgres();
if (!postgres.ok) console.warn(`Skipping PostgreSQL record history tests: cannot connect to ${PG_TEST_URL} (${postgres.reason})`);
const mysqlReason = await mysqlUnavailable();
if (mysqlReason) console.warn(mysqlReason);

describe.skipIf(!postgres.ok)("postgres", () => {
  defineRecordHistorySuite(postgresFactory());
});

describe.skipIf(mysqlReason !== null)("mysql", () => {
  defineRecordHistorySuite(mysqlFactory());
});
