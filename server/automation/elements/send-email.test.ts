import { defineSendEmailSuite } from "./send-email.suite";
import { sqliteFactory } from "@/server/objectql/test-support/test-databases";

defineSendEmailSuite(sqliteFactory);
