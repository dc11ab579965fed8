import { describe } from "vitest";
import { defineObjectQLSuite } from "./objectql.suite";
import { mysqlFactory, requireTestServer } from "./test-support/test-databases";

const unavailable = await requireTestServer("mysql");

describe.skipIf(unavailable !== null)("mysql", () => {
  defineObjectQLSuite(mysqlFactory());
});
