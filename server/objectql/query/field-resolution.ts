import { SYSTEM_FIELD_NAMES } from "@/spec/identifier";
import type { FieldDef, ObjectDef } from "@/spec/object";
import { ObjectQLError } from "../errors";

/**
 * Resolves field names that arrive in queries (filter, orderBy, select) against an object's
 * metadata. Only names that resolve here ever become SQL identifiers.
 */

/**
 * System columns described as fields, so filters and sorting treat them like any other. A Map,
 * not an object literal: names arrive from requests, and `constructor` or `valueOf` must not
 * find the properties every JavaScript object has.
 */
const SYSTEM_FIELDS = new Map<string, FieldDef>([
  ["id", { id: "_id", name: "id", label: "Id", required: true, unique: true, type: "text", maxLength: 100 }],
  ["created_at", { id: "_created_at", name: "created_at", label: "Created at", required: true, unique: false, type: "datetime" }],
  ["updated_at", { id: "_updated_at", name: "updated_at", label: "Updated at", required: true, unique: false, type: "datetime" }],
  ["created_by", { id: "_created_by", name: "created_by", label: "Created by", required: false, unique: false, type: "text", maxLength: 255 }],
  ["updated_by", { id: "_updated_by", name: "updated_by", label: "Updated by", required: false, unique: false, type: "text", maxLength: 255 }],
  ["owner_id", { id: "_owner_id", name: "owner_id", label: "Owner", required: false, unique: false, type: "text", maxLength: 255 }],
]);

export type ResolvedField = { field: FieldDef; system: boolean };

export function isSystemFieldName(name: string): boolean {
  return (SYSTEM_FIELD_NAMES as readonly string[]).includes(name);
}

/** Resolves `name` on `object`, or throws BAD_REQUEST naming the field, object and `path`. */
export function resolveField(object: ObjectDef, name: string, path: (string | number)[]): ResolvedField {
  if (name.includes(".")) {
    throw new ObjectQLError(
      "BAD_REQUEST",
      `Dotted paths are not supported yet ('${name}' on object '${object.name}'): use a field of '${object.name}' itself`,
      { path },
    );
  }
  const system = SYSTEM_FIELDS.get(name);
  if (system) return { field: system, system: true };
  const field = object.fields.find((candidate) => candidate.name === name);
  if (!field) {
    throw new ObjectQLError("BAD_REQUEST", `Unknown field '${name}' on object '${object.name}'`, {
      path,
      issues: [{ path, message: `Unknown field '${name}' on object '${object.name}'` }],
    });
  }
  return { field, system: false };
}
