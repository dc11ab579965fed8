import { defineFlowRuntimeSuite } from "./flow-runtime.suite";
import { sqliteFactory } from "@/server/objectql/test-support/test-databases";

defineFlowRuntimeSuite(sqliteFactory);
