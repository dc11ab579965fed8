import next from "eslint-config-next";

const config = [
  ...next,
  {
    // Unused imports and variables are dead code; a leading underscore marks one kept on purpose.
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    ignores: [".next/**", ".next-*/**", "test-results-*/**", "node_modules/**", "server/db/generated/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", ".stryker-tmp/**", "reports/**"],
  },
];
export default config;
