import { sql, type Kysely, type SelectQueryBuilder } from "kysely";
import { z } from "zod";
import type { DataDatabase } from "@/server/db/data-db";
import type { PlatformDb } from "@/server/db/platform-db";
import { timestampParameter, timestampToIso } from "@/server/objectql/records/codec";
import { identifier } from "@/spec/identifier";
import { isReferenceField, nameFieldOf, type ObjectDef } from "@/spec/object";
import type { Filter } from "@/spec/query";
import { auditPageFields, checkRange, createdAtRange, pageWindow } from "./audit-query";
import type { CsvColumn } from "./csv";
import { FIELD_HISTORY_TABLE, OWNER_HISTORY_FIELD, RECORD_EVENT_TABLE } from "./record-history";

/**
 * Reading the record audit trail (server/audit/record-history.ts): the studio's filtered,
 * paged lists and CSV exports, and one record's field history for the generated app.
 */

const recordFilterFields = {
  object: identifier.optional(),
  recordId: z.string().trim().min(1).max(100).optional(),
  /** Part of the email or name of the user who made the change, or their exact user id. */
  user: z.string().trim().min(1).max(320).optional(),
  ...auditPageFields,
};

export const fieldHistoryFilterSchema = z.object({ ...recordFilterFields, field: identifier.optional() }).superRefine(checkRange);
export type FieldHistoryFilter = z.infer<typeof fieldHistoryFilterSchema>;

export const RECORD_EVENT_KINDS = ["create", "delete"] as const;
export const recordEventFilterSchema = z.object({ ...recordFilterFields, kind: z.enum(RECORD_EVENT_KINDS).optional() }).superRefine(checkRange);
export type RecordEventFilter = z.infer<typeof recordEventFilterSchema>;

/** Who made a change: their id, and their email and name when the user still exists. */
export type Actor = { id: string; email: string | null; name: string | null } | null;

export type FieldHistoryRow = {
  id: string;
  object: string;
  recordId: string;
  /** null: the record was created ("Created."). */
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  actor: Actor;
  at: string;
};

export type RecordEventRow = {
  id: string;
  object: string;
  recordId: string;
  kind: (typeof RECORD_EVENT_KINDS)[number];
  actor: Actor;
  at: string;
  /** The record as it was when deleted (delete events only). */
  snapshot: Record<string, unknown> | null;
};

type Window = { skip: number; take: number };

function parseJson(text: unknown): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(String(text)) as unknown;
  } catch {
    return String(text);
  }
}

/**
 * The user ids a `user` filter means: the exact id, or every user whose email or name contains
 * the text (case-insensitive on email, which is stored lower-cased). Undefined: no filter.
 */
export async function actorIdsMatching(platformDb: PlatformDb, user: string | undefined): Promise<string[] | undefined> {
  if (!user) return undefined;
  const users = await platformDb.user.findMany({
    where: { OR: [{ id: user }, { email: { contains: user.toLowerCase() } }, { name: { contains: user } }] },
    select: { id: true },
    take: 1000,
  });
  return users.map((found) => found.id);
}

/** The users with these ids (the values that are user ids), by id: one query, none when there are none. */
async function usersById(platformDb: PlatformDb, values: unknown[]) {
  const ids = [...new Set(values.filter((id): id is string => typeof id === "string"))];
  const users = ids.length === 0 ? [] : await platformDb.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } });
  return new Map(users.map((user) => [user.id, user]));
}

/** Email and name of the users who made the changes in `rows`. */
async function withActors<Row extends { actor: unknown }>(platformDb: PlatformDb, rows: Row[]): Promise<(Omit<Row, "actor"> & { actor: Actor })[]> {
  const byId = await usersById(platformDb, rows.map((row) => row.actor));
  return rows.map((row) => {
    const id = typeof row.actor === "string" ? row.actor : null;
    const user = id ? byId.get(id) : undefined;
    return { ...row, actor: id ? { id, email: user?.email ?? null, name: user?.name ?? null } : null };
  });
}

/** The WHERE shared by both logs: object, record, actors and the time range. */
function filtered<Q extends SelectQueryBuilder<any, any, any>>(query: Q, db: DataDatabase, filter: FieldHistoryFilter | RecordEventFilter, actors: string[] | undefined): Q {
  let result = query;
  if (filter.object) result = result.where("object", "=", filter.object) as Q;
  if (filter.recordId) result = result.where("record_id", "=", filter.recordId) as Q;
  if (actors) result = result.where("actor", "in", actors.length > 0 ? actors : [""]) as Q;
  const range = createdAtRange(filter.from, filter.to);
  if (range?.gte) result = result.where("at", ">=", timestampParameter(range.gte.toISOString(), db.dialect)) as Q;
  if (range?.lt) result = result.where("at", "<", timestampParameter(range.lt.toISOString(), db.dialect)) as Q;
  return result;
}

async function pageOf(query: SelectQueryBuilder<any, any, any>, window: Window) {
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy("at", "desc").orderBy("id", "desc").limit(window.take).offset(window.skip).execute(),
    query.select(sql<number | string | bigint>`count(*)`.as("total")).executeTakeFirst(),
  ]);
  return { rows: rows as Record<string, unknown>[], total: Number(count?.total ?? 0) };
}

function fieldHistoryRow(row: Record<string, unknown>): Omit<FieldHistoryRow, "actor"> & { actor: unknown } {
  return {
    id: String(row.id),
    object: String(row.object),
    recordId: String(row.record_id),
    field: row.field === null || row.field === undefined ? null : String(row.field),
    oldValue: parseJson(row.old_value),
    newValue: parseJson(row.new_value),
    actor: row.actor ?? null,
    at: timestampToIso(row.at) ?? "",
  };
}

/** A page of the field history (newest first) with the total matching the filter. */
export async function listFieldHistory(db: DataDatabase, platformDb: PlatformDb, filter: FieldHistoryFilter, window: Window = pageWindow(filter.page, filter.pageSize)) {
  const actors = await actorIdsMatching(platformDb, filter.user);
  let query = filtered(db.kysely.selectFrom(FIELD_HISTORY_TABLE), db, filter, actors);
  if (filter.field) query = query.where("field", "=", filter.field);
  const { rows, total } = await pageOf(query, window);
  return { rows: (await withActors(platformDb, rows.map(fieldHistoryRow))) as FieldHistoryRow[], total };
}

/** A page of record creations and deletions (newest first) with the total matching the filter. */
export async function listRecordEvents(db: DataDatabase, platformDb: PlatformDb, filter: RecordEventFilter, window: Window = pageWindow(filter.page, filter.pageSize)) {
  const actors = await actorIdsMatching(platformDb, filter.user);
  let query = filtered(db.kysely.selectFrom(RECORD_EVENT_TABLE), db, filter, actors);
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  const { rows, total } = await pageOf(query, window);
  const events = rows.map((row) => ({
    id: String(row.id),
    object: String(row.object),
    recordId: String(row.record_id),
    kind: String(row.kind) as RecordEventRow["kind"],
    actor: row.actor ?? null,
    at: timestampToIso(row.at) ?? "",
    snapshot: parseJson(row.snapshot) as Record<string, unknown> | null,
  }));
  return { rows: (await withActors(platformDb, events)) as RecordEventRow[], total };
}

/** The most field history rows one record's History section shows. */
export const RECORD_HISTORY_LIMIT = 200;

/**
 * One record's field history, newest first, only rows of `fields` (the fields the reader may
 * read) and the "Created." row. The caller has checked the reader may read the record.
 */
export async function recordFieldHistory(db: DataDatabase, platformDb: PlatformDb, object: string, recordId: string, fields: string[], limit = RECORD_HISTORY_LIMIT) {
  const executor: Kysely<any> = db.kysely;
  const rows = await executor
    .selectFrom(FIELD_HISTORY_TABLE)
    .selectAll()
    .where("object", "=", object)
    .where("record_id", "=", recordId)
    .where((eb) => (fields.length > 0 ? eb.or([eb("field", "is", null), eb("field", "in", fields)]) : eb("field", "is", null)))
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map((row) => fieldHistoryRow(row as Record<string, unknown>));
  return { rows: (await withActors(platformDb, page)) as FieldHistoryRow[], more: rows.length > limit };
}

const actorText = (actor: Actor) => (actor ? (actor.email ?? actor.id) : "(platform)");
/** A value in a CSV cell: text as it is, anything else (numbers, lists, objects) as JSON. */
const jsonCell = (value: unknown) => (value === null || value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value));

export const fieldHistoryCsvColumns: CsvColumn<FieldHistoryRow>[] = [
  { header: "time", value: (row) => row.at },
  { header: "object", value: (row) => row.object },
  { header: "record_id", value: (row) => row.recordId },
  { header: "field", value: (row) => row.field ?? "(created)" },
  { header: "old_value", value: (row) => jsonCell(row.oldValue) },
  { header: "new_value", value: (row) => jsonCell(row.newValue) },
  { header: "user", value: (row) => actorText(row.actor) },
  { header: "user_id", value: (row) => row.actor?.id },
];

export const recordEventCsvColumns: CsvColumn<RecordEventRow>[] = [
  { header: "time", value: (row) => row.at },
  { header: "object", value: (row) => row.object },
  { header: "record_id", value: (row) => row.recordId },
  { header: "event", value: (row) => row.kind },
  { header: "user", value: (row) => actorText(row.actor) },
  { header: "user_id", value: (row) => row.actor?.id },
  { header: "snapshot", value: (row) => jsonCell(row.snapshot) },
];

/** What `readableRecordHistory` asks the engine, through the reader's security context. */
export type RecordReader = {
  findOne(object: string, id: string): Promise<unknown>;
  /** The object as the reader sees it (hidden fields left out). */
  describe(object: string): Promise<Pick<ObjectDef, "fields" | "nameField">>;
  find(query: { object: string; filter: Filter; select: string[]; limit: number }): Promise<{ records: Record<string, unknown>[] }>;
};

/**
 * Lookup values (record ids) in `rows` as `{ id, name }`, named as the reader sees the related
 * record; ids of records they cannot read (or whose name they cannot see) stay plain ids.
 */
async function nameLookups(reader: RecordReader, object: Pick<ObjectDef, "fields">, rows: FieldHistoryRow[]): Promise<FieldHistoryRow[]> {
  const references = new Map(object.fields.filter(isReferenceField).map((field) => [field.name, field.reference]));
  const wanted = new Map<string, Set<string>>();
  for (const row of rows) {
    const target = row.field ? references.get(row.field) : undefined;
    if (!target) continue;
    for (const value of [row.oldValue, row.newValue]) if (typeof value === "string") (wanted.get(target) ?? wanted.set(target, new Set()).get(target)!).add(value);
  }
  const names = new Map<string, string>();
  for (const [target, ids] of wanted) {
    try {
      const related = await reader.describe(target);
      const nameField = nameFieldOf(related);
      if (nameField === "id" || !related.fields.some((field) => field.name === nameField)) continue;
      const list = [...ids];
      for (let start = 0; start < list.length; start += 200) {
        const chunk = list.slice(start, start + 200);
        const { records } = await reader.find({ object: target, filter: { field: "id", operator: "in", value: chunk }, select: [nameField], limit: chunk.length });
        for (const record of records) if (record[nameField] !== null && record[nameField] !== undefined) names.set(`${target}:${String(record.id)}`, String(record[nameField]));
      }
    } catch {
      // An object the reader may not read: its records stay ids.
    }
  }
  const named = (target: string | undefined, value: unknown) =>
    target && typeof value === "string" ? { id: value, name: names.get(`${target}:${value}`) ?? null } : value;
  return rows.map((row) => {
    const target = row.field ? references.get(row.field) : undefined;
    return target ? { ...row, oldValue: named(target, row.oldValue), newValue: named(target, row.newValue) } : row;
  });
}

/**
 * One record's field history as a user may see it: null unless they can read the record (the
 * engine's row security decides), only rows of the fields they can read, lookups named.
 */
export async function readableRecordHistory(db: DataDatabase, platformDb: PlatformDb, reader: RecordReader, object: string, recordId: string) {
  if (!(await reader.findOne(object, recordId))) return null;
  const visible = await reader.describe(object);
  // Ownership transfers too: whoever reads the record sees its owner.
  const history = await recordFieldHistory(db, platformDb, object, recordId, [...visible.fields.map((field) => field.name), OWNER_HISTORY_FIELD]);
  return { ...history, rows: await nameOwners(platformDb, await nameLookups(reader, visible, history.rows)) };
}

/** Owner values (user ids) in ownership transfer rows as `{ id, name }` (name: the user's name or email). */
async function nameOwners(platformDb: PlatformDb, rows: FieldHistoryRow[]): Promise<FieldHistoryRow[]> {
  const transfers = rows.filter((row) => row.field === OWNER_HISTORY_FIELD);
  if (transfers.length === 0) return rows;
  const users = await usersById(platformDb, transfers.flatMap((row) => [row.oldValue, row.newValue]));
  const named = (value: unknown) => {
    if (typeof value !== "string") return value;
    const user = users.get(value);
    return { id: value, name: user ? (user.name ?? user.email) : null };
  };
  return rows.map((row) => (row.field === OWNER_HISTORY_FIELD ? { ...row, oldValue: named(row.oldValue), newValue: named(row.newValue) } : row));
}
