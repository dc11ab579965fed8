import { createHash } from "node:crypto";
import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { FieldDef } from "@/spec/object";
import { storageKindOf } from "../schema/column-types";
import { datetimeParameter, type SqlDialect } from "../dialect-sql";
import { ObjectQLError } from "../errors";
import { isValidDate, normaliseDateTime } from "../records/validation";

/**
 * Keyset pagination. A cursor is opaque base64url JSON of the last row's sort values and id
 * plus a fingerprint of the sort, so a cursor from a different query is refused instead of
 * silently returning the wrong page. The next page is "every row after that one in the sort
 * order", with the platform's NULL placement (last ascending, first descending) and the id
 * as the final tie-breaker, so ties and mixed directions page stably.
 */

export type SortKey = {
  expression: RawBuilder<unknown>;
  direction: "asc" | "desc";
  /** The field whose values the key holds (for a lookup: the referenced record's name field). */
  field: FieldDef;
  /** The column is NOT NULL in every row (a system column of the queried object itself). */
  neverNull?: boolean;
};

type CursorPayload = { s: string; v: unknown[]; id: string };

/** Identifies a sort: the object, the keys' paths and directions, and (optionally) what else the rows depend on (filter, search). */
export function sortSignature(object: string, keys: { path: string; direction: string }[], scope: unknown = null): string {
  return createHash("sha256").update(JSON.stringify([object, keys.map((key) => [key.path, key.direction]), scope])).digest("base64url").slice(0, 12);
}

/** A read value as it goes into a cursor (driver types normalised to JSON). */
function cursorValue(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return field.type === "date" ? value.toISOString().slice(0, 10) : value.toISOString();
  if (storageKindOf(field.type) === "boolean") return value === true || value === 1 || value === "1" || value === "t" || value === "true";
  if (typeof value === "bigint") return Number(value);
  return value;
}

/**
 * Cursors this process handed out, decoded: a client pages by sending back the cursor of the
 * page before, so most cursors arrive here already known and skip base64 and JSON (a few µs of
 * a page). Only ever holds what encodeCursor made; the checks against the query still run.
 */
const issuedCursors = new Map<string, CursorPayload>();
const ISSUED_CURSORS_KEPT = 1000;

export function encodeCursor(signature: string, keys: SortKey[], values: unknown[], id: string): string {
  const payload: CursorPayload = { s: signature, v: keys.map((key, index) => cursorValue(key.field, values[index])), id };
  const cursor = Buffer.from(JSON.stringify(payload)).toString("base64url");
  if (!issuedCursors.has(cursor)) {
    issuedCursors.set(cursor, payload);
    if (issuedCursors.size > ISSUED_CURSORS_KEPT) issuedCursors.delete(issuedCursors.keys().next().value!);
  }
  return cursor;
}

function badCursor(reason: string): ObjectQLError {
  const message = `Invalid cursor: ${reason}`;
  return new ObjectQLError("BAD_REQUEST", message, { path: ["cursor"], issues: [{ path: ["cursor"], message }] });
}

/** Decodes and checks a cursor against the query's sort; returns the bound values of the last row. */
export function decodeCursor(cursor: string, signature: string, keys: SortKey[], dialect: SqlDialect): { values: unknown[]; id: string } {
  let payload = issuedCursors.get(cursor);
  if (!payload) {
    try {
      payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorPayload;
    } catch {
      throw badCursor("it is not a cursor returned by this API");
    }
  }
  if (typeof payload !== "object" || payload === null || !Array.isArray(payload.v) || typeof payload.id !== "string" || payload.id.length > 100) {
    throw badCursor("it is not a cursor returned by this API");
  }
  if (payload.s !== signature || payload.v.length !== keys.length) {
    throw badCursor("it belongs to a query with a different object, orderBy, filter or search: start again from the first page");
  }
  const values = payload.v.map((value, index) => {
    if (value === null) return null;
    const field = keys[index].field;
    switch (storageKindOf(field.type)) {
      case "number":
        if (typeof value !== "number" && typeof value !== "string") break;
        return value;
      case "boolean":
        if (typeof value !== "boolean") break;
        // Bound as booleans are stored: SQLite and MySQL keep 0/1.
        return dialect === "postgres" ? value : value ? 1 : 0;
      case "date":
        if (typeof value !== "string" || !isValidDate(value)) break;
        return value;
      case "datetime": {
        const iso = typeof value === "string" ? normaliseDateTime(value) : null;
        if (!iso) break;
        return datetimeParameter(dialect, iso);
      }
      default:
        if (typeof value !== "string") break;
        return value;
    }
    throw badCursor(`sort value ${index + 1} does not fit field '${field.name}'`);
  });
  return { values, id: payload.id };
}

/** Rows strictly after (values, id) in the order of `keys`, then id in `idDirection`. */
export function keysetPredicate(keys: SortKey[], values: unknown[], id: string, idColumn: RawBuilder<unknown>, idDirection: "asc" | "desc", dialect?: string): RawBuilder<SqlBool> {
  const disjuncts: RawBuilder<SqlBool>[] = [];
  const equalities: RawBuilder<SqlBool>[] = [];
  keys.forEach((key, index) => {
    const column = key.expression;
    const value = values[index];
    let after: RawBuilder<SqlBool> | null;
    if (key.direction === "asc") {
      // Ascending, NULLs last: after a value come greater values and NULLs; nothing sorts after NULL but other NULLs.
      after = value === null ? null : sql<SqlBool>`(${column} > ${value} or ${column} is null)`;
    } else {
      // Descending, NULLs first: after NULL come all values; after a value, smaller ones.
      after = value === null ? sql<SqlBool>`${column} is not null` : sql<SqlBool>`${column} < ${value}`;
    }
    if (after) disjuncts.push(equalities.length === 0 ? after : sql<SqlBool>`(${sql.join([...equalities, after], sql` and `)})`);
    equalities.push(value === null ? sql<SqlBool>`${column} is null` : sql<SqlBool>`${column} = ${value}`);
  });
  const idAfter = idDirection === "asc" ? sql<SqlBool>`${idColumn} > ${id}` : sql<SqlBool>`${idColumn} < ${id}`;
  disjuncts.push(equalities.length === 0 ? idAfter : sql<SqlBool>`(${sql.join([...equalities, idAfter], sql` and `)})`);
  const after = disjuncts.length === 1 ? disjuncts[0] : sql<SqlBool>`(${sql.join(disjuncts, sql` or `)})`;
  // A redundant range on the first key lets the planner seek its index instead of OR-ing index
  // scans and sorting everything (SQLite does that with bound parameters). Only where it is
  // exact: descending past a value (NULLs came first), or ascending on a column that is never NULL.
  const first = keys[0];
  const bound = values[0];
  if (first && bound !== null && (first.direction === "desc" || first.neverNull)) {
    const range = first.direction === "desc" ? sql<SqlBool>`${first.expression} <= ${bound}` : sql<SqlBool>`${first.expression} >= ${bound}`;
    if (keys.length === 1 && dialect === "postgres") {
      // PostgreSQL seeks a (key, id) index with one range for a row comparison (NULL keys, which
      // came first descending and never occur ascending here, compare as NULL: not past).
      return first.direction === "desc" ? sql<SqlBool>`(${first.expression}, ${idColumn}) < (${bound}, ${id})` : sql<SqlBool>`(${first.expression}, ${idColumn}) > (${bound}, ${id})`;
    }
    if (keys.length === 1) {
      // Within that range "equal to the bound" is "not strictly past it", so one key reads as a
      // developer would write it: key <= v and (key < v or id < last id).
      const past = first.direction === "desc" ? sql<SqlBool>`${first.expression} < ${bound}` : sql<SqlBool>`${first.expression} > ${bound}`;
      return sql<SqlBool>`${range} and (${past} or ${idAfter})`;
    }
    return sql<SqlBool>`${range} and ${after}`;
  }
  return after;
}
