import { describe } from "vitest";
import { mysqlExternal, postgresExternal } from "@/server/datasources/test-support/external-databases";
import { postgresUnavailable } from "@/test/services-harness";
import { mysqlUnavailable } from "@/server/objectql/test-support/test-databases";
import { runDatasourcesApiSuite } from "./datasources-api.suite";

// Each skips, with the reason printed, only where no server answers (a user's fresh machine); CI has both.
const postgresDown = await postgresUnavailable();
if (postgresDown) console.warn(postgresDown);
const mysqlDown = await mysqlUnavailable();
if (mysqlDown) console.warn(mysqlDown);

describe.skipIf(postgresDown !== null)("PostgreSQL data source", () => {
  runDatasourcesApiSuite("postgres", () => postgresExternal("crm_pg", "CRM (PostgreSQL)"));
});

describe.skipIf(mysqlDown !== null)("MySQL data source", () => {
  runDatasourcesApiSuite("mysql", () => mysqlExternal("crm_my", "CRM (MySQL)"));
});
