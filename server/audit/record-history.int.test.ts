import { describe } from "vitest";
import { mysqlFactory, postgresFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";
import { defineRecordHistorySuite } from "./record-history.suite";

const postgresDown = await requireTestServer("postgres");
const mysqlReason = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineRecordHistorySuite(postgresFactory());
});

describe.skipIf(mysqlReason !== null)("mysql", () => {
  defineRecordHistorySuite(mysqlFactory());
});
