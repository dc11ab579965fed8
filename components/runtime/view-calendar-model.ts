import type { FieldDef } from "@/spec";
import type { Filter } from "@/spec/query";

/**
 * The calendar's model, without React: the days a month shows (weeks start on Monday), where a
 * record sits (date fields as stored, date-times on their local day), the filter that loads only
 * the visible range, and the values that move a record by whole days.
 *
 * Days are "YYYY-MM-DD" strings computed in UTC, so no time zone or DST change shifts them.
 */

export type Day = string;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})/;
const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

function utc(day: Day): Date {
  const match = DAY_PATTERN.exec(day);
  if (!match) throw new Error(`Not a day: '${day}'`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

function dayOfUtc(date: Date): Day {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: Day, days: number): Day {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + days);
  return dayOfUtc(date);
}

export function daysBetween(from: Day, to: Day): number {
  return Math.round((utc(to).getTime() - utc(from).getTime()) / 86_400_000);
}

/** The local calendar day of a moment. */
export function localDay(date: Date): Day {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

/** "YYYY-MM" when `value` is one, else null. */
export function parseMonth(value: string | null | undefined): string | null {
  return value && MONTH_PATTERN.test(value) ? value : null;
}

export function monthOf(day: Day): string {
  return day.slice(0, 7);
}

export function addMonths(month: string, months: number): string {
  const [year, index] = month.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(year, index - 1 + months, 1));
  return dayOfUtc(date).slice(0, 7);
}

/** The weeks (Monday to Sunday) that show `month`: from the Monday on or before the 1st to the Sunday on or after its last day. */
export function monthWeeks(month: string): Day[][] {
  const first = `${month}-01`;
  const mondayOffset = (utc(first).getUTCDay() + 6) % 7;
  const start = addDays(first, -mondayOffset);
  const last = addDays(`${addMonths(month, 1)}-01`, -1);
  const weeks: Day[][] = [];
  for (let day = start; day <= last; day = addDays(day, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, index) => addDays(day, index)));
  }
  return weeks;
}

type DateField = Pick<FieldDef, "name" | "type">;

/** The day a stored date or date-time value falls on (date-times in local time), or null. */
export function dayOfValue(field: DateField, value: unknown): Day | null {
  if (value === null || value === undefined || value === "") return null;
  if (field.type === "datetime") {
    const date = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(date.getTime()) ? null : localDay(date);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : dayOfUtc(value);
  const match = DAY_PATTERN.exec(String(value));
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** The first and last day a record covers: its start, to its end when that is a later day. */
export function recordSpan(record: Record<string, unknown>, start: DateField, end?: DateField): { first: Day; last: Day } | null {
  const first = dayOfValue(start, record[start.name]);
  if (!first) return null;
  const endDay = end ? dayOfValue(end, record[end.name]) : null;
  return { first, last: endDay && endDay > first ? endDay : first };
}

/** A filter bound for the start of `day` on a field: the day itself, or local midnight as ISO for date-times. */
function bound(field: DateField, day: Day): string {
  if (field.type !== "datetime") return day;
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, date).toISOString();
}

/** Where `field` falls within [first, last] (whole days). */
function within(field: DateField, first: Day, last: Day): Filter {
  return { and: [{ field: field.name, operator: ">=", value: bound(field, first) }, { field: field.name, operator: "<", value: bound(field, addDays(last, 1)) }] };
}

/**
 * Records that show between `first` and `last`: starting in the range, or (with an end field)
 * starting before it and ending in or after it. AND the view's own filter.
 */
export function visibleRangeFilter(viewFilter: Filter | undefined, start: DateField, end: DateField | undefined, first: Day, last: Day): Filter {
  let range: Filter = within(start, first, last);
  if (end) {
    range = {
      or: [
        range,
        { and: [{ field: start.name, operator: "<", value: bound(start, first) }, { field: end.name, operator: ">=", value: bound(end, first) }] },
      ],
    };
  }
  return viewFilter ? { and: [viewFilter, range] } : range;
}

/** A stored value moved by whole days: a date as a day, a date-time keeping its local time of day. */
export function shiftValue(field: DateField, value: unknown, days: number): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (field.type === "datetime") {
    const date = new Date(value instanceof Date ? value.getTime() : String(value));
    if (Number.isNaN(date.getTime())) return null;
    date.setDate(date.getDate() + days);
    return date.toISOString();
  }
  const day = dayOfValue(field, value);
  return day ? addDays(day, days) : null;
}

/** The values that reschedule a record by `days`: its start, and its end (keeping the duration). */
export function rescheduleValues(record: Record<string, unknown>, start: DateField, end: DateField | undefined, days: number): Record<string, unknown> {
  const values: Record<string, unknown> = { [start.name]: shiftValue(start, record[start.name], days) };
  if (end) {
    const shifted = shiftValue(end, record[end.name], days);
    if (shifted !== null) values[end.name] = shifted;
  }
  return values;
}

/** The local time of a date-time value as "14:30" (for the entry's label), or null. */
export function timeOfDay(value: unknown): string | null {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return null;
  return date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
