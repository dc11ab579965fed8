import { describe } from "vitest";
import { defineSchemaSyncSuite } from "./sync.suite";
import { mysqlFactory, mysqlUnavailable } from "../test-support/test-databases";

const unavailable = await mysqlUnavailable();
if (unavailable) console.warn(unavailable);

describe.skipIf(unavailable !== null)("mysql", () => {
  defineSchemaSyncSuite(mysqlFactory());
});
