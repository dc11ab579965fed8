import { RELATIVE_DATE_KEYWORDS, type RelativeDateKeyword } from "@/spec/query";

/**
 * The conformance oracle's own calendar: what each relative date value means, computed from
 * civil date parts (year, month, day) with a days-per-month table, never through the engine's
 * millisecond arithmetic (server/objectql/query/relative-dates.ts), so a mistake in one cannot
 * hide in the other. Ranges are inclusive on both ends: `first` and `last` are the first and the
 * last day that match.
 */

export type CivilDay = { y: number; m: number; d: number };
export type InclusiveDays = { first: string; last: string };

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : MONTH_LENGTHS[m - 1];
}

export function parseDay(text: string): CivilDay {
  const [y, m, d] = text.slice(0, 10).split("-").map(Number);
  return { y, m, d };
}

export function formatDay({ y, m, d }: CivilDay): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** `day` moved by `count` days, one calendar step at a time (count may be negative). */
export function stepDays(day: CivilDay, count: number): CivilDay {
  let { y, m, d } = day;
  for (let left = count; left > 0; left--) {
    if (d < daysInMonth(y, m)) d++;
    else if (m < 12) { m++; d = 1; }
    else { y++; m = 1; d = 1; }
  }
  for (let left = count; left < 0; left++) {
    if (d > 1) d--;
    else if (m > 1) { m--; d = daysInMonth(y, m); }
    else { y--; m = 12; d = 31; }
  }
  return { y, m, d };
}

/** Monday = 0 ... Sunday = 6 (Sakamoto's method gives Sunday = 0). */
export function mondayIndex({ y, m, d }: CivilDay): number {
  const offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const year = m < 3 ? y - 1 : y;
  const sundayBased = (year + Math.floor(year / 4) - Math.floor(year / 100) + Math.floor(year / 400) + offsets[m - 1] + d) % 7;
  return (sundayBased + 6) % 7;
}

/** Month `m` of year `y` moved by `count` months, as [year, month]. */
function shiftMonth(y: number, m: number, count: number): [number, number] {
  const index = y * 12 + (m - 1) + count;
  return [Math.floor(index / 12), (index % 12) + 1];
}

function monthSpan(y: number, m: number, months: number): InclusiveDays {
  const [lastY, lastM] = shiftMonth(y, m, months - 1);
  return { first: formatDay({ y, m, d: 1 }), last: formatDay({ y: lastY, m: lastM, d: daysInMonth(lastY, lastM) }) };
}

function daySpan(from: CivilDay, to: CivilDay): InclusiveDays {
  return { first: formatDay(from), last: formatDay(to) };
}

/** What each keyword means on a given day. */
const KEYWORDS: Record<RelativeDateKeyword, (today: CivilDay) => InclusiveDays> = {
  TODAY: (t) => daySpan(t, t),
  YESTERDAY: (t) => daySpan(stepDays(t, -1), stepDays(t, -1)),
  TOMORROW: (t) => daySpan(stepDays(t, 1), stepDays(t, 1)),
  THIS_WEEK: (t) => week(t, 0),
  LAST_WEEK: (t) => week(t, -1),
  NEXT_WEEK: (t) => week(t, 1),
  THIS_MONTH: (t) => monthSpan(t.y, t.m, 1),
  LAST_MONTH: (t) => monthSpan(...shiftMonth(t.y, t.m, -1), 1),
  NEXT_MONTH: (t) => monthSpan(...shiftMonth(t.y, t.m, 1), 1),
  THIS_QUARTER: (t) => quarter(t, 0),
  LAST_QUARTER: (t) => quarter(t, -1),
  NEXT_QUARTER: (t) => quarter(t, 1),
  THIS_YEAR: (t) => monthSpan(t.y, 1, 12),
  LAST_YEAR: (t) => monthSpan(t.y - 1, 1, 12),
  NEXT_YEAR: (t) => monthSpan(t.y + 1, 1, 12),
};

function week(today: CivilDay, weeks: number): InclusiveDays {
  const monday = stepDays(today, 7 * weeks - mondayIndex(today));
  return daySpan(monday, stepDays(monday, 6));
}

function quarter(today: CivilDay, quarters: number): InclusiveDays {
  const firstMonth = today.m - ((today.m - 1) % 3);
  return monthSpan(...shiftMonth(today.y, firstMonth, 3 * quarters), 3);
}

/** The days a relative date value covers on the UTC day of `now`, or null when it is not one. */
export function calendarRange(value: string, now: Date): InclusiveDays | null {
  const today: CivilDay = { y: now.getUTCFullYear(), m: now.getUTCMonth() + 1, d: now.getUTCDate() };
  const counted = /^(LAST|NEXT)_N_DAYS:(\d+)$/.exec(value);
  if (counted) {
    const n = Number(counted[2]);
    return counted[1] === "LAST" ? daySpan(stepDays(today, -n), today) : daySpan(today, stepDays(today, n));
  }
  return (RELATIVE_DATE_KEYWORDS as readonly string[]).includes(value) ? KEYWORDS[value as RelativeDateKeyword](today) : null;
}

/** The first day of the day/week/month/quarter/year bucket holding `day` (YYYY-MM-DD...). */
export function calendarBucket(day: string, granularity: "day" | "week" | "month" | "quarter" | "year"): string {
  const civil = parseDay(day);
  switch (granularity) {
    case "day": return formatDay(civil);
    case "week": return formatDay(stepDays(civil, -mondayIndex(civil)));
    case "month": return formatDay({ ...civil, d: 1 });
    case "quarter": return formatDay({ y: civil.y, m: civil.m - ((civil.m - 1) % 3), d: 1 });
    case "year": return formatDay({ y: civil.y, m: 1, d: 1 });
  }
}
