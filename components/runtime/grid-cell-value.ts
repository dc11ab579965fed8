import type { FieldDef } from "@/spec";
import { isComputedField } from "@/spec/object-fields";
import { isLookupValue, type LookupValue } from "./types";

/**
 * Inline editing in the grid: which editor a field gets, the editor's value for a stored value,
 * and the value to save (or what is wrong with the input) for what the user entered.
 */

export type CellEditorKind = "text" | "number" | "select" | "date" | "datetime" | "boolean" | "lookup";
export type CellEditorValue = string | boolean | LookupValue | null;

/** The editor for a field, or null when the field is not edited in a cell (computed, autonumber, JSON, multi-select). */
export function cellEditorKind(field: FieldDef): CellEditorKind | null {
  if (isComputedField(field)) return null;
  switch (field.type) {
    case "text":
    case "textarea":
    case "email":
    case "url":
    case "phone":
      return "text";
    case "number":
    case "currency":
    case "percent":
      return "number";
    case "select":
      return "select";
    case "date":
      return "date";
    case "datetime":
      return "datetime";
    case "boolean":
      return "boolean";
    case "lookup":
    case "master_detail":
      return "lookup";
    default:
      return null;
  }
}

const pad = (value: number) => String(value).padStart(2, "0");

export function toEditorValue(field: FieldDef, value: unknown): CellEditorValue {
  const missing = value === null || value === undefined;
  switch (cellEditorKind(field)) {
    case "boolean":
      return value === true || value === 1 || value === "true";
    case "lookup":
      if (isLookupValue(value)) return value;
      return typeof value === "string" && value ? { id: value, name: value } : null;
    case "date":
      if (missing) return "";
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case "datetime": {
      if (missing) return "";
      const date = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(date.getTime())) return "";
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
    }
    default:
      return missing ? "" : String(value);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The value to save for what the editor holds, or the reason it cannot be saved. */
export function fromEditorValue(field: FieldDef, raw: CellEditorValue): { value: unknown } | { error: string } {
  const kind = cellEditorKind(field);
  if (kind === "boolean") return { value: raw === true };
  if (kind === "lookup") {
    const id = isLookupValue(raw) ? raw.id : null;
    if (field.required && !id) return { error: `${field.label} is required` };
    return { value: id };
  }
  const text = typeof raw === "string" ? raw : "";
  const trimmed = text.trim();
  if (trimmed === "") return field.required ? { error: `${field.label} is required` } : { value: null };
  switch (field.type) {
    case "text":
    case "textarea":
      return text.length > field.maxLength ? { error: `${field.label} must be at most ${field.maxLength} characters` } : { value: text };
    case "email":
      return EMAIL.test(trimmed) ? { value: trimmed } : { error: `${field.label}: enter a valid email address` };
    case "url":
      return /^https?:\/\/\S+$/i.test(trimmed) ? { value: trimmed } : { error: `${field.label}: enter a URL starting with http:// or https://` };
    case "number":
    case "currency":
    case "percent": {
      const number = Number(trimmed);
      if (!Number.isFinite(number)) return { error: `${field.label}: enter a number` };
      if (field.min !== undefined && number < field.min) return { error: `${field.label} must be at least ${field.min}` };
      if (field.max !== undefined && number > field.max) return { error: `${field.label} must be at most ${field.max}` };
      return { value: number };
    }
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? { value: trimmed } : { error: `${field.label}: enter a date` };
    case "datetime": {
      const date = new Date(trimmed);
      return Number.isNaN(date.getTime()) ? { error: `${field.label}: enter a date and time` } : { value: date.toISOString() };
    }
    case "select":
      return field.options.some((option) => option.value === trimmed) ? { value: trimmed } : { error: `${field.label}: choose one of the options` };
    default:
      return { value: text };
  }
}

/** Whether saving `next` would change `current` (an unchanged cell is not saved). */
export function sameCellValue(field: FieldDef, current: unknown, next: unknown): boolean {
  const normalise = (value: unknown) => (isLookupValue(value) ? value.id : value === undefined || value === "" ? null : value);
  const a = normalise(current);
  const b = normalise(next);
  if (cellEditorKind(field) === "date" && typeof a === "string" && typeof b === "string") return a.slice(0, 10) === b.slice(0, 10);
  return JSON.stringify(a) === JSON.stringify(b);
}
