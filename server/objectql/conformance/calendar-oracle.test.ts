import { describe, expect, it } from "vitest";
import { RELATIVE_DATE_KEYWORDS } from "@/spec/query";
import { calendarBucket, calendarRange } from "./calendar-oracle";
import { CONFORMANCE_NOW } from "./data-generator";
import { RANGES_AT_CONFORMANCE_NOW } from "./relative-date-expectations";

// The oracle's calendar against dates written out by hand, so the oracle is itself checked.
describe("the conformance oracle's calendar", () => {
  it("gives the hand-written range of every value at CONFORMANCE_NOW", () => {
    for (const [value, first, last] of RANGES_AT_CONFORMANCE_NOW) expect([value, calendarRange(value, CONFORMANCE_NOW)]).toEqual([value, { first, last }]);
  });

  it("the hand-written table names every keyword the spec accepts, and both day counts", () => {
    const values = RANGES_AT_CONFORMANCE_NOW.map(([value]) => value);
    expect(RELATIVE_DATE_KEYWORDS.filter((keyword) => !values.includes(keyword))).toEqual([]);
    expect(values.some((value) => value.startsWith("LAST_N_DAYS:"))).toBe(true);
    expect(values.some((value) => value.startsWith("NEXT_N_DAYS:"))).toBe(true);
  });

  it("crosses year ends, leap days and week edges", () => {
    const newYearsEve = new Date("2024-12-31T23:59:59.999Z"); // a Tuesday
    expect(calendarRange("TOMORROW", newYearsEve)).toEqual({ first: "2025-01-01", last: "2025-01-01" });
    expect(calendarRange("THIS_WEEK", newYearsEve)).toEqual({ first: "2024-12-30", last: "2025-01-05" });
    expect(calendarRange("NEXT_MONTH", newYearsEve)).toEqual({ first: "2025-01-01", last: "2025-01-31" });
    expect(calendarRange("NEXT_QUARTER", newYearsEve)).toEqual({ first: "2025-01-01", last: "2025-03-31" });
    expect(calendarRange("LAST_N_DAYS:366", newYearsEve)).toEqual({ first: "2023-12-31", last: "2024-12-31" });
    const leapDay = new Date("2024-02-29T00:00:00.000Z"); // a Thursday
    expect(calendarRange("THIS_MONTH", leapDay)).toEqual({ first: "2024-02-01", last: "2024-02-29" });
    expect(calendarRange("NEXT_N_DAYS:1", leapDay)).toEqual({ first: "2024-02-29", last: "2024-03-01" });
    expect(calendarRange("LAST_WEEK", leapDay)).toEqual({ first: "2024-02-19", last: "2024-02-25" });
    expect(calendarRange("LAST_QUARTER", leapDay)).toEqual({ first: "2023-10-01", last: "2023-12-31" });
    const sunday = new Date("2026-01-04T12:00:00.000Z");
    expect(calendarRange("THIS_WEEK", sunday)).toEqual({ first: "2025-12-29", last: "2026-01-04" });
    expect(calendarRange("2026-01-04", sunday)).toBeNull();
  });

  it("puts a day in its bucket", () => {
    expect(calendarBucket("2026-01-04", "week")).toBe("2025-12-29");
    expect(calendarBucket("2026-01-05T10:00:00.000Z", "week")).toBe("2026-01-05");
    expect(calendarBucket("2024-03-01", "week")).toBe("2024-02-26");
    expect(calendarBucket("2026-12-31", "quarter")).toBe("2026-10-01");
    expect(calendarBucket("2026-08-19", "month")).toBe("2026-08-01");
    expect(calendarBucket("2026-08-19", "year")).toBe("2026-01-01");
    expect(calendarBucket("2026-08-19T23:00:00.000Z", "day")).toBe("2026-08-19");
  });
});
