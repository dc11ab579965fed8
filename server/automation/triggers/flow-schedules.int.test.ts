import { describe } from "vitest";
import { defineFlowSchedulesSuite } from "./flow-schedules.suite";
import { mysqlFactory, postgresFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";

const postgresDown = await requireTestServer("postgres");
const mysqlDown = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineFlowSchedulesSuite(postgresFactory());
});
describe.skipIf(mysqlDown !== null)("mariadb", () => {
  defineFlowSchedulesSuite(mysqlFactory());
});
