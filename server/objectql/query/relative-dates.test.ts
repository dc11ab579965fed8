import { describe, expect, it } from "vitest";
import { isRelativeDateValue } from "@/spec/query";
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
