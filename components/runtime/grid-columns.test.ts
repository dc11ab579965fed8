import { describe, expect, it } from "vitest";
import { objectSchema, viewSchema } from "@/spec";
import { applyColumnState, baseColumns, displayOrder, moveColumn, parseStoredColumnState, pinOffsets } from "./grid-columns";

const object = objectSchema.parse({
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  nameField: "title",
  fields: [
    { id: "f1", name: "title", label: "Title", type: "text" },
    { id: "f2", name: "amount", label: "Amount", type: "currency" },
    { id: "f3", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }] },
    { id: "f4", name: "notes", label: "Notes", type: "textarea" },
  ],
});

describe("grid columns", () => {
  it("defaults to the name field first and leaves long text out", () => {
    expect(baseColumns(object).map((column) => column.field.name)).toEqual(["title", "amount", "stage"]);
  });

  it("takes the view's columns with their labels, widths and pins, skipping unknown fields", () => {
    const view = viewSchema.parse({
      name: "big",
      label: "Big deals",
      object: "deal",
      columns: [
        { field: "amount", width: 120, pinned: "right" },
        { field: "gone" },
        { field: "title", label: "Deal", pinned: "left", width: 300 },
        { field: "notes" },
      ],
    });
    const columns = displayOrder(baseColumns(object, view));
    expect(columns.map((column) => [column.field.name, column.label, column.width, column.pinned])).toEqual([
      ["title", "Deal", 300, "left"],
      ["notes", "Notes", 200, undefined],
      ["amount", "Amount", 120, "right"],
    ]);
    const offsets = pinOffsets(columns, 40, 44);
    expect(offsets.get("title")).toEqual({ side: "left", offset: 40, edge: true });
    expect(offsets.get("amount")).toEqual({ side: "right", offset: 44, edge: true });
    expect(offsets.has("notes")).toBe(false);
  });

  it("applies the user's order and widths, keeping new fields at the end", () => {
    const columns = applyColumnState(baseColumns(object), { order: ["stage", "title"], widths: { amount: 20, stage: 333 } });
    expect(columns.map((column) => [column.field.name, column.width])).toEqual([
      ["stage", 333],
      ["title", 240],
      ["amount", 60],
    ]);
  });

  it("moves a column to where it is dropped", () => {
    expect(moveColumn(["a", "b", "c", "d"], "a", "c")).toEqual(["b", "c", "a", "d"]);
    expect(moveColumn(["a", "b", "c", "d"], "d", "b")).toEqual(["a", "d", "b", "c"]);
    expect(moveColumn(["a", "b"], "a", "x")).toEqual(["a", "b"]);
  });

  it("ignores stored state of the wrong shape", () => {
    expect(parseStoredColumnState("not json")).toBeNull();
    expect(parseStoredColumnState(JSON.stringify({ order: [1, 2], widths: { a: "wide", b: 90 } }))).toEqual({ widths: { b: 90 } });
  });
});
