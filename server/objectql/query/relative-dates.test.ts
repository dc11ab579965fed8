import { describe, expect, it } from "vitest";
import { RELATIVE_DATE_KEYWORDS, isRelativeDateValue } from "@/spec/query";
import { bucketStart, relativeDateRange } from "./relative-dates";

describe("relative dates", () => {
  // A Sunday late in the day, at a year boundary's quarter: the edges most likely to go wrong.
  const sunday = new Date("2026-01-04T23:59:59.000Z");

  it("turns each keyword into a [start, end) range of days in UTC, weeks starting Monday", () => {
    expect(relativeDateRange("TODAY", sunday)).toEqual({ start: "2026-01-04", end: "2026-01-05" });
    expect(relativeDateRange("YESTERDAY", sunday)).toEqual({ start: "2026-01-03", end: "2026-01-04" });
    expect(relativeDateRange("TOMORROW", sunday)).toEqual({ start: "2026-01-05", end: "2026-01-06" });
    expect(relativeDateRange("THIS_WEEK", sunday)).toEqual({ start: "2025-12-29", end: "2026-01-05" });
    expect(relativeDateRange("LAST_WEEK", sunday)).toEqual({ start: "2025-12-22", end: "2025-12-29" });
    expect(relativeDateRange("THIS_MONTH", sunday)).toEqual({ start: "2026-01-01", end: "2026-02-01" });
    expect(relativeDateRange("LAST_MONTH", sunday)).toEqual({ start: "2025-12-01", end: "2026-01-01" });
    expect(relativeDateRange("THIS_QUARTER", sunday)).toEqual({ start: "2026-01-01", end: "2026-04-01" });
    expect(relativeDateRange("LAST_QUARTER", sunday)).toEqual({ start: "2025-10-01", end: "2026-01-01" });
    expect(relativeDateRange("THIS_YEAR", sunday)).toEqual({ start: "2026-01-01", end: "2027-01-01" });
    expect(relativeDateRange("LAST_YEAR", sunday)).toEqual({ start: "2025-01-01", end: "2026-01-01" });
    expect(relativeDateRange("LAST_N_DAYS:7", sunday)).toEqual({ start: "2025-12-28", end: "2026-01-05" });
    expect(relativeDateRange("NEXT_N_DAYS:3", sunday)).toEqual({ start: "2026-01-04", end: "2026-01-08" });
    expect(relativeDateRange("2026-01-04", sunday)).toBeNull();
  });

  it("gives every keyword and day count its range on a leap-year Thursday at midnight", () => {
    // Thursday 2024-02-29, written out from a calendar: ranges are [start, end).
    const leapDay = new Date("2024-02-29T00:00:00.000Z");
    const expected: Record<string, [string, string]> = {
      TODAY: ["2024-02-29", "2024-03-01"],
      YESTERDAY: ["2024-02-28", "2024-02-29"],
      TOMORROW: ["2024-03-01", "2024-03-02"],
      THIS_WEEK: ["2024-02-26", "2024-03-04"],
      LAST_WEEK: ["2024-02-19", "2024-02-26"],
      NEXT_WEEK: ["2024-03-04", "2024-03-11"],
      THIS_MONTH: ["2024-02-01", "2024-03-01"],
      LAST_MONTH: ["2024-01-01", "2024-02-01"],
      NEXT_MONTH: ["2024-03-01", "2024-04-01"],
      THIS_QUARTER: ["2024-01-01", "2024-04-01"],
      LAST_QUARTER: ["2023-10-01", "2024-01-01"],
      NEXT_QUARTER: ["2024-04-01", "2024-07-01"],
      THIS_YEAR: ["2024-01-01", "2025-01-01"],
      LAST_YEAR: ["2023-01-01", "2024-01-01"],
      NEXT_YEAR: ["2025-01-01", "2026-01-01"],
      "LAST_N_DAYS:0": ["2024-02-29", "2024-03-01"],
      "LAST_N_DAYS:1": ["2024-02-28", "2024-03-01"],
      "LAST_N_DAYS:29": ["2024-01-31", "2024-03-01"],
      "LAST_N_DAYS:366": ["2023-02-28", "2024-03-01"],
      "NEXT_N_DAYS:0": ["2024-02-29", "2024-03-01"],
      "NEXT_N_DAYS:1": ["2024-02-29", "2024-03-02"],
      "NEXT_N_DAYS:31": ["2024-02-29", "2024-04-01"],
    };
    for (const [value, [start, end]] of Object.entries(expected)) expect([value, relativeDateRange(value, leapDay)]).toEqual([value, { start, end }]);
    expect(RELATIVE_DATE_KEYWORDS.filter((keyword) => !(keyword in expected))).toEqual([]);
  });

  it("rolls NEXT_* over the end of a year", () => {
    const newYearsEve = new Date("2025-12-31T23:59:59.999Z"); // a Wednesday
    expect(relativeDateRange("NEXT_WEEK", newYearsEve)).toEqual({ start: "2026-01-05", end: "2026-01-12" });
    expect(relativeDateRange("NEXT_MONTH", newYearsEve)).toEqual({ start: "2026-01-01", end: "2026-02-01" });
    expect(relativeDateRange("NEXT_QUARTER", newYearsEve)).toEqual({ start: "2026-01-01", end: "2026-04-01" });
    expect(relativeDateRange("NEXT_YEAR", newYearsEve)).toEqual({ start: "2026-01-01", end: "2027-01-01" });
    expect(relativeDateRange("TOMORROW", newYearsEve)).toEqual({ start: "2026-01-01", end: "2026-01-02" });
  });

  it("recognises only the documented values", () => {
    expect(["TODAY", "THIS_QUARTER", "LAST_N_DAYS:30", "NEXT_N_DAYS:0"].every(isRelativeDateValue)).toBe(true);
    expect(["today", "LAST_N_DAYS", "LAST_N_DAYS:-1", "LAST_N_DAYS:x", "2026-01-01", 5].some(isRelativeDateValue)).toBe(false);
  });

  it("gives the first day of each bucket", () => {
    expect(bucketStart("2026-01-04", "week")).toBe("2025-12-29");
    expect(bucketStart("2026-01-05", "week")).toBe("2026-01-05");
    expect(bucketStart("2026-08-19", "quarter")).toBe("2026-07-01");
    expect(bucketStart("2026-08-19", "month")).toBe("2026-08-01");
    expect(bucketStart("2026-08-19", "year")).toBe("2026-01-01");
    expect(bucketStart("2026-08-19", "day")).toBe("2026-08-19");
  });
});
