import { sql, type RawBuilder } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import type { FieldDef, FieldType } from "@/spec/object";
import { mysqlColumnType, mysqlConversionSql } from "./column-types-mysql";

/**
 * How field types are stored: the SQL column type per dialect, which type changes keep data,
 * and the SQL that converts a column's values from one type to another during schema sync.
 */

/** Fields with the same storage kind share a column representation. */
/** Digits of a currency column in all (decimal(CURRENCY_DIGITS, scale)); record validation refuses larger values. */
export const CURRENCY_DIGITS = 18;

export type StorageKind = "text" | "number" | "boolean" | "date" | "datetime" | "json" | "reference";

const STORAGE_KIND: Record<FieldType, StorageKind> = {
  text: "text", textarea: "text", email: "text", url: "text", phone: "text", select: "text", autonumber: "text",
  number: "number", currency: "number", percent: "number",
  boolean: "boolean",
  date: "date",
  datetime: "datetime",
  multiselect: "json", json: "json",
  lookup: "reference", master_detail: "reference",
  // Computed fields have no column (schema sync skips them); where a value kind is needed,
  // use computedValueField() from formula/computed-fields.ts, which knows the result type.
  formula: "text", rollup: "number",
};

export function storageKindOf(type: FieldType): StorageKind {
  return STORAGE_KIND[type];
}

/** Field types that free-text search and the text operators (contains, ...) apply to. */
export const SEARCHABLE_FIELD_TYPES: readonly FieldType[] = ["text", "textarea", "email", "url", "phone", "select", "autonumber"];

export function timestampSqlType(dialect: DataDialect): string {
  if (dialect === "mysql") return "datetime(3)";
  return dialect === "postgres" ? "timestamptz" : "text";
}

/**
 * The column type for a field. On PostgreSQL text fields are `text`, not `varchar(maxLength)`:
 * maxLength is enforced by record validation, so changing it never needs a table rewrite
 * or silently truncates data.
 */
export function columnSqlType(field: FieldDef, dialect: DataDialect): string {
  const kind = storageKindOf(field.type);
  if (dialect === "mysql") return mysqlColumnType(field, kind);
  if (dialect === "sqlite") {
    if (kind === "number") return "real";
    if (kind === "boolean") return "integer";
    return "text";
  }
  switch (kind) {
    case "number":
      return field.type === "currency" ? `numeric(${CURRENCY_DIGITS}, ${field.scale})` : "double precision";
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "datetime":
      return "timestamptz";
    case "json":
      return "jsonb";
    default:
      return "text";
  }
}

export type TypeChange = { safe: boolean; reason?: string };

function referenceOf(field: FieldDef): string | undefined {
  return field.type === "lookup" || field.type === "master_detail" ? field.reference : undefined;
}

/**
 * Classifies a field's type change. `null` means the stored column is unaffected. A change is
 * safe when every existing value survives; otherwise it is lossy and `reason` says what is lost.
 */
export function classifyTypeChange(from: FieldDef, to: FieldDef): TypeChange | null {
  const fromKind = storageKindOf(from.type);
  const toKind = storageKindOf(to.type);

  if (fromKind === "reference" && toKind === "reference") {
    if (referenceOf(from) !== referenceOf(to)) {
      return { safe: false, reason: `values that are not ids of '${referenceOf(to)}' records will be cleared` };
    }
    // lookup <-> master_detail: same ids, only the ON DELETE action changes.
    return from.type === to.type ? null : { safe: true };
  }
  if (from.type === to.type) {
    // Currency scale is part of the PostgreSQL column type (numeric(18, scale)).
    if (from.type === "currency" && to.type === "currency" && from.scale !== to.scale) return { safe: true };
    return null;
  }
  if (fromKind === toKind && (fromKind === "text" || fromKind === "number")) return { safe: true };
  // Any value can be kept as text (numbers, booleans, dates, JSON text, ids).
  if (toKind === "text") return { safe: true };
  if (from.type === "date" && to.type === "datetime") return { safe: true };
  if (from.type === "select" && to.type === "multiselect") return { safe: true };
  if (from.type === "multiselect" && to.type === "json") return { safe: true };

  switch (toKind) {
    case "number":
      return { safe: false, reason: fromKind === "text" || fromKind === "boolean" ? "values that are not numbers will be cleared" : "all values will be cleared" };
    case "boolean":
      return { safe: false, reason: fromKind === "text" || fromKind === "number" ? "values that are not true/false (or yes/no, 1/0) will be cleared" : "all values will be cleared" };
    case "date":
      if (fromKind === "datetime") return { safe: false, reason: "the time of day will be lost" };
      return { safe: false, reason: fromKind === "text" ? "values that are not dates (YYYY-MM-DD) will be cleared" : "all values will be cleared" };
    case "datetime":
      return { safe: false, reason: fromKind === "text" ? "values that are not ISO date-times will be cleared" : "all values will be cleared" };
    case "json":
      if (to.type === "multiselect") {
        return { safe: false, reason: fromKind === "json" ? "values that are not lists will be cleared" : fromKind === "text" ? "each value becomes a one-item list and may not match the options" : "all values will be cleared" };
      }
      return { safe: false, reason: "values will be stored as JSON strings" };
    case "reference":
      return { safe: false, reason: fromKind === "text" ? `values that are not ids of '${referenceOf(to)}' records will be cleared` : "all values will be cleared" };
    default:
      return { safe: false, reason: "values may be lost" };
  }
}

const NUMBER_PATTERN = String.raw`^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`;
const DATE_PREFIX_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}`;
const DATETIME_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$`;
const TRUE_WORDS = "'true', 't', 'yes', 'y', '1', 'on'";
const FALSE_WORDS = "'false', 'f', 'no', 'n', '0', 'off'";

/**
 * SQL that converts the value of `column` (a field of type `from`) to the storage of `to`.
 * Values that cannot be converted become NULL (never an error), so a confirmed lossy change
 * always applies. Reference targets are only converted to text here; clearing ids that do not
 * exist in the target table is done separately by schema sync.
 */
export function conversionSql(column: RawBuilder<unknown>, from: FieldDef, to: FieldDef, dialect: DataDialect): RawBuilder<unknown> {
  const fromKind = storageKindOf(from.type);
  const toKind = storageKindOf(to.type);
  const c = column;
  if (dialect === "mysql") return mysqlConversionSql(c, from, fromKind, to, toKind);
  if (dialect === "sqlite") {
    switch (toKind) {
      case "text":
      case "reference":
        if (fromKind === "number") return sql`(case when ${c} = cast(${c} as integer) then cast(cast(${c} as integer) as text) else cast(${c} as text) end)`;
        if (fromKind === "boolean") return sql`(case ${c} when 1 then 'true' when 0 then 'false' end)`;
        if (toKind === "reference" && fromKind !== "text" && fromKind !== "reference") return sql`null`;
        return c;
      case "number":
        if (fromKind === "number" || fromKind === "boolean") return c;
        if (fromKind === "text" || fromKind === "reference") return sql`os_to_number(${c})`;
        return sql`null`;
      case "boolean":
        if (fromKind === "text") return sql`os_to_boolean(${c})`;
        if (fromKind === "number") return sql`(case when ${c} is null then null when ${c} <> 0 then 1 else 0 end)`;
        return sql`null`;
      case "date":
        return fromKind === "text" || fromKind === "datetime" ? sql`os_to_date(${c})` : sql`null`;
      case "datetime":
        if (fromKind === "date") return sql`(case when ${c} is null then null else ${c} || 'T00:00:00.000Z' end)`;
        return fromKind === "text" ? sql`os_to_datetime(${c})` : sql`null`;
      case "json":
        if (to.type === "multiselect") {
          if (fromKind === "json") return sql`(case when json_valid(${c}) and json_type(${c}) = 'array' then ${c} end)`;
          return fromKind === "text" ? sql`(case when ${c} is null then null else json_array(${c}) end)` : sql`null`;
        }
        if (fromKind === "json") return c;
        if (fromKind === "number") return sql`cast(${c} as text)`;
        if (fromKind === "boolean") return sql`(case ${c} when 1 then 'true' when 0 then 'false' end)`;
        return sql`json_quote(${c})`;
    }
  }

  const targetType = sql.raw(columnSqlType(to, dialect));
  switch (toKind) {
    case "text":
    case "reference":
      if (fromKind === "number") return sql`${c}::text`;
      if (fromKind === "boolean") return sql`(case when ${c} then 'true' when not ${c} then 'false' end)`;
      if (toKind === "reference" && fromKind !== "text" && fromKind !== "reference") return sql`null::text`;
      if (fromKind === "date") return sql`to_char(${c}, 'YYYY-MM-DD')`;
      if (fromKind === "datetime") return sql`to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
      if (fromKind === "json") return sql`${c}::text`;
      return c;
    case "number":
      if (fromKind === "number") return sql`${c}::${targetType}`;
      if (fromKind === "boolean") return sql`(case when ${c} then 1 when not ${c} then 0 end)::${targetType}`;
      if (fromKind === "text" || fromKind === "reference") {
        return sql`(case when btrim(${c}) ~ ${sql.lit(NUMBER_PATTERN)} then btrim(${c})::${targetType} end)`;
      }
      return sql`null::${targetType}`;
    case "boolean":
      if (fromKind === "text") {
        return sql`(case when lower(btrim(${c})) in (${sql.raw(TRUE_WORDS)}) then true when lower(btrim(${c})) in (${sql.raw(FALSE_WORDS)}) then false end)`;
      }
      if (fromKind === "number") return sql`(${c} <> 0)`;
      return sql`null::boolean`;
    case "date":
      if (fromKind === "datetime") return sql`(${c} at time zone 'UTC')::date`;
      if (fromKind === "text") return sql`(case when btrim(${c}) ~ ${sql.lit(DATE_PREFIX_PATTERN)} then substr(btrim(${c}), 1, 10)::date end)`;
      return sql`null::date`;
    case "datetime":
      if (fromKind === "date") return sql`(${c}::timestamp at time zone 'UTC')`;
      if (fromKind === "text") return sql`(case when btrim(${c}) ~ ${sql.lit(DATETIME_PATTERN)} then btrim(${c})::timestamptz end)`;
      return sql`null::timestamptz`;
    case "json":
      if (to.type === "multiselect") {
        if (fromKind === "json") return sql`(case when jsonb_typeof(${c}) = 'array' then ${c} end)`;
        return fromKind === "text" ? sql`(case when ${c} is null then null else jsonb_build_array(${c}) end)` : sql`null::jsonb`;
      }
      if (fromKind === "json") return c;
      return sql`to_jsonb(${c})`;
  }
  return sql`null`;
}
