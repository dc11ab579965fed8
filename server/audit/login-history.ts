import { z } from "zod";
import type { PlatformDb } from "@/server/db/platform-db";
import { auditPageFields, checkRange, createdAtRange, pageWindow } from "./audit-query";
import type { CsvColumn } from "./csv";

export const LOGIN_OUTCOMES = ["success", "failure", "locked"] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];
export type LoginReason = "wrong_password" | "unknown_user" | "inactive" | "invalid_input" | "locked_email" | "locked_ip";

export type LoginEventInput = {
  email: string;
  userId?: string | null;
  outcome: LoginOutcome;
  reason?: LoginReason | null;
  ip: string | null;
  userAgent: string | null;
};

/** Records one sign-in attempt. Never throws: a failing audit write must not decide a sign-in. */
export async function recordLogin(db: PlatformDb, event: LoginEventInput): Promise<void> {
  try {
    await db.loginEvent.create({
      data: {
        email: event.email.slice(0, 320),
        userId: event.userId ?? null,
        outcome: event.outcome,
        reason: event.reason ?? null,
        ip: event.ip,
        userAgent: event.userAgent,
      },
    });
  } catch (error) {
    console.error("login history: could not record a sign-in attempt", error);
  }
}

export const loginHistoryFilterSchema = z
  .object({
    /** Part of the email tried (case-insensitive). */
    email: z.string().trim().toLowerCase().max(320).optional(),
    outcome: z.enum(LOGIN_OUTCOMES).optional(),
    ...auditPageFields,
  })
  .superRefine(checkRange);
export type LoginHistoryFilter = z.infer<typeof loginHistoryFilterSchema>;

function where(filter: LoginHistoryFilter) {
  return {
    ...(filter.email ? { email: { contains: filter.email } } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.from || filter.to ? { createdAt: createdAtRange(filter.from, filter.to) } : {}),
  };
}

/** A page of the login history, newest first, with the total matching the filter. */
export async function listLogins(db: PlatformDb, filter: LoginHistoryFilter, window = pageWindow(filter.page, filter.pageSize)) {
  const [rows, total] = await Promise.all([
    db.loginEvent.findMany({ where: where(filter), orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...window }),
    db.loginEvent.count({ where: where(filter) }),
  ]);
  return { rows, total };
}

export type LoginEventRow = Awaited<ReturnType<typeof listLogins>>["rows"][number];

export const loginCsvColumns: CsvColumn<LoginEventRow>[] = [
  { header: "time", value: (row) => row.createdAt },
  { header: "email", value: (row) => row.email },
  { header: "user_id", value: (row) => row.userId },
  { header: "outcome", value: (row) => row.outcome },
  { header: "reason", value: (row) => row.reason },
  { header: "ip", value: (row) => row.ip },
  { header: "user_agent", value: (row) => row.userAgent },
];
