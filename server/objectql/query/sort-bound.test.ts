import { defineSortBoundSuite } from "./sort-bound.suite";
import { sqliteFactory } from "../test-support/test-databases";

defineSortBoundSuite(sqliteFactory);
