/**
 * The engine's basic record and caller types, in their own file so the query/ and records/
 * modules can name them without importing the engine (objectql.ts) that imports them.
 */

export type SecurityContext = { kind: "user"; userId: string; role: string } | { kind: "system" };

export type DataRecord = {
  id: string;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  updated_by: string | null;
  /** The user who owns the record (row-level security); the creator unless transferred. */
  owner_id: string | null;
  [field: string]: unknown;
};

/** A lookup's value in returned records. */
export type LookupValue = { id: string; name: string } | null;

