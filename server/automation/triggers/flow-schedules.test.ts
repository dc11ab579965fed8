import { defineFlowSchedulesSuite } from "./flow-schedules.suite";
import { sqliteFactory } from "@/server/objectql/test-support/test-databases";

defineFlowSchedulesSuite(sqliteFactory);
