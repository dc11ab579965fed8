import { describe, expect, it } from "vitest";
import type { FieldInput } from "@/spec/object";
import { classifyTypeChange } from "./column-types";
import { planSchemaSync } from "./plan";
import { defineObject } from "../test-support/fixtures";

function field(input: Record<string, unknown>) {
  return defineObject({ name: "x", label: "X", pluralLabel: "Xs", fields: [{ id: "f", name: "f", label: "F", ...input } as FieldInput] }).fields[0];
}

describe("type change classification", () => {
  const safe: [Record<string, unknown>, Record<string, unknown>][] = [
    [{ type: "text" }, { type: "textarea" }],
    [{ type: "textarea" }, { type: "text" }],
    [{ type: "text" }, { type: "email" }],
    [{ type: "url" }, { type: "phone" }],
    [{ type: "text" }, { type: "select", options: [{ value: "a", label: "A" }] }],
    [{ type: "number" }, { type: "currency" }],
    [{ type: "currency" }, { type: "percent" }],
    [{ type: "number" }, { type: "text" }],
    [{ type: "boolean" }, { type: "textarea" }],
    [{ type: "date" }, { type: "datetime" }],
    [{ type: "json" }, { type: "text" }],
    [{ type: "select", options: [{ value: "a", label: "A" }] }, { type: "multiselect", options: [{ value: "a", label: "A" }] }],
    [{ type: "lookup", reference: "a" }, { type: "master_detail", reference: "a" }],
  ];
  const lossy: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
    [{ type: "text" }, { type: "number" }, /not numbers/],
    [{ type: "text" }, { type: "boolean" }, /not true\/false/],
    [{ type: "datetime" }, { type: "date" }, /time of day/],
    [{ type: "select", options: [{ value: "a", label: "A" }] }, { type: "lookup", reference: "a" }, /not ids of 'a'/],
    [{ type: "lookup", reference: "a" }, { type: "lookup", reference: "b" }, /not ids of 'b'/],
    [{ type: "boolean" }, { type: "date" }, /all values/],
    [{ type: "json" }, { type: "multiselect", options: [{ value: "a", label: "A" }] }, /not lists/],
  ];

  it.each(safe)("%o -> %o is safe", (from, to) => {
    expect(classifyTypeChange(field(from), field(to))).toEqual({ safe: true });
  });
  it.each(lossy)("%o -> %o is lossy", (from, to, reason) => {
    const change = classifyTypeChange(field(from), field(to));
    expect(change?.safe).toBe(false);
    expect(change?.reason).toMatch(reason);
  });
  it("ignores changes that do not touch the column", () => {
    expect(classifyTypeChange(field({ type: "text", maxLength: 10 }), field({ type: "text", maxLength: 20, label: "Other" }))).toBeNull();
  });
});

describe("planSchemaSync", () => {
  const base = defineObject({
    name: "task",
    label: "Task",
    pluralLabel: "Tasks",
    fields: [
      { id: "t1", name: "title", label: "Title", type: "text" },
      { id: "t2", name: "due", label: "Due", type: "datetime" },
    ],
  });

  it("orders steps and separates destructive ones", () => {
    const next = defineObject({
      ...base,
      fields: [
        { id: "t2", name: "due_on", label: "Due", type: "date" },
        { id: "t3", name: "done", label: "Done", type: "boolean" },
      ],
    });
    const plan = planSchemaSync(base, next, [next]);
    expect(plan.steps.map((step) => step.kind)).toEqual(["rename_column", "drop_column", "change_type", "add_column"]);
    expect(plan.destructive.map((step) => step.description)).toEqual([
      "Remove field 'title' (its column and data are deleted)",
      "Change field 'due_on' from datetime to date",
    ]);
    expect(plan.destructive[1].reason).toBe("the time of day will be lost");
  });

  it("plans nothing for label-only changes", () => {
    const next = defineObject({ ...base, label: "Job", fields: base.fields.map((f) => ({ ...f, label: "Renamed label" })) });
    expect(planSchemaSync(base, next, [next]).steps).toEqual([]);
  });
});
