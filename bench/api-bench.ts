import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { PG_TEST_URL, probePostgres } from "@/server/objectql/test-support/test-databases";
import { benchIdentity, type BenchIdentity } from "./api-client";
import { ensureBuild, startProductionServer, type BenchServer } from "./grid-server";

/**
 * The data API under concurrent clients, against the production server (`npm start`'s own
 * script, scripts/start.mjs, so WEB_CONCURRENCY runs as users run it) on a fresh database
 * seeded with the demo data at boot, as the demo user (a session cookie and an API key):
 *   bench api <driver> <case> clients=<n> rps=<v> p50_ms=<v> p99_ms=<v> timeouts=<n> max_ms=<v> errors=<n> processes=<n>
 * Cases: health (GET /api/health: the framework's floor in the same run), rest_list (the
 * opportunity list, 50 rows sorted by amount), rest_get (one opportunity by id), trpc_find
 * (data.find, the same list as the app asks it). Each runs at each client count for `seconds`
 * after a warm-up of `warmupSeconds` with the same number of connections.
 *
 * The load comes from autocannon in a process of its own (bench/api-load.mjs): a generator in
 * this process would share its event loop with the bookkeeping, and one inside the server would
 * measure nothing real. It still shares the machine's cores with the server, as the issue's
 * runs did; the bench prints the load average so a busy machine is visible next to the figures.
 * Targets on SQLite (one process, 64 clients): no request over 1 s, no timeouts, p99 under
 * 200 ms, rest_list throughput at least half of health's.
 */
export type ApiBenchOptions = {
  drivers: Set<string>;
  clients: number[];
  processes: number[];
  seconds: number;
  warmupSeconds: number;
};

const root = resolve(__dirname, "..");
const DEMO_USER = { email: "user@objectstudio.local", password: "User123!" };
const LIST_QUERY = { object: "opportunity", orderBy: [{ field: "amount", direction: "desc" }], limit: 50 };

type Case = { name: string; path: (identity: BenchIdentity) => string; headers: (identity: BenchIdentity) => Record<string, string> };
const CASES: Case[] = [
  { name: "health", path: () => "/api/health", headers: () => ({}) },
  {
    name: "rest_list",
    path: () => "/api/v1/objects/opportunity/records?sort=-amount&limit=50",
    headers: (identity) => ({ authorization: `Bearer ${identity.apiKey}` }),
  },
  {
    name: "rest_get",
    path: (identity) => `/api/v1/objects/opportunity/records/${identity.recordId}`,
    headers: (identity) => ({ authorization: `Bearer ${identity.apiKey}` }),
  },
  {
    name: "trpc_find",
    path: () => `/api/trpc/data.find?input=${encodeURIComponent(JSON.stringify({ json: LIST_QUERY }))}`,
    headers: (identity) => ({ cookie: identity.cookie }),
  },
];

type LoadResult = { rps: number; p50: number; p99: number; max: number; timeouts: number; errors: number; non2xx: number; requests: number };

/** One autocannon run in its own process. */
function load(url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<LoadResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(__dirname, "api-load.mjs"), JSON.stringify({ url, connections, durationSeconds: seconds, headers })], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return fail(new Error(`bench api: the load process ended with ${code}`));
      try {
        done(JSON.parse(output.trim().split("\n").pop()!) as LoadResult);
      } catch (error) {
        fail(error);
      }
    });
  });
}

/** `npm start` (scripts/start.mjs) with WEB_CONCURRENCY=processes; resolves once every process can answer. */
async function startServer(databaseUrl: string, processes: number): Promise<BenchServer> {
  const server = await startProductionServer({ databaseUrl, startScript: true, env: { WEB_CONCURRENCY: String(processes) } });
  // /api/health answers once the first process has booted; the others start after it.
  if (processes > 1) await new Promise((wait) => setTimeout(wait, 5000 * (processes - 1)));
  return server;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function benchServer(driver: string, databaseUrl: string, processes: number, options: ApiBenchOptions): Promise<void> {
  const server = await startServer(databaseUrl, processes);
  try {
    const identity = await benchIdentity(server.url, DEMO_USER, "opportunity");
    const rps = new Map<string, number>();
    for (const clients of options.clients) {
      for (const benchCase of CASES) {
        const url = `${server.url}${benchCase.path(identity)}`;
        const headers = benchCase.headers(identity);
        await load(url, clients, options.warmupSeconds, headers);
        const result = await load(url, clients, options.seconds, headers);
        rps.set(`${benchCase.name}:${clients}`, result.rps);
        const failures = result.errors + result.non2xx;
        console.log(
          `bench api ${driver} ${benchCase.name} clients=${clients} rps=${round(result.rps)} p50_ms=${result.p50} p99_ms=${result.p99} timeouts=${result.timeouts}` +
            ` max_ms=${result.max} errors=${failures} processes=${processes} load_avg=${round(loadavg()[0]!, 2)}`,
        );
      }
      const health = rps.get(`health:${clients}`)!;
      console.log(`bench api ${driver} rest_list_vs_health clients=${clients} ratio=${round(rps.get(`rest_list:${clients}`)! / health, 2)} processes=${processes}`);
    }
  } finally {
    await server.stop();
  }
}

async function sqliteBench(options: ApiBenchOptions) {
  for (const processes of options.processes) {
    const file = join(root, "data", `bench-api-${process.pid}-${processes}.db`);
    const cleanup = () => ["", "-wal", "-shm", "-journal"].forEach((suffix) => rmSync(`${file}${suffix}`, { force: true }));
    cleanup();
    try {
      await benchServer("sqlite", `file:${file}`, processes, options);
    } finally {
      cleanup();
    }
  }
}

async function postgresBench(options: ApiBenchOptions) {
  const probe = await probePostgres();
  if (!probe.ok) {
    console.log(`bench api postgres skipped: PostgreSQL at ${PG_TEST_URL} unreachable (${probe.reason})`);
    return;
  }
  for (const processes of options.processes) {
    // A schema of its own, created by the server at start (?schema=) and dropped after.
    const schema = `bench_api_${Date.now().toString(36)}`;
    const url = new URL(PG_TEST_URL);
    url.searchParams.set("schema", schema);
    try {
      await benchServer("postgres", url.toString(), processes, options);
    } finally {
      const client = new pg.Client({ connectionString: PG_TEST_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  }
}

export async function runApiBench(options: ApiBenchOptions): Promise<void> {
  ensureBuild();
  if (options.drivers.has("sqlite")) await sqliteBench(options);
  if (options.drivers.has("postgres")) await postgresBench(options);
}
