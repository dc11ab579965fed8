import { describe } from "vitest";
import { mysqlFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";
import { definePermissionMatrixSuite } from "./permission-matrix.suite";

const unavailable = await requireTestServer("mysql");

describe.skipIf(unavailable !== null)("mysql", () => {
  definePermissionMatrixSuite(mysqlFactory());
});
