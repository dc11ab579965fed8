import { defineObjectQLSuite } from "./objectql.suite";
import { sqliteFactory } from "./test-support/test-databases";

defineObjectQLSuite(sqliteFactory);
