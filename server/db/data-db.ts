import "server-only";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { registerFormulaSqliteFunctions } from "@/server/objectql/formula/sqlite-functions";
import { wantsArrayRows, wantsPrepared } from "./statement-hints";
import { createMysqlKysely, isMysqlUrl } from "./mysql-pool";

/**
 * The database that holds user-defined object tables (`obj_<name>`) and the applied-schema
 * state. SQLite (embedded default), PostgreSQL or MySQL/MariaDB, chosen by the URL. (MySQL serves
 * the data layer and external data sources only: the platform's own Prisma tables do not run on it.)
 */
export type DataDialect = "sqlite" | "postgres" | "mysql";

export type DataDatabase = {
  // Tables are created at run time from metadata, so there is no static table type.
  kysely: Kysely<any>;
  dialect: DataDialect;
  destroy(): Promise<void>;
};

const PG_OID = { int8: 20, numeric: 1700, date: 1082, timestamptz: 1184 } as const;

/** PostgreSQL's text form of a timestamptz in a UTC session: 2026-01-02 03:04:05[.fraction]+00. */
const PG_UTC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;
const parseTimestamptz = pg.types.getTypeParser(PG_OID.timestamptz, "text") as (value: string) => Date;

/**
 * timestamptz as the ISO 8601 string the engine returns (2026-01-02T03:04:05.678Z), rewritten
 * from the text form instead of going through a Date; anything but the plain UTC form (other
 * offsets, BC, infinity) takes pg's own parser.
 */
export function pgTimestampToIso(value: string): string | Date {
  const match = PG_UTC_TIMESTAMP.exec(value);
  if (!match) return parseTimestamptz(value);
  return `${match[1]}T${match[2]}.${(match[3] ?? "").slice(0, 3).padEnd(3, "0")}Z`;
}

/**
 * Type parsers for one pool only (not pg's global registry, which other code in the process,
 * e.g. Prisma's adapter, may rely on): numbers come back as JS numbers, dates as 'YYYY-MM-DD',
 * timestamps as ISO strings (sessions run in UTC, see createDataDatabase).
 */
export const pgTypeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === undefined || format === "text") {
      if (oid === PG_OID.int8 || oid === PG_OID.numeric) return (value: string) => Number(value);
      if (oid === PG_OID.date) return (value: string) => value;
      if (oid === PG_OID.timestamptz) return pgTimestampToIso;
    }
    return pg.types.getTypeParser(oid, format ?? "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * Registers JS helper functions on a SQLite connection. Schema sync uses them to convert
 * column values during a table rebuild (SQLite has no strict numeric/date parsing of its own:
 * CAST('12abc' AS REAL) is 12, where we want NULL).
 */
function registerSqliteFunctions(db: Database.Database): void {
  const options = { deterministic: true, varargs: false };
  db.function("os_to_number", options, (value: unknown) => {
    if (typeof value === "number") return value;
    if (typeof value !== "string") return null;
    const trimmed = value.trim();
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return null;
    const parsed = Number(trimmed);
    return Number.isFinite(parsed) ? parsed : null;
  });
  db.function("os_to_boolean", options, (value: unknown) => {
    if (typeof value === "number") return value === 0 ? 0 : 1;
    if (typeof value !== "string") return null;
    const word = value.trim().toLowerCase();
    if (["true", "t", "yes", "y", "1", "on"].includes(word)) return 1;
    if (["false", "f", "no", "n", "0", "off"].includes(word)) return 0;
    return null;
  });
  db.function("os_to_date", options, (value: unknown) => {
    if (typeof value !== "string") return null;
    const match = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
    if (!match) return null;
    const date = new Date(`${match[1]}T00:00:00.000Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === match[1] ? match[1] : null;
  });
  db.function("os_to_datetime", options, (value: unknown) => {
    if (typeof value !== "string") return null;
    const text = value.trim();
    if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text)) return null;
    // A bare date or a time without zone is taken as UTC, so the result does not depend on the server's zone.
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
    const iso = text.length === 10 ? `${text}T00:00:00Z` : `${text.replace(" ", "T")}${hasZone ? "" : "Z"}`;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  });
}

function sqlitePathFromUrl(url: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  if (url.startsWith("file:")) return url.slice("file:".length);
  return url;
}

/**
 * Transactions on this connection take SQLite's write lock when they begin (BEGIN IMMEDIATE),
 * waiting up to the busy timeout for another process's write to finish. A deferred BEGIN takes it
 * at the first write instead, and when the transaction has read by then and another process
 * wrote meanwhile, SQLite fails it at once (SQLITE_BUSY, no waiting: its snapshot is stale).
 * One process never meets this (one connection, one transaction at a time); several web
 * processes on one file would (WEB_CONCURRENCY). Kysely and Prisma's adapter both send "begin".
 */
export function beginImmediate(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => prepare(/^begin$/i.test(source.trim()) ? "begin immediate" : source)) as typeof db.prepare;
}

/** How many distinct SQL texts keep their prepared statement per SQLite connection. */
const SQLITE_STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every statement anew; ObjectQL's SQL text repeats (values
 * are bound), so reusing prepared statements saves the SQLite parse/plan on every query. Safe
 * because the driver runs one statement at a time per connection (it holds a mutex), and a
 * statement is only reused once its previous run finished. Schema changes are handled by
 * SQLite itself (a stale statement is re-prepared transparently). Least recently used first out.
 * Text marked with `arrayRowsSql` gets a statement in raw mode: its rows come back as arrays.
 */
export function cachePreparedStatements(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement && !statement.busy) {
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (statement.reader && wantsArrayRows(source)) statement.raw(true);
    }
    cache.set(source, statement);
    if (cache.size > SQLITE_STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return statement;
  }) as typeof db.prepare;
}

/** Named prepared statements a PostgreSQL connection keeps before it drops them all and starts again. */
const PREPARED_PER_CONNECTION = 200;

/**
 * The pg client of the data-layer pools. Text marked by the engine (statement-hints.ts) runs
 * with its rows as arrays (`rowMode: 'array'`) and, for the engine's kept plans (when the pool
 * is made with `preparedStatements: true`), as a named prepared statement of this connection:
 * parsed and analysed once, still planned for every run's values (the session runs with
 * plan_cache_mode = force_custom_plan, so skewed data never gets a generic plan). Everything
 * else runs as pg runs it.
 */
export class DataPgClient extends pg.Client {
  readonly preparedStatements: boolean;
  /** This connection's prepared statements by SQL text; names are never reused. */
  readonly statementNames = new Map<string, string>();
  private lastStatement = 0;

  constructor(config: pg.ClientConfig & { preparedStatements?: boolean } = {}) {
    super(config);
    this.preparedStatements = config.preparedStatements === true;
  }

  statementName(text: string): string {
    let name = this.statementNames.get(text);
    if (name) return name;
    if (this.statementNames.size >= PREPARED_PER_CONNECTION) {
      // Queued ahead of the statement being prepared now (a connection runs its queries in order).
      pgQuery.call(this, "deallocate all").catch(() => {});
      this.statementNames.clear();
      // pg remembers the texts it prepared (names are never reused, so this only frees memory).
      const connection = (this as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection;
      if (connection?.parsedStatements) connection.parsedStatements = {};
    }
    name = `os_${++this.lastStatement}`;
    this.statementNames.set(text, name);
    return name;
  }
}
const pgQuery = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => Promise<unknown>;
DataPgClient.prototype.query = function (this: DataPgClient, config: unknown, values?: unknown, callback?: unknown) {
  if (typeof config === "string" && wantsArrayRows(config) && (values === undefined || Array.isArray(values))) {
    if (!this.preparedStatements || !wantsPrepared(config) || callback !== undefined) {
      return pgQuery.call(this, { text: config, values, rowMode: "array" }, callback);
    }
    return pgQuery.call(this, { text: config, values, rowMode: "array", name: this.statementName(config) }).catch((error: unknown) => {
      // Another process changed a column's type and this one has not reloaded the definitions yet
      // (a plan compiled after the reload has a new text): prepare anew next time, run unnamed now.
      // In a transaction the failed statement aborted it, and the original error is the one to see.
      if (!isStaleResultType(error)) throw error;
      this.statementNames.delete(config);
      return pgQuery.call(this, { text: config, values, rowMode: "array" }).catch((retryError: unknown) => {
        throw (retryError as { code?: string }).code === "25P02" ? error : retryError;
      });
    });
  }
  return pgQuery.call(this, config, values, callback);
} as typeof pg.Client.prototype.query;

/** PostgreSQL refuses to run a prepared statement whose columns changed type since it was prepared. */
function isStaleResultType(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "0A000" && typeof message === "string" && message.includes("cached plan must not change result type");
}

/**
 * Session settings for a pool: ours, then any `options` the URL gives (pg lets a URL's options
 * replace the pool's, which would silently drop UTC).
 */
function sessionOptions(connectionString: string, ours: string): { connectionString: string; options: string } {
  const parsed = new URL(connectionString);
  const fromUrl = parsed.searchParams.get("options");
  if (fromUrl === null) return { connectionString, options: ours };
  parsed.searchParams.delete("options");
  return { connectionString: parsed.toString(), options: `${ours} ${fromUrl}` };
}

/**
 * `?schema=name` selects a PostgreSQL schema (the same convention Prisma uses, so one
 * DATABASE_URL serves the platform tables and the object tables alike).
 */
export function splitPostgresSchema(url: string): { connectionString: string; schema: string | null } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema");
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`DATABASE_URL: schema '${schema}' must be a plain identifier`);
  }
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema };
}

/**
 * Opens the data database: `postgres://` / `postgresql://` URLs use a pg Pool, `mysql://` /
 * `mariadb://` a mysql2 pool, anything else is a SQLite path.
 */
export function createDataDatabase(url: string): DataDatabase {
  if (isMysqlUrl(url)) {
    const kysely = createMysqlKysely({ url });
    return { kysely, dialect: "mysql", destroy: () => kysely.destroy() };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { connectionString, schema } = splitPostgresSchema(url);
    const config: pg.PoolConfig & { preparedStatements: boolean } = {
      Client: DataPgClient,
      preparedStatements: true,
      types: pgTypeParsers,
      max: 10,
      // UTC sessions: timestamps read back in UTC and date buckets (group by month, ...) cut at UTC
      // midnight, as everywhere else. Prepared statements planned per run (see DataPgClient).
      ...sessionOptions(connectionString, `-c TimeZone=UTC -c plan_cache_mode=force_custom_plan${schema ? ` -c search_path=${schema}` : ""}`),
    };
    const pool = new pg.Pool(config);
    // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash
    // the process. The pool discards that client and the next query gets a fresh one.
    pool.on("error", (error) => console.error("data database: idle PostgreSQL client error", error.message));
    // A checked-out client between statements (a transaction doing work in JS) has no listener of
    // the pool's: its connection killed (pg_terminate_backend, a failover), it would emit an
    // unhandled 'error' and crash the process. Its next statement fails instead, and the pool drops it.
    pool.on("connect", (client) => client.on("error", (error) => console.error("data database: PostgreSQL connection lost", error.message)));
    const kysely = new Kysely({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: "postgres", destroy: () => kysely.destroy() };
  }

  const sqlite = new Database(sqlitePathFromUrl(url));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // No analysis_limit: ANALYZE (server/objectql/schema/statistics.ts) reads whole indexes, about a
  // second per million rows, only for tables that grew or shrank a lot. A sampled one counted at
  // most the sample's rows per value: a status of five values looked 200 times more selective than
  // it is, and SQLite chose its index over a date range a hundred times narrower.
  registerSqliteFunctions(sqlite);
  registerFormulaSqliteFunctions(sqlite);
  cachePreparedStatements(sqlite);
  beginImmediate(sqlite);
  const kysely = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  return { kysely, dialect: "sqlite", destroy: () => kysely.destroy() };
}
