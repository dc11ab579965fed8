import { z } from "zod";
import { randomUUID } from "node:crypto";
import { linkedDataDatabase, type PlatformDb } from "@/server/db/platform-db";
import { auditPageFields, checkRange, createdAtRange, pageWindow } from "./audit-query";
import type { CsvColumn } from "./csv";

export type ApiCall = {
  apiKeyId: string | null;
  keyPrefix: string | null;
  userId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  ip: string | null;
};

/** At most this long between a call and its row (the writer batches the calls of that time). */
const FLUSH_AFTER_MS = 10;
/** A batch is written at once when it reaches this many calls. */
const FLUSH_AT = 200;

/**
 * Writes the calls of one database in batches, off the answer's path: a REST call enqueues its
 * row and answers at once; within FLUSH_AFTER_MS the batch goes in as one multi-row INSERT
 * through Kysely (linkedDataDatabase), instead of one Prisma create per call, which cost the
 * caller about a millisecond of CPU (several under load) and a commit before each answer.
 * Readers in this process flush first (listApiCalls), so they always see every call made here.
 * Without a linked Kysely connection (tools and tests using Prisma alone) each call is written
 * through Prisma as before.
 */
class ApiCallWriter {
  private pending: ApiCall[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: PlatformDb) {}

  add(call: ApiCall): void {
    this.pending.push(call);
    if (this.pending.length >= FLUSH_AT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes what is pending (after any batch already being written). Never throws. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: ApiCall[]): Promise<void> {
    try {
      const dataDb = linkedDataDatabase(this.db);
      if (!dataDb) {
        await this.db.apiRequestLog.createMany({ data: batch.map(logRow) });
        return;
      }
      const createdAt = platformTimestamp(dataDb.dialect, new Date());
      const rows = batch.map((call) => ({ id: randomUUID(), createdAt, ...logRow(call) }));
      await dataDb.kysely.insertInto("ApiRequestLog").values(rows).execute();
    } catch (error) {
      console.error(`API usage log: could not record ${batch.length} call(s)`, error);
    }
  }
}

function logRow(call: ApiCall) {
  return { ...call, path: call.path.slice(0, 1000), durationMs: Math.round(call.durationMs) };
}

/** A DateTime column's value as Prisma writes it (SQLite: ISO text with +00:00; PostgreSQL: timestamp(3) in UTC). */
function platformTimestamp(dialect: string, date: Date): string {
  const iso = date.toISOString();
  return dialect === "sqlite" ? iso.replace("Z", "+00:00") : iso.replace("T", " ").replace("Z", "");
}

/** On the client object, under a global symbol: see linkDataDatabase for why not a module-level map. */
const WRITER = Symbol.for("objectstudio.apiCallWriter");
type WithWriter = PlatformDb & { [WRITER]?: ApiCallWriter };

function writerFor(db: PlatformDb): ApiCallWriter {
  const holder = db as WithWriter;
  if (!holder[WRITER]) Object.defineProperty(holder, WRITER, { value: new ApiCallWriter(db), enumerable: false, configurable: true });
  return holder[WRITER]!;
}

/** Records one REST call (written within a few milliseconds, in a batch). Never throws. */
export async function recordApiCall(db: PlatformDb, call: ApiCall): Promise<void> {
  writerFor(db).add(call);
}

/** Writes the calls recorded in this process so far (before reading the log, or closing). */
export function flushApiCalls(db: PlatformDb): Promise<void> {
  return (db as WithWriter)[WRITER]?.flush() ?? Promise.resolve();
}

export const STATUS_CLASSES = ["2xx", "4xx", "5xx"] as const;

export const apiUsageFilterSchema = z
  .object({
    /** Part of the calling user's email. */
    user: z.string().trim().toLowerCase().max(320).optional(),
    status: z.enum(STATUS_CLASSES).optional(),
    /** Part of the path called. */
    path: z.string().trim().max(1000).optional(),
    ...auditPageFields,
  })
  .superRefine(checkRange);
export type ApiUsageFilter = z.infer<typeof apiUsageFilterSchema>;

async function where(db: PlatformDb, filter: ApiUsageFilter) {
  const userIds = filter.user
    ? (await db.user.findMany({ where: { email: { contains: filter.user } }, select: { id: true } })).map((user) => user.id)
    : undefined;
  const statusFloor = filter.status ? Number(filter.status[0]) * 100 : undefined;
  return {
    ...(userIds ? { userId: { in: userIds } } : {}),
    ...(statusFloor ? { status: { gte: statusFloor, lt: statusFloor + 100 } } : {}),
    ...(filter.path ? { path: { contains: filter.path } } : {}),
    ...(filter.from || filter.to ? { createdAt: createdAtRange(filter.from, filter.to) } : {}),
  };
}

/** A page of the API usage log, newest first, with each caller's email and key name. */
export async function listApiCalls(db: PlatformDb, filter: ApiUsageFilter, window = pageWindow(filter.page, filter.pageSize)) {
  await flushApiCalls(db);
  const condition = await where(db, filter);
  const [calls, total] = await Promise.all([
    db.apiRequestLog.findMany({ where: condition, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...window }),
    db.apiRequestLog.count({ where: condition }),
  ]);
  const [users, keys] = await Promise.all([
    db.user.findMany({ where: { id: { in: distinct(calls.map((call) => call.userId)) } }, select: { id: true, email: true } }),
    db.apiKey.findMany({ where: { id: { in: distinct(calls.map((call) => call.apiKeyId)) } }, select: { id: true, name: true } }),
  ]);
  const emails = new Map(users.map((user) => [user.id, user.email]));
  const keyNames = new Map(keys.map((key) => [key.id, key.name]));
  const rows = calls.map((call) => ({
    ...call,
    userEmail: call.userId ? (emails.get(call.userId) ?? null) : null,
    keyName: call.apiKeyId ? (keyNames.get(call.apiKeyId) ?? null) : null,
  }));
  return { rows, total };
}

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

export type ApiCallRow = Awaited<ReturnType<typeof listApiCalls>>["rows"][number];

export const apiCallCsvColumns: CsvColumn<ApiCallRow>[] = [
  { header: "time", value: (row) => row.createdAt },
  { header: "user", value: (row) => row.userEmail },
  { header: "key_name", value: (row) => row.keyName },
  { header: "key_prefix", value: (row) => row.keyPrefix },
  { header: "method", value: (row) => row.method },
  { header: "path", value: (row) => row.path },
  { header: "status", value: (row) => row.status },
  { header: "duration_ms", value: (row) => row.durationMs },
  { header: "ip", value: (row) => row.ip },
];
