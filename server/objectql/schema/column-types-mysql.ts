import { sql, type RawBuilder } from "kysely";
import type { FieldDef } from "@/spec/object";
import { CURRENCY_DIGITS, type StorageKind } from "./column-types";

/**
 * Column types and value conversions on MySQL / MariaDB. Kept apart from schema/column-types.ts
 * because MySQL differs in kind, not in detail: TEXT cannot be indexed without a prefix (short
 * text is VARCHAR), there is no boolean or timestamptz type, and ALTER TABLE cannot convert
 * values with an expression (schema sync converts with UPDATE instead, see schema/ddl-mysql.ts).
 */

/** InnoDB index keys are at most 3072 bytes: 768 characters of utf8mb4. */
export const MYSQL_MAX_INDEXED_VARCHAR = 768;
/** TEXT holds 65,535 bytes: 16,383 characters of utf8mb4. */
const MYSQL_TEXT_CHARACTERS = 16_383;
/** Record ids are UUIDs. */
export const MYSQL_ID_TYPE = "varchar(36)";
/** Who created / updated a record: a platform user id. */
export const MYSQL_ACTOR_TYPE = "varchar(255)";

export function mysqlColumnType(field: FieldDef, kind: StorageKind): string {
  switch (kind) {
    case "text":
      switch (field.type) {
        case "text":
          return field.maxLength <= MYSQL_MAX_INDEXED_VARCHAR ? `varchar(${field.maxLength})` : "text";
        case "textarea":
          return field.maxLength <= MYSQL_TEXT_CHARACTERS ? "text" : "mediumtext";
        case "url":
          // Record validation allows 2,048 characters.
          return "varchar(2048)";
        default:
          // email, phone, select, autonumber: validated to at most 255 characters.
          return "varchar(255)";
      }
    case "number":
      return field.type === "currency" ? `decimal(${CURRENCY_DIGITS}, ${field.scale})` : "double";
    case "boolean":
      return "tinyint(1)";
    case "date":
      return "date";
    case "datetime":
      // Stored in UTC (every session runs with time_zone '+00:00'), millisecond precision.
      return "datetime(3)";
    case "json":
      return "json";
    case "reference":
      return MYSQL_ID_TYPE;
    default:
      return "text";
  }
}

/** Whether an index on this column type needs a prefix length (TEXT / MEDIUMTEXT / JSON). */
export function mysqlNeedsIndexPrefix(columnType: string): boolean {
  return /text$|^json$/.test(columnType);
}

const NUMBER_PATTERN = String.raw`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`;
const DATE_PATTERN = String.raw`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])`;
const DATETIME_NO_ZONE = String.raw`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?Z?$`;
const DATETIME_WITH_OFFSET = String.raw`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?[-+][0-9]{2}:[0-9]{2}$`;
const TRUE_WORDS = "'true', 't', 'yes', 'y', '1', 'on'";
const FALSE_WORDS = "'false', 'f', 'no', 'n', '0', 'off'";

/** A DATETIME as the ISO text the other dialects produce ('2024-05-01T07:30:00.000Z'). */
function isoText(c: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`concat(date_format(${c}, '%Y-%m-%dT%H:%i:%s.'), lpad(floor(microsecond(${c}) / 1000), 3, '0'), 'Z')`;
}

/**
 * SQL that converts `c` (a column holding values of field `from`, in its MySQL type) to a value
 * for the column type of `to`. Values that cannot be converted become NULL, as on the other
 * dialects. A value that the regular expressions let through but MySQL still refuses (such as
 * 2024-02-30) makes the UPDATE fail in strict mode; schema sync then restores the table.
 */
export function mysqlConversionSql(c: RawBuilder<unknown>, from: FieldDef, fromKind: StorageKind, to: FieldDef, toKind: StorageKind): RawBuilder<unknown> {
  const trimmed = sql`trim(${c})`;
  switch (toKind) {
    case "text":
    case "reference": {
      let text: RawBuilder<unknown>;
      if (fromKind === "number") text = sql`cast(${c} as char)`;
      else if (fromKind === "boolean") text = sql`(case when ${c} then 'true' when not ${c} then 'false' end)`;
      else if (fromKind === "date") text = sql`date_format(${c}, '%Y-%m-%d')`;
      else if (fromKind === "datetime") text = isoText(c);
      else if (fromKind === "json") text = sql`cast(${c} as char)`;
      else text = c;
      if (toKind === "reference") {
        if (fromKind !== "text" && fromKind !== "reference") return sql`null`;
        // Longer values cannot be ids; ids that do not exist are cleared before the foreign key is added.
        return sql`(case when char_length(${text}) <= 36 then ${text} end)`;
      }
      return text;
    }
    case "number":
      if (fromKind === "number") return c;
      if (fromKind === "boolean") return sql`(case when ${c} then 1 when not ${c} then 0 end)`;
      if (fromKind === "text" || fromKind === "reference") {
        return sql`(case when ${trimmed} regexp ${sql.lit(NUMBER_PATTERN)} then cast(${trimmed} as double) end)`;
      }
      return sql`null`;
    case "boolean":
      if (fromKind === "text") {
        return sql`(case when lower(${trimmed}) in (${sql.raw(TRUE_WORDS)}) then 1 when lower(${trimmed}) in (${sql.raw(FALSE_WORDS)}) then 0 end)`;
      }
      if (fromKind === "number") return sql`(case when ${c} is null then null when ${c} <> 0 then 1 else 0 end)`;
      return sql`null`;
    case "date":
      if (fromKind === "datetime") return sql`date(${c})`;
      if (fromKind === "text") return sql`(case when ${trimmed} regexp ${sql.lit(DATE_PATTERN)} then cast(substr(${trimmed}, 1, 10) as date) end)`;
      return sql`null`;
    case "datetime":
      if (fromKind === "date") return sql`cast(${c} as datetime(3))`;
      if (fromKind === "text") {
        // A value without a zone is taken as UTC, as on the other dialects.
        return sql`(case
          when ${trimmed} regexp ${sql.lit(DATETIME_NO_ZONE)} then cast(replace(replace(${trimmed}, 'T', ' '), 'Z', '') as datetime(3))
          when ${trimmed} regexp ${sql.lit(DATETIME_WITH_OFFSET)} then convert_tz(cast(replace(left(${trimmed}, char_length(${trimmed}) - 6), 'T', ' ') as datetime(3)), right(${trimmed}, 6), '+00:00')
        end)`;
      }
      return sql`null`;
    case "json":
      if (to.type === "multiselect") {
        if (fromKind === "json") return sql`(case when json_type(${c}) = 'ARRAY' then ${c} end)`;
        return fromKind === "text" ? sql`(case when ${c} is null then null else json_array(${c}) end)` : sql`null`;
      }
      if (fromKind === "json") return c;
      if (fromKind === "number") return sql`cast(${c} as char)`;
      if (fromKind === "boolean") return sql`(case when ${c} then 'true' when not ${c} then 'false' end)`;
      if (fromKind === "date") return sql`json_quote(date_format(${c}, '%Y-%m-%d'))`;
      if (fromKind === "datetime") return sql`json_quote(${isoText(c)})`;
      return sql`json_quote(${c})`;
  }
  void from;
  return sql`null`;
}
