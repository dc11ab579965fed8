import { defineSchemaSyncSuite } from "./schema-sync.suite";
import { sqliteFactory } from "./test-support/test-databases";

defineSchemaSyncSuite(sqliteFactory);
