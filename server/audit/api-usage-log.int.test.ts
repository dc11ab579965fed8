import { describe } from "vitest";
import { postgresTestDatabase } from "@/test/services-harness";
import { runApiUsageLogSuite } from "./api-usage-log.suite";
import { requireTestServer } from "@/server/objectql/test-support/test-databases";

// Skipped, with the reason printed, only where no PostgreSQL server answers.
const skipReason = await requireTestServer("postgres");

describe.skipIf(skipReason !== null)("PostgreSQL", () => {
  runApiUsageLogSuite("PostgreSQL", postgresTestDatabase);
});
