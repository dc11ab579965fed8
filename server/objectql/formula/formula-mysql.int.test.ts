import { describe } from "vitest";
import { mysqlFactory, requireTestServer } from "../test-support/test-databases";
import { defineFormulaSuite } from "./formula.suite";

const unavailable = await requireTestServer("mysql");

describe.skipIf(unavailable !== null)("mysql", () => {
  defineFormulaSuite(mysqlFactory());
});
