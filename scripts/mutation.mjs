#!/usr/bin/env node
// Mutation testing (issue 14): runs Stryker (stryker.config.mjs) once per area and prints
//   bench mutation <area> score=<percent> killed=<n> survived=<n>
// killed counts mutants a test detected (failed or timed out); survived counts those no test
// detected (survived, or covered by no test). Usage:
//   node scripts/mutation.mjs [security] [writes] [spec]   (default: all three)
//   node scripts/mutation.mjs --report-only [area...]     (print the last run's reports/mutation/<area>.json)
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const AREAS = ["security", "writes", "spec"];
const args = process.argv.slice(2);
const reportOnly = args.includes("--report-only");
const areas = args.filter((arg) => !arg.startsWith("--"));
for (const area of areas) {
  if (!AREAS.includes(area)) {
    console.error(`Unknown area '${area}': one of ${AREAS.join(", ")}`);
    process.exit(2);
  }
}

/** Counts of a Stryker JSON report (mutation-testing-report-schema). */
export function summarize(report) {
  const counts = {};
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  }
  const killed = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const survived = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  const score = killed + survived === 0 ? 100 : (100 * killed) / (killed + survived);
  return { score, killed, survived, counts };
}

let failed = false;
const lines = [];
for (const area of areas.length > 0 ? areas : AREAS) {
  if (!reportOnly) {
    const started = Date.now();
    const run = spawnSync("npx", ["stryker", "run"], { cwd: root, stdio: "inherit", env: { ...process.env, STRYKER_AREA: area } });
    console.log(`mutation ${area}: stryker finished in ${Math.round((Date.now() - started) / 1000)} s (exit ${run.status})`);
    if (run.status !== 0) failed = true;
  }
  const file = path.join(root, "reports/mutation", `${area}.json`);
  if (!existsSync(file)) {
    console.error(`No report for area '${area}' (${path.relative(root, file)}): run without --report-only first`);
    failed = true;
    continue;
  }
  const { score, killed, survived, counts } = summarize(JSON.parse(readFileSync(file, "utf8")));
  lines.push(`bench mutation ${area} score=${score.toFixed(2)} killed=${killed} survived=${survived}`);
  console.log(`mutation ${area}: ${JSON.stringify(counts)}`);
}
for (const line of lines) console.log(line);
process.exit(failed ? 1 : 0);
