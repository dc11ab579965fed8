// Prisma CLI configuration. Prisma's native engines cannot be downloaded on our machines, so
// the CLI runs its JavaScript schema engine over a driver adapter (see ../shared/STACK.md).
// The CLI is only used at development time (`npm run db:migration`) and for `prisma generate`;
// at run time migrations are applied by server/db/migrate.ts.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

const usePostgres = process.env.PRISMA_PROVIDER === "postgres";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: usePostgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  async adapter() {
    if (usePostgres) {
      return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test" });
    }
    return new PrismaBetterSQLite3({ url: "file:./data/prisma-cli.db" });
  },
});
