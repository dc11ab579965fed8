import { defineFindCacheSuite } from "./find-cache.suite";
import { sqliteFactory } from "../test-support/test-databases";

defineFindCacheSuite(sqliteFactory);
