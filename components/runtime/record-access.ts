import type { FieldDef, ObjectDef } from "@/spec";

/** What the signed-in user may do with an object's records, as `data.describe` answers it. */
export type RecordAccess = {
  create: boolean;
  edit: boolean;
  delete: boolean;
  export: boolean;
  /** Per visible field: "edit" or "read" (hidden fields are not in the described object at all). */
  fields: Record<string, "edit" | "read">;
};

/** An object as `data.describe` returns it; renderers given a plain definition (studio previews) allow everything. */
export type DescribedObjectDef = ObjectDef & { access?: RecordAccess };

const EVERYTHING: RecordAccess = { create: true, edit: true, delete: true, export: true, fields: {} };

export function accessOf(object: DescribedObjectDef): RecordAccess {
  return object.access ?? EVERYTHING;
}

/** Whether the user may change this field (computed fields are never changed by hand anyway). */
export function fieldEditable(object: DescribedObjectDef, field: FieldDef): boolean {
  return (accessOf(object).fields[field.name] ?? "edit") === "edit";
}
