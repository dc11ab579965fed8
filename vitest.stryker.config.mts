// The unit project alone (SQLite, no servers), for Stryker's vitest runner (stryker.config.mjs).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      "server-only": path.join(root, "test/server-only-stub.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["**/*.int.test.ts", "**/node_modules/**", "e2e/**", ".next/**", ".stryker-tmp/**"],
    testTimeout: 20_000,
  },
});
