import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { createServices } from "@/server/services";
import { seedDemoCrm, seedUsers } from "@/server/seed/seed";

/**
 * The browser benchmarks' server: a fresh SQLite database under data/ seeded with the demo CRM
 * plus `rows` generated opportunities (ObjectQL insertMany, validated like any bulk insert), and
 * the production build served by scripts/serve.mjs on a free port.
 */

const root = resolve(__dirname, "..");
export const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
export const ADMIN = { email: "admin@objectstudio.local", password: "Admin123!" };
const STAGES = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"];

/** Builds the app when the dist dir has no build (tsconfig.json is restored: next build rewrites it). */
export function ensureBuild(): void {
  if (existsSync(join(root, DIST_DIR, "BUILD_ID"))) return;
  console.log(`bench: no production build in ${DIST_DIR}, building it (several minutes)…`);
  const saved = join(root, "data", `tsconfig.bench-${process.pid}.json`);
  mkdirSync(join(root, "data"), { recursive: true });
  copyFileSync(join(root, "tsconfig.json"), saved);
  try {
    const build = spawnSync(join(root, "node_modules/.bin/next"), ["build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
  } finally {
    copyFileSync(saved, join(root, "tsconfig.json"));
    rmSync(saved, { force: true });
  }
}

/** A fresh database file with the demo CRM and `rows` extra opportunities. */
export async function seedBenchDatabase(file: string, rows: number): Promise<void> {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
  const services = await createServices(`file:${file}`);
  try {
    await seedUsers(services);
    await seedDemoCrm(services);
    const started = performance.now();
    const chunk = 20_000;
    for (let offset = 0; offset < rows; offset += chunk) {
      const batch = Array.from({ length: Math.min(chunk, rows - offset) }, (_, i) => {
        const n = offset + i + 1;
        return {
          name: `Bench deal ${String(n).padStart(6, "0")}`,
          stage: STAGES[n % STAGES.length],
          amount: (n % 100_000) * 10,
          probability: n % 100,
          close_date: new Date(Date.UTC(2026, 0, 1) + (n % 1000) * 86_400_000).toISOString().slice(0, 10),
        };
      });
      await services.objectql.insertMany({ kind: "system" }, "opportunity", batch);
    }
    console.log(`bench setup grid: ${rows} opportunities in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await services.dataDb.destroy();
    await services.platformDb.$disconnect();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export type BenchServer = { url: string; stop: () => Promise<void> };

/** The production web server (scripts/serve.mjs) on the database file; resolves once /api/health answers. */
export function startServer(databaseFile: string): Promise<BenchServer> {
  return startProductionServer({ databaseUrl: `file:${databaseFile}` });
}

/**
 * The production build on a free port: scripts/serve.mjs, or with `startScript` `npm start`'s own
 * script (scripts/start.mjs: WEB_CONCURRENCY in `env`). Resolves once /api/health answers.
 */
export async function startProductionServer(options: { databaseUrl: string; startScript?: boolean; env?: Record<string, string> }): Promise<BenchServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const [command, args] = options.startScript
    ? [process.execPath, [join(root, "scripts/start.mjs")]]
    : [process.execPath, [join(root, "scripts/serve.mjs"), "-p", String(port), "-H", "127.0.0.1"]];
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: options.databaseUrl,
      NEXTAUTH_URL: url,
      PORT: String(port),
      ...options.env,
    },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 300));
  }
  await stop();
  throw new Error(`the server did not answer /api/health within 180 s: ${stderr}`);
}
