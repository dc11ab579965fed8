import { describe } from "vitest";
import { defineComputedAndRulesSuite } from "./computed-and-rules.suite";
import { mysqlFactory, mysqlUnavailable } from "./test-support/test-databases";

const unavailable = await mysqlUnavailable();
if (unavailable) console.warn(unavailable);

describe.skipIf(unavailable !== null)("mysql", () => {
  defineComputedAndRulesSuite(mysqlFactory());
});
