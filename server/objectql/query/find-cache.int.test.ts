import { describe } from "vitest";
import { defineFindCacheSuite } from "./find-cache.suite";
import { postgresFactory, requireTestServer } from "../test-support/test-databases";

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineFindCacheSuite(postgresFactory());
});
