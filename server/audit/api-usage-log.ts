import { z } from "zod";
import type { PlatformDb } from "@/server/db/platform-db";
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

/** Records one REST call. Never throws: the caller's answer does not depend on the log. */
export async function recordApiCall(db: PlatformDb, call: ApiCall): Promise<void> {
  try {
    await db.apiRequestLog.create({ data: { ...call, path: call.path.slice(0, 1000), durationMs: Math.round(call.durationMs) } });
  } catch (error) {
    console.error("API usage log: could not record a call", error);
  }
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
