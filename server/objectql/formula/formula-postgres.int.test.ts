import { describe } from "vitest";
import { postgresFactory, requireTestServer } from "../test-support/test-databases";
import { defineFormulaSuite } from "./formula.suite";

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineFormulaSuite(postgresFactory());
});
