import cronParser from "cron-parser";

/**
 * Schedules of scheduled flows: five-field cron (minute hour day-of-month month day-of-week, as
 * crontab(5) and pg-boss read it) in an IANA time zone. cron-parser (the library pg-boss's own
 * scheduler uses) reads the expression; it also accepts a sixth field for seconds and silently
 * fills a missing one, so the field count is checked here first.
 */

export const CRON_FIELDS = ["minute", "hour", "day of month", "month", "day of week"] as const;

/** Whether `timezone` is a time zone this runtime knows (`UTC`, `Europe/Berlin`). */
export function isTimeZone(timezone: string): boolean {
  if (timezone.length === 0 || timezone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a cron expression, in words, or null when it is a valid five-field one. */
export function cronProblem(cron: string): string | null {
  const fields = cron.trim().split(/\s+/).filter((field) => field !== "");
  if (fields.length !== CRON_FIELDS.length) {
    return `must have ${CRON_FIELDS.length} fields (${CRON_FIELDS.join(", ")}), not ${fields.length}: for example '0 8 * * 1-5' is 8:00 on weekdays`;
  }
  try {
    cronParser.parseExpression(fields.join(" "), { tz: "UTC" }).next();
    return null;
  } catch (error) {
    return `is not a valid schedule: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The first time after `after` the schedule fires (the expression must be valid). */
export function nextCronTime(cron: string, timezone: string, after: Date): Date {
  return cronParser.parseExpression(cron.trim(), { tz: timezone, currentDate: after }).next().toDate();
}

/** The next `count` times after `after` (the designer shows them under the schedule). */
export function nextCronTimes(cron: string, timezone: string, after: Date, count: number): Date[] {
  const times: Date[] = [];
  let from = after;
  for (let index = 0; index < count; index++) {
    from = nextCronTime(cron, timezone, from);
    times.push(from);
  }
  return times;
}
