import "server-only";
import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { DataDatabase, DataDialect } from "@/server/db/data-db";
import { isComputedField, isReferenceField, type FieldOf, type ObjectDef } from "@/spec/object";
import {
  aggregateQuerySchema,
  filterSchema,
  findQuerySchema,
  MAX_CURSOR_LENGTH,
  type AggregateQueryInput,
  type AggregateResult,
  type Filter,
  type FindQuery,
  type FindQueryInput,
} from "@/spec/query";
import { RECORD_SHARE_TABLE, nextCounterValue, reserveCounterValues } from "./schema/applied-schema-store";
import { insertRows } from "./records/bulk-insert";
import { describeDatabaseError } from "./records/db-errors";
import { IDS_PER_STATEMENT, cascadedRecords, clearedLookups } from "./records/delete-cascade";
import { ObjectQLError, type ObjectQLIssue } from "./errors";
import { textProblem } from "@/spec/text";
import { runAggregate } from "./query/aggregate";
import { runCount, runFind, runFindById, type ReadContext } from "./query/find";
import { timestampParameter, timestampToIso, toColumnValue } from "./records/codec";
import { normaliseDateTime, validateRecordInput } from "./records/validation";
import { applyDefaultFormulas, enforceValidationRules, recordFromRow, type RuleContext } from "./records/validation-rules";
import type { ObjectRegistry } from "./registry";
import { desiredIndexes, tableName } from "./schema/sql-names";
import { BULK_ROWS_FOR_STATISTICS, refreshStatisticsLater } from "./schema/statistics";
import { captureStatement, explainStatement, type ExplainResult } from "./query/explain";
import type { Operation, UserAccess } from "@/server/security/access";
import { recordSecurity, type RecordSecurity } from "@/server/security/record-security";
import { slowQueryLog, type QueryShape, type SlowQueryLog } from "./query/slow-query-log";

/**
 * The ObjectQL engine: reads and writes records of user-defined objects. Every call takes a
 * security context; the caller's permissions are compiled into the same statements.
 */

export type { SecurityContext, DataRecord, LookupValue } from "./types";
import type { SecurityContext, DataRecord } from "./types";

export type CountQueryInput = { object: string; filter?: Filter; search?: string };

/** An object as a caller sees it: hidden fields left out, and what they may do with its records. */
export type DescribedObject = ObjectDef & {
  access: { create: boolean; edit: boolean; delete: boolean; export: boolean; fields: Record<string, "edit" | "read"> };
};

export interface ObjectQL {
  /** The object's definition as the caller sees it (FORBIDDEN when they may not read it). */
  describe(ctx: SecurityContext, object: string): Promise<DescribedObject>;
  /** What the caller may do with one record, by the same predicates that guard writes (NOT_FOUND when they cannot read it). */
  recordAccess(ctx: SecurityContext, object: string, id: string): Promise<{ read: true; edit: boolean; delete: boolean }>;
  /** Records of one object; `nextCursor` is set when more records follow (pass it back as `cursor`). */
  find(ctx: SecurityContext, query: FindQueryInput): Promise<{ records: DataRecord[]; nextCursor?: string }>;
  count(ctx: SecurityContext, query: CountQueryInput): Promise<number>;
  /** Groups and aggregates: one row per group, keyed by group alias/field path and aggregate alias. */
  aggregate(ctx: SecurityContext, query: AggregateQueryInput): Promise<AggregateResult>;
  findOne(ctx: SecurityContext, object: string, id: string): Promise<DataRecord | null>;
  insert(ctx: SecurityContext, object: string, values: Record<string, unknown>): Promise<DataRecord>;
  /**
   * Inserts many records in one transaction (all or none), with the same validation, defaults,
   * references, autonumbers and rules as `insert`; issue paths start with the row's index.
   */
  insertMany(ctx: SecurityContext, object: string, rows: Record<string, unknown>[]): Promise<{ ids: string[] }>;
  /** Updates a record; with `expectedUpdatedAt` a record changed since the caller read it is refused (CONFLICT). */
  update(ctx: SecurityContext, object: string, id: string, values: Record<string, unknown>, options?: UpdateOptions): Promise<DataRecord>;
  /**
   * Sets the same values on many records in one transaction (all or none), with the same
   * validation, reference checks and rules as `update`; a missing id is NOT_FOUND.
   */
  updateMany(ctx: SecurityContext, object: string, ids: string[], values: Record<string, unknown>): Promise<{ count: number }>;
  delete(ctx: SecurityContext, object: string, id: string): Promise<void>;
  /**
   * Gives a record to another user (its owner_id), moving its version on, with the transfer in
   * the audit trail (`onChange` sees an update of `owner_id`) in the same transaction. Who may
   * transfer a record is decided by the caller (sharing rules: server/api/routers/sharing.ts).
   */
  changeOwner(ctx: SecurityContext, object: string, id: string, ownerId: string): Promise<void>;
  /**
   * Runs `work` in one database transaction: every call on `tx` joins it, and they all commit
   * when `work` resolves or all roll back when it throws. A write on `tx` that fails is undone
   * on its own (savepoint), so `work` may catch the error and go on. Inside `work` use only
   * `tx` (on SQLite, a call on the outer ObjectQL would wait for the transaction to end).
   */
  transaction<T>(ctx: SecurityContext, work: (tx: ObjectQL, executor: Kysely<any>) => Promise<T>): Promise<T>;
  /** The SQL and parameters a find (or aggregate) query compiles to, and the database's plan for it. */
  explain(ctx: SecurityContext, query: FindQueryInput | AggregateQueryInput): Promise<ExplainResult>;
}

/** Times find/count/aggregate into the slow-query log (the query's shape only, never its values). */
function observeQueries(engine: ObjectQL, log: SlowQueryLog): ObjectQL {
  engine.find = timed(engine, engine.find, "find", log);
  engine.count = timed(engine, engine.count, "count", log);
  engine.aggregate = timed(engine, engine.aggregate, "aggregate", log);
  return engine;
}

/** `run` timed into `log`; nothing allocated per call besides the call's own promise (this wraps every read). */
function timed<Q, R>(engine: ObjectQL, run: (ctx: SecurityContext, query: Q) => Promise<R>, kind: QueryShape["kind"], log: SlowQueryLog): (ctx: SecurityContext, query: Q) => Promise<R> {
  return async (ctx, query) => {
    const start = performance.now();
    try {
      const result = await run.call(engine, ctx, query);
      log.finished(kind, query, start);
      return result;
    } catch (error) {
      log.finished(kind, query, start, true);
      throw error;
    }
  };
}

/**
 * A committed-with-the-write change of records, for the audit trail: `onChange` runs inside the
 * write's transaction, so what it records commits or rolls back with the change itself.
 * Values are as validated (lookups as ids); `before` holds the stored records (update, delete).
 */
export type RecordChange = {
  kind: "create" | "update" | "delete";
  object: ObjectDef;
  ids: string[];
  /** create: the values of each new record (same order as ids); update: the values set on every record. */
  values?: Record<string, unknown>[];
  before?: Map<string, Record<string, unknown>>;
  /** Who made it (null: the platform). */
  actor: string | null;
  /** The caller's security context (after-save flows run as that user). */
  ctx: SecurityContext;
  at: string;
};

/**
 * Record-triggered before-save automation (server/automation): called inside the write's
 * transaction with the record as it is about to be saved; returns field values to change
 * (validated like any input) or null. `engine` is bound to that transaction.
 */
export type BeforeSaveHook = {
  handles(object: string, kind: "create" | "update"): boolean;
  run(event: { kind: "create" | "update"; object: ObjectDef; record: Record<string, unknown>; prior: Record<string, unknown> | null; ctx: SecurityContext; engine: ObjectQL }): Promise<Record<string, unknown> | null>;
};

export type UpdateOptions = {
  /**
   * Optimistic concurrency: the `updated_at` of the record as the caller loaded it. Every
   * update moves `updated_at` forward (strictly), so it serves as the record's version.
   */
  expectedUpdatedAt?: string;
};

export const STALE_RECORD_MESSAGE = "This record was changed by someone else since you loaded it";

type Executor = Kysely<any>;

const MAX_ID_LENGTH = 100;

/** Records per insertMany call. */
const MAX_BULK_ROWS = 200_000;

/** The `updated_at` a write gives a record: its version, so it moves strictly forward, even within one millisecond. */
function nextVersion(updatedAt: unknown): string {
  const previous = Date.parse(String(updatedAt));
  return new Date(Math.max(Date.now(), Number.isNaN(previous) ? 0 : previous + 1)).toISOString();
}

/** Gives records changed by the database itself (a cleared lookup) their next version, as a write would. */
async function moveVersions(executor: Executor, dialect: DataDialect, object: ObjectDef, rows: { id: string; updatedAt: unknown }[], actor: string | null): Promise<void> {
  // Usually one version for all (now); a record already at or past now gets its own next one.
  const byVersion = new Map<string, string[]>();
  for (const row of rows) {
    const version = nextVersion(timestampToIso(row.updatedAt));
    byVersion.get(version)?.push(row.id) ?? byVersion.set(version, [row.id]);
  }
  for (const [version, ids] of byVersion) {
    for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) {
      await executor
        .updateTable(tableName(object.name))
        .set({ updated_at: timestampParameter(version, dialect), updated_by: actor })
        .where("id", "in", ids.slice(start, start + IDS_PER_STATEMENT))
        .execute();
    }
  }
}

function actorOf(ctx: SecurityContext): string | null {
  return ctx.kind === "user" ? ctx.userId : null;
}

function badRequest(message: string, path: (string | number)[], issues?: ObjectQLIssue[]): ObjectQLError {
  return new ObjectQLError("BAD_REQUEST", message, { path, issues: issues ?? [{ path, message }] });
}

function zodIssues(issues: { path: PropertyKey[]; message: string }[]): ObjectQLIssue[] {
  return issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== "symbol"),
    message: issue.message,
  }));
}

/** Parses a query with `schema` (its filters are size-checked without recursion before they are walked: spec/query.ts). */
function parseQuery<S extends typeof findQuerySchema | typeof aggregateQuerySchema>(schema: S, input: unknown): ReturnType<S["parse"]> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error.issues);
    const summary = issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; ");
    throw badRequest(`Invalid query: ${summary}`, issues[0]?.path ?? [], issues);
  }
  return parsed.data as ReturnType<S["parse"]>;
}

/** Validated find queries by their JSON without the cursor: paging repeats a query with only the cursor changing. */
const parsedFinds = new Map<string, FindQuery>();
const PARSED_FINDS_KEPT = 500;

/**
 * Parses a find query, reusing an earlier validation of the same JSON (the cursor, which
 * changes page by page, is checked on its own). Returns the JSON as the key under which the
 * compiled plan is cached too.
 */
function parseFindQuery(input: FindQueryInput): { query: FindQuery; cursor?: string; cacheKey: string | undefined } {
  if (!isPlainObject(input)) return { query: parseQuery(findQuerySchema, input), cacheKey: undefined };
  const cursor = input.cursor;
  // (A rest spread copies the query on every call: only done when there is a cursor to leave out.)
  const rest = cursor === undefined ? input : { ...input, cursor: undefined };
  let cacheKey: string | undefined;
  try {
    cacheKey = JSON.stringify(rest);
  } catch {
    return { query: parseQuery(findQuerySchema, input), cacheKey: undefined };
  }
  let parsed = parsedFinds.get(cacheKey);
  if (!parsed) {
    parsed = parseQuery(findQuerySchema, rest);
    parsedFinds.set(cacheKey, parsed);
    if (parsedFinds.size > PARSED_FINDS_KEPT) parsedFinds.delete(parsedFinds.keys().next().value!);
  }
  if (cursor === undefined) return { query: parsed, cacheKey };
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) {
    const message = `cursor must be a non-empty string of at most ${MAX_CURSOR_LENGTH} characters (the nextCursor of a previous page)`;
    throw badRequest(`Invalid query: ${message}`, ["cursor"], [{ path: ["cursor"], message }]);
  }
  // The cached query stays as it is (no copy per page): the cursor travels beside it.
  return { query: parsed, cursor, cacheKey };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function expectedVersion(options: UpdateOptions | undefined): string | undefined {
  const raw = options?.expectedUpdatedAt;
  if (raw === undefined) return undefined;
  const normalised = typeof raw === "string" ? normaliseDateTime(raw) : null;
  if (!normalised) throw badRequest("expectedUpdatedAt must be the record's updated_at as an ISO 8601 date-time", ["expectedUpdatedAt"]);
  return normalised;
}

function staleRecord(object: ObjectDef, id: string): ObjectQLError {
  return new ObjectQLError("CONFLICT", STALE_RECORD_MESSAGE, {
    path: ["updated_at"],
    issues: [{ path: ["updated_at"], message: `${STALE_RECORD_MESSAGE} (record '${id}' of object '${object.name}'): reload it and apply your change again` }],
  });
}

function checkId(object: ObjectDef, id: unknown): string {
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw badRequest(`Record id for object '${object.name}' must be a non-empty string of at most ${MAX_ID_LENGTH} characters`, ["id"]);
  }
  const problem = textProblem(id);
  if (problem) throw badRequest(`Record id for object '${object.name}' ${problem}`, ["id"]);
  return id;
}

export function createObjectQL({ db, registry, clock = () => new Date(), boundTransaction, queryLog = slowQueryLog, accessFor, onChange, beforeSave }: {
  db: DataDatabase;
  registry: ObjectRegistry;
  /**
   * A user's access under the published security model (server/security); null or absent:
   * unrestricted. The system context never asks.
   */
  accessFor?: (ctx: SecurityContext & { kind: "user" }) => Promise<UserAccess | null>;
  /** Called inside every record write's transaction (the audit trail: server/audit; after-save flows). */
  onChange?: (change: RecordChange, executor: Kysely<any>) => Promise<void>;
  /** Before-save record-triggered flows. */
  beforeSave?: BeforeSaveHook;
  /** Where slow find/count/aggregate calls are recorded (default: the process-wide log). */
  queryLog?: SlowQueryLog;
  /** "Now" for relative date values (TODAY, THIS_WEEK, ...): injectable so tests are deterministic. */
  clock?: () => Date;
  /** Internal (`transaction()`): `db.kysely` is this open transaction; writes use savepoints in it. */
  boundTransaction?: Executor;
}): ObjectQL {
  const dialect = db.dialect;

  /**
   * Runs one record write and its side effects (autonumber, references, validation rules) in a
   * transaction: its own, or a savepoint of the caller's `transaction()`.
   */
  async function inWriteTransaction<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    const outer = boundTransaction;
    if (!outer) return db.kysely.transaction().execute(work);
    await sql`savepoint os_write`.execute(outer);
    try {
      const result = await work(outer);
      await sql`release savepoint os_write`.execute(outer);
      return result;
    } catch (error) {
      await sql`rollback to savepoint os_write`.execute(outer);
      await sql`release savepoint os_write`.execute(outer);
      throw error;
    }
  }

  /** This engine inside an open transaction (its writes become savepoints of it); one per transaction. */
  const bound = new WeakMap<Executor, ObjectQL>();
  function boundTo(trx: Executor): ObjectQL {
    let engine = bound.get(trx);
    if (!engine) {
      engine = createObjectQL({ db: { ...db, kysely: trx }, registry, clock, boundTransaction: trx, queryLog, accessFor, onChange, beforeSave });
      bound.set(trx, engine);
    }
    return engine;
  }

  /** The record's values after the before-save flows' changes (validated as an update's values). */
  async function applyBeforeSave(trx: Executor, ctx: SecurityContext, object: ObjectDef, kind: "create" | "update", valid: Record<string, unknown>, prior: Record<string, unknown> | null): Promise<Record<string, unknown>> {
    if (!beforeSave?.handles(object.name, kind)) return valid;
    const changes = await beforeSave.run({ kind, object, record: { ...(prior ?? {}), ...valid }, prior, ctx, engine: boundTo(trx) });
    return changes ? { ...valid, ...validateRecordInput(object, changes, "update").values } : valid;
  }

  function ruleContext(trx: Executor): RuleContext {
    return { executor: trx, dialect, objects: (name) => registry.get(name), now: clock() };
  }
  const readContext = (security?: RecordSecurity): ReadContext => ({
    kysely: db.kysely,
    dialect,
    lookupObject: security ? security.visibleObject : (name) => registry.get(name),
    now: clock(),
    security,
  });

  /** Compiled access per user and registry load (masked definitions live as long as the definitions they mask). */
  const securities = new Map<string, RecordSecurity>();
  async function securityOf(ctx: SecurityContext): Promise<RecordSecurity | undefined> {
    if (ctx.kind !== "user" || !accessFor) return undefined;
    const access = await accessFor(ctx);
    if (!access) return undefined;
    const key = `${registry.generation}\u0001${access.key}`;
    let security = securities.get(key);
    if (!security) {
      security = recordSecurity(access, (name) => registry.get(name), dialect, clock);
      securities.set(key, security);
      if (securities.size > 500) securities.delete(securities.keys().next().value!);
    }
    return security;
  }

  function forbidden(message: string, path: (string | number)[] = []): ObjectQLError {
    return new ObjectQLError("FORBIDDEN", message, { path, issues: [{ path, message }] });
  }

  /** A read with no access to look up (the platform's, or an engine without a security model) once the definitions are loaded. */
  function unrestricted(ctx: SecurityContext): boolean {
    return registry.loaded && (ctx.kind !== "user" || !accessFor);
  }

  /** The object to read as the caller sees it, refusing objects they may not read at all. */
  async function readableObject(ctx: SecurityContext, name: unknown): Promise<{ object: ObjectDef; rc: ReadContext }> {
    const object = await objectNamed(name);
    const security = await securityOf(ctx);
    if (!security) return { object, rc: readContext() };
    if (!security.permissions(object.name).read) throw forbidden(`You do not have access to records of object '${object.name}'`, ["object"]);
    return { object: security.visibleObject(object.name)!, rc: readContext(security) };
  }

  /**
   * Checks a write before it runs: the object permission, and that every field it sets is
   * editable for the caller. Returns the caller's access (undefined: unrestricted).
   */
  async function writeAccess(ctx: SecurityContext, object: ObjectDef, permission: "create" | "edit" | "delete", written?: unknown): Promise<RecordSecurity | undefined> {
    const security = await securityOf(ctx);
    if (!security) return undefined;
    // A function stands for values that are costly to gather (a bulk insert's field names): only called when checked.
    const values = typeof written === "function" ? (written as () => unknown)() : written;
    const granted = security.permissions(object.name);
    const verb = permission === "create" ? "create" : permission === "edit" ? "edit" : "delete";
    if (!granted[permission]) throw forbidden(`You may not ${verb} records of object '${object.name}'`, ["object"]);
    if (isPlainObject(values)) {
      const named = Object.keys(values).filter((name) => object.fields.some((field) => field.name === name));
      // A field the caller may not see is an unknown name, as it is when they read: a write must not reveal that it exists.
      const hidden = named.filter((name) => security.fieldAccess(object, name) === "none");
      if (hidden.length > 0) {
        const issues = hidden.map((name) => ({ path: [name], message: `Unknown field '${name}' on object '${object.name}'` }));
        throw badRequest(`Invalid record for object '${object.name}': ${issues.map((issue) => issue.message).join("; ")}`, issues[0].path, issues);
      }
      const readOnly = named.filter((name) => security.fieldAccess(object, name) === "read");
      if (readOnly.length > 0) {
        const issues = readOnly.map((name) => ({ path: [name], message: `Field '${name}' is read-only for you` }));
        throw new ObjectQLError("FORBIDDEN", `You may not change ${readOnly.map((name) => `'${name}'`).join(", ")} of object '${object.name}'`, { path: issues[0].path, issues });
      }
    }
    return security;
  }

  /** Which of `ids` the caller reaches for `operation` (under row-level security). */
  async function reachableIds(executor: Executor, security: RecordSecurity, object: ObjectDef, ids: string[], operation: Operation): Promise<Set<string>> {
    const reached = new Set<string>();
    const predicate = security.rowPredicate(object.name, "t", operation);
    for (let start = 0; start < ids.length; start += 500) {
      let query = executor.selectFrom(`${tableName(object.name)} as t`).select("t.id").where("t.id", "in", ids.slice(start, start + 500));
      if (predicate) query = query.where(predicate);
      for (const row of await query.execute()) reached.add(String(row.id));
    }
    return reached;
  }

  /**
   * Row-level checks of a write to existing records: a record the caller cannot read is
   * NOT_FOUND (its existence is not revealed), one they can read but not change is FORBIDDEN.
   */
  async function checkRowsWritable(executor: Executor, security: RecordSecurity | undefined, object: ObjectDef, ids: string[], operation: "edit" | "delete", path: (string | number)[]): Promise<void> {
    if (!security) return;
    const visible = await reachableIds(executor, security, object, ids, "read");
    const missing = ids.filter((id) => !visible.has(id));
    if (missing.length > 0) {
      throw new ObjectQLError("NOT_FOUND", `${missing.length === 1 ? `Record '${missing[0]}'` : `${missing.length} record(s)`} of object '${object.name}' not found`, { path });
    }
    const allowed = await reachableIds(executor, security, object, ids, operation);
    const refused = ids.filter((id) => !allowed.has(id));
    if (refused.length > 0) {
      throw forbidden(`You may ${operation === "delete" ? "not delete" : "read but not edit"} ${refused.length === 1 ? `record '${refused[0]}'` : `${refused.length} of these records`} of object '${object.name}'`, path);
    }
  }

  /**
   * A created record must be one the caller may edit (their own, or under a parent they may
   * edit for controlled-by-parent objects); else the insert is undone.
   */
  async function checkCreatedWritable(executor: Executor, security: RecordSecurity | undefined, object: ObjectDef, ids: string[]): Promise<void> {
    if (!security) return;
    const allowed = await reachableIds(executor, security, object, ids, "edit");
    if (allowed.size < ids.length) {
      const parent = object.fields.find((field) => field.type === "master_detail");
      throw forbidden(
        `You may not create ${ids.length === 1 ? "this record" : "these records"} of object '${object.name}'${parent ? `: you may not edit the '${parent.name}' record it belongs to` : ""}`,
        parent ? [parent.name] : [],
      );
    }
  }

  /** A record as the caller sees it after their write. */
  async function readBack(executor: Executor, security: RecordSecurity | undefined, object: ObjectDef, id: string): Promise<DataRecord> {
    if (!security) return (await readRecord(executor, object, id))!;
    const record = await runFindById({ ...readContext(security), kysely: executor }, security.visibleObject(object.name)!, id);
    if (!record) throw forbidden(`You could not read record '${id}' of object '${object.name}' after writing it`);
    return record;
  }

  async function objectNamed(name: unknown): Promise<ObjectDef> {
    if (!registry.loaded) await registry.ensureLoaded();
    if (typeof name !== "string") throw badRequest("Object name must be a string", ["object"]);
    return registry.require(name);
  }

  /** One record with every field, computed ones included (the same record shape as `find`). */
  async function readRecord(executor: Executor, object: ObjectDef, id: string): Promise<DataRecord | null> {
    return runFindById({ ...readContext(), kysely: executor }, object, id);
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

  /** Like checkReferences for many records: one `id in (...)` query per reference field and chunk. */
  async function checkBulkReferences(executor: Executor, object: ObjectDef, records: Record<string, unknown>[]): Promise<void> {
    const issues: ObjectQLIssue[] = [];
    for (const field of object.fields) {
      if (!isReferenceField(field)) continue;
      const wanted = [...new Set(records.map((record) => record[field.name]).filter((value): value is string => typeof value === "string"))];
      const found = new Set<string>();
      for (let start = 0; start < wanted.length; start += 500) {
        const rows = await executor.selectFrom(tableName(field.reference)).select("id").where("id", "in", wanted.slice(start, start + 500)).execute();
        for (const row of rows) found.add(String(row.id));
      }
      records.forEach((record, index) => {
        const value = record[field.name];
        if (typeof value === "string" && !found.has(value) && issues.length < 50) {
          issues.push({ path: [index, field.name], message: `Field '${field.name}' refers to a '${field.reference}' record that does not exist ('${value}')` });
        }
      });
    }
    if (issues.length > 0) throw badRequest(`Invalid records for object '${object.name}': ${issues[0].message}`, issues[0].path, issues);
  }

  async function nextAutonumber(executor: Executor, object: ObjectDef, field: FieldOf<"autonumber">): Promise<string> {
    // One counter row per (object, field id), incremented under the row lock of the insert transaction.
    const value = await nextCounterValue(executor, dialect, object.name, field.id, field.startAt);
    return field.format.replace(/\{(0+)\}/, (_match, zeros: string) => String(value).padStart(zeros.length, "0"));
  }

  function columnValues(object: ObjectDef, values: Record<string, unknown>): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (const field of object.fields) {
      if (Object.hasOwn(values, field.name)) row[field.name] = toColumnValue(field, values[field.name], dialect);
    }
    return row;
  }

  /** Constraint violations become ObjectQLErrors naming the field; anything else is a real failure. */
  function translateWriteError(object: ObjectDef, error: unknown): unknown {
    if (error instanceof ObjectQLError) return error;
    const info = describeDatabaseError(error);
    let columns = info.columns;
    if (info.kind === "unique" && columns.length === 0) {
      // Some drivers (MySQL) name only the index: find its fields in the object's indexes.
      const index = [...desiredIndexes(object).values()].find((candidate) => info.message.includes(candidate.name));
      if (index) columns = index.columns;
    }
    const fields = columns.filter((column) => object.fields.some((field) => field.name === column));
    const named = fields.map((f) => `'${f}'`).join(", ");
    const path = fields.length > 0 ? [fields[0]] : [];
    switch (info.kind) {
      case "unique":
        return new ObjectQLError(
          "CONFLICT",
          fields.length > 1
            ? `A record of object '${object.name}' with the same combination of ${named} already exists (they must be unique together)`
            : `A record of object '${object.name}' with the same value of ${named || "a unique field"} already exists`,
          { path, cause: error, issues: [{ path, message: `must be unique${fields.length > 1 ? ` together with ${fields.slice(1).map((f) => `'${f}'`).join(", ")}` : ""}` }] },
        );
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

  const engine: ObjectQL = {
    async recordAccess(ctx, objectName, id) {
      const object = await objectNamed(objectName);
      const recordId = checkId(object, id);
      const security = await securityOf(ctx);
      const writable = !object.source;
      if (!security) {
        const found = await db.kysely.selectFrom(tableName(object.name)).select("id").where("id", "=", recordId).executeTakeFirst();
        if (!found) throw new ObjectQLError("NOT_FOUND", `Record '${recordId}' of object '${object.name}' not found`, { path: ["id"] });
        return { read: true, edit: writable, delete: writable };
      }
      const granted = security.permissions(object.name);
      if (!granted.read || !(await reachableIds(db.kysely, security, object, [recordId], "read")).has(recordId)) {
        throw new ObjectQLError("NOT_FOUND", `Record '${recordId}' of object '${object.name}' not found`, { path: ["id"] });
      }
      const edit = writable && granted.edit && (await reachableIds(db.kysely, security, object, [recordId], "edit")).has(recordId);
      const remove = writable && granted.delete && (await reachableIds(db.kysely, security, object, [recordId], "delete")).has(recordId);
      return { read: true, edit, delete: remove };
    },

    async describe(ctx, objectName) {
      const { object } = await readableObject(ctx, objectName);
      const security = await securityOf(ctx);
      const granted = security?.permissions(object.name);
      const fields: Record<string, "edit" | "read"> = {};
      for (const field of object.fields) {
        const access = security ? security.fieldAccess(object, field.name) : "edit";
        fields[field.name] = access === "edit" && !isComputedField(field) && field.type !== "autonumber" ? "edit" : "read";
      }
      const writable = !object.source;
      return {
        ...object,
        access: {
          create: writable && (granted?.create ?? true),
          edit: writable && (granted?.edit ?? true),
          delete: writable && (granted?.delete ?? true),
          export: granted?.export ?? true,
          fields,
        },
      };
    },

    async find(ctx, input) {
      const { query, cursor, cacheKey } = parseFindQuery(input);
      // Reads with no access to look up (the platform's) skip readableObject's awaits: a keyset page
      // takes a few hundred µs, and they showed in the benchmark.
      const { object, rc } = unrestricted(ctx) ? { object: registry.require(query.object), rc: readContext() } : await readableObject(ctx, query.object);
      return runFind(rc, object, query, cacheKey, cursor ?? query.cursor);
    },

    async aggregate(ctx, input) {
      const query = parseQuery(aggregateQuerySchema, input);
      const { object, rc } = await readableObject(ctx, query.object);
      return runAggregate(rc, object, query);
    },

    async count(ctx, input) {
      const { object, rc } = await readableObject(ctx, input?.object);
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
      return runCount(rc, object, filter, input.search);
    },

    async findOne(ctx, objectName, id) {
      // As in find: no awaits before the statement for reads with no access to look up.
      const { object, rc } = unrestricted(ctx) && typeof objectName === "string" ? { object: registry.require(objectName), rc: readContext() } : await readableObject(ctx, objectName);
      return runFindById(rc, object, checkId(object, id));
    },

    async insert(ctx, objectName, values) {
      const object = await objectNamed(objectName);
      const security = await writeAccess(ctx, object, "create", values);
      const nowIso = new Date().toISOString();
      const now = timestampParameter(nowIso, dialect);
      const actor = actorOf(ctx);
      try {
        return await inWriteTransaction(async (trx) => {
          const withDefaults = isPlainObject(values) ? await applyDefaultFormulas(ruleContext(trx), object, values) : values;
          const valid = await applyBeforeSave(trx, ctx, object, "create", validateRecordInput(object, withDefaults, "create").values, null);
          await checkReferences(trx, object, valid);
          for (const field of object.fields) {
            if (field.type === "autonumber") valid[field.name] = await nextAutonumber(trx, object, field);
          }
          const id = randomUUID();
          await enforceValidationRules(ruleContext(trx), object, { ...valid, id, created_at: nowIso, updated_at: nowIso, created_by: actor, updated_by: actor, owner_id: actor });
          await trx
            .insertInto(tableName(object.name))
            .values({ id, created_at: now, updated_at: now, created_by: actor, updated_by: actor, owner_id: actor, ...columnValues(object, valid) })
            .execute();
          await checkCreatedWritable(trx, security, object, [id]);
          await onChange?.({ kind: "create", object, ids: [id], values: [valid], actor, ctx, at: nowIso }, trx);
          return readBack(trx, security, object, id);
        });
      } catch (error) {
        throw translateWriteError(object, error);
      }
    },

    async insertMany(ctx, objectName, rows) {
      const object = await objectNamed(objectName);
      if (!Array.isArray(rows)) throw badRequest("rows must be an array of records", ["rows"]);
      const security = await writeAccess(ctx, object, "create", () => {
        // Every field any row sets (a loop: spreading 200,000 rows as arguments would overflow the stack).
        const names: Record<string, true> = Object.create(null);
        for (const row of rows) if (isPlainObject(row)) for (const name of Object.keys(row)) names[name] = true;
        return names;
      });
      if (rows.length > MAX_BULK_ROWS) throw badRequest(`At most ${MAX_BULK_ROWS} records per bulk insert`, ["rows"]);
      const nowIso = new Date().toISOString();
      const now = timestampParameter(nowIso, dialect);
      const actor = actorOf(ctx);
      const hasDefaultFormulas = object.fields.some((field) => field.defaultFormula !== undefined);
      const hasRules = object.validationRules.some((rule) => rule.active);
      try {
        const created = await inWriteTransaction(async (trx) => {
          // Validate every row first, reporting all problems with the row index in the path.
          const issues: ObjectQLIssue[] = [];
          const valid: Record<string, unknown>[] = [];
          for (const [index, row] of rows.entries()) {
            try {
              const withDefaults = hasDefaultFormulas && isPlainObject(row) ? await applyDefaultFormulas(ruleContext(trx), object, row) : row;
              valid.push(validateRecordInput(object, withDefaults as Record<string, unknown>, "create").values);
            } catch (error) {
              if (!(error instanceof ObjectQLError)) throw error;
              for (const issue of error.issues ?? [{ path: error.path ?? [], message: error.message }]) {
                issues.push({ ...issue, path: [index, ...issue.path] });
              }
            }
            if (issues.length >= 50) break;
          }
          if (issues.length > 0) {
            throw badRequest(`Invalid records for object '${object.name}': ${issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, issues[0].path, issues);
          }
          if (beforeSave?.handles(object.name, "create")) {
            for (const [index, record] of valid.entries()) valid[index] = await applyBeforeSave(trx, ctx, object, "create", record, null);
          }
          await checkBulkReferences(trx, object, valid);
          for (const field of object.fields) {
            if (field.type !== "autonumber") continue;
            const first = await reserveCounterValues(trx, dialect, object.name, field.id, field.startAt, valid.length);
            valid.forEach((record, index) => {
              record[field.name] = field.format.replace(/\{(0+)\}/, (_match, zeros: string) => String(first + index).padStart(zeros.length, "0"));
            });
          }
          const ids = valid.map(() => randomUUID());
          if (hasRules) {
            for (const [index, record] of valid.entries()) {
              await enforceValidationRules(ruleContext(trx), object, { ...record, id: ids[index], created_at: nowIso, updated_at: nowIso, created_by: actor, updated_by: actor, owner_id: actor });
            }
          }
          // Columns: the system ones, then every field that any row sets (a row without it stores NULL).
          const fields = object.fields.filter((field) => valid.some((record) => Object.hasOwn(record, field.name)));
          const columns = ["id", "created_at", "updated_at", "created_by", "updated_by", "owner_id", ...fields.map((field) => field.name)];
          const values: unknown[] = new Array(valid.length * columns.length);
          let slot = 0;
          for (const [index, record] of valid.entries()) {
            values[slot++] = ids[index];
            values[slot++] = now;
            values[slot++] = now;
            values[slot++] = actor;
            values[slot++] = actor;
            values[slot++] = actor;
            for (const field of fields) values[slot++] = toColumnValue(field, record[field.name], dialect);
          }
          await insertRows(trx, dialect, tableName(object.name), columns, values, valid.length);
          await checkCreatedWritable(trx, security, object, ids);
          await onChange?.({ kind: "create", object, ids, values: valid, actor, ctx, at: nowIso }, trx);
          return { ids };
        });
        // Many new rows change what the planner should do: its statistics are refreshed once the
        // rows are committed (in a caller's transaction() they are not yet: the next bulk write will).
        if (!boundTransaction && created.ids.length >= BULK_ROWS_FOR_STATISTICS) void refreshStatisticsLater(db, object.name);
        return created;
      } catch (error) {
        throw translateWriteError(object, error);
      }
    },

    async update(ctx, objectName, id, values, options) {
      const object = await objectNamed(objectName);
      const security = await writeAccess(ctx, object, "edit", values);
      const recordId = checkId(object, id);
      const { values: input } = validateRecordInput(object, values, "update");
      const expected = expectedVersion(options);
      try {
        return await inWriteTransaction(async (trx) => {
          const existing = await trx.selectFrom(tableName(object.name)).selectAll().where("id", "=", recordId).executeTakeFirst();
          if (!existing) throw new ObjectQLError("NOT_FOUND", `Record '${recordId}' of object '${object.name}' not found`, { path: ["id"] });
          await checkRowsWritable(trx, security, object, [recordId], "edit", ["id"]);
          const current = recordFromRow(object, existing as Record<string, unknown>, dialect);
          if (expected !== undefined && current.updated_at !== expected) throw staleRecord(object, recordId);
          const valid = await applyBeforeSave(trx, ctx, object, "update", input, current);
          await checkReferences(trx, object, valid);
          const updatedAt = nextVersion(current.updated_at);
          const actor = actorOf(ctx);
          await enforceValidationRules(ruleContext(trx), object, { ...current, ...valid, updated_at: updatedAt, updated_by: actor });
          let statement = trx
            .updateTable(tableName(object.name))
            .set({ ...columnValues(object, valid), updated_at: timestampParameter(updatedAt, dialect), updated_by: actor })
            .where("id", "=", recordId);
          // Re-checked in the UPDATE itself: another writer may have committed since the read above.
          if (expected !== undefined) statement = statement.where("updated_at", "=", timestampParameter(expected, dialect));
          const result = await statement.executeTakeFirst();
          if (Number(result.numUpdatedRows) === 0) throw staleRecord(object, recordId);
          await onChange?.({ kind: "update", object, ids: [recordId], values: [valid], before: new Map([[recordId, current]]), actor, ctx, at: updatedAt }, trx);
          return readBack(trx, security, object, recordId);
        });
      } catch (error) {
        throw translateWriteError(object, error);
      }
    },

    async updateMany(ctx, objectName, ids, values) {
      const object = await objectNamed(objectName);
      const security = await writeAccess(ctx, object, "edit", values);
      if (!Array.isArray(ids) || ids.length === 0) throw badRequest("ids must be a non-empty array of record ids", ["ids"]);
      if (ids.length > MAX_BULK_ROWS) throw badRequest(`At most ${MAX_BULK_ROWS} records per bulk update`, ["ids"]);
      const recordIds = [...new Set(ids.map((id) => checkId(object, id)))];
      const { values: valid } = validateRecordInput(object, values, "update");
      const hasRules = object.validationRules.some((rule) => rule.active);
      const actor = actorOf(ctx);
      try {
        return await inWriteTransaction(async (trx) => {
          const existing = new Map<string, Record<string, unknown>>();
          for (let start = 0; start < recordIds.length; start += 500) {
            const rows = await trx.selectFrom(tableName(object.name)).selectAll().where("id", "in", recordIds.slice(start, start + 500)).execute();
            for (const row of rows) existing.set(String(row.id), row as Record<string, unknown>);
          }
          const missing = recordIds.filter((id) => !existing.has(id));
          if (missing.length > 0) {
            throw new ObjectQLError("NOT_FOUND", `${missing.length} record(s) of object '${object.name}' not found: ${missing.slice(0, 5).join(", ")}`, { path: ["ids"] });
          }
          await checkRowsWritable(trx, security, object, recordIds, "edit", ["ids"]);
          await checkReferences(trx, object, valid);
          // One updated_at for the batch, past every record's previous version (see update()).
          let latest = 0;
          // In the order the caller named them (the database returns rows in its own order).
          const current = recordIds.map((id) => recordFromRow(object, existing.get(id)!, dialect));
          for (const record of current) latest = Math.max(latest, Date.parse(String(record.updated_at)) || 0);
          const updatedAt = new Date(Math.max(Date.now(), latest + 1)).toISOString();
          // Before-save flows may set different values on each record: records are then
          // written in groups that share their values.
          let perRecord: Record<string, unknown>[] | null = null;
          if (beforeSave?.handles(object.name, "update")) {
            perRecord = [];
            for (const record of current) perRecord.push(await applyBeforeSave(trx, ctx, object, "update", valid, record));
          }
          if (hasRules) {
            for (const [index, record] of current.entries()) {
              try {
                await enforceValidationRules(ruleContext(trx), object, { ...record, ...(perRecord?.[index] ?? valid), updated_at: updatedAt, updated_by: actor });
              } catch (error) {
                if (!(error instanceof ObjectQLError)) throw error;
                // The path points into the caller's ids (where the record first appears).
                const position = ids.indexOf(String(record.id));
                throw new ObjectQLError(error.code, `Record '${record.id}': ${error.message}`, {
                  path: ["ids", position],
                  issues: (error.issues ?? []).map((issue) => ({ ...issue, path: ["ids", position, ...issue.path] })),
                });
              }
            }
          }
          const groups = new Map<string, { values: Record<string, unknown>; records: typeof current }>();
          for (const [index, record] of current.entries()) {
            const values = perRecord?.[index] ?? valid;
            const key = perRecord ? JSON.stringify(values) : "";
            const group = groups.get(key) ?? groups.set(key, { values, records: [] }).get(key)!;
            group.records.push(record);
          }
          let count = 0;
          for (const group of groups.values()) {
            if (perRecord) await checkReferences(trx, object, group.values);
            const set = { ...columnValues(object, group.values), updated_at: timestampParameter(updatedAt, dialect), updated_by: actor };
            const groupIds = group.records.map((record) => String(record.id));
            for (let start = 0; start < groupIds.length; start += 500) {
              const result = await trx.updateTable(tableName(object.name)).set(set).where("id", "in", groupIds.slice(start, start + 500)).executeTakeFirst();
              count += Number(result.numUpdatedRows);
            }
            await onChange?.({ kind: "update", object, ids: groupIds, values: [group.values], before: new Map(group.records.map((record) => [String(record.id), record])), actor, ctx, at: updatedAt }, trx);
          }
          return { count };
        });
      } catch (error) {
        throw translateWriteError(object, error);
      }
    },

    async transaction(ctx, work) {
      void ctx;
      // Nested transaction() calls join the outer transaction.
      if (boundTransaction) return work(this, boundTransaction);
      // The executor lets callers write rows of their own in the same transaction (a flow's step log).
      return db.kysely.transaction().execute((trx) =>
        work(boundTo(trx), trx),
      );
    },

    async delete(ctx, objectName, id) {
      const object = await objectNamed(objectName);
      const security = await writeAccess(ctx, object, "delete");
      const recordId = checkId(object, id);
      let deleted: bigint | number;
      try {
        const remove = (executor: Executor) => executor.deleteFrom(tableName(object.name)).where("id", "=", recordId).executeTakeFirst();
        // The record, its manual shares and (with onChange) its audit event go in one transaction.
        const removeAll = async (trx: Executor) => {
          // In the delete's transaction, as every write checks: unseen is NOT_FOUND, seen but not deletable FORBIDDEN.
          await checkRowsWritable(trx, security, object, [recordId], "delete", ["id"]);
          const stored = onChange ? await trx.selectFrom(tableName(object.name)).selectAll().where("id", "=", recordId).executeTakeFirst() : undefined;
          // Master-detail children go with the record (the foreign keys cascade): read them first.
          const cascaded = await cascadedRecords(trx, registry.list(), object, [recordId], !!onChange);
          // And lookups elsewhere that point at them are cleared (on delete set null): read those too.
          const cleared = await clearedLookups(trx, registry.list(), object, [recordId], cascaded);
          const result = await remove(trx);
          if (Number(result.numDeletedRows) > 0) {
            const [actor, at] = [actorOf(ctx), new Date().toISOString()];
            await trx.deleteFrom(RECORD_SHARE_TABLE).where("object", "=", object.name).where("record_id", "=", recordId).execute();
            for (const { object: child, rows } of cascaded) {
              const ids = rows.map((row) => String(row.id));
              for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) {
                await trx.deleteFrom(RECORD_SHARE_TABLE).where("object", "=", child.name).where("record_id", "in", ids.slice(start, start + IDS_PER_STATEMENT)).execute();
              }
            }
            // The records whose lookup the database just cleared changed: a new version, so an edit
            // made against the one before is refused as stale like any other.
            for (const { object: referring, rows } of cleared) await moveVersions(trx, dialect, referring, rows, actor);
            if (onChange) {
              if (stored) {
                const before = recordFromRow(object, stored as Record<string, unknown>, dialect);
                await onChange({ kind: "delete", object, ids: [recordId], before: new Map([[recordId, before]]), actor, ctx, at }, trx);
              }
              for (const { object: child, rows } of cascaded) {
                const before = new Map(rows.map((row) => [String(row.id), recordFromRow(child, row, dialect)]));
                await onChange({ kind: "delete", object: child, ids: [...before.keys()], before, actor, ctx, at }, trx);
              }
              for (const { object: referring, field, rows } of cleared) {
                const before = new Map(rows.map((row) => [row.id, { id: row.id, [field]: row.value } as Record<string, unknown>]));
                await onChange({ kind: "update", object: referring, ids: [...before.keys()], values: [{ [field]: null }], before, actor, ctx, at }, trx);
              }
            }
          }
          return result;
        };
        const result = await inWriteTransaction(removeAll);
        deleted = result.numDeletedRows;
      } catch (error) {
        throw translateWriteError(object, error);
      }
      if (Number(deleted) === 0) throw new ObjectQLError("NOT_FOUND", `Record '${recordId}' of object '${object.name}' not found`, { path: ["id"] });
    },

    async changeOwner(ctx, objectName, id, ownerId) {
      const object = await objectNamed(objectName);
      const recordId = checkId(object, id);
      if (typeof ownerId !== "string" || ownerId.length === 0 || ownerId.length > 255) throw badRequest("ownerId must be a user id", ["ownerId"]);
      await inWriteTransaction(async (trx) => {
        const existing = await trx.selectFrom(tableName(object.name)).selectAll().where("id", "=", recordId).executeTakeFirst();
        if (!existing) throw new ObjectQLError("NOT_FOUND", `Record '${recordId}' of object '${object.name}' not found`, { path: ["id"] });
        const current = recordFromRow(object, existing as Record<string, unknown>, dialect);
        const updatedAt = nextVersion(current.updated_at);
        const actor = actorOf(ctx);
        await trx
          .updateTable(tableName(object.name))
          .set({ owner_id: ownerId, updated_at: timestampParameter(updatedAt, dialect), updated_by: actor })
          .where("id", "=", recordId)
          .execute();
        if (onChange && current.owner_id !== ownerId) {
          await onChange({ kind: "update", object, ids: [recordId], values: [{ owner_id: ownerId }], before: new Map([[recordId, current]]), actor, ctx, at: updatedAt }, trx);
        }
      });
    },

    async explain(ctx, input) {
      const raw = (input ?? {}) as Record<string, unknown>;
      let choice: string | undefined;
      // The statement is compiled by the code that runs the query, against a capturing driver
      // (the plan choice's pilot reads the real data: `probe`).
      const statement = await captureStatement(dialect, async (kysely) => {
        if (raw.aggregate !== undefined || raw.groupBy !== undefined) {
          const query = parseQuery(aggregateQuerySchema, input);
          const { object, rc } = await readableObject(ctx, query.object);
          return runAggregate({ ...rc, kysely }, object, query);
        }
        const query = parseQuery(findQuerySchema, input);
        const { object, rc } = await readableObject(ctx, query.object);
        return runFind({ ...rc, kysely, probe: rc.kysely, onPlanChoice: (made) => (choice = made.reason) }, object, query);
      });
      const explained = await explainStatement(db.kysely, dialect, statement);
      return choice === undefined ? explained : { ...explained, planChoice: choice };
    },
  };
  return observeQueries(engine, queryLog);
}
