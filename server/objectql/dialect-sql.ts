import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { DateGranularity } from "@/spec/query";

/**
 * Every piece of dialect-specific SQL the query compiler emits, in one place, so a new driver
 * is a matter of filling in branches. Values stay bound parameters; only fixed SQL text differs.
 */

/** The SQL dialects the read path knows (the data database's `dialect`). */
export type SqlDialect = "sqlite" | "postgres" | "mysql";

/** Case-insensitive LIKE with `\` as escape. */
export function likeMatch(dialect: SqlDialect, column: RawBuilder<unknown>, pattern: string): RawBuilder<SqlBool> {
  switch (dialect) {
    case "postgres":
      return sql<SqlBool>`${column} ilike ${pattern} escape '\\'`;
    case "mysql":
      // Object tables use a binary collation (= and unique are exact, as on the other dialects), so
      // case is folded explicitly; external tables may have any collation. Sessions keep backslash
      // escapes on (server/db/mysql-pool.ts), so '\\' in SQL is one backslash.
      return sql<SqlBool>`lower(${column}) like lower(${pattern}) escape '\\\\'`;
    default:
      // SQLite's LIKE is case-insensitive for ASCII.
      return sql<SqlBool>`${column} like ${pattern} escape '\\'`;
  }
}

/**
 * Lists at least this long are bound as ONE parameter holding the whole list (a JSON array read
 * with json_each on SQLite, an array with `= any` on PostgreSQL) instead of one parameter per
 * value: a filter with many long `in` lists then stays far below every driver's limit on bound
 * values (SQLite 32,766, PostgreSQL 65,535). MySQL keeps one parameter per value (its limit is
 * 65,535: see MAX_BOUND_VALUES).
 */
export const BOUND_LIST_MIN = 50;

/** The most values one statement may bind, per dialect (SQLITE_MAX_VARIABLE_NUMBER; the wire protocols' 16-bit count). */
export const MAX_BOUND_VALUES: Record<SqlDialect, number> = { sqlite: 32_766, postgres: 65_535, mysql: 65_535 };

/** `expression in (values)`; `values` is non-empty. */
export function inList(dialect: SqlDialect, expression: RawBuilder<unknown>, values: unknown[]): RawBuilder<SqlBool> {
  if (values.length >= BOUND_LIST_MIN) {
    if (dialect === "postgres") return sql<SqlBool>`${expression} = any(${values})`;
    if (dialect === "sqlite") return sql<SqlBool>`${expression} in (select value from json_each(${JSON.stringify(values)}))`;
  }
  return sql<SqlBool>`${expression} in (${sql.join(values.map((value) => sql`${value}`))})`;
}

/** `column` (a JSON array of strings) contains any of `values`. */
export function jsonArrayHasAny(dialect: SqlDialect, column: RawBuilder<unknown>, values: unknown[]): RawBuilder<SqlBool> {
  switch (dialect) {
    case "postgres":
      return sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(${column}) as element(value) where ${inList(dialect, sql.ref("element.value"), values)})`;
    case "mysql":
      return sql<SqlBool>`(${sql.join(values.map((value) => sql`json_contains(${column}, json_quote(${value}))`), sql` or `)})`;
    default:
      return sql<SqlBool>`exists (select 1 from json_each(${column}) as element where ${inList(dialect, sql.ref("element.value"), values)})`;
  }
}

/** An ORDER BY term with the platform's NULL placement: last when ascending, first when descending. */
export function orderTerm(dialect: SqlDialect, expression: RawBuilder<unknown>, direction: "asc" | "desc"): RawBuilder<unknown> {
  if (dialect === "mysql") {
    // MySQL has no NULLS FIRST/LAST; NULL sorts lowest, so an `is null` key puts it where we want.
    return direction === "desc" ? sql`${expression} is null desc, ${expression} desc` : sql`${expression} is null, ${expression} asc`;
  }
  return direction === "desc" ? sql`${expression} desc nulls first` : sql`${expression} asc nulls last`;
}

/** A datetime (ISO 8601, UTC) as the parameter its column compares with. */
export function datetimeParameter(dialect: SqlDialect, iso: string): string {
  // MySQL DATETIME takes 'YYYY-MM-DD HH:MM:SS.fff' (UTC by convention), not the ISO 'T'/'Z' form.
  return dialect === "mysql" ? iso.replace("T", " ").replace(/Z$/, "") : iso;
}

/**
 * The first day of the date bucket that a date or datetime column's value falls in, as text
 * 'YYYY-MM-DD' on every dialect (weeks start on Monday; datetimes are bucketed in UTC).
 */
export function dateBucket(
  dialect: SqlDialect,
  column: RawBuilder<unknown>,
  kind: "date" | "datetime",
  granularity: DateGranularity,
): RawBuilder<string> {
  switch (dialect) {
    case "postgres": {
      // Without a zone, date_trunc does not depend on the session's TimeZone.
      const timestamp = kind === "date" ? sql`${column}::timestamp` : sql`(${column} at time zone 'UTC')`;
      return sql<string>`to_char(date_trunc(${sql.lit(granularity)}, ${timestamp}), 'YYYY-MM-DD')`;
    }
    case "mysql": {
      const day = sql`date(${column})`;
      switch (granularity) {
        case "day": return sql<string>`date_format(${day}, '%Y-%m-%d')`;
        case "week": return sql<string>`date_format(date_sub(${day}, interval weekday(${day}) day), '%Y-%m-%d')`;
        case "month": return sql<string>`date_format(${day}, '%Y-%m-01')`;
        case "quarter": return sql<string>`concat(year(${day}), '-', lpad((quarter(${day}) - 1) * 3 + 1, 2, '0'), '-01')`;
        case "year": return sql<string>`date_format(${day}, '%Y-01-01')`;
      }
      break;
    }
    default: {
      // SQLite stores dates as 'YYYY-MM-DD' and datetimes as ISO text in UTC; its date functions read both.
      switch (granularity) {
        case "day": return sql<string>`date(${column})`;
        case "week": return sql<string>`date(${column}, '-' || ((cast(strftime('%w', ${column}) as integer) + 6) % 7) || ' days')`;
        case "month": return sql<string>`strftime('%Y-%m-01', ${column})`;
        case "quarter":
          return sql<string>`(strftime('%Y', ${column}) || '-' || printf('%02d', ((cast(strftime('%m', ${column}) as integer) - 1) / 3) * 3 + 1) || '-01')`;
        case "year": return sql<string>`strftime('%Y-01-01', ${column})`;
      }
    }
  }
  throw new Error(`Unsupported date granularity '${String(granularity)}'`);
}

/**
 * How HAVING refers to a result column: PostgreSQL allows no select aliases there (repeat the
 * expression); MySQL does not match a repeated non-aggregate expression against GROUP BY (use the alias).
 */
export function havingOperand(dialect: SqlDialect, expression: RawBuilder<unknown>, selectAlias: string): RawBuilder<unknown> {
  return dialect === "mysql" ? sql.ref(selectAlias) : expression;
}
