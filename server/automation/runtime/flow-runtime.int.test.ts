import { describe } from "vitest";
import { defineFlowRuntimeSuite } from "./flow-runtime.suite";
import { mysqlFactory, postgresFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";

const postgresDown = await requireTestServer("postgres");
const mysqlDown = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineFlowRuntimeSuite(postgresFactory());
});
describe.skipIf(mysqlDown !== null)("mariadb", () => {
  defineFlowRuntimeSuite(mysqlFactory());
});
