import type { DataDialect } from "@/server/db/data-db";
import type { FieldDef } from "@/spec/object";
import { storageKindOf } from "../schema/column-types";
import { datetimeParameter } from "../dialect-sql";

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

type ColumnReader = (value: unknown) => unknown;

const readAsIs: ColumnReader = (value) => (value === undefined ? null : value);
const readBoolean: ColumnReader = (value) =>
  value === null || value === undefined ? null : value === true || value === 1 || value === "1" || value === "t" || value === "true";
const readNumber: ColumnReader = (value) => (value === null || value === undefined ? null : typeof value === "number" ? value : Number(value));
const readDatetime: ColumnReader = timestampToIso;
const readDate: ColumnReader = (value) =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
const readJsonText: ColumnReader = (value) => {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/**
 * How to turn a field's column value as read into the JS value returned to callers. Chosen
 * once per field and query (the list path reads thousands of values with it), not per value.
 */
export function columnReader(field: FieldDef, dialect: DataDialect): ColumnReader {
  switch (storageKindOf(field.type)) {
    case "boolean":
      return readBoolean;
    case "number":
      return readNumber;
    case "datetime":
      return readDatetime;
    case "date":
      return readDate;
    case "json":
      // pg has already parsed jsonb (a JSON string comes back as a JS string: leave it).
      return dialect === "postgres" ? readAsIs : readJsonText;
    default:
      return readAsIs;
  }
}

/**
 * Whether a field's column value, as the driver returns it, already is the value returned to
 * callers (text-like and, on SQLite and PostgreSQL, numbers and dates), so reading it needs no
 * conversion.
 */
export function passesThrough(field: FieldDef, dialect: DataDialect): boolean {
  const reader = columnReader(field, dialect);
  if (reader === readAsIs) return true;
  // SQLite returns REAL/TEXT as JS numbers/strings; the pg parsers here return numbers and 'YYYY-MM-DD'.
  if (reader === readNumber || reader === readDate) return dialect !== "mysql";
  return false;
}

/** A column value as read -> the JS value returned to callers. */
export function fromColumnValue(field: FieldDef, value: unknown, dialect: DataDialect): unknown {
  return columnReader(field, dialect)(value);
}
