import { describe } from "vitest";
import { defineObjectQLSuite } from "./objectql.suite";
import { postgresFactory, requireTestServer } from "./test-support/test-databases";

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineObjectQLSuite(postgresFactory());
});
