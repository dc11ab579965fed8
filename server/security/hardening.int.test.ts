import { describe } from "vitest";
import { postgresTestDatabase, postgresUnavailable } from "@/test/services-harness";
import { runHardeningSuite } from "./hardening.suite";

// Skipped only where no PostgreSQL server answers (a user's fresh machine); CI has one.
const skipReason = await postgresUnavailable();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)("PostgreSQL", () => {
  runHardeningSuite("PostgreSQL", postgresTestDatabase);
});
