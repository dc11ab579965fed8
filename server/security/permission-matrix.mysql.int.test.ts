import { describe } from "vitest";
import { mysqlFactory, mysqlUnavailable } from "@/server/objectql/test-support/test-databases";
import { definePermissionMatrixSuite } from "./permission-matrix.suite";

const unavailable = await mysqlUnavailable();
if (unavailable) console.warn(unavailable);

describe.skipIf(unavailable !== null)("mysql", () => {
  definePermissionMatrixSuite(mysqlFactory());
});
