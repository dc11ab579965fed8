import { describe } from "vitest";
import { postgresTestDatabase } from "@/test/services-harness";
import { runSessionsSuite } from "./sessions.suite";
import { requireTestServer } from "@/server/objectql/test-support/test-databases";

// Skipped only where no PostgreSQL server answers (a user's fresh machine); CI has one.
const skipReason = await requireTestServer("postgres");

describe.skipIf(skipReason !== null)("PostgreSQL", () => {
  runSessionsSuite("PostgreSQL", postgresTestDatabase);
});
