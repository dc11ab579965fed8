import { describe } from "vitest";
import { postgresFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";
import { definePermissionMatrixSuite } from "./permission-matrix.suite";

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("postgres", () => {
  definePermissionMatrixSuite(postgresFactory());
});
