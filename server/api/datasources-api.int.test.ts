import { describe } from "vitest";
import { mysqlExternal, postgresExternal } from "@/server/datasources/test-support/external-databases";
import { requireTestServer } from "@/server/objectql/test-support/test-databases";
import { runDatasourcesApiSuite } from "./datasources-api.suite";

// Each skips, with the reason printed, only where no server answers (a user's fresh machine); CI has both.
const postgresDown = await requireTestServer("postgres");
const mysqlDown = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("PostgreSQL data source", () => {
  runDatasourcesApiSuite("postgres", () => postgresExternal("crm_pg", "CRM (PostgreSQL)"));
});

describe.skipIf(mysqlDown !== null)("MySQL data source", () => {
  runDatasourcesApiSuite("mysql", () => mysqlExternal("crm_my", "CRM (MySQL)"));
});
