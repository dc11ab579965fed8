import { describe } from "vitest";
import { runHostileInputSuite } from "./hostile-input.suite";
import { postgresTestDatabase } from "@/test/services-harness";
import { requireTestServer } from "@/server/objectql/test-support/test-databases";

// Skipped only where no PostgreSQL server answers (a user's fresh machine); CI has one.
const skipReason = await requireTestServer("postgres");

describe.skipIf(skipReason !== null)("PostgreSQL", () => {
  runHostileInputSuite("PostgreSQL", postgresTestDatabase);
});
