import { describe, expect, it } from "vitest";
import { cronProblem, isTimeZone, nextCronTime, nextCronTimes } from "./cron";
import { jsonTextProblem, textProblem } from "./text";
import { datasourceSchema, datasourceUrlMatches } from "./datasource";

/**
 * The spec's own checks that other layers call (schedules, text that can be stored, data source
 * definitions), tested where they live (issue 14: the `spec` mutation area runs these tests).
 */

const NUL = "contains a NUL character (U+0000), which text cannot hold";
const SURROGATE = "contains an unpaired surrogate (invalid UTF-16): send well-formed Unicode text";

describe("schedules (cron)", () => {
  it("knows IANA time zones and refuses anything else, empty and overlong names included", () => {
    for (const zone of ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"]) expect(isTimeZone(zone)).toBe(true);
    for (const zone of ["", "Mars/Olympus", "Europe/Berlin ", "x".repeat(65), `Europe/${"B".repeat(60)}`]) expect(isTimeZone(zone)).toBe(false);
  });

  it("takes five fields, however spaced, and says what is wrong with anything else", () => {
    expect(cronProblem("0 8 * * 1-5")).toBeNull();
    expect(cronProblem("  */15   9-17 1,15 * *  ")).toBeNull();
    expect(cronProblem("0 8 * *")).toBe("must have 5 fields (minute, hour, day of month, month, day of week), not 4: for example '0 8 * * 1-5' is 8:00 on weekdays");
    expect(cronProblem("0 0 8 * * 1")).toMatch(/^must have 5 fields .*, not 6:/);
    expect(cronProblem("")).toMatch(/, not 0:/);
    expect(cronProblem("61 8 * * *")).toMatch(/^is not a valid schedule: /);
    expect(cronProblem("0 8 * * funday")).toMatch(/^is not a valid schedule: /);
  });

  it("gives the next times in the schedule's time zone, strictly after the given time", () => {
    // 08:00 in Berlin is 07:00 UTC in winter (CET), 06:00 UTC in summer (CEST).
    expect(nextCronTime("0 8 * * *", "Europe/Berlin", new Date("2026-12-07T06:59:00Z")).toISOString()).toBe("2026-12-07T07:00:00.000Z");
    expect(nextCronTime("0 8 * * *", "Europe/Berlin", new Date("2026-12-07T07:00:00Z")).toISOString()).toBe("2026-12-08T07:00:00.000Z");
    expect(nextCronTime(" 0 8 * * * ", "Europe/Berlin", new Date("2026-07-01T00:00:00Z")).toISOString()).toBe("2026-07-01T06:00:00.000Z");
    // Weekdays only, across a weekend (2026-12-11 is a Friday).
    expect(nextCronTimes("30 9 * * 1-5", "UTC", new Date("2026-12-11T10:00:00Z"), 3).map((date) => date.toISOString())).toEqual([
      "2026-12-14T09:30:00.000Z", "2026-12-15T09:30:00.000Z", "2026-12-16T09:30:00.000Z",
    ]);
    expect(nextCronTimes("0 0 * * *", "UTC", new Date("2026-12-07T00:00:00Z"), 0)).toEqual([]);
  });
});

describe("text the platform stores", () => {
  it("takes well-formed Unicode, and names a lone surrogate or a NUL", () => {
    for (const text of ["", "plain", "emoji 😀 and 中文", "\u0001 control is fine"]) expect(textProblem(text)).toBeNull();
    expect(textProblem("half \uD83D pair")).toBe(SURROGATE);
    expect(textProblem("trailing \uDE00")).toBe(SURROGATE);
    expect(textProblem("cut\u0000short")).toBe(NUL);
  });

  it("finds the same in any string of a JSON value, from the text JSON.stringify makes", () => {
    for (const value of [{ a: "😀" }, ["x", { y: "\u0001" }], "plain", 12]) expect(jsonTextProblem(JSON.stringify(value))).toBeNull();
    expect(jsonTextProblem(JSON.stringify({ a: ["ok", "bad \uD800"] }))).toBe(SURROGATE);
    expect(jsonTextProblem(JSON.stringify({ a: "bad \uDFFF" }))).toBe(SURROGATE);
    expect(jsonTextProblem(JSON.stringify({ nested: { k: "a\u0000b" } }))).toBe(NUL);
    // An escaped backslash before "u0000" is the text \u0000 (six characters), which is fine...
    expect(jsonTextProblem(JSON.stringify({ a: "\\u0000 and \\ud800" }))).toBeNull();
    // ...but one more backslash before it escapes a real NUL again.
    expect(jsonTextProblem(String.raw`{"a":"\\\u0000"}`)).toBe(NUL);
    // Upper-case hex digits are read too.
    expect(jsonTextProblem(String.raw`{"a":"\uD9FF"}`)).toBe(SURROGATE);
  });
});

describe("data source definitions", () => {
  const base = { name: "depot", label: "Depot" };
  const issues = (input: Record<string, unknown>) => {
    const parsed = datasourceSchema.safeParse({ ...base, ...input });
    return parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]);
  };

  it("matches each driver's URL form", () => {
    expect(datasourceUrlMatches("postgres", "postgres://u@h:5432/db")).toBe(true);
    expect(datasourceUrlMatches("postgres", "postgresql://h/db")).toBe(true);
    expect(datasourceUrlMatches("postgres", "mysql://h/db")).toBe(false);
    expect(datasourceUrlMatches("mysql", "mariadb://u@h:3306/shop")).toBe(true);
    expect(datasourceUrlMatches("mysql", "mysql://h:3306/")).toBe(false);
    expect(datasourceUrlMatches("sqlite", "file:./data/other.db")).toBe(true);
    expect(datasourceUrlMatches("sqlite", "./data/other.db")).toBe(false);
    expect(datasourceUrlMatches("sqlite", "file:with space.db")).toBe(false);
  });

  it("accepts URLs without secrets and env: references, read-only unless said otherwise", () => {
    expect(datasourceSchema.parse({ ...base, driver: "postgres", url: "postgres://reader@db:5432/erp", schema: "sales" })).toEqual({ ...base, driver: "postgres", url: "postgres://reader@db:5432/erp", schema: "sales", readOnly: true });
    expect(issues({ driver: "mysql", url: "env:SHOP_DB_URL", readOnly: false })).toEqual([]);
    expect(issues({ driver: "sqlite", url: "file:./legacy.db" })).toEqual([]);
  });

  it("refuses passwords in the URL, bad env: names, URLs of another form, and schemas off PostgreSQL, naming the field", () => {
    const secret = "must not contain a password (definitions are stored and exported): put the URL in an environment variable and write env:NAME";
    expect(issues({ driver: "postgres", url: "postgres://u:hunter2@db/erp" })).toEqual([["url", secret]]);
    expect(issues({ driver: "postgres", url: "postgres://u@db/erp?sslpassword=x" })).toEqual([["url", secret]]);
    expect(issues({ driver: "mysql", url: "mysql://u@db/shop?PWD=x" })).toEqual([["url", secret]]);
    expect(issues({ driver: "postgres", url: "env:lower_case" })).toEqual([["url", "must be env:NAME with NAME an environment variable (A-Z, 0-9, _)"]]);
    expect(issues({ driver: "postgres", url: "env:" })).toEqual([["url", "must be env:NAME with NAME an environment variable (A-Z, 0-9, _)"]]);
    expect(issues({ driver: "mysql", url: "postgres://db/erp" })).toEqual([["url", "must be a mysql URL such as mysql://user:password@host:3306/database"]]);
    expect(issues({ driver: "sqlite", url: "not a url" })).toEqual([["url", "must be a sqlite URL such as file:./data/other.db"]]);
    expect(issues({ driver: "mysql", url: "mysql://db/shop", schema: "sales" })).toEqual([["schema", "only PostgreSQL data sources have a schema"]]);
    expect(issues({ driver: "postgres", url: "postgres://db/erp", schema: "1bad" })).toEqual([["schema", "must be a plain schema name"]]);
  });
});
