import { describe } from "vitest";
import { defineFindCacheSuite } from "./find-cache.suite";
import { mysqlFactory, requireTestServer } from "../test-support/test-databases";

const unavailable = await requireTestServer("mysql");

describe.skipIf(unavailable !== null)("mysql", () => {
  defineFindCacheSuite(mysqlFactory());
});
