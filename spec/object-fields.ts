/**
 * Helpers about objects and fields that client components need, kept free of zod (object.ts
 * builds its schemas at module load): importing them adds no schema code to a page's bundle.
 */
import type { FieldDef, FieldOf, FieldType, ObjectDef } from "./object";

/** The field that names a record: `nameField`, else the first text-like field, else `id`. */
export function nameFieldOf(object: Pick<ObjectDef, "nameField" | "fields">): string {
  if (object.nameField) return object.nameField;
  const first = object.fields.find((field) =>
    ["text", "email", "autonumber", "phone", "url"].includes(field.type),
  );
  return first?.name ?? "id";
}

export function isReferenceField(field: FieldDef): field is FieldOf<"lookup"> | FieldOf<"master_detail"> {
  return field.type === "lookup" || field.type === "master_detail";
}

/** Fields computed when read (formula, rollup): no column, never written. */
export function isComputedField(field: FieldDef): field is FieldOf<"formula"> | FieldOf<"rollup"> {
  return field.type === "formula" || field.type === "rollup";
}

/** Field types whose values are numbers. */
export const NUMERIC_FIELD_TYPES: readonly FieldType[] = ["number", "currency", "percent"];
/** Field types whose values are strings. */
export const TEXT_FIELD_TYPES: readonly FieldType[] = ["text", "textarea", "email", "url", "phone", "select", "autonumber"];
