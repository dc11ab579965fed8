import "server-only";
import { CompiledQuery, Kysely, MysqlDialect, type MysqlPool, type MysqlPoolConnection } from "kysely";
import mysql from "mysql2";
import { wantsArrayRows } from "./statement-hints";

/**
 * MySQL / MariaDB connections for the data layer: a mysql2 pool behind Kysely's MysqlDialect.
 *
 * Every connection is pinned to the settings the SQL layer relies on, whatever the server's
 * defaults are: strict mode (an out-of-range or truncated value is an error, never a silent
 * change), backslash escapes in string literals (LIKE ... ESCAPE '\\'), UTC for DATETIME, utf8mb4.
 */

/** SQL modes every session runs with (no ANSI_QUOTES: Kysely quotes identifiers with backticks). */
const SESSION_SQL_MODE = "STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

/** Statements mysql2 runs as server-side prepared statements (DDL and session commands use the text protocol). */
const PREPARABLE = /^\s*(?:\/\*[^*]*\*\/\s*)?\(?\s*(select|insert|update|delete|with|replace)\b/i;

/**
 * Result decoding: DATE as 'YYYY-MM-DD' (no time zone shift), DECIMAL and in-range BIGINT as
 * numbers, TINYINT(1) as booleans, JSON as text (the record codec parses it, the same way
 * for MySQL, whose driver would parse it, and MariaDB, where JSON is LONGTEXT).
 */
const typeCast: mysql.TypeCast = (field, next) => {
  if (field.type === "TINY" && field.length === 1) {
    const value = field.string();
    return value === null ? null : value !== "0";
  }
  return next();
};

export type MysqlConnectionOptions = {
  url: string;
  connectionLimit?: number;
  /** Every session refuses writes (external data sources attached read-only). */
  readOnly?: boolean;
};

function poolOptions(url: string, connectionLimit: number): mysql.PoolOptions {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!database) throw new Error("MySQL URL: the database name is missing (mysql://user:pass@host:port/database)");
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || "root",
    password: decodeURIComponent(parsed.password),
    database,
    charset: "utf8mb4_unicode_ci",
    connectionLimit,
    timezone: "Z",
    dateStrings: ["DATE"],
    decimalNumbers: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    jsonStrings: true,
    typeCast,
    // Each connection caches its prepared statements; bound the cache (the server has a global limit).
    maxPreparedStatements: 500,
    connectTimeout: 10_000,
  };
}

/**
 * Wraps a pooled mysql2 connection so that Kysely's `query(sql, parameters)` runs parameterised
 * DML as a server-side prepared statement (`execute`, cached per connection) and everything
 * else (DDL, transaction control, session settings) as a plain query.
 *
 * Prepared statements are used on MariaDB only: mysql2 binds every JS number as DOUBLE, which
 * MySQL 8.0.22+ refuses for `LIMIT ?` / `OFFSET ?`. On MySQL the text protocol is used, with
 * mysql2 escaping every value client-side (still never spliced from user input by us).
 */
/** Set by mysql2 from the server's handshake. */
function isMariaDB(raw: mysql.PoolConnection): boolean {
  return (raw as unknown as { _isMariaDB?: boolean })._isMariaDB === true;
}

function preparedStatementPool(pool: mysql.Pool): MysqlPool {
  const wrapped = new WeakMap<mysql.PoolConnection, MysqlPoolConnection>();
  const wrap = (raw: mysql.PoolConnection): MysqlPoolConnection => {
    let connection = wrapped.get(raw);
    if (!connection) {
      connection = {
        query: ((text: string, parameters: unknown[], callback?: (error: unknown, result: unknown) => void) => {
          if (!callback) return raw.query(text, parameters); // streaming
          // Text marked with arrayRowsSql: rows as arrays.
          const options = { sql: text, rowsAsArray: wantsArrayRows(text) };
          if (parameters.length > 0 && isMariaDB(raw) && PREPARABLE.test(text)) {
            raw.execute(options, parameters as never, (error, result) => callback(error, result));
          } else {
            raw.query(options, parameters, (error, result) => callback(error, result));
          }
        }) as MysqlPoolConnection["query"],
        release: () => raw.release(),
      };
      wrapped.set(raw, connection);
    }
    return connection;
  };
  return {
    getConnection: (callback) => pool.getConnection((error, raw) => callback(error, error ? (undefined as never) : wrap(raw))),
    end: (callback) => pool.end((error) => callback(error)),
  };
}

export function createMysqlKysely({ url, connectionLimit = 10, readOnly = false }: MysqlConnectionOptions): Kysely<any> {
  const pool = mysql.createPool(poolOptions(url, connectionLimit));
  return new Kysely({
    dialect: new MysqlDialect({
      pool: preparedStatementPool(pool),
      onCreateConnection: async (connection) => {
        await connection.executeQuery(
          CompiledQuery.raw(`set session sql_mode = '${SESSION_SQL_MODE}', time_zone = '+00:00'`),
        );
        if (readOnly) await connection.executeQuery(CompiledQuery.raw("set session transaction read only"));
      },
    }),
  });
}

/** `mysql://` or `mariadb://`. */
export function isMysqlUrl(url: string): boolean {
  return /^(mysql|mariadb):\/\//i.test(url);
}
