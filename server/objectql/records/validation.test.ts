import { describe, expect, it } from "vitest";
import { ObjectQLError } from "../errors";
import { isValidDate, normaliseDateTime, validateRecordInput } from "./validation";
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

/** One field of each kind the refusals below need, none required (issue 14: the mutation run's survivors). */
const every = defineObject({
  name: "every",
  label: "Every",
  pluralLabel: "Every",
  fields: [
    { id: "1", name: "title", label: "Title", type: "text" },
    { id: "2", name: "notes", label: "Notes", type: "textarea", maxLength: 4 },
    { id: "3", name: "email", label: "Email", type: "email" },
    { id: "4", name: "site", label: "Site", type: "url" },
    { id: "5", name: "phone", label: "Phone", type: "phone" },
    { id: "6", name: "whole", label: "Whole", type: "number", scale: 0, min: -5, max: 5 },
    { id: "7", name: "cents", label: "Cents", type: "number", scale: 2 },
    { id: "8", name: "big", label: "Big", type: "currency", scale: 0 },
    { id: "9", name: "price", label: "Price", type: "currency", scale: 2 },
    { id: "10", name: "rate", label: "Rate", type: "percent", scale: 1 },
    { id: "11", name: "ok", label: "Ok", type: "boolean" },
    { id: "12", name: "due", label: "Due", type: "date" },
    { id: "13", name: "at", label: "At", type: "datetime" },
    { id: "14", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }] },
    { id: "15", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] },
    { id: "16", name: "company", label: "Company", type: "lookup", reference: "company" },
    { id: "17", name: "parent", label: "Parent", type: "master_detail", reference: "company" },
    { id: "18", name: "data", label: "Data", type: "json" },
    { id: "19", name: "number", label: "Number", type: "autonumber", format: "E-{0}", startAt: 1 },
    { id: "20", name: "shout", label: "Shout", type: "formula", returnType: "text", expression: "UPPER(title)" },
  ],
});

/** The values `values` are stored as (update: the master-detail field is required on create). */
function stored(values: Record<string, unknown>, mode: "create" | "update" = "update") {
  return validateRecordInput(every, values, mode).values;
}

/** The one message refusing `values`, checked to name the field's path. */
function refusal(values: Record<string, unknown>): string {
  try {
    validateRecordInput(every, values, "update");
  } catch (error) {
    expect(error).toBeInstanceOf(ObjectQLError);
    const issues = (error as ObjectQLError).issues!;
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toEqual([Object.keys(values)[0]]);
    return issues[0].message;
  }
  throw new Error(`expected ${JSON.stringify(values)} to be refused`);
}

describe("validateRecordInput, field by field", () => {
  it("refuses values that are not a record, naming the object", () => {
    for (const values of [null, [], "name", 5]) {
      let error: unknown;
      try {
        validateRecordInput(every, values as unknown as Record<string, unknown>, "create");
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ObjectQLError);
      expect([(error as ObjectQLError).code, (error as ObjectQLError).message]).toEqual(["BAD_REQUEST", "Record values for object 'every' must be an object"]);
    }
  });

  it("names every issue in the error message and points the error at the first one", () => {
    let error: ObjectQLError | undefined;
    try {
      validateRecordInput(every, { ok: 1, due: 2 }, "update");
    } catch (caught) {
      error = caught as ObjectQLError;
    }
    expect(error?.message).toBe("Invalid record for object 'every': Field 'ok' must be true or false; Field 'due' must be a date as YYYY-MM-DD");
    expect(error?.path).toEqual(["ok"]);
  });

  it("refuses writing computed fields, but takes them left undefined", () => {
    expect(refusal({ shout: "HI" })).toBe("Field 'shout' is a formula field: it is computed and cannot be written");
    expect(refusal({ number: "E-1" })).toBe("Field 'number' is an autonumber: it is generated automatically and cannot be written");
    expect(stored({ shout: undefined, number: undefined, title: "x" })).toEqual({ title: "x" });
  });

  it("checks text lengths: the field's own for text, 2048 for URLs, 255 for email and phone", () => {
    expect(stored({ notes: "abcd" }).notes).toBe("abcd");
    expect(refusal({ notes: "abcde" })).toBe("Field 'notes' must be at most 4 characters (got 5)");
    expect(stored({ title: "x".repeat(255) }).title).toHaveLength(255);
    expect(refusal({ title: "x".repeat(256) })).toBe("Field 'title' must be at most 255 characters (got 256)");
    const url = `https://example.com/${"p".repeat(2028)}`;
    expect(stored({ site: url }).site).toBe(url);
    expect(refusal({ site: `${url}p` })).toBe("Field 'site' must be at most 2048 characters (got 2049)");
    const email = `${"a".repeat(243)}@example.com`;
    expect(stored({ email }).email).toBe(email);
    expect(refusal({ email: `a${email}` })).toBe("Field 'email' must be at most 255 characters (got 256)");
    expect(refusal({ phone: "1".repeat(256) })).toBe("Field 'phone' must be at most 255 characters (got 256)");
    expect(refusal({ title: 5 })).toBe("Field 'title' must be a string");
    expect(refusal({ phone: 5551234 })).toBe("Field 'phone' must be a string");
  });

  it("keeps optional text as typed (blanks included), and reads blank typed fields as no value", () => {
    expect(stored({ title: "", notes: "  " })).toEqual({ title: "", notes: "  " });
    expect(stored({ email: "", site: "", phone: "", stage: "", due: "", at: "", company: "" })).toEqual({
      email: null, site: null, phone: null, stage: null, due: null, at: null, company: null,
    });
    expect(refusal({ parent: "" })).toBe("Field 'parent' is required");
    expect(stored({ whole: null, tags: [], data: null, ok: null, title: null, notes: null })).toEqual({ whole: null, tags: [], data: null, ok: null, title: null, notes: null });
    expect(stored({ email: "  ", site: " ", phone: "\t" })).toEqual({ email: null, site: null, phone: null });
    expect(stored({ tags: null }).tags).toBeNull();
  });

  it("accepts email addresses only as one name, an @ and a dotted domain", () => {
    for (const email of ["ann@example.com", "a.b+c@mail.example.org"]) expect(stored({ email }).email).toBe(email);
    for (const email of ["ann@example", "ann example@x.com", "x ann@example.com", "ann@example.com x", "@example.com", "ann@@example.com", "ann@exa mple.com", "ann@.com"]) {
      expect(refusal({ email }), email).toBe("Field 'email' must be a valid email address");
    }
  });

  it("accepts http(s) URLs only, in any case", () => {
    for (const site of ["https://example.com", "HTTP://EXAMPLE.COM/a?b=c"]) expect(stored({ site }).site).toBe(site);
    for (const site of ["ftp://example.com", "example.com", "http://", "https://exa mple.com", "javascript:alert(1)", "xhttps://example.com"]) {
      expect(refusal({ site }), site).toBe("Field 'site' must be a valid http(s) URL");
    }
  });

  it("accepts phone numbers of 3 to 40 digits, spaces and + ( ) - . /", () => {
    for (const phone of ["+1 (555) 123-4567", "555/123.45", "123", "1".repeat(40)]) expect(stored({ phone }).phone).toBe(phone);
    for (const phone of ["12", "1".repeat(41), "555-CALL", "++1 555", "1+555", "555 x", "x555"]) {
      expect(refusal({ phone }), phone).toBe("Field 'phone' must be a phone number (digits, spaces, + ( ) - .)");
    }
  });

  it("requires a required multiselect to hold a value", () => {
    const tagged = defineObject({ name: "tagged", label: "Tagged", pluralLabel: "Tagged", fields: [{ id: "1", name: "tags", label: "Tags", type: "multiselect", required: true, options: [{ value: "a", label: "A" }] }] });
    for (const tags of [[], null]) expect(() => validateRecordInput(tagged, { tags }, "update"), JSON.stringify(tags)).toThrow("Field 'tags' is required");
    expect(validateRecordInput(tagged, { tags: ["a"] }, "update").values).toEqual({ tags: ["a"] });
  });

  it("reads a date-time without a zone as UTC, whatever the server's time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      expect(stored({ at: "2024-05-01T09:30" }).at).toBe("2024-05-01T09:30:00.000Z");
      expect(stored({ at: "2024-05-01" }).at).toBe("2024-05-01T00:00:00.000Z");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("checks numbers against min and max, bounds included", () => {
    expect(stored({ whole: -5 }).whole).toBe(-5);
    expect(stored({ whole: 5 }).whole).toBe(5);
    expect(refusal({ whole: -6 })).toBe("Field 'whole' must be at least -5");
    expect(refusal({ whole: 6 })).toBe("Field 'whole' must be at most 5");
    expect(refusal({ whole: Number.POSITIVE_INFINITY })).toBe("Field 'whole' must be a number");
  });

  it("names the decimals a field allows: a whole number, one place, n places; it rounds nothing", () => {
    expect(refusal({ whole: 1.5 })).toBe("Field 'whole' must be a whole number (got 1.5)");
    expect(refusal({ rate: 3.16 })).toBe("Field 'rate' must have at most 1 decimal place (got 3.16)");
    expect(refusal({ rate: -3.14 })).toBe("Field 'rate' must have at most 1 decimal place (got -3.14)");
    expect(refusal({ cents: 0.125 })).toBe("Field 'cents' must have at most 2 decimal places (got 0.125)");
    expect(refusal({ cents: 1.006 })).toBe("Field 'cents' must have at most 2 decimal places (got 1.006)");
    expect(stored({ cents: -(0.1 + 0.2), rate: 12.3 })).toEqual({ cents: -0.3, rate: 12.3 });
    // Large amounts keep their cents: the binary noise allowed grows with the value.
    expect(stored({ price: -9_999_999_999_999.99 }).price).toBe(-9_999_999_999_999.99);
    expect(stored({ cents: 123_456_789_012.34 }).cents).toBe(123_456_789_012.34);
  });

  it("refuses currencies of 18 digits or more in all, whatever the sign", () => {
    expect(refusal({ price: 1e16 })).toBe("Field 'price' must be less than 10^16 in size (a currency holds 18 digits, 2 after the point)");
    expect(refusal({ price: -1e16 })).toBe("Field 'price' must be less than 10^16 in size (a currency holds 18 digits, 2 after the point)");
    expect(refusal({ big: 1e18 })).toBe("Field 'big' must be less than 10^18 in size (a currency holds 18 digits, 0 after the point)");
    expect(stored({ big: 1e17 }).big).toBe(1e17);
  });

  it("takes booleans as true and false only", () => {
    expect(stored({ ok: false }).ok).toBe(false);
    expect(stored({ ok: true }).ok).toBe(true);
    expect(refusal({ ok: 0 })).toBe("Field 'ok' must be true or false");
  });

  it("takes dates as YYYY-MM-DD text only", () => {
    expect(stored({ due: "2024-02-29" }).due).toBe("2024-02-29");
    expect(refusal({ due: 20240229 })).toBe("Field 'due' must be a date as YYYY-MM-DD");
  });

  it("normalises date-times to ISO UTC: date only, space separator, zones with and without a colon, Date objects", () => {
    const cases: [unknown, string][] = [
      ["2024-05-01", "2024-05-01T00:00:00.000Z"],
      ["2024-05-01 09:30", "2024-05-01T09:30:00.000Z"],
      ["2024-05-01T09:30:15.5", "2024-05-01T09:30:15.500Z"],
      ["2024-05-01T09:30:00+0200", "2024-05-01T07:30:00.000Z"],
      ["2024-05-01T09:30:00-02:00", "2024-05-01T11:30:00.000Z"],
      ["2024-05-01t09:30:00z", "2024-05-01T09:30:00.000Z"],
      [new Date("2024-05-01T09:30:00Z"), "2024-05-01T09:30:00.000Z"],
    ];
    for (const [at, expected] of cases) expect(stored({ at }).at, String(at)).toBe(expected);
    for (const at of ["2024-05-01T25:00", "2024-13-01", "2024-02-30T10:00:00Z", "2024-05-01T09", "x2024-05-01", "2024-05-01T09:30x", "2024-05-01T09:30:00+2", 1714555800000]) {
      expect(refusal({ at }), String(at)).toBe("Field 'at' must be an ISO 8601 date-time such as 2024-05-01T09:30:00Z");
    }
  });

  it("lists a select's options when the value is not a string", () => {
    expect(refusal({ stage: 1 })).toBe("Field 'stage' must be a string, one of: 'open', 'won'");
    expect(stored({ stage: "won" }).stage).toBe("won");
  });

  it("takes multiselects as lists of option values, naming every value it refuses", () => {
    expect(refusal({ tags: "a" })).toBe("Field 'tags' must be a list of values from: 'a', 'b'");
    expect(refusal({ tags: ["a", 1] })).toBe("Field 'tags' must be a list of values from: 'a', 'b'");
    expect(refusal({ tags: ["a", "x", "y"] })).toBe("Field 'tags' contains 'x', 'y', allowed values are: 'a', 'b'");
    expect(stored({ tags: ["b", "a", "b"] }).tags).toEqual(["b", "a"]);
  });

  it("takes lookups as an id or an { id } object, ids of 1 to 100 characters", () => {
    expect(stored({ company: { id: "c-1" }, parent: "p-1" })).toEqual({ company: "c-1", parent: "p-1" });
    expect(stored({ company: "x".repeat(100) }).company).toHaveLength(100);
    for (const company of ["x".repeat(101), 5, { name: "c-1" }, { id: "" }, { id: 5 }, "a\u0000b", "a\ud800", true]) {
      expect(refusal({ company }), JSON.stringify(company)).toBe("Field 'company' must be the id of a 'company' record");
    }
    expect(refusal({ parent: { id: null } })).toBe("Field 'parent' must be the id of a 'company' record");
  });

  it("stores JSON as its plain-data copy, blank strings included", () => {
    expect(stored({ data: { a: undefined, at: new Date("2024-05-01T00:00:00Z"), list: [1, "x"] } }).data).toEqual({ at: "2024-05-01T00:00:00.000Z", list: [1, "x"] });
    expect(stored({ data: "  " }).data).toBe("  ");
    expect(stored({ data: "" }).data).toBe("");
    expect(stored({ data: false }).data).toBe(false);
  });

  it("refuses JSON that cannot be stored or returned", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(refusal({ data: circular })).toBe("Field 'data' must be JSON-serialisable");
    expect(refusal({ data: () => 1 })).toBe("Field 'data' must be JSON-serialisable");
    expect(refusal({ data: 10n })).toBe("Field 'data' must be JSON-serialisable");
    expect(stored({ data: "x".repeat(999_998) }).data).toHaveLength(999_998);
    expect(refusal({ data: "x".repeat(999_999) })).toBe("Field 'data' must be at most 1000000 characters of JSON");
    expect(refusal({ data: { note: "a\u0000b" } })).toBe("Field 'data' has a text that contains a NUL character (U+0000), which text cannot hold");
    expect(refusal({ data: ["\ud800"] })).toBe("Field 'data' has a text that contains an unpaired surrogate (invalid UTF-16): send well-formed Unicode text");
    expect(refusal({ data: { a: [{ b: 1 }, { constructor: 1 }] } })).toBe("Field 'data' may not use 'constructor' as a key (the API cannot return it)");
    expect(refusal({ data: [[{ prototype: {} }]] })).toBe("Field 'data' may not use 'prototype' as a key (the API cannot return it)");
    expect(refusal({ data: JSON.parse('{"x": {"__proto__": 1}}') })).toBe("Field 'data' may not use '__proto__' as a key (the API cannot return it)");
    expect(stored({ data: { x: [{ y: { z: "constructors" } }] } }).data).toEqual({ x: [{ y: { z: "constructors" } }] });
  });
});

describe("isValidDate and normaliseDateTime", () => {
  it("knows the length of each month in leap years too", () => {
    for (const date of ["2024-01-31", "2024-04-30", "2024-03-31", "2024-12-31"]) expect(isValidDate(date), date).toBe(true);
    for (const date of ["2024-04-31", "2024-06-31", "2024-01-32"]) expect(isValidDate(date), date).toBe(false);
  });

  it("answers null for text that is no date-time, days that no month has included (not the next month's)", () => {
    for (const value of ["2024-02-30T10:00:00Z", "2023-02-29 10:00", "2024-04-31", "2024-00-10T00:00Z"]) expect(normaliseDateTime(value), value).toBeNull();
    expect(normaliseDateTime("2024-02-29T10:00:00Z")).toBe("2024-02-29T10:00:00.000Z");
    expect(normaliseDateTime("2024-05-01T24:30")).toBeNull();
    expect(normaliseDateTime("2024-05-01T09:30:00.123+05:30")).toBe("2024-05-01T04:00:00.123Z");
  });
});
