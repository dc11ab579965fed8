import { sql, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isComputedField, isReferenceField, nameFieldOf, type FieldDef, type ObjectDef } from "@/spec/object";
import type { FindQuery } from "@/spec/query";
import { tableName } from "../schema/sql-names";

/**
 * Lists sorted by a lookup's field (`assignee.name`, or `assignee`: its name) read only the
 * records of the first parents in that order.
 *
 * No index of the listed table holds a parent's field, so a database joins every record to its
 * parent and sorts them all to return the first 50: over a million tickets about a second on
 * SQLite and a few hundred milliseconds on PostgreSQL. But the first rows in that order all
 * belong to the first parents in it: with K the key of the m-th parent, every record whose key
 * is at most K comes before every other (ties at K included), so those records are a prefix of
 * the answer. The engine adds `key <= K` and its index-friendly twin
 * `lookup in (select id from parent where field <= K)` (implied by the first: a join only
 * matches such a parent), reads the children of m parents through the lookup's index and sorts
 * them, about a millisecond (m: enough parents for twice the page at the average number of
 * children per parent). When that prefix holds every row the page needs,
 * the page is exact; when it is shorter (a filter few records pass), m grows once, then the
 * query runs unbounded and the choice is remembered for DECISION_TTL_MS.
 *
 * In descending order NULLs come first (records without a parent, or with one the reader may
 * not see, or whose field is empty), so the bound also keeps those rows; a parent the reader
 * cannot see turns its children's keys NULL, which no subquery on the parent table can tell, so
 * descending sorts over a parent with row-level security are not bounded. Nor, on PostgreSQL,
 * descending sorts over an optional lookup: it scans the whole table for `lookup is null or
 * lookup in (...)` (SQLite reads both through the lookup's index).
 */

/** Below this many rows any plan is fast. */
const SMALL_TABLE_ROWS = 5000;
/** Pages deeper than this are not bounded (the prefix would hold most of a big table anyway). */
const MAX_NEEDED_ROWS = 20_000;
/** How much m grows after a prefix came up short, once. */
const GROWTH = 16;
const DECISION_TTL_MS = 60_000;
const DECISIONS_PER_OBJECT = 500;

/** A sort the bound applies to: the root's lookup column and the parent's column sorted on. */
export type SortBound = {
  /** The root object's lookup field. */
  lookup: FieldDef & { type: "lookup" | "master_detail"; reference: string };
  parent: ObjectDef;
  /** The parent's stored column the sort reads. */
  column: string;
  direction: "asc" | "desc";
};

/** Whether `query`'s sort can be bounded by its parent's key (see above); the size of the tables is checked when it runs. */
export function sortBoundOf(dialect: DataDialect, object: ObjectDef, query: FindQuery, lookupObject: (name: string) => ObjectDef | undefined, parentHasRowSecurity: (parent: string) => boolean): SortBound | undefined {
  if (dialect !== "sqlite" && dialect !== "postgres") return undefined;
  const orderBy = query.orderBy ?? [];
  if (orderBy.length !== 1 || query.offset + query.limit + 1 > MAX_NEEDED_ROWS) return undefined;
  const segments = orderBy[0].field.split(".");
  if (segments.length > 2) return undefined;
  const lookup = object.fields.find((field) => field.name === segments[0]);
  if (!lookup || !isReferenceField(lookup)) return undefined;
  const parent = lookupObject(lookup.reference);
  if (!parent) return undefined;
  const columnName = segments.length === 1 ? nameFieldOf(parent) : segments[1];
  const column = parent.fields.find((field) => field.name === columnName);
  // A stored value of the parent: not a formula, not a further lookup (sorted by its own name), not JSON.
  if (!column || isComputedField(column) || isReferenceField(column) || column.type === "json" || column.type === "multiselect") return undefined;
  const direction = orderBy[0].direction;
  if (direction === "desc" && parentHasRowSecurity(parent.name)) return undefined;
  // PostgreSQL reads `lookup is null or lookup in (...)` with a full scan: descending sorts over an optional lookup stay unbounded there.
  if (direction === "desc" && dialect === "postgres" && !lookupRequired(lookup)) return undefined;
  return { lookup: lookup as SortBound["lookup"], parent, column: column.name, direction };
}

/**
 * The extra WHERE of a bounded find: `key` is the sort key's expression (the joined parent's
 * column), `lookupColumn` the root's lookup column, `bound` the stand-in for K.
 */
export function boundPredicate(bound: SortBound, key: RawBuilder<unknown>, lookupColumn: RawBuilder<unknown>, value: unknown): RawBuilder<SqlBool> {
  const parent = sql.table(tableName(bound.parent.name));
  const column = sql.ref(bound.column);
  if (bound.direction === "asc") {
    return sql<SqlBool>`(${key} <= ${value} and ${lookupColumn} in (select ${sql.ref("id")} from ${parent} where ${column} <= ${value}))`;
  }
  const parents = sql`${lookupColumn} in (select ${sql.ref("id")} from ${parent} where ${column} >= ${value} or ${column} is null)`;
  return sql<SqlBool>`((${key} >= ${value} or ${key} is null) and ${lookupRequired(bound.lookup) ? parents : sql`(${lookupColumn} is null or ${parents})`})`;
}

/** A lookup every record has (master-detail always). */
function lookupRequired(lookup: FieldDef): boolean {
  return lookup.type === "master_detail" || lookup.required === true;
}

/** Rows in a table, roughly and cheaply (SQLite: the largest rowid; PostgreSQL: the planner's estimate). */
export async function approximateRows(kysely: Kysely<any>, dialect: DataDialect, objectName: string): Promise<number> {
  const table = tableName(objectName);
  const result =
    dialect === "sqlite"
      ? await sql<{ rows: unknown }>`select max(rowid) as rows from ${sql.table(table)}`.execute(kysely)
      : await sql<{ rows: unknown }>`select greatest(reltuples, 0)::bigint as rows from pg_class where oid = to_regclass(${table})`.execute(kysely);
  return Number(result.rows[0]?.rows ?? 0);
}

/**
 * K: the key of the m-th parent in sort order, after `from` (the cursor's key) when paging on;
 * undefined when fewer than m parents remain (the bound would not narrow anything).
 */
export async function parentKeyAt(kysely: Kysely<any>, bound: SortBound, m: number, from: unknown): Promise<unknown> {
  const column = sql.ref(bound.column);
  const after = from === null || from === undefined ? sql`` : bound.direction === "asc" ? sql` and ${column} >= ${from}` : sql` and ${column} <= ${from}`;
  const result = await sql<{ k: unknown }>`select ${column} as k from ${sql.table(tableName(bound.parent.name))} where ${column} is not null${after} order by ${column} ${sql.raw(bound.direction)} limit 1 offset ${m - 1}`.execute(kysely);
  return result.rows.length === 0 ? undefined : result.rows[0].k;
}

type Decision = { parents: number | null; at: number };
const decisions = new WeakMap<ObjectDef, Map<string, Decision>>();

/**
 * Runs a find bounded by its parents' keys, growing m once; `run(K)` runs the bounded statement
 * and returns its rows. Returns the rows when the prefix held the page, else undefined (run the
 * query unbounded). `key` identifies the query apart from its cursor.
 */
export async function runBounded(
  input: {
    kysely: Kysely<any>;
    dialect: DataDialect;
    object: ObjectDef;
    bound: SortBound;
    query: FindQuery;
    /** The cursor's sort key when paging on (null: the cursor is among NULL keys). */
    cursorKey: unknown;
    run: (k: unknown) => Promise<unknown[][]>;
    onChoice?: (reason: string) => void;
  },
  key: string,
  now = Date.now(),
): Promise<unknown[][] | undefined> {
  const { kysely, dialect, object, bound, query } = input;
  // Ascending, NULL keys come last: a cursor among them is past every parent.
  if (input.cursorKey === null && bound.direction === "asc") return undefined;
  let perObject = decisions.get(object);
  const known = perObject?.get(key);
  const fresh = known !== undefined && now - known.at < DECISION_TTL_MS;
  if (fresh && known.parents === null) return undefined;
  const remember = (parents: number | null) => {
    if (!perObject) decisions.set(object, (perObject = new Map()));
    perObject.set(key, { parents, at: now });
    if (perObject.size > DECISIONS_PER_OBJECT) perObject.delete(perObject.keys().next().value!);
  };
  const needed = query.offset + query.limit + 1;
  let parents: number;
  if (fresh) {
    parents = known.parents!;
  } else {
    const rows = await approximateRows(kysely, dialect, object.name);
    if (rows < SMALL_TABLE_ROWS) {
      remember(null);
      return undefined;
    }
    // Enough parents for twice the page at the tables' average number of children (every record
    // read costs: 13 parents' 1,300 tickets took 7.6 ms on PostgreSQL where 2 parents' take a
    // fraction), at least 2; a filter that leaves fewer makes m grow below.
    const perParent = rows / Math.max(1, await approximateRows(kysely, dialect, bound.parent.name));
    parents = Math.max(2, Math.ceil((2 * needed) / Math.max(1, perParent)));
  }
  for (let attempt = 0; attempt < 2; attempt++, parents *= GROWTH) {
    const k = await parentKeyAt(kysely, bound, parents, input.cursorKey);
    if (k === undefined) break;
    const rows = await input.run(k);
    if (rows.length > query.limit) {
      remember(parents);
      input.onChoice?.(`sorted by a lookup's field: read only the records of the first ${parents} ${bound.parent.pluralLabel.toLowerCase()} in that order (up to ${bound.column} ${bound.direction === "asc" ? "<=" : ">="} the ${parents}th's)`);
      return rows;
    }
  }
  remember(null);
  input.onChoice?.(`sorted by a lookup's field: the first parents in that order hold too few matching records; read unbounded`);
  return undefined;
}
