import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
// Separate database files (and E2E_PORT, NEXT_DIST_DIR) let parallel e2e runs share a checkout.
const DB = process.env.E2E_DB ?? "data/e2e.db";

/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser) against the production
 * build (`next build` first), on a fresh SQLite database seeded with the demo CRM.
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: process.env.E2E_OUTPUT ?? "test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
  webServer: {
    // Idle connections stay open for the whole run: Playwright's request client reuses a pooled
    // socket without heeding the server's Keep-Alive timeout (Node's default 5 s), and a reuse
    // just as the server closes it fails with ECONNRESET (microsoft/playwright#42701).
    // The production web server `npm start` runs (scripts/serve.mjs), so its request-line check is tested too.
    command: `rm -f ${DB} ${DB}-wal ${DB}-shm && node scripts/serve.mjs -p ${PORT} -H 127.0.0.1 --keepAliveTimeout 3600000`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { DATABASE_URL: `file:./${DB}`, NODE_ENV: "production", NEXTAUTH_URL: `http://127.0.0.1:${PORT}` },
  },
});
