import next from "eslint-config-next";

const config = [
  ...next,
  {
    ignores: [".next/**", ".next-*/**", "test-results-*/**", "node_modules/**", "server/db/generated/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
];
export default config;
