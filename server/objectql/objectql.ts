import "server-only";
import { randomUUID } from "node:crypto";
import { sql, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { isReferenceField, nameFieldOf, type FieldDef, type FieldOf, type ObjectDef } from "@/spec/object";
import {
  MAX_FILTER_DEPTH,
  filterSchema,
  findQuerySchema,
  type Filter,
  type FindQuery,
  type FindQueryInput,
} from "@/spec/query";
import { AUTONUMBER_TABLE } from "./applied-schema-store";
import { describeDatabaseError } from "./db-errors";
import { ObjectQLError, type ObjectQLIssue } from "./errors";
import { resolveField } from "./field-resolution";
import { compileFilter, compileSearch, type FilterScope } from "./filter-compiler";
import { fromColumnValue, timestampToIso, toColumnValue } from "./record-codec";
import { validateRecordInput } from "./record-validation";
import type { ObjectRegistry } from "./registry";
import { tableName } from "./sql-names";

/**
 * The ObjectQL engine: reads and writes records of user-defined objects. Every call takes a
 * security context (v1 only records who wrote; permission predicates arrive with the security
 * issue and will be compiled into these same queries).
 */

export type SecurityContext = { kind: "user"; userId: string; role: string } | { kind: "system" };

export type DataRecord = {
  id: string;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  updated_by: string | null;
  [field: string]: unknown;
};

/** A lookup's value in returned records. */
export type LookupValue = { id: string; name: string } | null;

export type CountQueryInput = { object: string; filter?: Filter; search?: string };

export interface ObjectQL {
  find(ctx: SecurityContext, query: FindQueryInput): Promise<{ records: DataRecord[] }>;
  count(ctx: SecurityContext, query: CountQueryInput): Promise<number>;
  findOne(ctx: SecurityContext, object: string, id: string): Promise<DataRecord | null>;
  insert(ctx: SecurityContext, object: string, values: Record<string, unknown>): Promise<DataRecord>;
  update(ctx: SecurityContext, object: string, id: string, values: Record<string, unknown>): Promise<DataRecord>;
  delete(ctx: SecurityContext, object: string, id: string): Promise<void>;
}

type Executor = Kysely<any>;

const ALIAS = "t";
const MAX_ID_LENGTH = 100;

function actorOf(ctx: SecurityContext): string | null {
  return ctx.kind === "user" ? ctx.userId : null;
}

function badRequest(message: string, path: (string | number)[], issues?: ObjectQLIssue[]): ObjectQLError {
  return new ObjectQLError("BAD_REQUEST", message, { path, issues: issues ?? [{ path, message }] });
}

/**
 * Measures nesting (as spec/query.ts `filterDepth` does) without recursion, before Zod walks the (recursive) filter schema, so a
 * hostile, deeply nested filter is refused cheaply instead of exhausting the stack.
 */
function exceedsDepth(filter: unknown, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: filter, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > limit) return true;
    const record = node as Record<string, unknown>;
    for (const key of ["and", "or"]) {
      const children = record[key];
      if (Array.isArray(children)) for (const child of children) stack.push({ node: child, depth: depth + 1 });
    }
    if ("not" in record) stack.push({ node: record.not, depth: depth + 1 });
  }
  return false;
}

function checkFilterDepth(filter: unknown): void {
  if (filter !== undefined && exceedsDepth(filter, MAX_FILTER_DEPTH)) {
    throw badRequest(`Filter is nested too deeply: at most ${MAX_FILTER_DEPTH} levels of and/or/not are allowed`, ["filter"]);
  }
}

function zodIssues(issues: { path: PropertyKey[]; message: string }[]): ObjectQLIssue[] {
  return issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== "symbol"),
    message: issue.message,
  }));
}

function parseFindQuery(input: FindQueryInput): FindQuery {
  checkFilterDepth((input as { filter?: unknown } | undefined)?.filter);
  const parsed = findQuerySchema.safeParse(input);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error.issues);
    const summary = issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; ");
    throw badRequest(`Invalid query: ${summary}`, issues[0]?.path ?? [], issues);
  }
  return parsed.data;
}

function checkId(object: ObjectDef, id: unknown): string {
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw badRequest(`Record id for object '${object.name}' must be a non-empty string`, ["id"]);
  }
  return id;
}

type ReferenceJoin = { field: FieldOf<"lookup"> | FieldOf<"master_detail">; alias: string; nameColumn: string; nameAlias: string };

export function createObjectQL({ db, registry }: { db: DataDatabase; registry: ObjectRegistry }): ObjectQL {
  const dialect = db.dialect;

  async function objectNamed(name: unknown): Promise<ObjectDef> {
    await registry.ensureLoaded();
    if (typeof name !== "string") throw badRequest("Object name must be a string", ["object"]);
    return registry.require(name);
  }

  /** The base select of an object's records: system columns, the given fields, lookup names via LEFT JOIN. */
  function selectRecords(executor: Executor, object: ObjectDef, fields: FieldDef[]) {
    const joins: ReferenceJoin[] = [];
    fields.forEach((field, index) => {
      if (!isReferenceField(field)) return;
      const target = registry.get(field.reference);
      // Short generated aliases: derived names could exceed PostgreSQL's 63-character limit.
      joins.push({ field, alias: `r${index}`, nameColumn: target ? nameFieldOf(target) : "id", nameAlias: `__ref${index}_name` });
    });
    let query = executor.selectFrom(`${tableName(object.name)} as ${ALIAS}`);
    for (const join of joins) {
      query = query.leftJoin(`${tableName(join.field.reference)} as ${join.alias}`, `${join.alias}.id`, `${ALIAS}.${join.field.name}`);
    }
    const columns = ["id", "created_at", "updated_at", "created_by", "updated_by", ...fields.map((f) => f.name)].map(
      (name) => sql.ref(`${ALIAS}.${name}`).as(name),
    );
    for (const join of joins) columns.push(sql.ref(`${join.alias}.${join.nameColumn}`).as(join.nameAlias));
    return { query: query.select(columns), joins };
  }

  function toRecord(fields: FieldDef[], joins: ReferenceJoin[], row: Record<string, unknown>): DataRecord {
    const record: DataRecord = {
      id: String(row.id),
      created_at: timestampToIso(row.created_at) ?? "",
      updated_at: timestampToIso(row.updated_at) ?? "",
      created_by: (row.created_by as string | null) ?? null,
      updated_by: (row.updated_by as string | null) ?? null,
    };
    for (const field of fields) record[field.name] = fromColumnValue(field, row[field.name], dialect);
    for (const join of joins) {
      const id = row[join.field.name];
      const name = row[join.nameAlias];
      record[join.field.name] = id === null || id === undefined ? null : { id: String(id), name: name === null || name === undefined ? String(id) : String(name) };
    }
    return record;
  }

  function whereClause(object: ObjectDef, filter: Filter | undefined, search: string | undefined): RawBuilder<SqlBool> | null {
    const scope: FilterScope = { object, dialect, alias: ALIAS };
    const parts: RawBuilder<SqlBool>[] = [];
    if (filter) parts.push(compileFilter(scope, filter));
    if (search !== undefined) {
      const searchSql = compileSearch(scope, search);
      if (searchSql) parts.push(searchSql);
    }
    if (parts.length === 0) return null;
    return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
  }

  async function readRecord(executor: Executor, object: ObjectDef, id: string): Promise<DataRecord | null> {
    const { query, joins } = selectRecords(executor, object, object.fields);
    const row = await query.where(`${ALIAS}.id`, "=", id).executeTakeFirst();
    return row ? toRecord(object.fields, joins, row as Record<string, unknown>) : null;
  }

  /** Refuses reference values that are not ids of the referenced object (a clear message, not an FK error). */
  async function checkReferences(executor: Executor, object: ObjectDef, values: Record<string, unknown>): Promise<void> {
    const issues: ObjectQLIssue[] = [];
    for (const field of object.fields) {
      const value = values[field.name];
      if (!isReferenceField(field) || typeof value !== "string") continue;
      const found = await executor.selectFrom(tableName(field.reference)).select("id").where("id", "=", value).executeTakeFirst();
      if (!found) {
        issues.push({ path: [field.name], message: `Field '${field.name}' refers to a '${field.reference}' record that does not exist ('${value}')` });
      }
    }
    if (issues.length > 0) throw badRequest(`Invalid record for object '${object.name}': ${issues.map((i) => i.message).join("; ")}`, issues[0].path, issues);
  }

  async function nextAutonumber(executor: Executor, object: ObjectDef, field: FieldOf<"autonumber">): Promise<string> {
    // One counter row per (object, field id), incremented under the row lock of the insert transaction.
    const result = await sql<{ next_value: number | string }>`
      insert into ${sql.id(AUTONUMBER_TABLE)} (object, field_id, next_value) values (${object.name}, ${field.id}, ${field.startAt})
      on conflict (object, field_id) do update set next_value = ${sql.id(AUTONUMBER_TABLE)}.next_value + 1
      returning next_value`.execute(executor);
    const value = Number(result.rows[0].next_value);
    return field.format.replace(/\{(0+)\}/, (_match, zeros: string) => String(value).padStart(zeros.length, "0"));
  }

  function columnValues(object: ObjectDef, values: Record<string, unknown>): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (const field of object.fields) {
      if (field.name in values) row[field.name] = toColumnValue(field, values[field.name], dialect);
    }
    return row;
  }

  /** Constraint violations become ObjectQLErrors naming the field; anything else is a real failure. */
  function translateWriteError(object: ObjectDef, error: unknown): unknown {
    if (error instanceof ObjectQLError) return error;
    const info = describeDatabaseError(error);
    const fields = info.columns.filter((column) => object.fields.some((field) => field.name === column));
    const named = fields.map((f) => `'${f}'`).join(", ");
    const path = fields.length > 0 ? [fields[0]] : [];
    switch (info.kind) {
      case "unique":
        return new ObjectQLError("CONFLICT", `A record of object '${object.name}' with the same value of ${named || "a unique field"} already exists`, { path, cause: error });
      case "not_null":
        return new ObjectQLError("BAD_REQUEST", `Field ${named || "(unknown)"} of object '${object.name}' is required`, { path, cause: error });
      case "foreign_key": {
        const references = object.fields.filter(isReferenceField).map((f) => `'${f.name}'`).join(", ");
        return new ObjectQLError("BAD_REQUEST", `Field ${named || references} of object '${object.name}' refers to a record that does not exist`, { path, cause: error });
      }
      case "check":
        return new ObjectQLError("BAD_REQUEST", `A value of object '${object.name}' breaks a database constraint`, { path, cause: error });
      default:
        return error;
    }
  }

  return {
    async find(ctx, input) {
      void ctx;
      const query = parseFindQuery(input);
      const object = await objectNamed(query.object);
      let fields = object.fields;
      if (query.select) {
        const wanted = new Set<string>();
        query.select.forEach((name, index) => {
          const { field, system } = resolveField(object, name, ["select", index]);
          if (!system) wanted.add(field.name);
        });
        fields = object.fields.filter((field) => wanted.has(field.name));
      }
      const { query: base, joins } = selectRecords(db.kysely, object, fields);
      let statement = base;
      const where = whereClause(object, query.filter, query.search);
      if (where) statement = statement.where(where);

      const orderBy = query.orderBy ?? [];
      orderBy.forEach((order, index) => {
        const path = ["orderBy", index, "field"];
        const { field } = resolveField(object, order.field, path);
        if (field.type === "json" || field.type === "multiselect") {
          throw badRequest(`Cannot sort by field '${field.name}' (${field.type}) of object '${object.name}'`, path);
        }
        let column: RawBuilder<unknown> = sql.ref(`${ALIAS}.${field.name}`);
        if (isReferenceField(field)) {
          // Sort lookups by the referenced record's name (joined here even if not selected).
          const target = registry.get(field.reference);
          const alias = `o${index}`;
          statement = statement.leftJoin(`${tableName(field.reference)} as ${alias}`, `${alias}.id`, `${ALIAS}.${field.name}`);
          column = sql.ref(`${alias}.${target ? nameFieldOf(target) : "id"}`);
        }
        // PostgreSQL's NULL placement on both dialects: last when ascending, first when descending.
        statement = statement.orderBy(
          order.direction === "desc" ? sql`${column} desc nulls first` : sql`${column} asc nulls last`,
        );
      });
      if (orderBy.length === 0) statement = statement.orderBy(sql`${sql.ref(`${ALIAS}.created_at`)} asc`);
      // A unique tie-breaker keeps limit/offset pages stable.
      statement = statement.orderBy(sql`${sql.ref(`${ALIAS}.id`)} asc`).limit(query.limit).offset(query.offset);

      const rows = await statement.execute();
      return { records: rows.map((row) => toRecord(fields, joins, row as Record<string, unknown>)) };
    },

    async count(ctx, input) {
      void ctx;
      checkFilterDepth(input?.filter);
      const object = await objectNamed(input?.object);
      let filter: Filter | undefined;
      if (input.filter !== undefined) {
        const parsed = filterSchema.safeParse(input.filter);
        if (!parsed.success) {
          const issues = zodIssues(parsed.error.issues).map((issue) => ({ ...issue, path: ["filter", ...issue.path] }));
          throw badRequest(`Invalid filter: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, ["filter"], issues);
        }
        filter = parsed.data;
      }
      if (input.search !== undefined && (typeof input.search !== "string" || input.search.length > 200)) {
        throw badRequest("search must be a string of at most 200 characters", ["search"]);
      }
      let statement = db.kysely.selectFrom(`${tableName(object.name)} as ${ALIAS}`).select(sql<number>`count(*)`.as("count"));
      const where = whereClause(object, filter, input.search);
      if (where) statement = statement.where(where);
      const row = await statement.executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async findOne(ctx, objectName, id) {
      void ctx;
      const object = await objectNamed(objectName);
      return readRecord(db.kysely, object, checkId(object, id));
    },

    async insert(ctx, objectName, values) {
      const object = await objectNamed(objectName);
      const { values: valid } = validateRecordInput(object, values, "create");
      const now = new Date().toISOString();
      const actor = actorOf(ctx);
      try {
        return await db.kysely.transaction().execute(async (trx) => {
          await checkReferences(trx, object, valid);
          for (const field of object.fields) {
            if (field.type === "autonumber") valid[field.name] = await nextAutonumber(trx, object, field);
          }
          const id = randomUUID();
          await trx
            .insertInto(tableName(object.name))
            .values({ id, created_at: now, updated_at: now, created_by: actor, updated_by: actor, ...columnValues(object, valid) })
            .execute();
          return (await readRecord(trx, object, id))!;
        });
      } catch (error) {
        throw translateWriteError(object, error);
      }
    },

    async update(ctx, objectName, id, values) {
      const object = await objectNamed(objectName);
      const recordId = checkId(object, id);
      const { values: valid } = validateRecordInput(object, values, "update");
      try {
        return await db.kysely.transaction().execute(async (trx) => {
          const existing = await trx.selectFrom(tableName(object.name)).select("id").where("id", "=", recordId).executeTakeFirst();
          if (!existing) throw new ObjectQLError("NOT_FOUND", `Record '${recordId}' of object '${object.name}' not found`, { path: ["id"] });
          await checkReferences(trx, object, valid);
          await trx
            .updateTable(tableName(object.name))
            .set({ ...columnValues(object, valid), updated_at: new Date().toISOString(), updated_by: actorOf(ctx) })
            .where("id", "=", recordId)
            .execute();
          return (await readRecord(trx, object, recordId))!;
        });
      } catch (error) {
        throw translateWriteError(object, error);
      }
    },

    async delete(ctx, objectName, id) {
      void ctx;
      const object = await objectNamed(objectName);
      const recordId = checkId(object, id);
      let deleted: bigint | number;
      try {
        const result = await db.kysely.deleteFrom(tableName(object.name)).where("id", "=", recordId).executeTakeFirst();
        deleted = result.numDeletedRows;
      } catch (error) {
        throw translateWriteError(object, error);
      }
      if (Number(deleted) === 0) throw new ObjectQLError("NOT_FOUND", `Record '${recordId}' of object '${object.name}' not found`, { path: ["id"] });
    },
  };
}
