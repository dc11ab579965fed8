#!/usr/bin/env node
// Runs the end-to-end suite in a random order: Playwright's `--shuffle <seed>` orders the test
// groups (with fullyParallel, every test) by a hash of the seed. The seed is printed first and
// last so a failing order can be run again: E2E_SEED=<seed> node scripts/e2e-shuffled.mjs.
// With E2E_WORKERS=1 (one worker, one database) the order is exactly the same again; with more
// workers the same sequence is handed out to whichever worker is free.
// Other arguments go to `playwright test` (a spec file, --workers, --grep, ...).
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";

const seed = process.env.E2E_SEED || String(randomInt(1, 2 ** 31 - 1));
if (!/^\w+$/.test(seed)) {
  console.error(`E2E_SEED must be letters and digits, not '${seed}'`);
  process.exit(2);
}
const line = `e2e shuffle seed=${seed} (again: E2E_SEED=${seed} npm run test:e2e:shuffled)`;
console.log(line);
const result = spawnSync("npx", ["playwright", "test", "--shuffle", seed, ...process.argv.slice(2)], { stdio: "inherit" });
console.log(line);
process.exit(result.status ?? 1);
