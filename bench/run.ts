/**
 * `npm run bench`: ObjectQL vs hand-written SQL on each driver, in one process.
 *   --tickets N  rows in the big table (default 1,000,000)   --runs N  timed runs per case (default 15)
 * PostgreSQL runs where a server answers (TEST_DATABASE_URL or the local default) and says so
 * where not.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDataDatabase } from "@/server/db/data-db";
import { PG_TEST_URL, postgresFactory, probePostgres } from "@/server/objectql/test-support/test-databases";
import { GROUP_BY_QUERY, LIST_QUERY, runObjectQLBench, type BenchOptions } from "./objectql-bench";
import { runSecurityBench } from "./security-bench";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function main() {
  const options: BenchOptions = {
    tickets: option("tickets", 1_000_000),
    people: option("people", 10_000),
    runs: option("runs", 15),
    bulkRows: option("bulk", 100_000),
  };

  const dir = mkdtempSync(join(tmpdir(), "objectstudio-bench-"));
  const sqliteDb = createDataDatabase(`file:${join(dir, "bench.db")}`);
  try {
    await runObjectQLBench(sqliteDb, "sqlite", options);
    await runSecurityBench(sqliteDb, "sqlite", options.runs, { list: LIST_QUERY, groupBy: GROUP_BY_QUERY });
  } finally {
    await sqliteDb.destroy();
    rmSync(dir, { recursive: true, force: true });
  }

  const probe = await probePostgres();
  if (!probe.ok) {
    console.log(`bench objectql postgres skipped: PostgreSQL at ${PG_TEST_URL} unreachable (${probe.reason})`);
    return;
  }
  const pgDb = await postgresFactory().create();
  try {
    await runObjectQLBench(pgDb.db, "postgres", options);
    await runSecurityBench(pgDb.db, "postgres", options.runs, { list: LIST_QUERY, groupBy: GROUP_BY_QUERY });
  } finally {
    await pgDb.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
