import { sql } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { tableName } from "./sql-names";

/**
 * Keeps the database's planner statistics fresh, so its own plan choices (and the engine's:
 * query/plan-choice.ts) see the data as it is: at start, after a schema change and after a bulk
 * insert. SQLite: `PRAGMA optimize`, which analyzes only the tables whose size changed a lot,
 * sampling at most `analysis_limit` rows per index (set on every connection: server/db/data-db.ts),
 * a few milliseconds even for a million rows. PostgreSQL: `ANALYZE` of the table written (a sample
 * of 30,000 rows); autovacuum would get there too, up to a minute later. MySQL: nothing (its
 * statistics update themselves).
 */

/** Rows an insertMany must write before the statistics are refreshed. */
export const BULK_ROWS_FOR_STATISTICS = 1000;

export async function refreshStatistics(db: DataDatabase, objectName?: string): Promise<void> {
  if (db.dialect === "sqlite") {
    await sql`pragma optimize`.execute(db.kysely);
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
