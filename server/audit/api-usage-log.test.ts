import { sqliteTestDatabase } from "@/test/services-harness";
import { runApiUsageLogSuite } from "./api-usage-log.suite";

runApiUsageLogSuite("SQLite", sqliteTestDatabase);
