// Mutation testing (issue 14): `npm run test:mutation` (scripts/mutation.mjs) runs one area at a time.
// STRYKER_AREA picks the files to mutate; only the unit project (SQLite) runs, so no server is needed.
const areas = {
  security: ["server/security/*.ts", "!server/security/*.test.ts", "!server/security/*.suite.ts"],
  writes: [
    "server/objectql/records/validation.ts",
    "server/objectql/records/validation-rules.ts",
    "server/objectql/records/codec.ts",
    // objectql.ts: only the write paths (transactions, write checks, references, autonumber,
    // error translation; insert, insertMany, update, updateMany, transaction, delete, changeOwner).
    "server/objectql/objectql.ts:297-345",
    "server/objectql/objectql.ts:379-555",
    "server/objectql/objectql.ts:636-938",
  ],
  spec: ["spec/*.ts", "!spec/*.test.ts"],
};

const area = process.env.STRYKER_AREA ?? "security";
if (!areas[area]) throw new Error(`STRYKER_AREA must be one of ${Object.keys(areas).join(", ")} (got '${area}')`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.mts", related: true },
  // STRYKER_COVERAGE=all runs every mutant against every test of the area (slower; immune to
  // code behind caches being credited to the first test only: docs/mutation-testing.md).
  coverageAnalysis: process.env.STRYKER_COVERAGE === "all" ? "all" : "perTest",
  mutate: areas[area],
  // Two shared cores: one sandbox each.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${area}.json`,
  reporters: ["json", "clear-text", "progress"],
  jsonReporter: { fileName: `reports/mutation/${area}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  ignorePatterns: ["/.stryker-tmp", "/data", "/.next", "/.next-*", "/test-results*", "/playwright-report", "/reports", "/e2e", "/docs", "*.db"],
  // One folder per area, so areas can run side by side.
  tempDirName: `.stryker-tmp/${area}`,
  cleanTempDir: true,
  timeoutMS: 20000,
  thresholds: { high: 90, low: 80, break: null },
  // Mutants in code run at import time (module constants) are covered by no single test, so each
  // would rerun every related test (on 2 cores: hours). They are left out of the score; see
  // docs/mutation-testing.md.
  ignoreStatic: process.env.STRYKER_COVERAGE !== "all",
};
export default config;
