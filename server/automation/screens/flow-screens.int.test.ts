import { describe } from "vitest";
import { defineFlowScreensSuite } from "./flow-screens.suite";
import { mysqlFactory, postgresFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";

const postgresDown = await requireTestServer("postgres");
const mysqlDown = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineFlowScreensSuite(postgresFactory());
});
describe.skipIf(mysqlDown !== null)("mariadb", () => {
  defineFlowScreensSuite(mysqlFactory());
});
