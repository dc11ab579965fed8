#!/usr/bin/env node
// `npm start`: builds the app when the build is missing or older than the sources, then serves
// it. Migrations and the demo seed run inside the server at boot (instrumentation.ts), so this
// works on a fresh machine with no configuration (SQLite file in ./data).
//
// WEB_CONCURRENCY=n runs n web processes on the one port (node:cluster: the primary accepts
// connections and hands them to the workers in turn); the database is their shared state, and
// each process reloads its cached metadata when another publishes (server/metadata/published-changes.ts).
// The first process starts alone, so migrations and the seed run once; then the others start.
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const nextBin = join(root, "node_modules/.bin/next");
// The web server: Next's request handler behind the raw request-line check (scripts/serve.mjs).
const serveScript = join(root, "scripts/serve.mjs");
// No telemetry: the app must work offline and air-gapped.
process.env.NEXT_TELEMETRY_DISABLED = "1";
const distDir = process.env.NEXT_DIST_DIR || ".next";
const buildId = join(root, distDir, "BUILD_ID");
const SOURCES = ["app", "components", "designers", "server", "spec", "formula", "prisma", "proxy.ts", "instrumentation.ts", "next.config.ts", "package.json"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry === "generated") continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/**
 * WEB_CONCURRENCY: a whole number from 1 to 64. By default one process per core, at most 4: one
 * Node process uses one core, and the API's latency targets under 64 connections hold on this
 * 2-core machine only with both (README, Performance).
 */
function webConcurrency() {
  const raw = process.env.WEB_CONCURRENCY ?? String(Math.min(availableParallelism(), 4));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    console.error(`WEB_CONCURRENCY must be a whole number from 1 to 64, not '${raw}'`);
    process.exit(1);
  }
  return value;
}

const port = process.env.PORT ?? "3000";
const serveArgs = ["-p", port];
const workers = webConcurrency();

if (workers === 1) {
  prepare();
  console.log(`Starting ObjectStudio on http://localhost:${port} (database: ${process.env.DATABASE_URL ?? "file:./data/objectstudio.db"})`);
  const { spawn } = await import("node:child_process");
  const server = spawn(process.execPath, [serveScript, ...serveArgs], { cwd: root, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
} else {
  prepare();
  console.log(`Starting ObjectStudio on http://localhost:${port} with ${workers} web processes (database: ${process.env.DATABASE_URL ?? "file:./data/objectstudio.db"})`);
  // Workers run the web server; their listen() goes through this process, which owns the port.
  cluster.setupPrimary({ exec: serveScript, args: serveArgs, silent: false });
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork({ OBJECTSTUDIO_WORKER: "1" });
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      // A worker that dies is replaced (after a pause, so a crash at start does not spin).
      console.error(`web process ${worker.process.pid} ended (${signal ?? `exit ${code}`}); starting another`);
      setTimeout(fork, 1000);
    });
    return worker;
  };
  let firstReady = false;
  const first = fork();
  first.once("exit", (code) => {
    // The first one failed at boot (for example the database cannot be reached): it said why.
    if (!firstReady) process.exit(code ?? 1);
  });
  await waitForHealth(`http://127.0.0.1:${port}/api/health`, first);
  firstReady = true;
  for (let i = 1; i < workers; i++) fork();
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
  cluster.on("exit", () => {
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
}

/** Builds when the build is missing or older than the sources. */
function prepare() {
  const sourcesTime = Math.max(...SOURCES.map((source) => newestMtime(join(root, source))));
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= sourcesTime) return;
  console.log("Building ObjectStudio (first start or sources changed)…");
  const build = spawnSync(nextBin, ["build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

/** Waits until the first web process answers /api/health (its boot, with migrations and seed, is done). */
async function waitForHealth(url, worker) {
  for (;;) {
    if (worker.isDead()) return;
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
