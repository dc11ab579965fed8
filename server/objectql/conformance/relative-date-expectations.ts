/**
 * What each relative date value means at CONFORMANCE_NOW (Wednesday 2026-03-18, 15:30 UTC),
 * written out by hand from a calendar: the first and the last day that match. The conformance
 * data gets rows on, and just outside, each of these edges, and the cases filter by each value.
 */
export const RANGES_AT_CONFORMANCE_NOW: readonly (readonly [value: string, first: string, last: string])[] = [
  ["TODAY", "2026-03-18", "2026-03-18"],
  ["YESTERDAY", "2026-03-17", "2026-03-17"],
  ["TOMORROW", "2026-03-19", "2026-03-19"],
  ["THIS_WEEK", "2026-03-16", "2026-03-22"],
  ["LAST_WEEK", "2026-03-09", "2026-03-15"],
  ["NEXT_WEEK", "2026-03-23", "2026-03-29"],
  ["THIS_MONTH", "2026-03-01", "2026-03-31"],
  ["LAST_MONTH", "2026-02-01", "2026-02-28"],
  ["NEXT_MONTH", "2026-04-01", "2026-04-30"],
  ["THIS_QUARTER", "2026-01-01", "2026-03-31"],
  ["LAST_QUARTER", "2025-10-01", "2025-12-31"],
  ["NEXT_QUARTER", "2026-04-01", "2026-06-30"],
  ["THIS_YEAR", "2026-01-01", "2026-12-31"],
  ["LAST_YEAR", "2025-01-01", "2025-12-31"],
  ["NEXT_YEAR", "2027-01-01", "2027-12-31"],
  ["LAST_N_DAYS:0", "2026-03-18", "2026-03-18"],
  ["LAST_N_DAYS:1", "2026-03-17", "2026-03-18"],
  ["LAST_N_DAYS:7", "2026-03-11", "2026-03-18"],
  ["LAST_N_DAYS:30", "2026-02-16", "2026-03-18"],
  ["LAST_N_DAYS:60", "2026-01-17", "2026-03-18"],
  ["LAST_N_DAYS:365", "2025-03-18", "2026-03-18"],
  ["NEXT_N_DAYS:0", "2026-03-18", "2026-03-18"],
  ["NEXT_N_DAYS:1", "2026-03-18", "2026-03-19"],
  ["NEXT_N_DAYS:14", "2026-03-18", "2026-04-01"],
  ["NEXT_N_DAYS:45", "2026-03-18", "2026-05-02"],
];
