import { describe } from "vitest";
import { postgresTestDatabase, postgresUnavailable } from "@/test/services-harness";
import { runSessionsSuite } from "./sessions.suite";

// Skipped only where no PostgreSQL server answers (a user's fresh machine); CI has one.
const skipReason = await postgresUnavailable();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)("PostgreSQL", () => {
  runSessionsSuite("PostgreSQL", postgresTestDatabase);
});
