import { sql, type CompiledQuery, type AliasedRawBuilder, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isReferenceField, nameFieldOf, type ObjectDef } from "@/spec/object";
import type { Filter, FindQuery, OrderBy } from "@/spec/query";
import { MAX_BOUND_VALUES, orderTerm } from "../dialect-sql";
import { ObjectQLError } from "../errors";
import { resolveField } from "./field-resolution";
import { compileFilter, compileSearch, type FilterScope } from "./filter-compiler";
import type { DataRecord } from "../types";
import { decodeCursor, encodeCursor, keysetPredicate, sortSignature, type SortKey } from "./cursor";
import { loadExpansions } from "./expand";
import { JoinPlanner } from "./paths";
import { columnReader, passesThrough, timestampToIso } from "../records/codec";
import { tableName } from "../schema/sql-names";
import { arrayRowsSql, nextPlanNumber, selectArrayRows, withoutStatementHints } from "@/server/db/statement-hints";
import type { RecordSecurity } from "@/server/security/record-security";
import { chooseFindPlan, indexedFrom, recentFindPlan, sortIndexOf, type FindPlanChoice } from "./plan-choice";
import { boundPredicate, runBounded, sortBoundOf, type SortBound } from "./sort-bound";

/**
 * The record-list read path (`find`, `count`): one compiled statement per query with the
 * joins its dotted paths need, keyset or offset paging, and a row reader prepared once so the
 * per-row loop touches no metadata.
 */

export type ReadContext = {
  // Tables are created at run time from metadata, so there is no static table type.
  kysely: Kysely<any>;
  dialect: DataDialect;
  lookupObject: (name: string) => ObjectDef | undefined;
  /** "Now" for relative date values, fixed for the whole query. */
  now: Date;
  /**
   * The caller's record access (absent: unrestricted, the platform itself). `lookupObject`
   * then returns definitions as the user sees them, and every statement gets row predicates.
   */
  security?: RecordSecurity;
  /**
   * Where the plan choice measures (query/plan-choice.ts), when `kysely` cannot run queries:
   * explain compiles against a capturing Kysely, but its pilot must read the real data.
   */
  probe?: Kysely<any>;
  /** Told which plan a find chose, and why (explain reports it). */
  onPlanChoice?: (choice: FindPlanChoice) => void;
};

export const ROOT_ALIAS = "t";

/** The system columns every record returns, in order. */
const SYSTEM_COLUMNS = ["id", "created_at", "updated_at", "created_by", "updated_by", "owner_id"];

function bad(message: string, path: (string | number)[]): ObjectQLError {
  return new ObjectQLError("BAD_REQUEST", message, { path, issues: [{ path, message }] });
}

/**
 * Refuses a statement that binds more values than its database accepts (only MySQL can get there
 * within the filter limits: spec/query.ts), naming the limit, rather than failing in the driver.
 */
export function checkBoundValues(dialect: DataDialect, compiled: CompiledQuery): CompiledQuery {
  const limit = MAX_BOUND_VALUES[dialect];
  if (compiled.parameters.length > limit) {
    throw bad(`This query binds ${compiled.parameters.length} values; the ${dialect} database accepts at most ${limit} in one statement: use fewer or shorter 'in' lists`, ["filter"]);
  }
  return compiled;
}

export function newPlanner(rc: ReadContext, object: ObjectDef, aliasPrefix = "j"): JoinPlanner {
  const planner = new JoinPlanner(rc.lookupObject, object, ROOT_ALIAS, aliasPrefix);
  planner.computed = { dialect: rc.dialect, now: rc.now };
  const security = rc.security;
  // A lookup reaches the referenced record only when the user may read it (else NULLs: no name, no dotted values).
  if (security) planner.joinCondition = (objectName, alias) => security.rowPredicate(objectName, alias, "read");
  return planner;
}

/** The filter scope of a planned query: conditions may use dotted paths. */
export function filterScope(rc: ReadContext, planner: JoinPlanner): FilterScope {
  return {
    object: planner.root,
    dialect: rc.dialect,
    alias: planner.rootAlias,
    now: rc.now,
    resolve: (name, path) => planner.resolve(name, path),
  };
}

export function compileWhere(rc: ReadContext, planner: JoinPlanner, filter: Filter | undefined, search: string | undefined, path: (string | number)[] = ["filter"]): RawBuilder<SqlBool> | null {
  const scope = filterScope(rc, planner);
  const parts: RawBuilder<SqlBool>[] = [];
  const visible = rc.security?.rowPredicate(planner.root.name, planner.rootAlias, "read");
  if (visible) parts.push(visible);
  if (filter) parts.push(compileFilter(scope, filter, path));
  if (search !== undefined) {
    const searchSql = compileSearch(scope, search);
    if (searchSql) parts.push(searchSql);
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0] : sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** A returned key and where its value sits in a row read as an array of the shape's columns. */
type Entry =
  | { kind: "value"; key: string; index: number; convert: ((value: unknown) => unknown) | null }
  | { kind: "reference"; key: string; index: number; nameIndex: number };

export type RecordShape = {
  columns: AliasedRawBuilder<unknown, string>[];
  /** The position among `columns` of the raw value of a plain (non-lookup) selected path or system column, if selected. */
  columnIndexOf(path: string): number | undefined;
  /** Makes the record from a row of `columns`' values in order (array rows: see server/db/statement-hints.ts); values after them are ignored. */
  read(row: readonly unknown[]): DataRecord;
};

/**
 * The columns of returned records: system columns, the selected fields (all when `select` is
 * absent), lookups as {id, name} and dotted paths under their dotted key.
 */
export function compileRecordShape(planner: JoinPlanner, dialect: DataDialect, select: string[] | undefined, errorPath: (string | number)[]): RecordShape {
  const alias = planner.rootAlias;
  const entries: Entry[] = [];
  const columns: AliasedRawBuilder<unknown, string>[] = SYSTEM_COLUMNS.map((name) => sql.ref(`${alias}.${name}`).as(name));
  const valueColumns = new Map<string, number>(SYSTEM_COLUMNS.map((name, index) => [name, index]));
  const seen = new Set<string>();
  const paths = select ?? planner.root.fields.map((field) => field.name);
  paths.forEach((path, index) => {
    if (seen.has(path)) return;
    seen.add(path);
    const resolved = planner.resolve(path, [...errorPath, index]);
    if (resolved.system && !resolved.dotted) return;
    // Root fields keep their (validated) names as column aliases; dotted paths get short generated ones.
    const column = resolved.dotted ? `__p${index}` : resolved.field.name;
    const position = columns.length;
    columns.push(resolved.column.as(column));
    if (isReferenceField(resolved.field)) {
      columns.push(planner.referenceName(resolved, [...errorPath, index]).as(`__n${index}`));
      entries.push({ kind: "reference", key: path, index: position, nameIndex: position + 1 });
    } else {
      const convert = passesThrough(resolved.field, dialect) ? null : columnReader(resolved.field, dialect);
      entries.push({ kind: "value", key: path, index: position, convert });
      valueColumns.set(path, position);
    }
  });
  return {
    columns,
    columnIndexOf: (path) => valueColumns.get(path),
    read(row) {
      const id = row[0];
      const createdAt = row[1];
      const updatedAt = row[2];
      const record: DataRecord = {
        id: typeof id === "string" ? id : String(id),
        // Timestamps usually arrive as ISO text already (SQLite, PostgreSQL's UTC parser).
        created_at: typeof createdAt === "string" ? createdAt : (timestampToIso(createdAt) ?? ""),
        updated_at: typeof updatedAt === "string" ? updatedAt : (timestampToIso(updatedAt) ?? ""),
        created_by: (row[3] as string | null) ?? null,
        updated_by: (row[4] as string | null) ?? null,
        owner_id: (row[5] as string | null) ?? null,
      };
      for (let index = 0; index < entries.length; index++) {
        const entry = entries[index];
        if (entry.kind === "reference") {
          const id = row[entry.index];
          const name = row[entry.nameIndex];
          record[entry.key] = id === null || id === undefined ? null : { id: String(id), name: name === null || name === undefined ? String(id) : String(name) };
        } else {
          const value = row[entry.index];
          record[entry.key] = entry.convert ? entry.convert(value) : value;
        }
      }
      return record;
    },
  };
}

/** System columns that are NOT NULL in every object table (created_by/updated_by may be NULL). */
const NOT_NULL_COLUMNS = new Set(["id", "created_at", "updated_at"]);

/** The sort keys of `orderBy` (default: oldest first); lookups sort by the referenced record's name. */
export function compileSortKeys(planner: JoinPlanner, orderBy: OrderBy[] | undefined, errorPath: (string | number)[]): SortKey[] {
  if (!orderBy || orderBy.length === 0) {
    return [{ expression: sql.ref(`${planner.rootAlias}.created_at`), direction: "asc", field: resolveField(planner.root, "created_at", errorPath).field, neverNull: true }];
  }
  return orderBy.map((order, index) => {
    const path = [...errorPath, index, "field"];
    const resolved = planner.resolve(order.field, path);
    const field = resolved.field;
    if (field.type === "json" || field.type === "multiselect") {
      throw bad(`Cannot sort by field '${order.field}' (${field.type})`, path);
    }
    if (isReferenceField(field)) {
      const target = planner.lookupTarget(field.reference);
      const nameField = target ? resolveField(target, nameFieldOf(target), path).field : field;
      return { expression: planner.referenceName(resolved, path), direction: order.direction, field: nameField };
    }
    return { expression: resolved.column, direction: order.direction, field, neverNull: !resolved.dotted && NOT_NULL_COLUMNS.has(field.name) && resolved.system };
  });
}

/** `statement` ordered by `keys` and then the id (in the last key's direction). */
function orderedBy<Q extends { orderBy(expression: RawBuilder<unknown>): Q }>(dialect: DataDialect, statement: Q, keys: SortKey[]): Q {
  for (const key of keys) statement = statement.orderBy(orderTerm(dialect, key.expression, key.direction));
  return statement.orderBy(sql`${sql.ref(`${ROOT_ALIAS}.id`)} ${sql.raw(keys[keys.length - 1].direction)}`);
}

/**
 * A find query compiled once: the SQL text with its bound values, where the cursor's values go
 * among them, and how to read rows. Paging through a list runs the same query again and again
 * with another cursor, so the plan is cached (see `findPlanFor`) and a page costs a bind and an
 * execute instead of validating, planning and compiling the query anew.
 */
type FindPlan = {
  sql: string;
  parameters: readonly unknown[];
  /** For each parameter: -1 keeps the compiled value, i >= 0 takes cursor value i (the id is last). */
  cursorSlots: Int16Array | null;
  shape: RecordShape;
  keys: SortKey[];
  /** The position in a row of each sort key's raw value (for the next cursor). */
  keyIndexes: number[];
  signature: string;
  idDirection: "asc" | "desc";
  /** Where K, a bounded sort's parent key (query/sort-bound.ts), goes among the parameters. */
  boundSlots: number[];
};

/** Stand-ins for cursor values while compiling; never valid ids or sort values (NUL-prefixed). */
const cursorSentinel = (index: number) => `\u0000os-cursor-${index}`;
const BOUND_SENTINEL = "\u0000os-bound";

/** How a find is compiled besides its query. */
type PlanVariant = {
  /** Which cursor values are NULL (they change the SQL); null: no cursor. */
  cursorNulls: boolean[] | null;
  /** Read the root table through its sort index (query/plan-choice.ts). */
  walkIndex?: string;
  /** Keep SQLite off the sort index: it filters first, then sorts (query/plan-choice.ts). */
  filterFirst?: boolean;
  /** Keep only the records of the first parents in sort order (query/sort-bound.ts). */
  bound?: SortBound;
};

/** Compiles a find. */
function compileFindPlan(rc: ReadContext, object: ObjectDef, query: FindQuery, { cursorNulls, walkIndex, filterFirst, bound }: PlanVariant): FindPlan {
  const planner = newPlanner(rc, object);
  const shape = compileRecordShape(planner, rc.dialect, query.select, ["select"]);
  const keys = compileSortKeys(planner, query.orderBy, ["orderBy"]);
  // The id breaks ties in the direction of the last key, so an index on that key serves the whole order.
  const idDirection = keys[keys.length - 1].direction;
  const idColumn = sql.ref(`${ROOT_ALIAS}.id`);
  const signature = cursorSignature(object.name, query);

  let after: RawBuilder<SqlBool> | null = null;
  if (cursorNulls) {
    const values = keys.map((_key, index) => (cursorNulls[index] ? null : cursorSentinel(index)));
    after = keysetPredicate(keys, values, cursorSentinel(keys.length), idColumn, idDirection, rc.dialect);
  }

  // A sort key that is also a selected column is read from that column, not selected twice;
  // the others are selected after the record's columns.
  const columns = [...shape.columns];
  const keyIndexes = keys.map((key, index) => {
    const selected = shape.columnIndexOf(query.orderBy?.[index]?.field ?? "created_at");
    if (selected !== undefined) return selected;
    columns.push(key.expression.as(`__k${index}`));
    return columns.length - 1;
  });
  const table = `${tableName(object.name)} as ${ROOT_ALIAS}`;
  const bounded = (sortKeys: SortKey[]) => (bound ? boundPredicate(bound, sortKeys[0].expression, sql.ref(`${ROOT_ALIAS}.${bound.lookup.name}`), BOUND_SENTINEL) : null);
  // The rows the filter and sort read: through the sort index when the plan choice says so.
  const scanned = (walkIndex ? indexedFrom(object, ROOT_ALIAS, walkIndex) : table) as typeof table;
  // Filtering first: the first key sorted as `+column`, which no index serves (SQLite's unary plus
  // changes nothing in the value or its collation).
  const ordered = <Q extends { orderBy(expression: RawBuilder<unknown>): Q }>(statement: Q, sortKeys: SortKey[]): Q =>
    orderedBy(rc.dialect, statement, filterFirst ? [{ ...sortKeys[0], expression: sql`+${sortKeys[0].expression}` }, ...sortKeys.slice(1)] : sortKeys);

  let compiled: CompiledQuery;
  if (query.offset > 0) {
    // Deferred join: an offset skips rows, and a database skips a row only after reading it
    // whole (its columns, its lookups' joins). So the page's ids are found first, reading only
    // what the filter and sort need (with an index on (sort field, id), the index alone), and
    // then only those rows are read with their columns and lookups. Offset 90,000 of 100,000
    // on SQLite: ~60 ms read whole, ~2 ms this way.
    const idPlanner = newPlanner(rc, object, "d");
    const idWhere = compileWhere(rc, idPlanner, query.filter, query.search);
    const idKeys = compileSortKeys(idPlanner, query.orderBy, ["orderBy"]);
    // (The planner joins what the filter and sort resolved above.)
    let ids = idPlanner.apply(rc.kysely.selectFrom(scanned)).select(sql.ref(`${ROOT_ALIAS}.id`).as("id"));
    if (idWhere) ids = ids.where(idWhere);
    const idBound = bounded(idKeys);
    if (idBound) ids = ids.where(idBound);
    // One row more than asked tells whether there is a next page.
    ids = ordered(ids, idKeys).limit(query.limit + 1).offset(query.offset);
    // On SQLite the page comes first (CROSS JOIN fixes the join order there): with the limit and
    // offset bound as parameters its planner cannot tell the page is 51 rows, and walked the
    // whole table in sort order against an automatic index on the page instead (161 ms for the
    // second page of a million rows, 0.4 ms page first).
    const pageRows = rc.kysely.selectFrom(ids.as("page"));
    const page = planner.apply(
      rc.dialect === "sqlite" ? pageRows.crossJoin(table).whereRef(`${ROOT_ALIAS}.id`, "=", "page.id") : pageRows.innerJoin(table, `${ROOT_ALIAS}.id`, "page.id"),
    );
    compiled = checkBoundValues(rc.dialect, ordered(page.select(columns), keys).compile());
  } else {
    const where = compileWhere(rc, planner, query.filter, query.search);
    let statement = planner.apply(rc.kysely.selectFrom(scanned)).select(columns);
    if (where) statement = statement.where(where);
    if (after) statement = statement.where(after);
    const keyBound = bounded(keys);
    if (keyBound) statement = statement.where(keyBound);
    compiled = checkBoundValues(rc.dialect, ordered(statement, keys).limit(query.limit + 1).compile());
  }

  let cursorSlots: Int16Array | null = null;
  if (cursorNulls) {
    cursorSlots = new Int16Array(compiled.parameters.length).fill(-1);
    compiled.parameters.forEach((parameter, position) => {
      if (typeof parameter === "string" && parameter.startsWith("\u0000os-cursor-")) cursorSlots![position] = Number(parameter.slice(11));
    });
  }
  const boundSlots: number[] = [];
  compiled.parameters.forEach((parameter, position) => {
    if (parameter === BOUND_SENTINEL) boundSlots.push(position);
  });
  return { sql: arrayRowsSql(compiled.sql), parameters: compiled.parameters, cursorSlots, shape, keys, keyIndexes, signature, idDirection, boundSlots };
}

/** Identifies what a cursor continues: the object, the sort, and the filter and search it pages through. */
function cursorSignature(object: string, query: FindQuery): string {
  return sortSignature(object, (query.orderBy ?? []).map((order) => ({ path: order.field, direction: order.direction })), [query.filter ?? null, query.search ?? null]);
}

/**
 * What a find works out once per query, object definition and reader rather than on every call
 * (a list page's SQL takes 0.05-0.2 ms, so a few µs of planning per call showed in the
 * benchmark): whether the plan choice applies, the sort bound, and the compiled plan of each
 * variant. Keyed by the definition (a registry reload makes new definitions, and a change in
 * what a user sees makes new masked ones) and by dialect, access and the query's JSON without
 * its cursor (a new security model or another user is another access key), so none goes stale.
 */
type FindEntry = {
  /** Dialect, access and query: identifies the entry, and the plan choice's and sort bound's decisions. */
  key: string;
  /** Whether compiled plans are kept (an entry for a query without a JSON key is used once). */
  keepPlans: boolean;
  /** The sort index the plan choice may walk (SQLite, a sort an index holds, something filters), else undefined. */
  choiceIndex: string | undefined;
  /** The sort bound (query/sort-bound.ts) when it applies (tried only when the plan choice does not walk an index). */
  bound: SortBound | undefined;
  /** Plans by variant (see variantKey); only clock-free ones are kept. */
  plans: Map<string, FindPlan>;
};

const findEntries = new WeakMap<ObjectDef, Map<string, FindEntry>>();
const FIND_ENTRIES_PER_OBJECT = 200;

/** The entry for `query` (see FindEntry); `queryKey` is the caller's JSON of the validated query without its cursor. */
function findEntryFor(rc: ReadContext, object: ObjectDef, query: FindQuery, queryKey: string | undefined): FindEntry {
  if (queryKey === undefined) return newFindEntry(rc, object, query, `${rc.security?.key ?? ""}\u0001${JSON.stringify({ ...query, cursor: undefined })}`, false);
  const key = `${rc.dialect}\u0001${rc.security?.key ?? ""}\u0001${queryKey}`;
  let entries = findEntries.get(object);
  const known = entries?.get(key);
  if (known) {
    // Most recently used last: the first key is the one to evict.
    entries!.delete(key);
    entries!.set(key, known);
    return known;
  }
  const entry = newFindEntry(rc, object, query, key, true);
  if (!entries) findEntries.set(object, (entries = new Map()));
  entries.set(key, entry);
  if (entries.size > FIND_ENTRIES_PER_OBJECT) entries.delete(entries.keys().next().value!);
  return entry;
}

function newFindEntry(rc: ReadContext, object: ObjectDef, query: FindQuery, key: string, keepPlans: boolean): FindEntry {
  const security = rc.security;
  let choiceIndex: string | undefined;
  // The plan choice (SQLite only) is asked only when the sort has an index and something filters
  // (a filter, a search, row-level security), which is when SQLite's own choice can be hundreds of times off.
  if (rc.dialect === "sqlite") {
    const filters = query.filter !== undefined || (query.search !== undefined && query.search.trim() !== "") || security?.rowPredicate(object.name, ROOT_ALIAS, "read") != null;
    if (filters) choiceIndex = sortIndexOf(object, query);
  }
  const bound = sortBoundOf(rc.dialect, object, query, rc.lookupObject, (parent) => security?.rowPredicate(parent, "p", "read") != null);
  return { key, keepPlans, choiceIndex, bound, plans: new Map() };
}

/** A plan variant's key among an entry's plans. */
function variantKey({ cursorNulls, walkIndex, filterFirst, bound }: PlanVariant): string {
  let variant = `${bound ? "b" : ""}${filterFirst ? "f" : ""}${walkIndex === undefined ? "-" : `${walkIndex}:`}`;
  if (cursorNulls) {
    for (const isNull of cursorNulls) variant += isNull ? "n" : "v";
  }
  return variant;
}

/**
 * The plan of one variant of the entry's query, compiled once. A plan is only kept when it does
 * not depend on the clock: relative dates (TODAY, LAST_N_DAYS:n) and formulas using TODAY()/NOW()
 * bind "now" into the SQL, which a second compile at another instant reveals.
 */
function findPlanFor(rc: ReadContext, object: ObjectDef, query: FindQuery, planVariant: PlanVariant, entry: FindEntry): FindPlan {
  if (!entry.keepPlans) return compileFindPlan(rc, object, query, planVariant);
  const key = variantKey(planVariant);
  const cached = entry.plans.get(key);
  if (cached) return cached;
  const plan = compileFindPlan(rc, object, query, planVariant);
  const later = compileFindPlan({ ...rc, now: new Date(rc.now.getTime() + 400 * 86_400_000) }, object, query, planVariant);
  const clockFree = later.sql === plan.sql && later.parameters.every((value, index) => Object.is(value, plan.parameters[index]));
  if (clockFree) {
    // Kept and run again: prepared where the driver can (statement-hints.ts).
    plan.sql = arrayRowsSql(withoutStatementHints(plan.sql), { preparedAs: nextPlanNumber() });
    entry.plans.set(key, plan);
  }
  return plan;
}

/**
 * How a find reads its root table on SQLite (query/plan-choice.ts), for an entry whose plan
 * choice applies. Cursor pages follow the first page's choice. Without a pilot due (the usual
 * case: a decision lasts a minute) it answers without awaiting anything.
 */
function planChoice(rc: ReadContext, object: ObjectDef, query: FindQuery, entry: FindEntry, index: string): FindPlanChoice | Promise<FindPlanChoice> {
  const recent = recentFindPlan(object, entry.key);
  if (recent) {
    rc.onPlanChoice?.(recent);
    return recent;
  }
  return chooseFindPlan(
    {
      kysely: rc.probe ?? rc.kysely,
      object,
      query,
      index,
      pilot: (from, rows) => {
        const planner = newPlanner(rc, object);
        const where = compileWhere(rc, planner, query.filter, query.search) ?? sql<SqlBool>`1 = 1`;
        const keys = compileSortKeys(planner, query.orderBy, ["orderBy"]);
        const walk = orderedBy(rc.dialect, planner.apply(rc.kysely.selectFrom(from as unknown as string)).select(sql<number>`case when ${where} then 1 else 0 end`.as("m")), keys).limit(rows);
        return sql<{ walked: unknown; matched: unknown }>`select count(*) as walked, coalesce(sum(m), 0) as matched from (${walk}) as pilot`;
      },
    },
    entry.key,
  ).then((choice) => {
    rc.onPlanChoice?.(choice);
    return choice;
  });
}

/** A plan's parameters for one run: the cursor's values and the bound's K in their slots. */
function bindPlan(plan: FindPlan, cursor: { values: unknown[]; id: string } | null, k?: unknown): readonly unknown[] {
  const slots = cursor ? plan.cursorSlots : null;
  if (!slots && plan.boundSlots.length === 0) return plan.parameters;
  const parameters = [...plan.parameters];
  if (slots) {
    const { values, id } = cursor!;
    for (let position = 0; position < slots.length; position++) {
      const slot = slots[position];
      if (slot >= 0) parameters[position] = slot === values.length ? id : values[slot];
    }
  }
  for (const position of plan.boundSlots) parameters[position] = k;
  return parameters;
}

/**
 * Runs a find. `queryKey` identifies the query apart from its cursor (the caller's JSON of the
 * validated input); with it the compiled plan is reused across pages and calls. `cursorText`
 * (default: the query's) lets a caller page on with a cached query object as it is.
 */
export async function runFind(rc: ReadContext, object: ObjectDef, query: FindQuery, queryKey?: string, cursorText = query.cursor): Promise<{ records: DataRecord[]; nextCursor?: string }> {
  const entry = findEntryFor(rc, object, query, queryKey);
  let walkIndex: string | undefined;
  let filterFirst: boolean | undefined;
  if (entry.choiceIndex !== undefined) {
    const pending = planChoice(rc, object, query, entry, entry.choiceIndex);
    const choice = pending instanceof Promise ? await pending : pending;
    walkIndex = choice.walkIndex;
    filterFirst = choice.filterFirst;
  }
  let cursor: { values: unknown[]; id: string } | null = null;
  let cursorNulls: boolean[] | null = null;
  if (cursorText !== undefined) {
    if (query.offset > 0) throw bad("A cursor and an offset cannot be combined: page with one or the other", ["offset"]);
    // The sort keys (which the cursor is checked against) come from a cursor-less plan.
    const base = findPlanFor(rc, object, query, { cursorNulls: null, walkIndex, filterFirst }, entry);
    cursor = decodeCursor(cursorText, base.signature, base.keys, rc.dialect);
    cursorNulls = cursor.values.map((value) => value === null);
  }
  const plan = findPlanFor(rc, object, query, { cursorNulls, walkIndex, filterFirst }, entry);

  // Sorted by a lookup's field: first try reading only the records of the first parents in that order.
  let rows: unknown[][] | undefined;
  const bound = walkIndex === undefined && !filterFirst ? entry.bound : undefined;
  if (bound) {
    const boundedPlan = findPlanFor(rc, object, query, { cursorNulls, bound }, entry);
    // Explain compiles against a capturing driver: the bound is decided on the real data (`probe`), then the chosen statement is issued.
    const reader = rc.probe ?? rc.kysely;
    let chosenK: unknown;
    rows = await runBounded(
      {
        kysely: reader,
        dialect: rc.dialect,
        object,
        bound,
        query,
        cursorKey: cursor ? cursor.values[0] : undefined,
        run: (k) => {
          chosenK = k;
          return selectArrayRows(reader, boundedPlan.sql, bindPlan(boundedPlan, cursor, k));
        },
        onChoice: (reason) => rc.onPlanChoice?.({ reason }),
      },
      entry.key,
    );
    if (rows && rc.probe) rows = await selectArrayRows(rc.kysely, boundedPlan.sql, bindPlan(boundedPlan, cursor, chosenK));
  }
  rows ??= await selectArrayRows(rc.kysely, plan.sql, bindPlan(plan, cursor));
  const more = rows.length > query.limit;
  const count = more ? query.limit : rows.length;
  const records: DataRecord[] = new Array(count);
  const shape = plan.shape;
  for (let index = 0; index < count; index++) records[index] = shape.read(rows[index]);
  const result: { records: DataRecord[]; nextCursor?: string } = { records };
  if (more) {
    // The next cursor holds the last row's raw key values (as the database compares them).
    const last = rows[count - 1];
    result.nextCursor = encodeCursor(plan.signature, plan.keys, plan.keyIndexes.map((index) => last[index]), String(last[0]));
  }
  if (query.expand && query.expand.length > 0) await loadExpansions(rc, object, records, query.expand);
  return result;
}

/**
 * Reading one record by id is the hottest path (forms, lookups, after every write), so its
 * statement is compiled once per object definition (a registry reload makes new definitions,
 * so the cache can never go stale) and then only executed with the id bound. Statements whose
 * parameters are more than the id (computed fields may bind values) are compiled per call.
 */
const byIdStatements = new WeakMap<ObjectDef, Map<string, { sql: string; parameters: readonly unknown[]; idSlot: number; shape: RecordShape }>>();
const ID_SENTINEL = "\u0000os-record-id";

function compileById(rc: ReadContext, object: ObjectDef) {
  const planner = newPlanner(rc, object);
  const shape = compileRecordShape(planner, rc.dialect, undefined, ["select"]);
  const visible = rc.security?.rowPredicate(object.name, ROOT_ALIAS, "read");
  const statement = (value: string) => {
    let query = planner.apply(rc.kysely.selectFrom(`${tableName(object.name)} as ${ROOT_ALIAS}`)).select(shape.columns).where(sql.ref(`${ROOT_ALIAS}.id`), "=", value);
    if (visible) query = query.where(visible);
    return query;
  };
  return { shape, statement, compiled: statement(ID_SENTINEL).compile() };
}

export async function runFindById(rc: ReadContext, object: ObjectDef, id: string): Promise<DataRecord | null> {
  const cacheKey = `${rc.dialect}\u0001${rc.security?.key ?? ""}`;
  let perDialect = byIdStatements.get(object);
  let cached = perDialect?.get(cacheKey);
  if (!cached) {
    const { shape, statement, compiled } = compileById(rc, object);
    const idSlots = compiled.parameters.flatMap((parameter, index) => (parameter === ID_SENTINEL ? [index] : []));
    // As for finds: only a statement that does not bind "now" (formulas with TODAY(), ...) is kept.
    const later = compileById({ ...rc, now: new Date(rc.now.getTime() + 400 * 86_400_000) }, object).compiled;
    const clockFree = later.sql === compiled.sql && later.parameters.every((value, index) => Object.is(value, compiled.parameters[index]));
    if (idSlots.length !== 1 || !clockFree) {
      const once = statement(id).compile();
      const [row] = await selectArrayRows(rc.kysely, arrayRowsSql(once.sql), once.parameters);
      return row ? shape.read(row) : null;
    }
    cached = { sql: arrayRowsSql(compiled.sql, { preparedAs: nextPlanNumber() }), parameters: compiled.parameters, idSlot: idSlots[0], shape };
    if (!perDialect) byIdStatements.set(object, (perDialect = new Map()));
    perDialect.set(cacheKey, cached);
  }
  const slot = cached.idSlot;
  const parameters = cached.parameters.length === 1 ? [id] : cached.parameters.map((value, index) => (index === slot ? id : value));
  const [row] = await selectArrayRows(rc.kysely, cached.sql, parameters);
  return row ? cached.shape.read(row) : null;
}

export async function runCount(rc: ReadContext, object: ObjectDef, filter: Filter | undefined, search: string | undefined): Promise<number> {
  const planner = newPlanner(rc, object);
  const where = compileWhere(rc, planner, filter, search);
  let statement = planner.apply(rc.kysely.selectFrom(`${tableName(object.name)} as ${ROOT_ALIAS}`)).select(sql<number>`count(*)`.as("count"));
  if (where) statement = statement.where(where);
  const { rows } = await rc.kysely.executeQuery(checkBoundValues(rc.dialect, statement.compile()));
  return Number((rows[0] as { count: unknown }).count);
}
