import { sqliteTestDatabase } from "@/test/services-harness";
import { runDatasourceSyncSuite } from "./datasource-sync.suite";

runDatasourceSyncSuite("SQLite", async () => sqliteTestDatabase());
