#!/usr/bin/env node
// `npm start`: builds the app when the build is missing or older than the sources, then serves
// it. Migrations and the demo seed run inside the server at boot (instrumentation.ts), so this
// works on a fresh machine with no configuration (SQLite file in ./data).
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
// No telemetry: the app must work offline and air-gapped.
process.env.NEXT_TELEMETRY_DISABLED = "1";
const buildId = join(root, ".next/BUILD_ID");
const SOURCES = ["app", "components", "designers", "server", "spec", "prisma", "instrumentation.ts", "next.config.ts", "package.json"];

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

const sourcesTime = Math.max(...SOURCES.map((source) => newestMtime(join(root, source))));
if (!existsSync(buildId) || statSync(buildId).mtimeMs < sourcesTime) {
  console.log("Building ObjectStudio (first start or sources changed)…");
  const build = spawnSync(join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT ?? "3000";
console.log(`Starting ObjectStudio on http://localhost:${port} (database: ${process.env.DATABASE_URL ?? "file:./data/objectstudio.db"})`);
const server = spawn(join(root, "node_modules/.bin/next"), ["start", "-p", port], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
