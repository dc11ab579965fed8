import { defineFlowScreensSuite } from "./flow-screens.suite";
import { sqliteFactory } from "@/server/objectql/test-support/test-databases";

defineFlowScreensSuite(sqliteFactory);
