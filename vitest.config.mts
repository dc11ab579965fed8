import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside a React Server Components build; tests import server code directly.
      "server-only": path.join(root, "test/server-only-stub.ts"),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: ["**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "e2e/**", ".next/**", ".stryker-tmp/**"],
          // Sign-in tests hash passwords with bcrypt: seconds each on a loaded 2-core machine.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "int",
          environment: "node",
          include: ["**/*.int.test.ts"],
          exclude: ["**/node_modules/**", "e2e/**", ".next/**", ".stryker-tmp/**"],
          // Integration suites talk to a real server: allow slower DDL.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
