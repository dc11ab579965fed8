import type { DataDialect } from "@/server/db/data-db";
import type { FieldDef } from "@/spec/object";
import { storageKindOf } from "./column-types";
import { datetimeParameter } from "./dialect-sql";

/**
 * Converts field values between their JS form (what the API sends and returns) and their
 * column form, per dialect: SQLite keeps booleans as 0/1 and JSON as text; PostgreSQL returns
 * timestamptz as Date (we return ISO strings) and jsonb already parsed; MySQL takes DATETIME as
 * 'YYYY-MM-DD HH:MM:SS.fff' (UTC), returns it as Date and JSON as text (see server/db/mysql-pool.ts).
 */

/** A system timestamp (ISO 8601, UTC) as the parameter for a created_at / updated_at column. */
export function timestampParameter(iso: string, dialect: DataDialect): string {
  return datetimeParameter(dialect, iso);
}

/** A validated JS value -> the bound parameter for its column. */
export function toColumnValue(field: FieldDef, value: unknown, dialect: DataDialect): unknown {
  if (value === null || value === undefined) return null;
  switch (storageKindOf(field.type)) {
    case "boolean":
      return dialect === "postgres" ? Boolean(value) : value ? 1 : 0;
    case "datetime":
      return typeof value === "string" ? datetimeParameter(dialect, value) : value;
    case "json":
      // node-postgres would send a JS array as a PostgreSQL array, so jsonb gets JSON text too.
      return JSON.stringify(value);
    default:
      return value;
  }
}

export function timestampToIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** A column value as read -> the JS value returned to callers. */
export function fromColumnValue(field: FieldDef, value: unknown, dialect: DataDialect): unknown {
  if (value === null || value === undefined) return null;
  switch (storageKindOf(field.type)) {
    case "boolean":
      return value === true || value === 1 || value === "1" || value === "t" || value === "true";
    case "number":
      return typeof value === "number" ? value : Number(value);
    case "datetime":
      return timestampToIso(value);
    case "date":
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    case "json":
      // pg has already parsed jsonb (a JSON string comes back as a JS string: leave it).
      if (dialect === "postgres" || typeof value !== "string") return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
}
