import { describe, it } from "vitest";
import { runApiSuite } from "./api-suite";
import { postgresTestDatabase, postgresUnavailable } from "@/test/services-harness";

const skipReason = await postgresUnavailable();
if (skipReason) {
  console.warn(skipReason);
  describe.skip("API (PostgreSQL)", () => it.skip(skipReason, () => {}));
} else {
  runApiSuite("PostgreSQL", postgresTestDatabase);
}
