import { RELATIVE_N_DAYS_PATTERN, type RelativeDateKeyword } from "@/spec/query";

/**
 * Relative date values (`TODAY`, `THIS_WEEK`, `LAST_N_DAYS:7`, ...) as ranges of days. Computed
 * once per query from the engine's clock, in UTC (the zone datetimes are stored in), so a
 * query means the same on every driver. The conformance oracle has its own calendar
 * (conformance/calendar-oracle.ts), so the two check each other.
 */

/** A range of whole days: `start` inclusive, `end` exclusive, both YYYY-MM-DD. */
export type DayRange = { start: string; end: string };

const DAY_MS = 86_400_000;

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function monthStart(year: number, month: number): number {
  // Date.UTC normalises month overflow (month 12 -> January of the next year, -1 -> December before).
  return Date.UTC(year, month, 1);
}

/** The first day (Monday) of the week containing `dayMs`. */
export function weekStart(dayMs: number): number {
  const weekday = (new Date(dayMs).getUTCDay() + 6) % 7;
  return dayMs - weekday * DAY_MS;
}

/** The range a relative date value denotes at time `now`, or null if `value` is not one. */
export function relativeDateRange(value: string, now: Date): DayRange | null {
  const today = utcDay(now);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const days = (from: number, count: number): DayRange => ({ start: iso(from), end: iso(from + count * DAY_MS) });
  const months = (first: number, count: number): DayRange => ({ start: iso(monthStart(year, first)), end: iso(monthStart(year, first + count)) });
  const quarter = Math.floor(month / 3) * 3;
  const nDays = RELATIVE_N_DAYS_PATTERN.exec(value);
  if (nDays) {
    const n = Number(nDays[2]);
    return nDays[1] === "LAST" ? days(today - n * DAY_MS, n + 1) : days(today, n + 1);
  }
  switch (value as RelativeDateKeyword) {
    case "TODAY": return days(today, 1);
    case "YESTERDAY": return days(today - DAY_MS, 1);
    case "TOMORROW": return days(today + DAY_MS, 1);
    case "THIS_WEEK": return days(weekStart(today), 7);
    case "LAST_WEEK": return days(weekStart(today) - 7 * DAY_MS, 7);
    case "NEXT_WEEK": return days(weekStart(today) + 7 * DAY_MS, 7);
    case "THIS_MONTH": return months(month, 1);
    case "LAST_MONTH": return months(month - 1, 1);
    case "NEXT_MONTH": return months(month + 1, 1);
    case "THIS_QUARTER": return months(quarter, 3);
    case "LAST_QUARTER": return months(quarter - 3, 3);
    case "NEXT_QUARTER": return months(quarter + 3, 3);
    case "THIS_YEAR": return months(0, 12);
    case "LAST_YEAR": return months(-12, 12);
    case "NEXT_YEAR": return months(12, 12);
    default: return null;
  }
}

/** The first day of the bucket containing `day` (YYYY-MM-DD), as YYYY-MM-DD; weeks start Monday. */
export function bucketStart(day: string, granularity: "day" | "week" | "month" | "quarter" | "year"): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1];
  switch (granularity) {
    case "day": return day.slice(0, 10);
    case "week": return iso(weekStart(Date.UTC(y, m, Number(day.slice(8, 10)))));
    case "month": return iso(Date.UTC(y, m, 1));
    case "quarter": return iso(Date.UTC(y, Math.floor(m / 3) * 3, 1));
    case "year": return iso(Date.UTC(y, 0, 1));
  }
}
