import { sql } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { tableName } from "./sql-names";

/**
 * Keeps the database's planner statistics fresh, so its own plan choices (and the engine's:
 * query/plan-choice.ts) see the data as it is: at start, after a schema change and after a bulk
 * insert. SQLite: `ANALYZE` of the tables `PRAGMA optimize` names (those never analyzed or whose
 * size changed a lot), reading their whole indexes: about a second per million rows, rarely, where
 * a sample misjudged columns of few values (server/db/data-db.ts). PostgreSQL: `ANALYZE` of the
 * table written (a sample of 30,000 rows); autovacuum would get there too, up to a minute later. MySQL: nothing (its
 * statistics update themselves).
 */

/** Rows an insertMany must write before the statistics are refreshed. */
export const BULK_ROWS_FOR_STATISTICS = 1000;

export async function refreshStatistics(db: DataDatabase, objectName?: string): Promise<void> {
  if (db.dialect === "sqlite") {
    // `pragma optimize` samples at most 2,000 rows per index whatever analysis_limit says, so it
    // only names the tables to analyze (`optimize(-1)`: report, do nothing) and ANALYZE reads them whole.
    const planned = await sql<{ optimize: string }>`pragma optimize(-1)`.execute(db.kysely);
    for (const { optimize } of planned.rows) {
      if (/^ANALYZE "main"\."[^"]+"$/.test(optimize)) await sql.raw(optimize).execute(db.kysely);
    }
  } else if (db.dialect === "postgres" && objectName !== undefined) {
    await sql`analyze ${sql.table(tableName(objectName))}`.execute(db.kysely);
  }
}

/**
 * Refreshes in the background, after the write that prompted it has been answered: a failure
 * (the table dropped meanwhile, the pool closing) is only logged, never the writer's problem.
 */
export function refreshStatisticsLater(db: DataDatabase, objectName?: string): Promise<void> {
  return refreshStatistics(db, objectName).catch((error: unknown) => {
    console.warn(`statistics of ${objectName ?? "the database"} not refreshed: ${error instanceof Error ? error.message : String(error)}`);
  });
}
