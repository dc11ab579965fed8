import { defineFlowDebuggerSuite } from "./flow-debugger.suite";
import { sqliteFactory } from "@/server/objectql/test-support/test-databases";

defineFlowDebuggerSuite(sqliteFactory);
