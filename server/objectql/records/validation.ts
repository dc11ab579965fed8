import { SYSTEM_FIELD_NAMES } from "@/spec/identifier";
import { isComputedField, type FieldDef, type ObjectDef } from "@/spec/object";
import { jsonTextProblem, textProblem } from "@/spec/text";
import { UNSERIALIZABLE_KEYS } from "@/spec/query";
import { CURRENCY_DIGITS } from "../schema/column-types";
import { ObjectQLError, type ObjectQLIssue } from "../errors";

/**
 * Validates and normalises the values of a record write against the object's metadata, before
 * anything reaches the database. Reports every problem at once (one issue per field).
 *
 * Nothing is changed silently: a number with more decimals than its field's scale (1.5 for a
 * whole number) and text that is not well-formed Unicode or holds a NUL are refused, not rounded
 * or replaced. Normalisation: numbers lose binary noise below their scale (0.1 + 0.2 is 0.3 for a
 * scale of 2), datetimes become ISO UTC strings,
 * lookups accept an id or an `{ id }` object, and empty strings in typed fields (email, url,
 * phone, select, date, datetime, lookup) mean "no value", as HTML forms send them.
 * Reference ids are checked for existence by the engine (that needs the database).
 */

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_PATTERN = /^\+?[0-9 ().\-/]{3,40}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const MAX_JSON_LENGTH = 1_000_000;

/** Field types where "" means "no value". */
const EMPTY_STRING_IS_NULL = new Set(["email", "url", "phone", "select", "date", "datetime", "lookup", "master_detail"]);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar date as YYYY-MM-DD (checked arithmetically: this runs for every date value read back from a cursor or written). */
export function isValidDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/**
 * Parses an ISO 8601 date-time (a missing zone means UTC) into canonical ISO UTC, or null. The
 * date must be a real one: JavaScript's Date reads 2024-02-30 as 2024-03-01.
 */
export function normaliseDateTime(value: string): string | null {
  if (!DATETIME_PATTERN.test(value) || !isValidDate(value.slice(0, 10))) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const text = value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(" ", "T")}${hasZone ? "" : "Z"}`;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function isValidUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * `value` at `scale` decimals, or null when it has more: 1.5 is no whole number, 2.345 no amount
 * of cents. Binary noise far below the last decimal (0.1 + 0.2 = 0.30000000000000004) is not a
 * decimal the caller meant, so it is dropped.
 */
function atScale(value: number, scale: number): number | null {
  const factor = 10 ** scale;
  const scaled = value * factor;
  const rounded = Math.round(scaled);
  if (Math.abs(scaled - rounded) > 1e-9 * Math.max(1, Math.abs(scaled))) return null;
  return rounded / factor;
}

function decimalsRule(scale: number): string {
  return scale === 0 ? "must be a whole number" : `must have at most ${scale} decimal place${scale === 1 ? "" : "s"}`;
}

function allowedValues(field: FieldDef): string {
  return field.type === "select" || field.type === "multiselect"
    ? field.options.map((option) => `'${option.value}'`).join(", ")
    : "";
}

/** A refused value's reason. Allocated only on refusal: the accepted value itself is returned (bulk imports check millions). */
class Refusal {
  constructor(readonly error: string) {}
}
const refuse = (error: string) => new Refusal(error);

/** Allowed values of select fields, as sets, per field definition. */
const optionSets = new WeakMap<FieldDef, Set<string>>();
function optionSet(field: FieldDef & { options: { value: string }[] }): Set<string> {
  let set = optionSets.get(field);
  if (!set) optionSets.set(field, (set = new Set(field.options.map((option) => option.value))));
  return set;
}

/** Validates one non-null value; returns the normalised value, or a Refusal with the reason. */
function checkValue(field: FieldDef, value: unknown): unknown {
  switch (field.type) {
    case "text":
    case "textarea":
    case "email":
    case "url":
    case "phone": {
      if (typeof value !== "string") return refuse("must be a string");
      const problem = textProblem(value);
      if (problem) return refuse(problem);
      const maxLength = field.type === "text" || field.type === "textarea" ? field.maxLength : field.type === "url" ? 2048 : 255;
      if (value.length > maxLength) return refuse(`must be at most ${maxLength} characters (got ${value.length})`);
      if (field.type === "email" && !EMAIL_PATTERN.test(value)) return refuse("must be a valid email address");
      if (field.type === "url" && !isValidUrl(value)) return refuse("must be a valid http(s) URL");
      if (field.type === "phone" && !PHONE_PATTERN.test(value)) return refuse("must be a phone number (digits, spaces, + ( ) - .)");
      return value;
    }
    case "number":
    case "currency":
    case "percent": {
      if (typeof value !== "number" || !Number.isFinite(value)) return refuse("must be a number");
      if (field.min !== undefined && value < field.min) return refuse(`must be at least ${field.min}`);
      if (field.max !== undefined && value > field.max) return refuse(`must be at most ${field.max}`);
      // Currency columns hold CURRENCY_DIGITS digits in all (decimal(18, scale)).
      if (field.type === "currency" && Math.abs(value) >= 10 ** (CURRENCY_DIGITS - field.scale)) {
        return refuse(`must be less than 10^${CURRENCY_DIGITS - field.scale} in size (a currency holds ${CURRENCY_DIGITS} digits, ${field.scale} after the point)`);
      }
      const scaled = atScale(value, field.scale);
      return scaled === null ? refuse(`${decimalsRule(field.scale)} (got ${value})`) : scaled;
    }
    case "boolean":
      return typeof value === "boolean" ? value : refuse("must be true or false");
    case "date":
      return typeof value === "string" && isValidDate(value) ? value : refuse("must be a date as YYYY-MM-DD");
    case "datetime": {
      const text = value instanceof Date ? value.toISOString() : value;
      const normalised = typeof text === "string" ? normaliseDateTime(text) : null;
      return normalised ? normalised : refuse("must be an ISO 8601 date-time such as 2024-05-01T09:30:00Z");
    }
    case "select":
      if (typeof value !== "string") return refuse(`must be a string, one of: ${allowedValues(field)}`);
      return optionSet(field).has(value) ? value : refuse(`must be one of: ${allowedValues(field)} (got '${value}')`);
    case "multiselect": {
      if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        return refuse(`must be a list of values from: ${allowedValues(field)}`);
      }
      const allowed = optionSet(field);
      const invalid = value.filter((item) => !allowed.has(item));
      if (invalid.length > 0) {
        return refuse(`contains ${invalid.map((item) => `'${item}'`).join(", ")}, allowed values are: ${allowedValues(field)}`);
      }
      return [...new Set(value as string[])];
    }
    case "lookup":
    case "master_detail": {
      const id = typeof value === "object" && value !== null && "id" in value ? (value as { id: unknown }).id : value;
      return typeof id === "string" && id.length > 0 && id.length <= 100 && textProblem(id) === null
        ? id
        : refuse(`must be the id of a '${field.reference}' record`);
    }
    case "json": {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        return refuse("must be JSON-serialisable");
      }
      if (text === undefined) return refuse("must be JSON-serialisable");
      if (text.length > MAX_JSON_LENGTH) return refuse(`must be at most ${MAX_JSON_LENGTH} characters of JSON`);
      const problem = jsonTextProblem(text);
      if (problem) return refuse(`has a text that ${problem}`);
      const key = unserializableKeyIn(value);
      if (key) return refuse(`may not use '${key}' as a key (the API cannot return it)`);
      return JSON.parse(text) as unknown;
    }
    case "autonumber":
      return refuse("is generated automatically and cannot be written");
    case "formula":
    case "rollup":
      return refuse("is computed and cannot be written");
  }
}

/** The first key of `value` (at any depth) that the API cannot return, walked without recursion. */
function unserializableKeyIn(value: unknown): string | null {
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (UNSERIALIZABLE_KEYS.includes(key)) return key;
      stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return null;
}

const NON_BLANK = /\S/;
const SYSTEM_NAMES: ReadonlySet<string> = new Set(SYSTEM_FIELD_NAMES);

function isEmpty(field: FieldDef, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string" && !NON_BLANK.test(value) && field.type !== "json") return true;
  if (field.type === "multiselect" && Array.isArray(value) && value.length === 0) return true;
  return false;
}

function defaultValueOf(field: FieldDef): unknown {
  return "defaultValue" in field ? field.defaultValue : undefined;
}

/** Fields by name, worked out once per object definition (bulk inserts validate thousands of rows against one). */
const fieldMaps = new WeakMap<ObjectDef, Map<string, FieldDef>>();
function fieldsByName(object: ObjectDef): Map<string, FieldDef> {
  let fields = fieldMaps.get(object);
  if (!fields) fieldMaps.set(object, (fields = new Map(object.fields.map((field) => [field.name, field]))));
  return fields;
}

export function validateRecordInput(
  object: ObjectDef,
  values: Record<string, unknown>,
  mode: "create" | "update",
): { values: Record<string, unknown> } {
  const issues: ObjectQLIssue[] = [];
  const result: Record<string, unknown> = {};
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new ObjectQLError("BAD_REQUEST", `Record values for object '${object.name}' must be an object`);
  }
  const fields = fieldsByName(object);

  for (const name of Object.keys(values)) {
    const field = fields.get(name);
    if (SYSTEM_NAMES.has(name)) {
      issues.push({ path: [name], message: `Field '${name}' is a system field and cannot be written` });
    } else if (!field) {
      issues.push({ path: [name], message: `Unknown field '${name}' on object '${object.name}'` });
    } else if (field.type === "autonumber" && values[name] !== undefined) {
      issues.push({ path: [name], message: `Field '${name}' is an autonumber: it is generated automatically and cannot be written` });
    } else if (isComputedField(field) && values[name] !== undefined) {
      issues.push({ path: [name], message: `Field '${name}' is a ${field.type} field: it is computed and cannot be written` });
    }
  }

  for (const field of object.fields) {
    if (field.type === "autonumber" || isComputedField(field)) continue;
    let value = Object.prototype.hasOwnProperty.call(values, field.name) ? values[field.name] : undefined;
    if (value === undefined) {
      if (mode === "update") continue;
      value = defaultValueOf(field);
    }
    if (typeof value === "string" && value === "" && EMPTY_STRING_IS_NULL.has(field.type)) value = null;

    if (isEmpty(field, value)) {
      if (field.required) {
        issues.push({ path: [field.name], message: `Field '${field.name}' is required` });
        continue;
      }
      if (value === undefined) continue;
      // Optional text keeps the string as typed (it is still length-checked below); other
      // types store "no value".
      if (!(typeof value === "string" && (field.type === "text" || field.type === "textarea"))) {
        result[field.name] = field.type === "multiselect" && Array.isArray(value) ? [] : null;
        continue;
      }
    }
    const checked = checkValue(field, value);
    if (checked instanceof Refusal) issues.push({ path: [field.name], message: `Field '${field.name}' ${checked.error}` });
    else result[field.name] = checked;
  }

  if (issues.length > 0) {
    throw new ObjectQLError(
      "BAD_REQUEST",
      `Invalid record for object '${object.name}': ${issues.map((issue) => issue.message).join("; ")}`,
      { path: issues[0].path, issues },
    );
  }
  return { values: result };
}
