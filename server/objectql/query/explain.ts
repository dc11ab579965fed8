import {
  CompiledQuery,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { withoutStatementHints } from "@/server/db/statement-hints";

/**
 * `explain`: the SQL the engine would run for a query and the database's plan for it. The
 * query is compiled by the very code that runs it (runFind / runCount / runAggregate) against a
 * capturing Kysely whose driver records the statement instead of executing it; the statement is
 * then explained on the real database with its bound parameters:
 * SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN (FORMAT JSON)`, MySQL `EXPLAIN FORMAT=JSON`.
 */

/** `planChoice`: why the engine read the table as it did, when it chose (SQLite finds: query/plan-choice.ts). */
export type ExplainResult = { sql: string; params: unknown[]; plan: unknown; planChoice?: string };

class CapturingDriver implements Driver {
  readonly captured: CompiledQuery[] = [];
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const captured = this.captured;
    return {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        captured.push(query);
        return { rows: [] };
      },
      async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error("explain: streaming is not captured");
      },
    };
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

function capturingKysely(dialect: DataDialect, driver: CapturingDriver): Kysely<any> {
  const parts: Dialect =
    dialect === "postgres"
      ? { createAdapter: () => new PostgresAdapter(), createDriver: () => driver, createQueryCompiler: () => new PostgresQueryCompiler(), createIntrospector: (db) => new PostgresIntrospector(db) }
      : dialect === "mysql"
        ? { createAdapter: () => new MysqlAdapter(), createDriver: () => driver, createQueryCompiler: () => new MysqlQueryCompiler(), createIntrospector: (db) => new MysqlIntrospector(db) }
        : { createAdapter: () => new SqliteAdapter(), createDriver: () => driver, createQueryCompiler: () => new SqliteQueryCompiler(), createIntrospector: (db) => new SqliteIntrospector(db) };
  return new Kysely<any>({ dialect: parts });
}

/** Compiles (without running) the first statement `build` issues on the given Kysely. */
export async function captureStatement(dialect: DataDialect, build: (kysely: Kysely<any>) => Promise<unknown>): Promise<CompiledQuery> {
  const driver = new CapturingDriver();
  await build(capturingKysely(dialect, driver));
  const statement = driver.captured[0];
  if (!statement) throw new Error("explain: the query issued no statement");
  return statement;
}

function explainPrefix(dialect: DataDialect): string {
  if (dialect === "postgres") return "explain (format json) ";
  if (dialect === "mysql") return "explain format=json ";
  return "explain query plan ";
}

export async function explainStatement(kysely: Kysely<any>, dialect: DataDialect, statement: CompiledQuery): Promise<ExplainResult> {
  const text = withoutStatementHints(statement.sql);
  const result = await kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(explainPrefix(dialect) + text, [...statement.parameters]));
  let plan: unknown;
  if (dialect === "postgres") {
    plan = result.rows[0]?.["QUERY PLAN"];
  } else if (dialect === "mysql") {
    const text = result.rows[0]?.EXPLAIN;
    plan = typeof text === "string" ? (JSON.parse(text) as unknown) : text;
  } else {
    plan = result.rows.map((row) => ({ id: row.id, parent: row.parent, detail: row.detail }));
  }
  return { sql: text, params: [...statement.parameters], plan };
}
