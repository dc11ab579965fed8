import { describe } from "vitest";
import { mysqlFactory, mysqlUnavailable } from "../test-support/test-databases";
import { defineFormulaSuite } from "./formula.suite";

const unavailable = await mysqlUnavailable();
if (unavailable) console.warn(unavailable);

describe.skipIf(unavailable !== null)("mysql", () => {
  defineFormulaSuite(mysqlFactory());
});
