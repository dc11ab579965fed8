import { describe } from "vitest";
import { defineRecordTriggersSuite } from "./record-triggers.suite";
import { mysqlFactory, postgresFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";

const postgresDown = await requireTestServer("postgres");
const mysqlDown = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineRecordTriggersSuite(postgresFactory());
});
describe.skipIf(mysqlDown !== null)("mariadb", () => {
  defineRecordTriggersSuite(mysqlFactory());
});
