import { z } from "zod";

/**
 * Identifiers become SQL table and column names, URL segments and tRPC keys, so they are
 * restricted to a safe, portable alphabet (valid unquoted in SQLite, PostgreSQL and MySQL)
 * and checked against words that the platform reserves for its own columns.
 */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** Column names every object table has; user fields may not take them. */
export const SYSTEM_FIELD_NAMES = ["id", "created_at", "updated_at", "created_by", "updated_by", "owner_id"] as const;

/** SQL keywords that would be confusing (even if quoted) as object or field names. */
const RESERVED_WORDS = new Set([
  "select", "from", "where", "table", "order", "group", "by", "insert", "update", "delete",
  "drop", "alter", "create", "index", "user", "null", "true", "false", "and", "or", "not",
  "limit", "offset", "join", "union", "into", "values", "default", "primary", "key",
]);

/**
 * The one lowercase name every JavaScript object already has (`{}.constructor`): records, values
 * and definitions keyed by a field or object of that name would find Object's constructor where
 * the name is absent. (`__proto__` and the camel-case ones cannot match IDENTIFIER_PATTERN.)
 */
const JS_OBJECT_PROPERTY = "constructor";

export const identifier = z
  .string()
  .regex(
    IDENTIFIER_PATTERN,
    "must start with a lowercase letter and contain only lowercase letters, digits and underscores (at most 63 characters)",
  )
  .refine((name) => !RESERVED_WORDS.has(name), { message: "is a reserved word" })
  .refine((name) => name !== JS_OBJECT_PROPERTY, { message: "is reserved (every JavaScript object has a property of that name)" });

/** A field name: an identifier that is not a system column. */
export const fieldName = identifier.refine(
  (name) => !(SYSTEM_FIELD_NAMES as readonly string[]).includes(name),
  { message: `is a system field name (reserved: ${SYSTEM_FIELD_NAMES.join(", ")})` },
);

export function isIdentifier(value: string): boolean {
  return identifier.safeParse(value).success;
}
