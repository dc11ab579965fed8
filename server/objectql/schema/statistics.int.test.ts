import { describe } from "vitest";
import { defineStatisticsSuite } from "./statistics.suite";
import { postgresFactory, probePostgres, PG_TEST_URL } from "../test-support/test-databases";

const probe = await probePostgres();
if (!probe.ok) console.warn(`Skipping PostgreSQL statistics tests: cannot connect to ${PG_TEST_URL} (${probe.reason})`);

describe.skipIf(!probe.ok)("postgres", () => {
  defineStatisticsSuite(postgresFactory());
});
