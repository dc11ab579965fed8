import { defineFlowWaitsSuite } from "./flow-waits.suite";
import { sqliteFactory } from "@/server/objectql/test-support/test-databases";

defineFlowWaitsSuite(sqliteFactory);
