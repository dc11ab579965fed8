import { describe, expect, it } from "vitest";
import { defineObject } from "@/server/objectql/test-support/fixtures";
import { sqliteFactory } from "@/server/objectql/test-support/test-databases";
import { sameFieldValue } from "./record-history";
import { defineRecordHistorySuite } from "./record-history.suite";
import { jsonChanges } from "./metadata-changes";

defineRecordHistorySuite(sqliteFactory);

describe("sameFieldValue", () => {
  const object = defineObject({
    name: "thing",
    label: "Thing",
    pluralLabel: "Things",
    fields: [
      { id: "t1", name: "at", label: "At", type: "datetime" },
      { id: "t2", name: "data", label: "Data", type: "json" },
      { id: "t3", name: "size", label: "Size", type: "number", scale: 2 },
    ],
  });
  const [at, data, size] = object.fields;

  it("compares instants, JSON regardless of key order, numbers by value and null with undefined", () => {
    expect(sameFieldValue(at, "2026-01-01T10:00:00Z", "2026-01-01T10:00:00.000Z")).toBe(true);
    expect(sameFieldValue(at, "2026-01-01T10:00:00Z", "2026-01-01T10:00:01Z")).toBe(false);
    expect(sameFieldValue(data, { a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(sameFieldValue(data, [1, 2], [2, 1])).toBe(false);
    expect(sameFieldValue(size, 1.5, "1.50")).toBe(true);
    expect(sameFieldValue(size, null, undefined)).toBe(true);
    expect(sameFieldValue(size, 0, null)).toBe(false);
  });
});

describe("jsonChanges", () => {
  it("lists the leaf paths that differ", () => {
    expect(jsonChanges({ label: "A", fields: [{ name: "x" }, { name: "y" }] }, { label: "B", fields: [{ name: "x" }], icon: "star" })).toEqual([
      { path: "label", before: "A", after: "B" },
      { path: "fields[1]", before: { name: "y" }, after: null },
      { path: "icon", before: null, after: "star" },
    ]);
  });
});
