import { describe } from "vitest";
import { runConformanceSuite } from "./conformance.suite";
import { mysqlFactory, postgresFactory, requireTestServer } from "../test-support/test-databases";

/** The conformance suite on the database servers: each run gets its own schema/database, dropped afterwards. */

const postgresDown = await requireTestServer("postgres");
describe.skipIf(postgresDown !== null)("postgres", () => {
  runConformanceSuite("postgres", () => postgresFactory().create());
});

const mysqlReason = await requireTestServer("mysql");
describe.skipIf(mysqlReason !== null)("mysql", () => {
  runConformanceSuite("mysql", () => mysqlFactory().create());
});
