import { describe } from "vitest";
import { postgresTestDatabase } from "@/test/services-harness";
import { runHardeningSuite } from "./hardening.suite";
import { requireTestServer } from "@/server/objectql/test-support/test-databases";

// Skipped only where no PostgreSQL server answers (a user's fresh machine); CI has one.
const skipReason = await requireTestServer("postgres");

describe.skipIf(skipReason !== null)("PostgreSQL", () => {
  runHardeningSuite("PostgreSQL", postgresTestDatabase);
});
