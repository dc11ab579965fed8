import { runConformanceSuite } from "./conformance.suite";
import { sqliteFactory } from "../test-support/test-databases";

runConformanceSuite("sqlite", () => sqliteFactory.create());
