import { z } from "zod";

/** A day (`2026-11-26`, the whole UTC day) or an instant (`2026-11-26T08:00:00Z`). */
const dateBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: "must be a date (YYYY-MM-DD) or a date and time (ISO 8601)",
});

/** The filter and page fields every audit log shares; numbers may arrive as query-string text. */
export const auditPageFields = {
  from: dateBound.optional(),
  to: dateBound.optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200, "must be at most 200").default(50),
};

/** The most rows one CSV export holds. */
export const EXPORT_LIMIT = 10_000;

/** Refuses a range that ends before it starts, naming `to`. */
export function checkRange(value: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  const range = createdAtRange(value.from, value.to);
  if (range?.gte && range.lt && range.lt <= range.gte) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before 'from'" });
  }
}

/** A Prisma `createdAt` condition: from the start of `from` up to the end of `to` (a day includes all of it). */
export function createdAtRange(from?: string, to?: string): { gte?: Date; lt?: Date } | undefined {
  if (!from && !to) return undefined;
  const range: { gte?: Date; lt?: Date } = {};
  if (from) range.gte = new Date(isDay(from) ? `${from}T00:00:00.000Z` : from);
  if (to) range.lt = isDay(to) ? new Date(new Date(`${to}T00:00:00.000Z`).getTime() + 86_400_000) : new Date(new Date(to).getTime() + 1);
  return range;
}

function isDay(value: string) {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** Offset paging for audit tables (newest first); `total` lets the page show "n of m". */
export function pageWindow(page: number, pageSize: number) {
  return { skip: (page - 1) * pageSize, take: pageSize };
}
