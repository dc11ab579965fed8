import { defineRecordTriggersSuite } from "./record-triggers.suite";
import { sqliteFactory } from "@/server/objectql/test-support/test-databases";

defineRecordTriggersSuite(sqliteFactory);
