import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { defineDatasourceSuite } from "./datasource.suite";

defineDatasourceSuite("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "objectstudio-datasource-"));
  const file = join(dir, "external.db");
  const setup = new Database(file);
  setup.pragma("foreign_keys = ON");
  return {
    datasource: { name: "legacy", label: "Legacy", driver: "sqlite", url: `file:${file}` },
    async exec(statement) {
      setup.exec(statement);
    },
    async cleanup() {
      setup.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
