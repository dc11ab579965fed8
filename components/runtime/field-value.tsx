import { Check, X } from "lucide-react";
import type { FieldDef, SelectOption } from "@/spec";
import { NUMERIC_FIELD_TYPES } from "@/spec/object-fields";
import { Badge } from "@/components/ui/feedback";
import { isLookupValue } from "./types";

/**
 * Display formatting of one field value, per field type. `formatFieldValue` is the plain-text
 * form (titles, tooltips, CSV); `<FieldValue>` renders badges, links and icons.
 */

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, options);
    } catch {
      format = new Intl.NumberFormat(undefined, { maximumFractionDigits: options.maximumFractionDigits });
    }
    numberFormats.set(key, format);
  }
  return format;
}

export function formatNumber(value: number, scale: number): string {
  return numberFormat(`n${scale}`, { minimumFractionDigits: scale, maximumFractionDigits: scale }).format(value);
}

export function formatCurrency(value: number, currencyCode: string, scale: number): string {
  return numberFormat(`c${currencyCode}${scale}`, {
    style: "currency",
    currency: currencyCode,
    minimumFractionDigits: scale,
    maximumFractionDigits: scale,
  }).format(value);
}

/** Percent values are stored as the percentage itself: 12.5 means 12.5 %. */
export function formatPercent(value: number, scale: number): string {
  return `${formatNumber(value, scale)}%`;
}

/*
 * One formatter each, made on first use: toLocaleDateString(locale, options) builds a new
 * Intl.DateTimeFormat on every call, which made date columns the costliest cells of the grid.
 */
let dateFormat: Intl.DateTimeFormat | undefined;
let dateTimeFormat: Intl.DateTimeFormat | undefined;

/** A "YYYY-MM-DD" date, localized, without shifting it through the local time zone. */
export function formatDate(value: unknown): string {
  dateFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? "" : dateFormat.format(value);
  }
  const text = String(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return text;
  return dateFormat.format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

export function formatDateTime(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return dateTimeFormat.format(date);
}

function optionFor(options: SelectOption[], value: unknown): SelectOption | undefined {
  return options.find((option) => option.value === value);
}

function shortJson(value: unknown, max = 80): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Computed fields display as the type they produce: a formula as its `returnType` (currency in
 * the default currency), a roll-up as a number (a count without decimals).
 */
export function displayField(field: FieldDef): FieldDef {
  if (field.type !== "formula" && field.type !== "rollup") return field;
  // Made once per definition: a grid asks for every cell, several times (alignment, text, value).
  let shown = displayFields.get(field);
  if (!shown) displayFields.set(field, (shown = computedDisplayField(field)));
  return shown;
}

const displayFields = new WeakMap<FieldDef, FieldDef>();

function computedDisplayField(field: FieldDef): FieldDef {
  if (field.type === "formula") {
    const base = { id: field.id, name: field.name, label: field.label, required: false, unique: false };
    switch (field.returnType) {
      case "currency": return { ...base, type: "currency", scale: field.scale, currencyCode: "USD" };
      case "percent": return { ...base, type: "percent", scale: field.scale };
      case "number": return { ...base, type: "number", scale: field.scale };
      case "boolean": return { ...base, type: "boolean" };
      case "date": return { ...base, type: "date" };
      case "datetime": return { ...base, type: "datetime" };
      default: return { ...base, type: "text", maxLength: 10000 };
    }
  }
  if (field.type === "rollup") {
    return { id: field.id, name: field.name, label: field.label, required: false, unique: false, type: "number", scale: field.function === "count" ? 0 : field.scale };
  }
  return field;
}

/** Whether a field shows a number (a formula by its result type, a roll-up always): such cells and their header align right. */
export function showsNumber(field: FieldDef): boolean {
  return NUMERIC_FIELD_TYPES.includes(displayField(field).type);
}

/** The value as plain text (empty string for no value). */
export function formatFieldValue(computedOrStored: FieldDef, value: unknown): string {
  const field = displayField(computedOrStored);
  if (isEmpty(value)) return "";
  switch (field.type) {
    case "currency": {
      const number = toNumber(value);
      return number === null ? String(value) : formatCurrency(number, field.currencyCode, field.scale);
    }
    case "percent": {
      const number = toNumber(value);
      return number === null ? String(value) : formatPercent(number, field.scale);
    }
    case "number": {
      const number = toNumber(value);
      return number === null ? String(value) : formatNumber(number, field.scale);
    }
    case "boolean":
      return value === true || value === 1 || value === "true" ? "Yes" : "No";
    case "date":
      return formatDate(value);
    case "datetime":
      return formatDateTime(value);
    case "select":
      return optionFor(field.options, value)?.label ?? String(value);
    case "multiselect": {
      const values = Array.isArray(value) ? value : [value];
      return values.map((item) => optionFor(field.options, item)?.label ?? String(item)).join(", ");
    }
    case "lookup":
    case "master_detail":
      if (isLookupValue(value)) return value.name ?? value.id;
      return String(value);
    case "json":
      return shortJson(value);
    default:
      return typeof value === "object" ? shortJson(value) : String(value);
  }
}

const linkClass = "text-brand-600 hover:underline";

/** Renders one field value for display (grid cells, record pages). */
export function FieldValue({ field: computedOrStored, value, className }: { field: FieldDef; value: unknown; className?: string }) {
  const field = displayField(computedOrStored);
  if (field.type === "boolean") {
    if (value === null || value === undefined) return <span className="text-slate-400">—</span>;
    const yes = value === true || value === 1 || value === "true";
    return yes ? (
      <span className={className} title="Yes">
        <Check className="inline h-4 w-4 text-emerald-600" aria-hidden />
        <span className="sr-only">Yes</span>
      </span>
    ) : (
      <span className={className} title="No">
        <X className="inline h-4 w-4 text-slate-400" aria-hidden />
        <span className="sr-only">No</span>
      </span>
    );
  }
  if (isEmpty(value)) return <span className="text-slate-400">—</span>;
  switch (field.type) {
    case "select": {
      const option = optionFor(field.options, value);
      return <Badge color={option?.color} className={className}>{option?.label ?? String(value)}</Badge>;
    }
    case "multiselect": {
      const values = Array.isArray(value) ? value : [value];
      return (
        <span className={`inline-flex flex-wrap gap-1 ${className ?? ""}`}>
          {values.map((item) => {
            const option = optionFor(field.options, item);
            return <Badge key={String(item)} color={option?.color}>{option?.label ?? String(item)}</Badge>;
          })}
        </span>
      );
    }
    case "url": {
      const href = String(value);
      const safe = /^https?:\/\//i.test(href);
      return safe ? (
        <a href={href} target="_blank" rel="noreferrer noopener" className={`${linkClass} ${className ?? ""}`}>
          {href.replace(/^https?:\/\//i, "")}
        </a>
      ) : (
        <span className={className}>{href}</span>
      );
    }
    case "email":
      return (
        <a href={`mailto:${String(value)}`} className={`${linkClass} ${className ?? ""}`}>
          {String(value)}
        </a>
      );
    case "phone":
      return (
        <a href={`tel:${String(value).replace(/[^\d+]/g, "")}`} className={`${linkClass} ${className ?? ""}`}>
          {String(value)}
        </a>
      );
    case "json":
      return <code className={`font-mono text-xs text-slate-700 ${className ?? ""}`}>{shortJson(value)}</code>;
    case "number":
    case "currency":
    case "percent":
      return <span className={`tabular-nums ${className ?? ""}`}>{formatFieldValue(field, value)}</span>;
    default:
      return <span className={className}>{formatFieldValue(field, value)}</span>;
  }
}
