import { describe } from "vitest";
import { defineSchemaSyncSuite } from "./sync.suite";
import { mysqlFactory, requireTestServer } from "../test-support/test-databases";

const unavailable = await requireTestServer("mysql");

describe.skipIf(unavailable !== null)("mysql", () => {
  defineSchemaSyncSuite(mysqlFactory());
});
