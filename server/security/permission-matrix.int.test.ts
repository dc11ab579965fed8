import { describe } from "vitest";
import { postgresFactory, probePostgres, PG_TEST_URL } from "@/server/objectql/test-support/test-databases";
import { definePermissionMatrixSuite } from "./permission-matrix.suite";

const probe = await probePostgres();
if (!probe.ok) console.warn(`Skipping PostgreSQL permission matrix: cannot connect to ${PG_TEST_URL} (${probe.reason})`);

describe.skipIf(!probe.ok)("postgres", () => {
  definePermissionMatrixSuite(postgresFactory());
});
