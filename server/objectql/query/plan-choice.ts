import { sql, type Kysely, type RawBuilder } from "kysely";
import { isReferenceField, type ObjectDef } from "@/spec/object";
import type { FindQuery } from "@/spec/query";
import { desiredIndexes, tableName } from "../schema/sql-names";

/**
 * The plan choice for sorted, limited finds on SQLite (the roadmap's "query optimizer").
 *
 * SQLite's planner does not weigh LIMIT against the sort: for `status in (...) and
 * assignee.department = 'Engineering' order by opened desc limit 50` over a million tickets it
 * starts from the department index, joins every matching ticket (57,000) and sorts them (300+
 * ms), where walking the `opened` index newest first and stopping after 50 matches takes about a
 * millisecond. But walking the sort index is only cheap when matches are dense along it: for a
 * selective filter (a handful of matches) the walk reads the whole index and filtering first is
 * hundreds of times faster. So the engine measures instead of guessing:
 *
 * - a pilot walks the first PILOT_ROWS rows of the sort index and counts how many pass the
 *   query's whole WHERE (filter, search, row-level security): the density of matches where the
 *   walk would actually go (data sorted by date is rarely uniform: recent rows differ);
 * - walking costs about `needed / density` rows (needed = offset + limit + 1); filtering first
 *   costs about `density x table rows` matches to find, read and sort, each several times a
 *   walked row (FILTER_FIRST_ROW_COST: measured on the benchmark's tickets, a walked row about
 *   1 µs, a filter-first match about 6.6 µs with its join and its share of the sort);
 * - the cheaper one wins: the walk is forced with INDEXED BY; filtering first sorts by `+column`,
 *   which keeps SQLite off the sort index (it then reads the filter's index, or scans the table
 *   when no index serves the filter: a search is a LIKE no index serves, and SQLite left alone
 *   walks the sort index for it, reading rows in index order one lookup at a time: 1.1 s against
 *   0.8 s scanning a million tickets for a search that matches about a hundred).
 *
 * A pilot costs a thousand index steps (1-3 ms). Decisions are kept per object definition and
 * query for DECISION_TTL_MS, then measured again, as data changes.
 */

/** Rows of the sort index the pilot walks. */
export const PILOT_ROWS = 1000;
/** Below this many rows any plan is fast: no pilot. */
const SMALL_TABLE_ROWS = 5000;
const DECISION_TTL_MS = 60_000;
/** What a match costs filtering first, in walked rows (kept below the 6.6 measured: a walk has surprises too). */
const FILTER_FIRST_ROW_COST = 4;
const DECISIONS_PER_OBJECT = 500;

/** How a find reads its root table: walking the sort index, filtering first, or (neither set) as SQLite chooses. */
export type FindPlanChoice = { walkIndex?: string; filterFirst?: true; reason: string };

const decisions = new WeakMap<ObjectDef, Map<string, { choice: FindPlanChoice; at: number }>>();

/** The index whose order is the query's sort (one key on a stored column of the object itself), or undefined. */
export function sortIndexOf(object: ObjectDef, query: Pick<FindQuery, "orderBy">): string | undefined {
  const orderBy = query.orderBy ?? [];
  if (orderBy.length !== 1) return undefined;
  const field = orderBy[0].field;
  if (field.includes(".")) return undefined;
  // A lookup sorts by its record's name, not by the id its column (and index) holds.
  const definition = object.fields.find((candidate) => candidate.name === field);
  if (definition && isReferenceField(definition)) return undefined;
  for (const index of desiredIndexes(object).values()) {
    // (field, id) or unique (field): the whole `order by field, id` comes from the index.
    if (index.columns[0] === field && (index.columns.length === 1 || index.columns[1] === "id")) return index.name;
  }
  return undefined;
}

export type PilotInput = {
  kysely: Kysely<any>;
  object: ObjectDef;
  query: FindQuery;
  index: string;
  /** The query's WHERE (filter, search, row security) and joins, compiled over ROOT_ALIAS from `indexedFrom`. */
  pilot: (indexedFrom: RawBuilder<unknown>, rows: number) => RawBuilder<{ walked: unknown; matched: unknown }>;
};

/** `"obj_x" as "t" indexed by "idx"`: the root table read through `index`. */
export function indexedFrom(object: ObjectDef, alias: string, index: string): RawBuilder<unknown> {
  return sql`${sql.table(tableName(object.name))} as ${sql.id(alias)} indexed by ${sql.id(index)}`;
}

/** The decision for `key` while it is fresh (no pilot due), else undefined. */
export function recentFindPlan(object: ObjectDef, key: string, now = Date.now()): FindPlanChoice | undefined {
  const known = decisions.get(object)?.get(key);
  return known && now - known.at < DECISION_TTL_MS ? known.choice : undefined;
}

/**
 * Whether the find should walk its sort index (SQLite only; the caller checked the sort has one
 * and the query filters or searches). `key` identifies the query apart from its cursor.
 */
export async function chooseFindPlan(input: PilotInput, key: string, now = Date.now()): Promise<FindPlanChoice> {
  const recent = recentFindPlan(input.object, key, now);
  if (recent) return recent;
  const choice = await measure(input);
  let perObject = decisions.get(input.object);
  if (!perObject) decisions.set(input.object, (perObject = new Map()));
  perObject.set(key, { choice, at: now });
  if (perObject.size > DECISIONS_PER_OBJECT) perObject.delete(perObject.keys().next().value!);
  return choice;
}

async function measure({ kysely, object, query, index, pilot }: PilotInput): Promise<FindPlanChoice> {
  // The largest rowid: the table's size without counting it (rows are appended; deletions only make it an overestimate).
  const size = await sql<{ rows: unknown }>`select max(rowid) as rows from ${sql.table(tableName(object.name))}`.execute(kysely);
  const rows = Number(size.rows[0]?.rows ?? 0);
  if (rows < SMALL_TABLE_ROWS) return { reason: `small table (${rows} rows)` };
  const measured = await pilot(indexedFrom(object, "t", index), PILOT_ROWS).execute(kysely);
  const walked = Number(measured.rows[0]?.walked ?? 0);
  const matched = Number(measured.rows[0]?.matched ?? 0);
  const needed = query.offset + query.limit + 1;
  if (matched >= needed) return { walkIndex: index, reason: `${matched} of the first ${walked} rows in sort order match: the walk stops early` };
  if (matched === 0) return { filterFirst: true, reason: `none of the first ${walked} rows in sort order match: filter first` };
  const walkCost = (needed * walked) / matched;
  const filterFirstCost = (matched / walked) * rows * FILTER_FIRST_ROW_COST;
  return walkCost < filterFirstCost
    ? { walkIndex: index, reason: `walk about ${Math.round(walkCost)} rows rather than filter first (about ${Math.round(filterFirstCost / FILTER_FIRST_ROW_COST)} matches)` }
    : { filterFirst: true, reason: `filter first (about ${Math.round(filterFirstCost / FILTER_FIRST_ROW_COST)} matches) rather than walk about ${Math.round(walkCost)} rows` };
}
