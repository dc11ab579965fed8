import { defineComputedAndRulesSuite } from "./computed-and-rules.suite";
import { sqliteFactory } from "./test-support/test-databases";

defineComputedAndRulesSuite(sqliteFactory);
