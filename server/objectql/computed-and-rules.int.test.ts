import { describe } from "vitest";
import { defineComputedAndRulesSuite } from "./computed-and-rules.suite";
import { PG_TEST_URL, postgresFactory, probePostgres } from "./test-support/test-databases";

const probe = await probePostgres();
if (!probe.ok) console.warn(`Skipping PostgreSQL computed-field tests: cannot connect to ${PG_TEST_URL} (${probe.reason})`);

describe.skipIf(!probe.ok)("postgres", () => {
  defineComputedAndRulesSuite(postgresFactory());
});
