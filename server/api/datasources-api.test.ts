import { sqliteExternal } from "@/server/datasources/test-support/external-databases";
import { runDatasourcesApiSuite } from "./datasources-api.suite";

runDatasourcesApiSuite("sqlite", async () => sqliteExternal("crm", "CRM"));
