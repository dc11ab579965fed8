import { describe, expect, it } from "vitest";
import { addMonths, dayOfValue, monthWeeks, parseMonth, recordSpan, rescheduleValues, shiftValue, visibleRangeFilter } from "./view-calendar-model";

const closeDate = { name: "close_date", type: "date" as const };
const startsAt = { name: "starts_at", type: "datetime" as const };
const endsAt = { name: "ends_at", type: "datetime" as const };

describe("calendar model", () => {
  it("shows whole weeks from Monday to Sunday around the month", () => {
    const weeks = monthWeeks("2026-11");
    expect(weeks[0]![0]).toBe("2026-10-26");
    expect(weeks.at(-1)!.at(-1)).toBe("2026-12-06");
    expect(weeks).toHaveLength(6);
    // February 2027 starts on a Monday and ends on a Sunday: exactly four weeks.
    expect(monthWeeks("2027-02").map((week) => week[0])).toEqual(["2027-02-01", "2027-02-08", "2027-02-15", "2027-02-22"]);
  });

  it("steps months across years and reads only valid months", () => {
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(parseMonth("2026-13")).toBeNull();
    expect(parseMonth("2026-05")).toBe("2026-05");
  });

  it("places dates as stored and date-times on their local day, spanning to the end", () => {
    expect(dayOfValue(closeDate, "2026-05-31")).toBe("2026-05-31");
    const local = new Date(2026, 4, 31, 23, 30);
    expect(dayOfValue(startsAt, local.toISOString())).toBe("2026-05-31");
    expect(recordSpan({ starts_at: new Date(2026, 4, 3, 9).toISOString(), ends_at: new Date(2026, 4, 5, 17).toISOString() }, startsAt, endsAt)).toEqual({ first: "2026-05-03", last: "2026-05-05" });
    expect(recordSpan({ close_date: null }, closeDate)).toBeNull();
  });

  it("loads the visible range, including records that started before it and end inside it", () => {
    expect(visibleRangeFilter(undefined, closeDate, undefined, "2026-10-26", "2026-12-06")).toEqual({
      and: [{ field: "close_date", operator: ">=", value: "2026-10-26" }, { field: "close_date", operator: "<", value: "2026-12-07" }],
    });
    const withEnd = visibleRangeFilter({ field: "stage", operator: "=", value: "open" }, startsAt, endsAt, "2026-10-26", "2026-12-06");
    expect(withEnd).toMatchObject({ and: [{ field: "stage" }, { or: [{ and: [{ operator: ">=" }, { operator: "<" }] }, { and: [{ field: "starts_at", operator: "<" }, { field: "ends_at", operator: ">=" }] }] }] });
  });

  it("moves a record by whole days, keeping a date-time's local time and the duration", () => {
    expect(shiftValue(closeDate, "2026-02-27", 3)).toBe("2026-03-02");
    const start = new Date(2026, 2, 27, 14, 45);
    const moved = new Date(shiftValue(startsAt, start.toISOString(), 3)!);
    expect([moved.getDate(), moved.getHours(), moved.getMinutes()]).toEqual([30, 14, 45]);
    const values = rescheduleValues({ starts_at: start.toISOString(), ends_at: null }, startsAt, endsAt, 1);
    expect(Object.keys(values)).toEqual(["starts_at"]);
  });
});
