/**
 * `npm run bench`: ObjectQL vs hand-written SQL on each driver, in one process, then the grid
 * and the app route's bundle in a browser against the production build.
 *   --tickets N  rows in the big table (default 1,000,000)   --runs N  timed runs per case (default 15)
 *   --grid-rows N  records in the browser grid case (default 100,000)
 *   --only objectql|flow|grid|api  run just those cases (grid includes the bundle case)
 *   --api-seconds N  measured seconds per API case (default 15, after a 3 s warm-up: --api-warmup N)
 *   --api-clients 1,16,64  --api-processes 1,2  (WEB_CONCURRENCY of the server in the API cases)
 *   --driver sqlite|postgres  run the database cases on that driver only
 *   --case by_id,list_selective  run only these ObjectQL cases (bulk_insert, security: those benches)
 *   --queue-runs N  after-save runs in the flow queue case (PostgreSQL, pg-boss, two workers; default 1,000)
 *   --no-browser  skip the browser cases (they need Chromium and a production build, built if missing)
 * PostgreSQL runs where a server answers (TEST_DATABASE_URL or the local default) and says so
 * where not.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDataDatabase } from "@/server/db/data-db";
import { PG_TEST_URL, postgresFactory, probePostgres } from "@/server/objectql/test-support/test-databases";
import { runGridBench } from "./grid-bench";
import { GROUP_BY_QUERY, LIST_QUERY, runObjectQLBench, type BenchLine, type BenchOptions } from "./objectql-bench";
import { runSecurityBench } from "./security-bench";
import { runApiBench } from "./api-bench";
import { runFlowBench } from "./flow-bench";
import { runFlowQueueBench } from "./flow-queue-bench";
import { formatRatio } from "./measure";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** A comma-separated list of positive whole numbers. */
function list(name: string, fallback: number[]): number[] {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const values = (process.argv[index + 1] ?? "").split(",").map(Number);
  if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value <= 0)) throw new Error(`--${name} takes positive whole numbers, comma-separated`);
  return values;
}

function selectedCases(): Set<string> {
  const index = process.argv.indexOf("--only");
  const all = ["objectql", "flow", "grid", "api"];
  if (index < 0) return new Set(all);
  const chosen = (process.argv[index + 1] ?? "").split(",").filter(Boolean);
  const unknown = chosen.filter((name) => !all.includes(name));
  if (chosen.length === 0 || unknown.length > 0) throw new Error(`--only takes ${all.join(", ")} (comma-separated), not '${process.argv[index + 1] ?? ""}'`);
  return new Set(chosen);
}

/** `--case a,b`: the ObjectQL cases to run (undefined: all). */
function selectedObjectQLCases(): Set<string> | undefined {
  const index = process.argv.indexOf("--case");
  if (index < 0) return undefined;
  const chosen = (process.argv[index + 1] ?? "").split(",").filter(Boolean);
  if (chosen.length === 0) throw new Error("--case takes case names (comma-separated), as the bench lines print them");
  return new Set(chosen);
}

function selectedDrivers(): Set<string> {
  const index = process.argv.indexOf("--driver");
  const all = ["sqlite", "postgres"];
  if (index < 0) return new Set(all);
  const chosen = (process.argv[index + 1] ?? "").split(",").filter(Boolean);
  if (chosen.length === 0 || chosen.some((name) => !all.includes(name))) throw new Error(`--driver takes ${all.join(", ")} (comma-separated), not '${process.argv[index + 1] ?? ""}'`);
  return new Set(chosen);
}

async function runDatabaseBenches(options: BenchOptions) {
  const drivers = selectedDrivers();
  const sqliteLines = drivers.has("sqlite") ? await runSqliteBenches(options) : [];
  const postgresLines = drivers.has("postgres") ? await runPostgresBenches(options) : [];
  // The embedded default against PostgreSQL on the same data, case by case (issue 15: every
  // SQLite list case within 3x).
  for (const line of sqliteLines) {
    const postgres = postgresLines.find((other) => other.name === line.name);
    if (postgres) console.log(`bench objectql sqlite_vs_postgres ${line.name} ratio=${formatRatio(line.objectqlMs / postgres.objectqlMs)}${line.list ? "" : " (not a list case)"}`);
  }
  const failed = [...sqliteLines, ...postgresLines].filter((line) => line.ratioBest > 1.25).map((line) => `${line.driver} ${line.name} ${line.ratioBest.toFixed(2)}`);
  const slow = sqliteLines.filter((line) => line.list && postgresLines.some((other) => other.name === line.name && line.objectqlMs > 3 * other.objectqlMs)).map((line) => line.name);
  console.log(`bench objectql targets: ratio_best <= 1.25 ${failed.length ? `missed by ${failed.join(", ")}` : "met"}; SQLite lists within 3x PostgreSQL ${postgresLines.length === 0 ? "not compared (PostgreSQL not run)" : slow.length ? `missed by ${slow.join(", ")}` : "met"}`);
}

async function runSqliteBenches(options: BenchOptions): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), "objectstudio-bench-"));
  const sqliteDb = createDataDatabase(`file:${join(dir, "bench.db")}`);
  try {
    const lines = await runObjectQLBench(sqliteDb, "sqlite", options);
    if (!options.cases || options.cases.has("security")) await runSecurityBench(sqliteDb, "sqlite", options.runs, { list: LIST_QUERY, groupBy: GROUP_BY_QUERY });
    return lines;
  } finally {
    await sqliteDb.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgresBenches(options: BenchOptions): Promise<BenchLine[]> {
  const probe = await probePostgres();
  if (!probe.ok) {
    console.log(`bench objectql postgres skipped: PostgreSQL at ${PG_TEST_URL} unreachable (${probe.reason})`);
    return [];
  }
  const pgDb = await postgresFactory().create();
  try {
    const lines = await runObjectQLBench(pgDb.db, "postgres", options);
    if (!options.cases || options.cases.has("security")) await runSecurityBench(pgDb.db, "postgres", options.runs, { list: LIST_QUERY, groupBy: GROUP_BY_QUERY });
    return lines;
  } finally {
    await pgDb.cleanup();
  }
}

/** The flow engine against hand-written code, on a fresh SQLite file and PostgreSQL schema of its own. */
async function runFlowBenches(runs: number) {
  const drivers = selectedDrivers();
  if (drivers.has("sqlite")) {
    const dir = mkdtempSync(join(tmpdir(), "objectstudio-flow-bench-"));
    const sqliteDb = createDataDatabase(`file:${join(dir, "flow.db")}`);
    try {
      await runFlowBench(sqliteDb, "sqlite", runs);
    } finally {
      await sqliteDb.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!drivers.has("postgres")) return;
  const probe = await probePostgres();
  if (!probe.ok) return console.log(`bench flow postgres skipped: PostgreSQL at ${PG_TEST_URL} unreachable (${probe.reason})`);
  const pgDb = await postgresFactory().create();
  try {
    await runFlowBench(pgDb.db, "postgres", runs);
  } finally {
    await pgDb.cleanup();
  }
  // After-save runs through pg-boss to two workers (a schema and services of its own).
  await runFlowQueueBench(option("queue-runs", 1000));
}

async function main() {
  const options: BenchOptions = {
    tickets: option("tickets", 1_000_000),
    people: option("people", 10_000),
    runs: option("runs", 15),
    bulkRows: option("bulk", 100_000),
    cases: selectedObjectQLCases(),
  };
  const cases = selectedCases();
  if (cases.has("objectql")) await runDatabaseBenches(options);
  if (cases.has("flow")) await runFlowBenches(options.runs);
  if (cases.has("api")) {
    await runApiBench({
      drivers: selectedDrivers(),
      clients: list("api-clients", [1, 16, 64]),
      processes: list("api-processes", [1, 2]),
      seconds: option("api-seconds", 15),
      warmupSeconds: option("api-warmup", 3),
    });
  }

  if (!cases.has("grid")) return;
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (process.argv.includes("--no-browser")) {
    console.log("bench grid skipped: --no-browser (the grid and bundle cases need Chromium and a production build)");
    console.log("bench bundle skipped: --no-browser");
  } else if (!existsSync(chromium)) {
    console.log(`bench grid skipped: no Chromium at ${chromium} (set CHROMIUM_PATH)`);
    console.log("bench bundle skipped: no Chromium");
  } else {
    await runGridBench({ rows: option("grid-rows", 100_000), runs: Math.min(options.runs, 7) });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
