import { describe } from "vitest";
import { PG_TEST_URL, postgresFactory, probePostgres } from "../test-support/test-databases";
import { defineFormulaSuite } from "./formula.suite";

const probe = await probePostgres();
if (!probe.ok) console.warn(`Skipping PostgreSQL formula tests: cannot connect to ${PG_TEST_URL} (${probe.reason})`);

describe.skipIf(!probe.ok)("postgres", () => {
  defineFormulaSuite(postgresFactory());
});
