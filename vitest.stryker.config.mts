// The unit project alone (SQLite, no servers), for Stryker's vitest runner (stryker.config.mjs),
// narrowed to the tests of the area's own folders: the whole unit project reruns seeded demos and
// bcrypt sign-ins for every mutant, hours on 2 cores. A mutant must be caught by its own tests.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

const TESTS: Record<string, string[]> = {
  security: ["server/security/**/*.test.ts"],
  // The write checks enforce permissions: the security tests (the permission matrix) exercise them.
  writes: ["server/objectql/**/*.test.ts", "server/security/**/*.test.ts"],
  // The spec's refinements (flows, forms, views, queries) are exercised by the checks and
  // designers that build on them, not only by spec/'s own tests.
  spec: [
    "spec/**/*.test.ts",
    "server/automation/flow-check.test.ts",
    "server/metadata/**/*.test.ts",
    "server/forms/**/*.test.ts",
    "server/views/**/*.test.ts",
    "designers/**/*.test.ts",
    "formula/form-rules.test.ts",
    "components/runtime/*.test.ts",
  ],
};
const area = process.env.STRYKER_AREA ?? "security";

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      "server-only": path.join(root, "test/server-only-stub.ts"),
    },
  },
  test: {
    environment: "node",
    include: TESTS[area] ?? ["**/*.test.ts"],
    exclude: ["**/*.int.test.ts", "**/node_modules/**", "e2e/**", ".next/**", ".stryker-tmp/**"],
    // bcrypt sign-ins take seconds each on a loaded machine; a dry-run timeout aborts the whole run.
    testTimeout: 60_000,
    // Not `isolate: false`: it ran faster but reported mutants as survived that their tests kill
    // when the mutation is made by hand (stale activation between runs).
  },
});
