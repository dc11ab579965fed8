import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgres/client";
import type Database from "better-sqlite3";
import { beginImmediate, splitPostgresSchema, type DataDatabase } from "./data-db";

/**
 * The Prisma client for the platform's own tables. Both providers are generated from one
 * schema (scripts/prisma.mjs), so their model APIs are identical; we type both as the SQLite
 * client's type.
 */
export type PlatformDb = SqlitePrismaClient;

/**
 * Prisma's SQLite adapter, with transactions that take the write lock when they begin (see
 * beginImmediate: several processes on one file). The adapter keeps its connection as `client`;
 * should a later version not, its transactions stay deferred (a rare busy error under concurrent
 * writes from several processes, never lost data).
 */
class PlatformSqliteAdapter extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client?: Database.Database }).client;
    if (client && typeof client.prepare === "function") beginImmediate(client);
    return adapter;
  }
}

export function createPlatformDb(databaseUrl: string): PlatformDb {
  if (databaseUrl.startsWith("file:") || databaseUrl === ":memory:") {
    const path = databaseUrl.replace(/^file:/, "");
    // The busy timeout: how long a write waits for another process's write to finish.
    return new SqlitePrismaClient({ adapter: new PlatformSqliteAdapter({ url: path, timeout: 5000 }) });
  }
  const { connectionString, schema } = splitPostgresSchema(databaseUrl);
  const adapter = new PrismaPg(
    { connectionString, max: 5, ...(schema ? { options: `-c search_path=${schema}` } : {}) },
    schema ? { schema } : undefined,
  );
  return new PostgresPrismaClient({ adapter }) as unknown as PlatformDb;
}

/**
 * Kept on the client object under a global symbol, not in a module-level map: Next.js bundles
 * route handlers and instrumentation separately, so this module may be loaded more than once in
 * a server, while the services (and their clients) are shared through globalThis.
 */
const DATA_DATABASE = Symbol.for("objectstudio.linkedDataDatabase");
type Linked = PlatformDb & { [DATA_DATABASE]?: DataDatabase };

/**
 * Records that `dataDb` (Kysely) reaches the same database as `platformDb` (services.ts does,
 * for the one DATABASE_URL). Per-request platform queries (the API key check, the API usage log)
 * run through it: a Prisma query costs about a millisecond of CPU (its query compiler runs in
 * WebAssembly for every query), the same statement through Kysely a few microseconds on SQLite.
 */
export function linkDataDatabase(platformDb: PlatformDb, dataDb: DataDatabase): void {
  Object.defineProperty(platformDb, DATA_DATABASE, { value: dataDb, enumerable: false, configurable: true });
}

/** The Kysely connection to the same database as `platformDb`, when linked. */
export function linkedDataDatabase(platformDb: PlatformDb): DataDatabase | undefined {
  return (platformDb as Linked)[DATA_DATABASE];
}
