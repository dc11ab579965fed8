import { describe } from "vitest";
import { defineStatisticsSuite } from "./statistics.suite";
import { postgresFactory, requireTestServer } from "../test-support/test-databases";

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineStatisticsSuite(postgresFactory());
});
