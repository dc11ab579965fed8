import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
// Separate database files (and E2E_PORT, NEXT_DIST_DIR) let parallel e2e runs share a checkout.
const DB = process.env.E2E_DB ?? "data/e2e.db";
// One production server and one database per worker: specs that change what is global (the
// security model, an object's definition, a default form) never run beside another spec on the
// same database. Worker n uses port PORT+n and database DB-n (worker 0: PORT and DB).
// `--workers n` (or -j n) on the command line counts too: the main process reads it here and
// passes it on to the workers, which load this file again, through E2E_WORKERS.
const cliWorkers = process.argv.flatMap((arg, index, args) => (arg === "--workers" || arg === "-j" ? [args[index + 1]] : arg.startsWith("--workers=") ? [arg.slice(10)] : []))[0];
const WORKERS = Math.max(1, Number(/^\d+$/.test(cliWorkers ?? "") ? cliWorkers : (process.env.E2E_WORKERS ?? 2)));
process.env.E2E_WORKERS = String(WORKERS);
const portOf = (worker: number) => PORT + worker;
const dbOf = (worker: number) => (worker === 0 ? DB : DB.replace(/(\.db)?$/, `-${worker}$1`));
// Playwright sets TEST_PARALLEL_INDEX (0 … workers-1) in each worker before it loads this file
// there, so every test of a worker talks to that worker's server.
const worker = Number(process.env.TEST_PARALLEL_INDEX ?? 0) % WORKERS;

/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser) against the production
 * build (`next build` first), each worker on a fresh SQLite database seeded with the demo CRM.
 * Specs run in parallel and in any order (`npm run test:e2e:shuffled`): see e2e/README.md.
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: WORKERS,
  retries: 0,
  reporter: [["list"]],
  outputDir: process.env.E2E_OUTPUT ?? "test-results",
  use: {
    baseURL: `http://127.0.0.1:${portOf(worker)}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    },
  },
  // Idle connections stay open for the whole run: Playwright's request client reuses a pooled
  // socket without heeding the server's Keep-Alive timeout (Node's default 5 s), and a reuse
  // just as the server closes it fails with ECONNRESET (microsoft/playwright#42701).
  // The production web server `npm start` runs (scripts/serve.mjs), so its request-line check is tested too.
  webServer: Array.from({ length: WORKERS }, (_, index) => {
    const [port, db] = [portOf(index), dbOf(index)];
    return {
      command: `rm -f ${db} ${db}-wal ${db}-shm && node scripts/serve.mjs -p ${port} -H 127.0.0.1 --keepAliveTimeout 3600000`,
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe" as const,
      env: { DATABASE_URL: `file:./${db}`, NODE_ENV: "production", NEXTAUTH_URL: `http://127.0.0.1:${port}` },
    };
  }),
});
