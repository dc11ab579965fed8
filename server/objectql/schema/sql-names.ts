import { createHash } from "node:crypto";
import type { IndexDef, ObjectDef } from "@/spec/object";

/**
 * Names of the SQL objects derived from metadata. Object and field names are validated
 * identifiers (spec/identifier.ts), so everything here is built only from safe parts; they
 * are still always quoted when used.
 */

/** PostgreSQL silently truncates identifiers to 63 bytes, which could make two names collide. */
const MAX_IDENTIFIER_LENGTH = 63;

export function tableName(objectName: string): string {
  return `obj_${objectName}`;
}

/** Columns every native object table has; external tables have only the primary key (as `id`). */
const SYSTEM_COLUMNS = new Set(["id", "created_at", "updated_at", "created_by", "updated_by", "owner_id"]);

/**
 * The real table an object reads: `obj_<name>` for native objects, the external table for objects
 * of a data source (spec/object.ts `source`).
 */
export function sourceTableName(object: Pick<ObjectDef, "name" | "source">): string {
  return object.source?.table ?? tableName(object.name);
}

/**
 * The real column of a field or system column of an object; `null` when an external table has
 * no such column (created_at, ... : the engine then reads NULL).
 */
export function sourceColumnName(object: Pick<ObjectDef, "source">, name: string): string | null {
  const source = object.source;
  if (!source) return name;
  if (name === "id") return source.primaryKey;
  if (SYSTEM_COLUMNS.has(name)) return null;
  return source.columns?.[name] ?? name;
}

/** Shortens a derived name deterministically (prefix + hash) when it would exceed 63 characters. */
export function boundedName(name: string): string {
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER_LENGTH - 9)}_${hash}`;
}

export function foreignKeyName(objectName: string, fieldName: string): string {
  return boundedName(`fk_${objectName}_${fieldName}`);
}

/** The index on a table's owner_id (system column). */
export function ownerIndexName(objectName: string): string {
  return boundedName(`idx_${objectName}_owner_id`);
}

/** An index the table should have: from `unique` fields, reference fields and object `indexes`. */
export type IndexSpec = { name: string; columns: string[]; unique: boolean };

/**
 * The columns an index is created with on SQLite and PostgreSQL: a non-unique index ends with
 * `id`, because every ObjectQL sort ends with the id as tie-breaker. The index then serves the
 * whole `order by field, id` (no sort of each run of equal values), and a page's ids are read
 * from the index alone (see the deferred join in query/find.ts). MySQL's InnoDB indexes already
 * end with the primary key, and its optimizer uses it, so there the columns stay as declared.
 */
export function physicalIndexColumns(index: IndexSpec): string[] {
  return index.unique || index.columns.includes("id") ? index.columns : [...index.columns, "id"];
}

/** The full set of indexes an object definition implies, keyed by name. */
export function desiredIndexes(object: Pick<ObjectDef, "name" | "fields" | "indexes">): Map<string, IndexSpec> {
  const result = new Map<string, IndexSpec>();
  for (const field of object.fields) {
    if (field.unique) {
      const name = boundedName(`uq_${object.name}_${field.name}`);
      result.set(name, { name, columns: [field.name], unique: true });
    }
  }
  for (const field of object.fields) {
    // Reference columns are joined on and used by ON DELETE actions: index them unless a unique index exists.
    if ((field.type === "lookup" || field.type === "master_detail") && !field.unique) {
      const name = boundedName(`idx_${object.name}_${field.name}`);
      result.set(name, { name, columns: [field.name], unique: false });
    }
  }
  for (const index of object.indexes as IndexDef[]) {
    const name = boundedName(index.name ?? `idx_${object.name}_${index.fields.join("_")}`);
    result.set(name, { name, columns: [...index.fields], unique: index.unique });
  }
  // Row-level security asks "owned by one of these users" of every private object.
  const owner = ownerIndexName(object.name);
  result.set(owner, { name: owner, columns: ["owner_id"], unique: false });
  return result;
}
