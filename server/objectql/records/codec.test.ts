import { describe, expect, it } from "vitest";
import type { FieldDef } from "@/spec/object";
import { defineObject } from "../test-support/fixtures";
import { columnReader, fromColumnValue, passesThrough, timestampParameter, timestampToIso, toColumnValue } from "./codec";

/**
 * Values between the API and the columns of each dialect, as the drivers hand them over
 * (SQLite: numbers and text; PostgreSQL: booleans, Dates and parsed jsonb; MySQL: Dates, JSON
 * as text, DATETIME as 'YYYY-MM-DD HH:MM:SS.fff'). The database suites check the round trips
 * on each server; these check each conversion on its own, for every dialect.
 */
const fields = Object.fromEntries(
  defineObject({
    name: "kinds",
    label: "Kinds",
    pluralLabel: "Kinds",
    fields: [
      { id: "1", name: "title", label: "Title", type: "text" },
      { id: "2", name: "amount", label: "Amount", type: "currency", scale: 2 },
      { id: "3", name: "ok", label: "Ok", type: "boolean" },
      { id: "4", name: "due", label: "Due", type: "date" },
      { id: "5", name: "at", label: "At", type: "datetime" },
      { id: "6", name: "data", label: "Data", type: "json" },
      { id: "7", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }] },
      { id: "8", name: "account", label: "Account", type: "lookup", reference: "account" },
    ],
  }).fields.map((field) => [field.name, field]),
) as Record<string, FieldDef>;

const DIALECTS = ["sqlite", "postgres", "mysql"] as const;

describe("toColumnValue", () => {
  it("stores booleans as 1/0, except on PostgreSQL", () => {
    expect([true, false].map((value) => toColumnValue(fields.ok, value, "sqlite"))).toEqual([1, 0]);
    expect([true, false].map((value) => toColumnValue(fields.ok, value, "mysql"))).toEqual([1, 0]);
    expect([true, false].map((value) => toColumnValue(fields.ok, value, "postgres"))).toEqual([true, false]);
  });

  it("stores date-times in each dialect's form, and no value as null", () => {
    expect(toColumnValue(fields.at, "2024-05-01T09:30:00.000Z", "mysql")).toBe("2024-05-01 09:30:00.000");
    expect(toColumnValue(fields.at, "2024-05-01T09:30:00.000Z", "postgres")).toBe("2024-05-01T09:30:00.000Z");
    const date = new Date("2024-05-01T09:30:00Z");
    expect(toColumnValue(fields.at, date, "mysql")).toBe(date);
    for (const dialect of DIALECTS) {
      expect(toColumnValue(fields.at, null, dialect)).toBeNull();
      expect(toColumnValue(fields.ok, undefined, dialect)).toBeNull();
    }
  });

  it("stores JSON as JSON text (a list too, so PostgreSQL takes no array), other kinds as they are", () => {
    expect(toColumnValue(fields.tags, ["a"], "postgres")).toBe('["a"]');
    expect(toColumnValue(fields.data, { a: 1 }, "sqlite")).toBe('{"a":1}');
    expect(toColumnValue(fields.amount, 1.5, "mysql")).toBe(1.5);
    expect(timestampParameter("2024-05-01T09:30:00.000Z", "mysql")).toBe("2024-05-01 09:30:00.000");
    expect(timestampParameter("2024-05-01T09:30:00.000Z", "sqlite")).toBe("2024-05-01T09:30:00.000Z");
  });
});

describe("fromColumnValue", () => {
  it("reads every form of true the drivers return as true, the rest as false, no value as null", () => {
    for (const value of [true, 1, "1", "t", "true"]) expect(fromColumnValue(fields.ok, value, "postgres"), String(value)).toBe(true);
    for (const value of [false, 0, "0", "f", "false", "", 2]) expect(fromColumnValue(fields.ok, value, "mysql"), String(value)).toBe(false);
    expect(fromColumnValue(fields.ok, null, "sqlite")).toBeNull();
    expect(fromColumnValue(fields.ok, undefined, "sqlite")).toBeNull();
  });

  it("reads numbers as numbers (MySQL returns decimals as text)", () => {
    expect(fromColumnValue(fields.amount, "12.50", "mysql")).toBe(12.5);
    expect(fromColumnValue(fields.amount, 3, "sqlite")).toBe(3);
    expect(fromColumnValue(fields.amount, null, "mysql")).toBeNull();
    expect(fromColumnValue(fields.amount, undefined, "mysql")).toBeNull();
  });

  it("reads dates as YYYY-MM-DD and date-times as ISO UTC, from Dates or text", () => {
    expect(fromColumnValue(fields.due, new Date("2024-05-01T00:00:00Z"), "mysql")).toBe("2024-05-01");
    expect(fromColumnValue(fields.due, "2024-05-01", "sqlite")).toBe("2024-05-01");
    expect(fromColumnValue(fields.due, null, "postgres")).toBeNull();
    expect(fromColumnValue(fields.due, undefined, "postgres")).toBeNull();
    expect(fromColumnValue(fields.at, new Date("2024-05-01T09:30:00Z"), "postgres")).toBe("2024-05-01T09:30:00.000Z");
    expect(fromColumnValue(fields.at, "2024-05-01T09:30:00.000Z", "sqlite")).toBe("2024-05-01T09:30:00.000Z");
    expect(fromColumnValue(fields.at, null, "sqlite")).toBeNull();
    expect(timestampToIso(undefined)).toBeNull();
  });

  it("parses JSON text (SQLite, MySQL); PostgreSQL's jsonb arrives parsed, a JSON string included", () => {
    expect(fromColumnValue(fields.data, '{"a":[1]}', "sqlite")).toEqual({ a: [1] });
    expect(fromColumnValue(fields.tags, '["a"]', "mysql")).toEqual(["a"]);
    expect(fromColumnValue(fields.data, "not json", "sqlite")).toBe("not json");
    expect(fromColumnValue(fields.data, { a: 1 }, "mysql")).toEqual({ a: 1 });
    expect(fromColumnValue(fields.data, null, "sqlite")).toBeNull();
    expect(fromColumnValue(fields.data, undefined, "mysql")).toBeNull();
    expect(fromColumnValue(fields.data, '{"a":1}', "postgres")).toBe('{"a":1}');
    expect(fromColumnValue(fields.data, "[1]", "postgres")).toBe("[1]");
  });

  it("returns text and references as they are, undefined as null", () => {
    expect(fromColumnValue(fields.title, "x", "mysql")).toBe("x");
    expect(fromColumnValue(fields.account, undefined, "sqlite")).toBeNull();
  });
});

describe("passesThrough", () => {
  it("is true where the driver's value is already the API's: text everywhere, numbers and dates except on MySQL", () => {
    const table = (dialect: (typeof DIALECTS)[number]) => Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, passesThrough(field, dialect)]));
    expect(table("sqlite")).toEqual({ title: true, amount: true, ok: false, due: true, at: false, data: false, tags: false, account: true });
    expect(table("postgres")).toEqual({ title: true, amount: true, ok: false, due: true, at: false, data: true, tags: true, account: true });
    expect(table("mysql")).toEqual({ title: true, amount: false, ok: false, due: false, at: false, data: false, tags: false, account: true });
  });

  it("names a reader that converts otherwise", () => {
    expect(columnReader(fields.at, "mysql")(new Date("2024-05-01T09:30:00Z"))).toBe("2024-05-01T09:30:00.000Z");
    expect(columnReader(fields.due, "postgres")(new Date("2024-05-01T00:00:00Z"))).toBe("2024-05-01");
  });
});
