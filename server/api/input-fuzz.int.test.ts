import { describe } from "vitest";
import { runInputFuzzSuite } from "./input-fuzz.suite";
import { postgresTestDatabase, postgresUnavailable } from "@/test/services-harness";

// Skipped only where no PostgreSQL server answers (a user's fresh machine); CI has one.
const skipReason = await postgresUnavailable();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)("PostgreSQL", () => {
  runInputFuzzSuite("PostgreSQL", postgresTestDatabase);
});
