import { CompiledQuery, type Kysely } from "kysely";

/**
 * How the engine asks the data database's drivers for more than Kysely can say. Kysely hands a
 * driver only the SQL text and its parameters, so the request travels in the text, as a leading
 * comment (to any other driver, or to the database, it is only a comment):
 *
 * - Rows as arrays of column values in select order, instead of objects keyed by column name.
 *   Drivers build a row object property by property (better-sqlite3 creates every column-name
 *   string anew for every row), which cost more than SQLite's own work on a 50-row keyset page
 *   (118 µs as objects, 79 µs as arrays). The engine knows its statements' column order and
 *   builds each record once. SQLite: raw statements (data-db.ts), PostgreSQL: `rowMode: 'array'`
 *   (DataPgClient), mysql2: `rowsAsArray` (mysql-pool.ts).
 * - Prepared: the statement is one of the engine's cached plans, run again and again with other
 *   values, so on PostgreSQL it becomes a named prepared statement of the connection (parsed and
 *   analysed once; about 20 µs a run). SQLite reuses prepared statements by text anyway, and
 *   MariaDB runs parameterised statements prepared (mysql-pool.ts). The text carries the plan's
 *   number, so a plan compiled for changed definitions never runs a statement prepared before.
 */
const ARRAY_ROWS = "/* os:array */ ";
const PREPARED_PREFIX = "/* os:array,prepared:";

export type StatementHints = {
  /** Set for a plan kept and run again: a number unique to the plan in this process. */
  preparedAs?: number;
};

export function arrayRowsSql(sql: string, hints: StatementHints = {}): string {
  return hints.preparedAs === undefined ? ARRAY_ROWS + sql : `${PREPARED_PREFIX}${hints.preparedAs} */ ${sql}`;
}

export function wantsArrayRows(sql: string): boolean {
  return sql.startsWith(ARRAY_ROWS) || sql.startsWith(PREPARED_PREFIX);
}

export function wantsPrepared(sql: string): boolean {
  return sql.startsWith(PREPARED_PREFIX);
}

/** The statement as written (what explain shows). */
export function withoutStatementHints(sql: string): string {
  if (sql.startsWith(ARRAY_ROWS)) return sql.slice(ARRAY_ROWS.length);
  if (sql.startsWith(PREPARED_PREFIX)) return sql.slice(sql.indexOf(" */ ") + 4);
  return sql;
}

let lastPlanNumber = 0;

/** A number for a plan about to be kept (see StatementHints.preparedAs). */
export function nextPlanNumber(): number {
  return ++lastPlanNumber;
}

/**
 * Runs `sql` (marked with `arrayRowsSql`) and returns its rows as arrays. A driver that ignored
 * the mark (a Kysely instance made elsewhere) returned objects: their values are in select order
 * too (the engine's column aliases are never integer-like, so keys keep insertion order).
 */
export async function selectArrayRows(kysely: Kysely<any>, sql: string, parameters: readonly unknown[]): Promise<unknown[][]> {
  const rows = (await kysely.executeQuery<unknown>(CompiledQuery.raw(sql, parameters as unknown[]))).rows;
  if (rows.length > 0 && !Array.isArray(rows[0])) return rows.map((row) => Object.values(row as Record<string, unknown>));
  return rows as unknown[][];
}
