import { describe, expect, it } from "vitest";
import type { FieldDef } from "@/spec";
import { kanbanSettingsSchema } from "@/spec/view";
import { columnFilter, columnOrderBy, kanbanOptionColumns, placeCard, rankBetween, withNoValueColumn } from "./view-kanban-model";

const stage: FieldDef = {
  id: "s", name: "stage", label: "Stage", type: "select", required: false, unique: false,
  options: [{ value: "new", label: "New", color: "#111111" }, { value: "doing", label: "Doing" }, { value: "done", label: "Done" }, { value: "dropped", label: "Dropped" }],
} as FieldDef;

describe("kanban model", () => {
  it("orders columns by the view's column order, then the field's, leaving hidden ones out", () => {
    const settings = kanbanSettingsSchema.parse({ groupField: "stage", columnOrder: ["done", "new"], hiddenColumns: ["dropped"] });
    expect(kanbanOptionColumns(stage, settings)).toEqual([
      { value: "done", label: "Done" },
      { value: "new", label: "New", color: "#111111" },
      { value: "doing", label: "Doing" },
    ]);
  });

  it("adds a column named by the field (No stage) only when records lack a value and the field allows it", () => {
    const columns = [{ value: "new", label: "New" }];
    expect(withNoValueColumn(columns, stage, 0)).toEqual(columns);
    expect(withNoValueColumn(columns, stage, 3).at(-1)).toEqual({ value: null, label: "No stage" });
    expect(withNoValueColumn(columns, { ...stage, required: true } as FieldDef, 3)).toEqual(columns);
  });

  it("loads a column with the view's filter and its group value, by rank or the view's sort", () => {
    const viewFilter = { field: "amount", operator: ">" as const, value: 5 };
    expect(columnFilter(viewFilter, "stage", "new")).toEqual({ and: [viewFilter, { field: "stage", operator: "=", value: "new" }] });
    expect(columnFilter(undefined, "stage", null)).toEqual({ field: "stage", operator: "is_null" });
    expect(columnOrderBy({ sort: [{ field: "amount", direction: "desc" }], kanban: undefined })).toEqual([{ field: "amount", direction: "desc" }]);
    expect(columnOrderBy({ sort: [{ field: "amount", direction: "desc" }], kanban: kanbanSettingsSchema.parse({ groupField: "stage", rankField: "rank" }) })).toEqual([{ field: "rank", direction: "asc" }]);
  });

  it("ranks a card between its neighbours", () => {
    expect(rankBetween(1, 2)).toBe(1.5);
    expect(rankBetween(4, undefined)).toBe(5);
    expect(rankBetween(null, 4)).toBe(3);
    expect(rankBetween(undefined, undefined)).toBe(0);
    expect(rankBetween("1", "3")).toBe(2);
    expect(rankBetween(1, 2, 0)).toBeNull();
    expect(rankBetween(1, 3, 0)).toBe(2);
  });

  it("places a card at an index, wherever it came from", () => {
    const [a, b, c] = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(placeCard([a, b, c], a, 2).map((card) => card.id)).toEqual(["b", "c", "a"]);
    expect(placeCard([a, b], c, 1).map((card) => card.id)).toEqual(["a", "c", "b"]);
    expect(placeCard([a, b], c, 9).map((card) => card.id)).toEqual(["a", "b", "c"]);
  });
});
