import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgres/client";
import { splitPostgresSchema } from "./data-db";

/**
 * The Prisma client for the platform's own tables. Both providers are generated from one
 * schema (scripts/prisma.mjs), so their model APIs are identical; we type both as the SQLite
 * client's type.
 */
export type PlatformDb = SqlitePrismaClient;

export function createPlatformDb(databaseUrl: string): PlatformDb {
  if (databaseUrl.startsWith("file:") || databaseUrl === ":memory:") {
    const path = databaseUrl.replace(/^file:/, "");
    return new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url: path, timeout: 5000 }) });
  }
  const { connectionString, schema } = splitPostgresSchema(databaseUrl);
  const adapter = new PrismaPg(
    { connectionString, max: 5, ...(schema ? { options: `-c search_path=${schema}` } : {}) },
    schema ? { schema } : undefined,
  );
  return new PostgresPrismaClient({ adapter }) as unknown as PlatformDb;
}
