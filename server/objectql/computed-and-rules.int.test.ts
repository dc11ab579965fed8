import { describe } from "vitest";
import { defineComputedAndRulesSuite } from "./computed-and-rules.suite";
import { postgresFactory, requireTestServer } from "./test-support/test-databases";

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineComputedAndRulesSuite(postgresFactory());
});
