import { defineStatisticsSuite } from "./statistics.suite";
import { sqliteFactory } from "../test-support/test-databases";

defineStatisticsSuite(sqliteFactory);
