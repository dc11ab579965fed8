import { defineDatasourceSuite } from "./datasource.suite";
import { sqliteExternal } from "./test-support/external-databases";

defineDatasourceSuite("sqlite", async () => sqliteExternal("legacy", "Legacy"));
