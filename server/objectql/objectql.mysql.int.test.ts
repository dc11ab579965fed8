import { describe } from "vitest";
import { defineObjectQLSuite } from "./objectql.suite";
import { mysqlFactory, mysqlUnavailable } from "./test-support/test-databases";

const unavailable = await mysqlUnavailable();
if (unavailable) console.warn(unavailable);

describe.skipIf(unavailable !== null)("mysql", () => {
  defineObjectQLSuite(mysqlFactory());
});
