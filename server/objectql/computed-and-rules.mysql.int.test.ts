import { describe } from "vitest";
import { defineComputedAndRulesSuite } from "./computed-and-rules.suite";
import { mysqlFactory, requireTestServer } from "./test-support/test-databases";

const unavailable = await requireTestServer("mysql");

describe.skipIf(unavailable !== null)("mysql", () => {
  defineComputedAndRulesSuite(mysqlFactory());
});
