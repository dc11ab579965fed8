import {
  fieldSchema, isReferenceField, NUMERIC_FIELD_TYPES, type FieldDef, type FieldType, type FormulaReturnType, type ObjectDef,
  type RollupFunction,
} from "@/spec/object";
import { toApiName } from "@/designers/shared/api-name";
import { zodIssues } from "@/designers/shared/issues";

/** Colours offered for picklist options (name shown to the admin, hex stored). */
export const OPTION_COLOURS: { name: string; hex: string }[] = [
  { name: "Gray", hex: "#64748b" },
  { name: "Red", hex: "#dc2626" },
  { name: "Orange", hex: "#ea580c" },
  { name: "Amber", hex: "#d97706" },
  { name: "Green", hex: "#16a34a" },
  { name: "Teal", hex: "#0d9488" },
  { name: "Blue", hex: "#2563eb" },
  { name: "Indigo", hex: "#4f46e5" },
  { name: "Purple", hex: "#9333ea" },
  { name: "Pink", hex: "#db2777" },
];

export type OptionRow = { key: string; value: string; label: string; color: string; valueTouched: boolean };

/** The field dialog's editable state: strings for inputs, converted to a FieldDef on submit. */
export type FieldForm = {
  id: string;
  type: FieldType;
  label: string;
  name: string;
  nameTouched: boolean;
  required: boolean;
  unique: boolean;
  helpText: string;
  description: string;
  maxLength: string;
  scale: string;
  min: string;
  max: string;
  currencyCode: string;
  options: OptionRow[];
  reference: string;
  format: string;
  startAt: string;
  defaultText: string;
  defaultBoolean: "" | "true" | "false";
  defaultMulti: string[];
  /** A formula evaluated on create when no value is given (stored fields). */
  defaultFormula: string;
  /** Formula fields. */
  expression: string;
  returnType: FormulaReturnType;
  /** Roll-up fields. */
  childObject: string;
  childField: string;
  rollupFunction: RollupFunction;
  rollupField: string;
  /** A roll-up's filter, kept as loaded (the dialog does not edit it). */
  rollupFilter?: unknown;
};

let rowCounter = 0;
export function optionRow(value = "", label = "", color = ""): OptionRow {
  rowCounter += 1;
  return { key: `o${rowCounter}`, value, label, color, valueTouched: value !== "" };
}

export function emptyFieldForm(id: string): FieldForm {
  return {
    id, type: "text", label: "", name: "", nameTouched: false, required: false, unique: false,
    helpText: "", description: "", maxLength: "", scale: "", min: "", max: "", currencyCode: "USD",
    options: [optionRow()], reference: "", format: "{0000}", startAt: "1",
    defaultText: "", defaultBoolean: "", defaultMulti: [],
    defaultFormula: "", expression: "", returnType: "number", childObject: "", childField: "", rollupFunction: "count", rollupField: "",
  };
}

function str(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

/** datetime-local input value from an ISO string (local time), and back. */
function isoToLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
function localInputToIso(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function fieldFormFrom(field: FieldDef): FieldForm {
  const form: FieldForm = {
    ...emptyFieldForm(field.id),
    type: field.type,
    label: field.label,
    name: field.name,
    nameTouched: true,
    required: field.required,
    unique: field.unique,
    helpText: field.helpText ?? "",
    description: field.description ?? "",
    defaultFormula: field.defaultFormula ?? "",
  };
  switch (field.type) {
    case "text":
    case "textarea":
      form.maxLength = str(field.maxLength);
      form.defaultText = str(field.defaultValue);
      break;
    case "email":
    case "url":
    case "phone":
    case "date":
      form.defaultText = str(field.defaultValue);
      break;
    case "datetime":
      form.defaultText = field.defaultValue ? isoToLocalInput(field.defaultValue) : "";
      break;
    case "number":
    case "percent":
    case "currency":
      form.scale = str(field.scale);
      form.min = str(field.min);
      form.max = str(field.max);
      form.defaultText = str(field.defaultValue);
      if (field.type === "currency") form.currencyCode = field.currencyCode;
      break;
    case "boolean":
      form.defaultBoolean = field.defaultValue === undefined ? "" : field.defaultValue ? "true" : "false";
      break;
    case "select":
      form.options = field.options.map((option) => optionRow(option.value, option.label, option.color ?? ""));
      form.defaultText = str(field.defaultValue);
      break;
    case "multiselect":
      form.options = field.options.map((option) => optionRow(option.value, option.label, option.color ?? ""));
      form.defaultMulti = field.defaultValue ?? [];
      break;
    case "lookup":
    case "master_detail":
      form.reference = field.reference;
      break;
    case "autonumber":
      form.format = field.format;
      form.startAt = str(field.startAt);
      break;
    case "formula":
      form.expression = field.expression;
      form.returnType = field.returnType;
      form.scale = str(field.scale);
      break;
    case "rollup":
      form.childObject = field.childObject;
      form.childField = field.childField;
      form.rollupFunction = field.function;
      form.rollupField = field.field ?? "";
      form.rollupFilter = field.filter;
      form.scale = str(field.scale);
      break;
    case "json":
      break;
  }
  return form;
}

function num(value: string): number | undefined {
  return value.trim() === "" ? undefined : Number(value);
}
function text(value: string): string | undefined {
  return value.trim() === "" ? undefined : value;
}

/** Formula result types whose values are numbers (and so have decimal places). */
export function isNumericResult(type: FormulaReturnType): boolean {
  return type === "number" || type === "currency" || type === "percent";
}

/** Stored field types that can take a default formula. */
export function hasDefaultFormula(type: FieldType): boolean {
  return !["formula", "rollup", "autonumber", "json", "multiselect"].includes(type);
}

/** The form as the input of `fieldSchema` (defaults are applied by parsing). */
export function fieldInputFrom(form: FieldForm): Record<string, unknown> {
  const input: Record<string, unknown> = {
    id: form.id,
    type: form.type,
    name: form.name.trim(),
    label: form.label.trim(),
    required: form.required,
    unique: form.unique,
    helpText: text(form.helpText),
    description: text(form.description),
    defaultFormula: hasDefaultFormula(form.type) ? text(form.defaultFormula) : undefined,
  };
  const options = () =>
    form.options.map((row) => ({ value: row.value.trim(), label: row.label.trim(), ...(row.color ? { color: row.color } : {}) }));
  switch (form.type) {
    case "text":
    case "textarea":
      Object.assign(input, { maxLength: num(form.maxLength), defaultValue: text(form.defaultText) });
      break;
    case "email":
    case "url":
    case "phone":
    case "date":
      input.defaultValue = text(form.defaultText);
      break;
    case "datetime":
      input.defaultValue = form.defaultText ? localInputToIso(form.defaultText) : undefined;
      break;
    case "number":
    case "percent":
    case "currency":
      Object.assign(input, { scale: num(form.scale), min: num(form.min), max: num(form.max), defaultValue: num(form.defaultText) });
      if (form.type === "currency") input.currencyCode = form.currencyCode.trim().toUpperCase();
      break;
    case "boolean":
      input.defaultValue = form.defaultBoolean === "" ? undefined : form.defaultBoolean === "true";
      break;
    case "select":
      Object.assign(input, { options: options(), defaultValue: text(form.defaultText) });
      break;
    case "multiselect":
      Object.assign(input, { options: options(), defaultValue: form.defaultMulti.length > 0 ? form.defaultMulti : undefined });
      break;
    case "lookup":
      input.reference = form.reference;
      break;
    case "master_detail":
      Object.assign(input, { reference: form.reference, required: true });
      break;
    case "autonumber":
      Object.assign(input, { format: form.format, startAt: num(form.startAt) });
      break;
    case "formula":
      Object.assign(input, {
        expression: form.expression,
        returnType: form.returnType,
        scale: isNumericResult(form.returnType) ? num(form.scale) : undefined,
        unique: false,
        required: false,
      });
      break;
    case "rollup":
      Object.assign(input, {
        childObject: form.childObject,
        childField: form.childField,
        function: form.rollupFunction,
        field: form.rollupFunction === "count" ? undefined : form.rollupField,
        filter: form.rollupFilter,
        scale: num(form.scale),
        unique: false,
        required: false,
      });
      break;
    case "json":
      break;
  }
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return input;
}

export type FieldFormResult = { ok: true; field: FieldDef } | { ok: false; errors: Record<string, string> };

/**
 * Validates the form with the spec's fieldSchema plus the object-level rules that concern one
 * field (unique API name, unique option values, sensible min/max).
 */
export function validateFieldForm(form: FieldForm, otherFields: readonly FieldDef[]): FieldFormResult {
  const errors: Record<string, string> = {};
  const parsed = fieldSchema.safeParse(fieldInputFrom(form));
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error)) {
      const key = issue.path.join(".") || "type";
      if (!(key in errors)) errors[key] = issue.message;
    }
  }
  const clash = otherFields.find((field) => field.name === form.name.trim());
  if (clash && !errors.name) errors.name = `is already used by field '${clash.label}'`;
  if (form.type === "select" || form.type === "multiselect") {
    const seen = new Set<string>();
    form.options.forEach((row, index) => {
      const value = row.value.trim();
      if (value !== "" && seen.has(value) && !errors[`options.${index}.value`]) {
        errors[`options.${index}.value`] = `duplicate option value '${value}'`;
      }
      seen.add(value);
    });
  }
  const min = num(form.min);
  const max = num(form.max);
  if (min !== undefined && max !== undefined && min > max && !errors.max) errors.max = "must be at least the minimum";
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, field: parsed.data };
}

/** Derives an option value from its label ("Closed Won" -> "closed_won"). */
export function optionValueFrom(label: string): string {
  return toApiName(label, "v");
}

/** A readable name for a field-relative issue path ("options.0.value" -> "Option 1 value"). */
export function describeFieldPath(path: readonly (string | number)[]): string {
  const names: Record<string, string> = {
    name: "API name", label: "Label", type: "Type", maxLength: "Maximum length", scale: "Decimal places",
    min: "Minimum", max: "Maximum", currencyCode: "Currency code", options: "Options", reference: "Related object",
    format: "Format", startAt: "Start at", defaultValue: "Default value", helpText: "Help text", id: "Field id",
    required: "Required", unique: "Unique", description: "Description",
    expression: "Formula", returnType: "Result type", childObject: "Child object", childField: "Relationship field",
    function: "Summary", field: "Field to summarize", filter: "Filter", defaultFormula: "Default formula",
  };
  if (path[0] === "options" && typeof path[1] === "number") {
    const part = path[2] === undefined ? "" : ` ${String(path[2])}`;
    return `Option ${path[1] + 1}${part}`;
  }
  if (path.length === 0) return "Field";
  return names[String(path[0])] ?? path.join(".");
}

export type ChildObject = { name: string; label: string; relationships: FieldDef[]; fields: FieldDef[] };

/** Objects with a lookup or master-detail field that references `parent` (their published definition, else their draft). */
export function childObjectsOf(parent: string, objects: readonly (ObjectDef | null | undefined)[]): ChildObject[] {
  const children: ChildObject[] = [];
  for (const object of objects) {
    if (!object) continue;
    const relationships = object.fields.filter((field) => isReferenceField(field) && field.reference === parent);
    if (relationships.length > 0) children.push({ name: object.name, label: object.label, relationships, fields: object.fields });
  }
  return children;
}

/** The child fields a roll-up function can summarize: numbers for sum/avg, numbers or dates for min/max. */
export function summarizableFields(fields: readonly FieldDef[], fn: RollupFunction): FieldDef[] {
  if (fn === "count") return [];
  return fields.filter((field) => {
    const numeric = NUMERIC_FIELD_TYPES.includes(field.type)
      || (field.type === "formula" && ["number", "currency", "percent"].includes(field.returnType));
    const dated = field.type === "date" || field.type === "datetime"
      || (field.type === "formula" && (field.returnType === "date" || field.returnType === "datetime"));
    return fn === "sum" || fn === "avg" ? numeric : numeric || dated;
  });
}
