import { describe } from "vitest";
import { defineFlowWaitsSuite } from "./flow-waits.suite";
import { mysqlFactory, postgresFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";

const postgresDown = await requireTestServer("postgres");
const mysqlDown = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineFlowWaitsSuite(postgresFactory());
});
describe.skipIf(mysqlDown !== null)("mariadb", () => {
  defineFlowWaitsSuite(mysqlFactory());
});
