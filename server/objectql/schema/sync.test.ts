import { defineSchemaSyncSuite } from "./sync.suite";
import { sqliteFactory } from "../test-support/test-databases";

defineSchemaSyncSuite(sqliteFactory);
