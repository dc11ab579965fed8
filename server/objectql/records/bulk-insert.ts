import { CompiledQuery, type Kysely } from "kysely";
import type { DataDialect } from "@/server/db/data-db";

/**
 * Multi-row INSERTs for bulk writes, as SQL text built directly rather than through the query
 * builder: a builder walks one node per value (hundreds of thousands for a big import), while
 * this joins a tuple of placeholders per row. Every full chunk has the same text, so SQLite's
 * prepared-statement cache (server/db/data-db.ts) parses it once. Names come from metadata
 * (validated identifiers) and are quoted; values are always bound.
 */

/** Bound parameters per statement: under SQLite's 32766 and PostgreSQL's/MySQL's 65535. */
export const MAX_BIND_PARAMETERS = 30_000;

/** A table or column name quoted for the dialect (backticks on MySQL, double quotes elsewhere). */
export function quoteIdentifier(dialect: DataDialect, name: string): string {
  return dialect === "mysql" ? `\`${name.replaceAll("`", "``")}\`` : `"${name.replaceAll('"', '""')}"`;
}

function insertText(dialect: DataDialect, table: string, columns: string[], rowCount: number): string {
  const width = columns.length;
  const tuples: string[] = new Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    if (dialect === "postgres") {
      const slots: string[] = new Array(width);
      for (let column = 0; column < width; column++) slots[column] = `$${row * width + column + 1}`;
      tuples[row] = `(${slots.join(", ")})`;
    } else {
      tuples[row] = `(${new Array(width).fill("?").join(", ")})`;
    }
  }
  return `insert into ${quoteIdentifier(dialect, table)} (${columns.map((column) => quoteIdentifier(dialect, column)).join(", ")}) values ${tuples.join(", ")}`;
}

/**
 * Inserts `rowCount` rows whose values lie one row after the other in `values` (`columns.length`
 * per row, in column order; undefined is NULL), in as few statements as the parameter limit
 * allows. One flat array rather than an array per row: a bulk import has hundreds of thousands.
 */
export async function insertRows(executor: Kysely<any>, dialect: DataDialect, table: string, columns: string[], values: unknown[], rowCount: number): Promise<void> {
  const width = columns.length;
  const chunk = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / width));
  let fullText: string | null = null;
  for (let start = 0; start < rowCount; start += chunk) {
    const count = Math.min(chunk, rowCount - start);
    const text = count === chunk ? (fullText ??= insertText(dialect, table, columns, chunk)) : insertText(dialect, table, columns, count);
    const parameters = values.slice(start * width, (start + count) * width);
    for (let index = 0; index < parameters.length; index++) if (parameters[index] === undefined) parameters[index] = null;
    await executor.executeQuery(CompiledQuery.raw(text, parameters));
  }
}
