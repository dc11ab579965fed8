import type { FieldDef } from "@/spec";
import { isLookupValue, type DataRecord, type LookupValue } from "./types";

/** The values of a record form: raw editor values, their conversion to what the API takes. */

export type FormValue = string | boolean | string[] | LookupValue | null;
export type FormState = Record<string, FormValue>;
export type Converted = { value: unknown } | { error: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function pad(number: number): string {
  return String(number).padStart(2, "0");
}

/** An ISO instant as the value of a datetime-local input (local time, minutes). */
export function toDateTimeLocal(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function toDateInput(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export function stepFor(scale: number): string {
  return scale > 0 ? `0.${"0".repeat(scale - 1)}1` : "1";
}

/** The form's raw value of a field: from the record, else (on create) the form item's default, else the field's. */
export function initialValue(field: FieldDef, record: DataRecord | undefined, formDefault?: unknown): FormValue {
  const value: unknown = record ? record[field.name] : formDefault !== undefined ? formDefault : "defaultValue" in field ? field.defaultValue : undefined;
  const missing = value === null || value === undefined;
  switch (field.type) {
    case "boolean":
      return value === true || value === 1 || value === "true";
    case "multiselect":
      return Array.isArray(value) ? value.map(String) : [];
    case "lookup":
    case "master_detail":
      if (isLookupValue(value)) return value;
      return typeof value === "string" && value ? { id: value, name: value } : null;
    case "date":
      return missing ? "" : toDateInput(value);
    case "datetime":
      return missing ? "" : toDateTimeLocal(value);
    case "json":
      if (missing) return "";
      return typeof value === "string" ? value : JSON.stringify(value, null, 2);
    default:
      return missing ? "" : String(value);
  }
}

/**
 * Validates a raw form value against the field's metadata and converts it to the wire type;
 * `required` (default: the field's own flag) lets a form's rules require more.
 */
export function convert(field: FieldDef, raw: FormValue, required: boolean = field.required): Converted {
  switch (field.type) {
    case "boolean":
      return { value: raw === true };
    case "multiselect": {
      const values = Array.isArray(raw) ? raw : [];
      if (required && values.length === 0) return { error: "Choose at least one option" };
      return { value: values };
    }
    case "lookup":
    case "master_detail": {
      const id = isLookupValue(raw) ? raw.id : null;
      if (required && !id) return { error: "Required" };
      return { value: id };
    }
    case "autonumber":
      return { value: undefined };
    default:
      break;
  }
  const text = typeof raw === "string" ? raw : "";
  const trimmed = text.trim();
  if (trimmed === "") {
    if (required) return { error: "Required" };
    return { value: null };
  }
  switch (field.type) {
    case "text":
    case "textarea":
      if (text.length > field.maxLength) return { error: `Must be at most ${field.maxLength} characters` };
      return { value: text };
    case "email":
      if (!EMAIL.test(trimmed)) return { error: "Enter a valid email address" };
      return { value: trimmed };
    case "url":
      try {
        const url = new URL(trimmed);
        if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("protocol");
      } catch {
        return { error: "Enter a valid URL starting with http:// or https://" };
      }
      return { value: trimmed };
    case "phone":
      return { value: trimmed };
    case "number":
    case "currency":
    case "percent": {
      const number = Number(trimmed);
      if (!Number.isFinite(number)) return { error: "Enter a number" };
      if (field.min !== undefined && number < field.min) return { error: `Must be at least ${field.min}` };
      if (field.max !== undefined && number > field.max) return { error: `Must be at most ${field.max}` };
      return { value: number };
    }
    case "date":
      if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return { error: "Enter a date" };
      return { value: trimmed };
    case "datetime": {
      const date = new Date(trimmed);
      if (Number.isNaN(date.getTime())) return { error: "Enter a date and time" };
      return { value: date.toISOString() };
    }
    case "select":
      if (!field.options.some((option) => option.value === trimmed)) return { error: "Choose one of the options" };
      return { value: trimmed };
    case "json":
      try {
        return { value: JSON.parse(text) };
      } catch (error) {
        return { error: `Enter valid JSON (${error instanceof Error ? error.message : "parse error"})` };
      }
    default:
      return { value: text };
  }
}

/**
 * A raw value as the form's conditions see it (formula/form-rules.ts): the converted value when
 * it converts, else null (an unfinished number is no number yet); a lookup is its record's id.
 */
export function ruleValue(field: FieldDef, raw: FormValue): unknown {
  const converted = convert(field, raw, false);
  return "value" in converted ? (converted.value ?? null) : null;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The record's version as the server sent it (`updated_at`, an ISO string). */
export function versionOf(updatedAt: unknown): string | undefined {
  if (updatedAt instanceof Date) return updatedAt.toISOString();
  return typeof updatedAt === "string" && updatedAt !== "" ? updatedAt : undefined;
}

/** Generated and computed fields are shown, never sent: the server refuses writes to them. */
export function isComputed(field: FieldDef): boolean {
  return field.type === "autonumber" || field.type === "formula" || field.type === "rollup";
}
