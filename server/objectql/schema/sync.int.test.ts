import { describe } from "vitest";
import { defineSchemaSyncSuite } from "./sync.suite";
import { postgresFactory, requireTestServer } from "../test-support/test-databases";

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineSchemaSyncSuite(postgresFactory());
});
