import { CompiledQuery, sql, type AliasedRawBuilder, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isReferenceField, nameFieldOf, type FieldDef, type ObjectDef } from "@/spec/object";
import type { Filter, FindQuery, OrderBy } from "@/spec/query";
import { orderTerm } from "./dialect-sql";
import { ObjectQLError } from "./errors";
import { resolveField } from "./field-resolution";
import { compileFilter, compileSearch, type FilterScope } from "./filter-compiler";
import type { DataRecord } from "./objectql";
import { decodeCursor, encodeCursor, keysetPredicate, sortSignature, type SortKey } from "./query-cursor";
import { loadExpansions } from "./query-expand";
import { JoinPlanner } from "./query-paths";
import { fromColumnValue, timestampToIso } from "./record-codec";
import { tableName } from "./sql-names";

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
};

export const ROOT_ALIAS = "t";

function bad(message: string, path: (string | number)[]): ObjectQLError {
  return new ObjectQLError("BAD_REQUEST", message, { path, issues: [{ path, message }] });
}

export function newPlanner(rc: ReadContext, object: ObjectDef, aliasPrefix = "j"): JoinPlanner {
  const planner = new JoinPlanner(rc.lookupObject, object, ROOT_ALIAS, aliasPrefix);
  planner.computed = { dialect: rc.dialect, now: rc.now };
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
  if (filter) parts.push(compileFilter(scope, filter, path));
  if (search !== undefined) {
    const searchSql = compileSearch(scope, search);
    if (searchSql) parts.push(searchSql);
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0] : sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

type Entry =
  | { kind: "value"; key: string; alias: string; field: FieldDef; column: RawBuilder<unknown> }
  | { kind: "reference"; key: string; alias: string; column: RawBuilder<unknown>; nameAlias: string; nameColumn: RawBuilder<unknown> };

export type RecordShape = {
  columns: AliasedRawBuilder<unknown, string>[];
  read(row: Record<string, unknown>): DataRecord;
};

/**
 * The columns of returned records: system columns, the selected fields (all when `select` is
 * absent), lookups as {id, name} and dotted paths under their dotted key.
 */
export function compileRecordShape(planner: JoinPlanner, dialect: DataDialect, select: string[] | undefined, errorPath: (string | number)[]): RecordShape {
  const alias = planner.rootAlias;
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const paths = select ?? planner.root.fields.map((field) => field.name);
  paths.forEach((path, index) => {
    if (seen.has(path)) return;
    seen.add(path);
    const resolved = planner.resolve(path, [...errorPath, index]);
    if (resolved.system && !resolved.dotted) return;
    // Root fields keep their (validated) names as column aliases; dotted paths get short generated ones.
    const column = resolved.dotted ? `__p${index}` : resolved.field.name;
    if (isReferenceField(resolved.field)) {
      const nameColumn = planner.referenceName(resolved, [...errorPath, index]);
      entries.push({ kind: "reference", key: path, alias: column, column: resolved.column, nameAlias: `__n${index}`, nameColumn });
    } else {
      entries.push({ kind: "value", key: path, alias: column, field: resolved.field, column: resolved.column });
    }
  });
  const columns: AliasedRawBuilder<unknown, string>[] = ["id", "created_at", "updated_at", "created_by", "updated_by"].map((name) => sql.ref(`${alias}.${name}`).as(name));
  for (const entry of entries) {
    columns.push(entry.column.as(entry.alias));
    if (entry.kind === "reference") columns.push(entry.nameColumn.as(entry.nameAlias));
  }
  return {
    columns,
    read(row) {
      const record: DataRecord = {
        id: String(row.id),
        created_at: timestampToIso(row.created_at) ?? "",
        updated_at: timestampToIso(row.updated_at) ?? "",
        created_by: (row.created_by as string | null) ?? null,
        updated_by: (row.updated_by as string | null) ?? null,
      };
      for (const entry of entries) {
        if (entry.kind === "reference") {
          const id = row[entry.alias];
          const name = row[entry.nameAlias];
          record[entry.key] = id === null || id === undefined ? null : { id: String(id), name: name === null || name === undefined ? String(id) : String(name) };
        } else {
          record[entry.key] = fromColumnValue(entry.field, row[entry.alias], dialect);
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

export async function runFind(rc: ReadContext, object: ObjectDef, query: FindQuery): Promise<{ records: DataRecord[]; nextCursor?: string }> {
  const planner = newPlanner(rc, object);
  const shape = compileRecordShape(planner, rc.dialect, query.select, ["select"]);
  const where = compileWhere(rc, planner, query.filter, query.search);
  const keys = compileSortKeys(planner, query.orderBy, ["orderBy"]);
  // The id breaks ties in the direction of the last key, so an index on that key serves the whole order.
  const idDirection = keys[keys.length - 1].direction;
  const idColumn = sql.ref(`${ROOT_ALIAS}.id`);
  const signature = sortSignature(object.name, (query.orderBy ?? []).map((order) => ({ path: order.field, direction: order.direction })));

  let after: RawBuilder<SqlBool> | null = null;
  if (query.cursor !== undefined) {
    if (query.offset > 0) throw bad("A cursor and an offset cannot be combined: page with one or the other", ["offset"]);
    const { values, id } = decodeCursor(query.cursor, signature, keys, rc.dialect);
    after = keysetPredicate(keys, values, id, idColumn, idDirection);
  }

  let statement = planner.apply(rc.kysely.selectFrom(`${tableName(object.name)} as ${ROOT_ALIAS}`));
  statement = statement.select([...shape.columns, ...keys.map((key, index) => key.expression.as(`__k${index}`))]);
  if (where) statement = statement.where(where);
  if (after) statement = statement.where(after);
  for (const key of keys) statement = statement.orderBy(orderTerm(rc.dialect, key.expression, key.direction));
  // One row more than asked tells whether there is a next page.
  statement = statement.orderBy(sql`${idColumn} ${sql.raw(idDirection)}`).limit(query.limit + 1);
  if (query.offset > 0) statement = statement.offset(query.offset);

  const rows = (await statement.execute()) as Record<string, unknown>[];
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const records = page.map((row) => shape.read(row));
  const result: { records: DataRecord[]; nextCursor?: string } = { records };
  if (more) {
    const last = page[page.length - 1];
    result.nextCursor = encodeCursor(signature, keys, keys.map((_key, index) => last[`__k${index}`]), String(last.id));
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
const byIdStatements = new WeakMap<ObjectDef, Map<string, { sql: string; shape: RecordShape }>>();
const ID_SENTINEL = "\u0000os-record-id";

export async function runFindById(rc: ReadContext, object: ObjectDef, id: string): Promise<DataRecord | null> {
  let perDialect = byIdStatements.get(object);
  let cached = perDialect?.get(rc.dialect);
  if (!cached) {
    const planner = newPlanner(rc, object);
    const shape = compileRecordShape(planner, rc.dialect, undefined, ["select"]);
    const statement = (value: string) =>
      planner.apply(rc.kysely.selectFrom(`${tableName(object.name)} as ${ROOT_ALIAS}`)).select(shape.columns).where(sql.ref(`${ROOT_ALIAS}.id`), "=", value);
    const compiled = statement(ID_SENTINEL).compile();
    if (compiled.parameters.length !== 1 || compiled.parameters[0] !== ID_SENTINEL) {
      const row = await statement(id).executeTakeFirst();
      return row ? shape.read(row as Record<string, unknown>) : null;
    }
    cached = { sql: compiled.sql, shape };
    if (!perDialect) byIdStatements.set(object, (perDialect = new Map()));
    perDialect.set(rc.dialect, cached);
  }
  const result = await rc.kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(cached.sql, [id]));
  const row = result.rows[0];
  return row ? cached.shape.read(row) : null;
}

export async function runCount(rc: ReadContext, object: ObjectDef, filter: Filter | undefined, search: string | undefined): Promise<number> {
  const planner = newPlanner(rc, object);
  const where = compileWhere(rc, planner, filter, search);
  let statement = planner.apply(rc.kysely.selectFrom(`${tableName(object.name)} as ${ROOT_ALIAS}`)).select(sql<number>`count(*)`.as("count"));
  if (where) statement = statement.where(where);
  const row = (await statement.executeTakeFirstOrThrow()) as { count: unknown };
  return Number(row.count);
}
