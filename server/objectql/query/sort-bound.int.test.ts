import { describe } from "vitest";
import { defineSortBoundSuite } from "./sort-bound.suite";
import { postgresFactory, requireTestServer } from "../test-support/test-databases";

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineSortBoundSuite(postgresFactory());
});
