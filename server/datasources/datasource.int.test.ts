import { describe } from "vitest";
import { requireTestServer } from "@/server/objectql/test-support/test-databases";
import { defineDatasourceSuite } from "./datasource.suite";
import { mysqlExternal, postgresExternal } from "./test-support/external-databases";

const postgresDown = await requireTestServer("postgres");
const mysqlDown = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineDatasourceSuite("postgres", () => postgresExternal("warehouse", "Warehouse"));
});

describe.skipIf(mysqlDown !== null)("mysql", () => {
  defineDatasourceSuite("mysql", () => mysqlExternal("shop", "Shop"));
});
