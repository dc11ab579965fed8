import type { FieldDef, ObjectDef } from "@/spec";
import { nameFieldOf } from "@/spec/object-fields";

/** A lookup / master-detail value as the server returns it on read. */
export type LookupValue = { id: string; name?: string | null };

/** One record of a user object as `data.find` / `data.get` return it. */
export type DataRecord = {
  id: string;
  created_at?: string | Date | null;
  updated_at?: string | Date | null;
  created_by?: string | null;
  updated_by?: string | null;
  owner_id?: string | null;
  [field: string]: unknown;
};

/** Narrows whatever the data procedures return to records (the server guarantees the shape). */
export function asRecords(value: unknown): DataRecord[] {
  return Array.isArray(value) ? (value as DataRecord[]) : [];
}

export function asRecord(value: unknown): DataRecord | null {
  return value && typeof value === "object" && "id" in value ? (value as DataRecord) : null;
}

export function isLookupValue(value: unknown): value is LookupValue {
  return !!value && typeof value === "object" && "id" in value && typeof (value as { id: unknown }).id === "string";
}

/** The record's display name: its name field, else its id. */
export function recordTitle(object: Pick<ObjectDef, "nameField" | "fields">, record: DataRecord): string {
  const name = nameFieldOf(object);
  const value = record[name];
  if (value === null || value === undefined || value === "") return record.id;
  if (isLookupValue(value)) return value.name ?? value.id;
  return String(value);
}

export function fieldByName(object: ObjectDef, name: string): FieldDef | undefined {
  return object.fields.find((field) => field.name === name);
}
