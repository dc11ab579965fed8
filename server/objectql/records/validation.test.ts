import { describe, expect, it } from "vitest";
import { ObjectQLError } from "../errors";
import { isValidDate, validateRecordInput } from "./validation";
import { defineObject } from "../test-support/fixtures";

const lead = defineObject({
  name: "lead",
  label: "Lead",
  pluralLabel: "Leads",
  fields: [
    { id: "1", name: "name", label: "Name", type: "text", required: true, maxLength: 5 },
    { id: "2", name: "email", label: "Email", type: "email" },
    { id: "3", name: "site", label: "Site", type: "url" },
    { id: "4", name: "score", label: "Score", type: "number", min: 0, max: 10, scale: 1 },
    { id: "5", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }], defaultValue: "open" },
    { id: "6", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }] },
    { id: "7", name: "due", label: "Due", type: "date" },
    { id: "8", name: "at", label: "At", type: "datetime" },
    { id: "9", name: "ok", label: "Ok", type: "boolean" },
    { id: "10", name: "ref", label: "Ref", type: "autonumber" },
  ],
});

function issuesOf(values: Record<string, unknown>, mode: "create" | "update" = "create") {
  try {
    validateRecordInput(lead, values, mode);
  } catch (error) {
    expect(error).toBeInstanceOf(ObjectQLError);
    expect((error as ObjectQLError).code).toBe("BAD_REQUEST");
    return (error as ObjectQLError).issues;
  }
  throw new Error("expected validation to fail");
}

describe("validateRecordInput", () => {
  it("normalises valid input and applies defaults on create", () => {
    expect(validateRecordInput(lead, { name: "Ann", score: 3.1, at: "2024-05-01T09:30:00+02:00", email: "", tags: ["a", "a"] }, "create").values).toEqual({
      name: "Ann", score: 3.1, stage: "open", at: "2024-05-01T07:30:00.000Z", email: null, tags: ["a"],
    });
  });

  it("refuses more decimals than the field's scale instead of rounding, but drops binary noise", () => {
    expect(issuesOf({ name: "Ann", score: 3.14 })).toEqual([{ path: ["score"], message: "Field 'score' must have at most 1 decimal place (got 3.14)" }]);
    // 0.1 + 0.2 is 0.30000000000000004 in binary: no decimal the caller meant.
    expect(validateRecordInput(lead, { name: "Ann", score: 0.1 + 0.2 }, "create").values.score).toBe(0.3);
  });

  it("refuses a currency too large for its column (18 digits), naming the rule", () => {
    const priced = defineObject({ name: "priced", label: "Priced", pluralLabel: "Priced", fields: [{ id: "1", name: "price", label: "Price", type: "currency", scale: 2 }] });
    expect(() => validateRecordInput(priced, { price: 2.4e112 }, "create")).toThrow("Field 'price' must be less than 10^16 in size (a currency holds 18 digits, 2 after the point)");
    expect(validateRecordInput(priced, { price: 9_999_999_999_999.99 }, "create").values.price).toBe(9_999_999_999_999.99);
  });

  it("refuses text that is not well-formed Unicode or holds a NUL, in text, lookups and JSON alike", () => {
    expect(issuesOf({ name: "a\ud800" })).toEqual([{ path: ["name"], message: "Field 'name' contains an unpaired surrogate (invalid UTF-16): send well-formed Unicode text" }]);
    expect(issuesOf({ name: "a\u0000b" })).toEqual([{ path: ["name"], message: "Field 'name' contains a NUL character (U+0000), which text cannot hold" }]);
    expect(validateRecordInput(lead, { name: "😀" }, "create").values.name).toBe("😀");
  });

  it("reports every problem with its field", () => {
    expect(
      issuesOf({
        name: "Too long", email: "nope", site: "ftp://x", score: 11, stage: "lost", tags: ["z"], due: "2024-02-30",
        at: "yesterday", ok: "yes", ref: "R-1", id: "x", extra: 1,
      }),
    ).toEqual([
      { path: ["ref"], message: "Field 'ref' is an autonumber: it is generated automatically and cannot be written" },
      { path: ["id"], message: "Field 'id' is a system field and cannot be written" },
      { path: ["extra"], message: "Unknown field 'extra' on object 'lead'" },
      { path: ["name"], message: "Field 'name' must be at most 5 characters (got 8)" },
      { path: ["email"], message: "Field 'email' must be a valid email address" },
      { path: ["site"], message: "Field 'site' must be a valid http(s) URL" },
      { path: ["score"], message: "Field 'score' must be at most 10" },
      { path: ["stage"], message: "Field 'stage' must be one of: 'open', 'won' (got 'lost')" },
      { path: ["tags"], message: "Field 'tags' contains 'z', allowed values are: 'a'" },
      { path: ["due"], message: "Field 'due' must be a date as YYYY-MM-DD" },
      { path: ["at"], message: "Field 'at' must be an ISO 8601 date-time such as 2024-05-01T09:30:00Z" },
      { path: ["ok"], message: "Field 'ok' must be true or false" },
    ]);
  });

  it("requires required fields on create, and refuses clearing them on update", () => {
    expect(issuesOf({})).toEqual([{ path: ["name"], message: "Field 'name' is required" }]);
    expect(issuesOf({ name: "  " })).toEqual([{ path: ["name"], message: "Field 'name' is required" }]);
    expect(issuesOf({ name: null }, "update")).toEqual([{ path: ["name"], message: "Field 'name' is required" }]);
    expect(validateRecordInput(lead, { score: 2 }, "update").values).toEqual({ score: 2 });
  });

  it("accepts only JS numbers for numeric fields", () => {
    expect(issuesOf({ name: "a", score: "5" })).toEqual([{ path: ["score"], message: "Field 'score' must be a number" }]);
    expect(issuesOf({ name: "a", score: Number.NaN })).toEqual([{ path: ["score"], message: "Field 'score' must be a number" }]);
  });
});

describe("isValidDate", () => {
  it("accepts real calendar dates only, leap years included", () => {
    for (const date of ["2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01", "2026-04-30"]) expect(isValidDate(date), date).toBe(true);
    for (const date of ["2023-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "26-01-01", "2026-01-01T00:00"]) {
      expect(isValidDate(date), date).toBe(false);
    }
  });
});
