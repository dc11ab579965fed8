import { describe } from "vitest";
import { postgresTestDatabase, postgresUnavailable } from "@/test/services-harness";
import { runApiUsageLogSuite } from "./api-usage-log.suite";

// Skipped, with the reason printed, only where no PostgreSQL server answers.
const skipReason = await postgresUnavailable();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)("PostgreSQL", () => {
  runApiUsageLogSuite("PostgreSQL", postgresTestDatabase);
});
