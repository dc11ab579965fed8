import { describe } from "vitest";
import { defineSortBoundSuite } from "./sort-bound.suite";
import { postgresFactory, probePostgres, PG_TEST_URL } from "../test-support/test-databases";

const probe = await probePostgres();
if (!probe.ok) console.warn(`Skipping PostgreSQL sort-bound tests: cannot connect to ${PG_TEST_URL} (${probe.reason})`);

describe.skipIf(!probe.ok)("postgres", () => {
  defineSortBoundSuite(postgresFactory());
});
