import { describe, expect, it } from "vitest";
import { viewSchema, type ViewDef } from "@/spec/view";
import { effectiveColumnOrder, ViewDesignerStore } from "./view-designer-store";

const STAGES = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"];

function makeView(): ViewDef {
  return viewSchema.parse({
    name: "open_deals",
    label: "Open deals",
    object: "opportunity",
    columns: [{ field: "name" }, { field: "stage" }, { field: "amount" }],
  });
}

const LABELS: Record<string, string> = { name: "Name", stage: "Stage", amount: "Amount", close_date: "Close date" };

function makeStore(clock = { now: 0 }) {
  return new ViewDesignerStore(makeView(), { baseRevision: 1, now: () => clock.now, fieldLabel: (field) => LABELS[field] ?? field });
}

describe("ViewDesignerStore", () => {
  it("edits columns and undo/redo restore every step exactly", () => {
    const store = makeStore();
    const states: ViewDef[] = [store.document];
    const steps: (() => boolean)[] = [
      () => store.addColumn("close_date"),
      () => store.moveColumn(3, 0),
      () => store.setColumnWidth("amount", 160),
      () => store.pinColumn("close_date", "left"),
      () => store.renameColumn("stage", "Pipeline stage"),
      () => store.removeColumn("name"),
    ];
    for (const step of steps) {
      expect(step()).toBe(true);
      states.push(store.document);
    }
    expect(store.document.columns).toEqual([
      { field: "close_date", pinned: "left" },
      { field: "stage", label: "Pipeline stage" },
      { field: "amount", width: 160 },
    ]);
    expect(store.historyLabels).toEqual([
      "Add column Close date", "Move column Close date", "Resize column Amount", "Pin column Close date left", "Rename column Stage", "Remove column Name",
    ]);
    for (let i = states.length - 2; i >= 0; i--) {
      store.undo();
      expect(store.document).toEqual(states[i]);
    }
    expect(store.getSnapshot().dirty).toBe(false);
    for (let i = 1; i < states.length; i++) {
      store.redo();
      expect(store.document).toEqual(states[i]);
    }
  });

  it("refuses no-op and invalid commands without a history entry", () => {
    const store = makeStore();
    expect(store.addColumn("name")).toBe(false);
    expect(store.moveColumn(0, 0)).toBe(false);
    expect(store.moveColumn(0, 9)).toBe(false);
    expect(store.removeColumn("nope")).toBe(false);
    expect(store.pinColumn("name", undefined)).toBe(false);
    expect(store.setGroupBy(undefined)).toBe(false);
    expect(store.getSnapshot().canUndo).toBe(false);
  });

  it("unpins, clears widths and labels by removing the keys", () => {
    const store = makeStore();
    store.pinColumn("name", "right");
    store.setColumnWidth("name", 200);
    store.renameColumn("name", "Deal");
    store.pinColumn("name", undefined);
    store.setColumnWidth("name", undefined);
    store.renameColumn("name", "  ");
    expect(store.document.columns[0]).toStrictEqual({ field: "name" });
  });

  it("coalesces typing in one input into one undo step", () => {
    const clock = { now: 0 };
    const store = makeStore(clock);
    for (const text of ["O", "Op", "Ope", "Open"]) {
      clock.now += 100;
      store.setProps({ label: text }, { coalesceKey: "label" });
    }
    expect(store.historyLabels).toEqual(["Rename view"]);
    clock.now += 5000;
    store.setProps({ label: "Open pipeline" }, { coalesceKey: "label" });
    expect(store.historyLabels).toEqual(["Rename view", "Rename view"]);
    store.undo();
    expect(store.document.label).toBe("Open");
    store.undo();
    expect(store.document).toEqual(makeView());
  });

  it("sets and clears the filter, sort and grouping", () => {
    const store = makeStore();
    const filter = { or: [{ field: "amount", operator: ">" as const, value: 10000 }, { field: "stage", operator: "in" as const, value: ["proposal", "negotiation"] }] };
    store.setFilter(filter);
    expect(store.setFilter(structuredClone(filter))).toBe(false);
    store.addSort({ field: "amount", direction: "desc" });
    store.addSort({ field: "name", direction: "asc" });
    store.moveSort(1, 0);
    store.updateSort(1, { field: "amount", direction: "asc" });
    store.setGroupBy("stage");
    store.setInlineEdit(false);
    expect(store.document).toMatchObject({
      filter,
      sort: [{ field: "name", direction: "asc" }, { field: "amount", direction: "asc" }],
      groupBy: "stage",
      inlineEdit: false,
    });
    store.removeSort(0);
    store.setFilter(undefined);
    store.setGroupBy(undefined);
    expect("filter" in store.document).toBe(false);
    expect("groupBy" in store.document).toBe(false);
    expect(store.document.sort).toEqual([{ field: "amount", direction: "asc" }]);
    expect(viewSchema.safeParse(store.document).success).toBe(true);
  });

  it("adds, edits, moves and removes row and bulk actions", () => {
    const store = makeStore();
    store.addRowAction({ type: "update", label: "Close", field: "stage", value: "closed_won" });
    store.moveRowAction(3, 0);
    store.updateRowAction(0, { type: "update", label: "Win", field: "stage", value: "closed_won" });
    store.removeRowAction(3);
    expect(store.document.rowActions.map((action) => action.type)).toEqual(["update", "open", "edit"]);
    store.addBulkAction({ type: "update", label: "Set stage", field: "stage" });
    store.moveBulkAction(2, 0);
    store.removeBulkAction(1);
    expect(store.document.bulkActions).toEqual([{ type: "update", label: "Set stage", field: "stage" }, { type: "export" }]);
    expect(viewSchema.safeParse(store.document).success).toBe(true);
  });

  it("edits kanban settings; a drag between marks is one undo step, a cancelled drag leaves nothing", () => {
    const store = makeStore();
    store.setType("kanban", { kanban: { groupField: "stage", columnOrder: [], hiddenColumns: [], cardFields: [] } });
    expect(store.document.type).toBe("kanban");
    const before = store.document;
    // A pointer drag of "negotiation" to the front passes over each column on the way.
    const mark = store.mark();
    store.moveKanbanColumn(STAGES, 3, 2);
    store.moveKanbanColumn(STAGES, 2, 1);
    store.moveKanbanColumn(STAGES, 1, 0);
    store.squashToMark(mark, "Move column negotiation");
    expect(store.document.kanban!.columnOrder).toEqual(["negotiation", "prospecting", "qualification", "proposal", "closed_won", "closed_lost"]);
    expect(store.historyLabels).toEqual(["Switch to kanban", "Move column negotiation"]);
    store.undo();
    expect(store.document).toEqual(before);
    store.redo();

    const cancelled = store.mark();
    store.moveKanbanColumn(STAGES, 0, 5);
    store.bailToMark(cancelled);
    expect(store.document.kanban!.columnOrder[0]).toBe("negotiation");
    expect(store.getSnapshot().canRedo).toBe(false);

    store.setKanbanColumnHidden("closed_lost", true);
    store.toggleKanbanCardField("amount");
    store.toggleKanbanCardField("close_date");
    store.moveKanbanCardField(1, 0);
    store.toggleKanbanCardField("amount");
    store.setKanbanRankField("probability");
    store.setKanbanSummary({ aggregate: "sum", field: "amount" });
    expect(store.document.kanban).toEqual({
      groupField: "stage",
      columnOrder: ["negotiation", "prospecting", "qualification", "proposal", "closed_won", "closed_lost"],
      hiddenColumns: ["closed_lost"],
      cardFields: ["close_date"],
      rankField: "probability",
      summary: { aggregate: "sum", field: "amount" },
    });
    store.setKanbanColumnHidden("closed_lost", false);
    store.setKanbanRankField(undefined);
    store.setKanbanSummary(undefined);
    expect(store.document.kanban).toEqual({
      groupField: "stage",
      columnOrder: ["negotiation", "prospecting", "qualification", "proposal", "closed_won", "closed_lost"],
      hiddenColumns: [],
      cardFields: ["close_date"],
    });
    // Another group field has other options: its order and hidden columns start over.
    store.setKanbanGroupField("industry");
    expect(store.document.kanban).toMatchObject({ groupField: "industry", columnOrder: [], hiddenColumns: [], cardFields: ["close_date"] });
  });

  it("keeps the other types' settings when switching type, so switching back restores them", () => {
    const store = makeStore();
    store.setType("kanban", { kanban: { groupField: "stage", columnOrder: [], hiddenColumns: [], cardFields: [] } });
    store.toggleKanbanCardField("amount");
    store.setType("calendar", { calendar: { startField: "close_date" } });
    store.setCalendar({ titleField: "name", colorField: "stage" });
    const calendar = store.document.calendar;
    store.setType("grid");
    store.setType("kanban", { kanban: { groupField: "other", columnOrder: [], hiddenColumns: [], cardFields: [] } });
    expect(store.document.kanban).toEqual({ groupField: "stage", columnOrder: [], hiddenColumns: [], cardFields: ["amount"] });
    store.setType("calendar", { calendar: { startField: "created_at" } });
    expect(store.document.calendar).toEqual(calendar);
    store.setCalendar({ colorField: undefined, endField: "close_date" });
    expect(store.document.calendar).toEqual({ startField: "close_date", titleField: "name", endField: "close_date" });
    expect(viewSchema.safeParse(store.document).success).toBe(true);
  });

  it("orders kanban columns: listed options first, the rest in field order, unknown values dropped", () => {
    expect(effectiveColumnOrder(["proposal", "gone", "prospecting"], STAGES)).toEqual([
      "proposal", "prospecting", "qualification", "negotiation", "closed_won", "closed_lost",
    ]);
  });

  it("keeps keys in the schema's order, so JSON comparison with the server's copy holds", () => {
    const store = makeStore();
    store.setColumnWidth("name", 120);
    store.pinColumn("name", "left");
    store.setFilter({ field: "amount", operator: ">", value: 1 });
    store.setType("calendar", { calendar: { startField: "close_date" } });
    store.setCalendar({ colorField: "stage", endField: "close_date" });
    const parsed = viewSchema.parse(JSON.parse(JSON.stringify(store.document)));
    expect(JSON.stringify(store.document)).toBe(JSON.stringify(parsed));
  });

  it("edits view properties", () => {
    const store = makeStore();
    store.setProps({ description: "Deals in play", isDefault: true });
    store.setProps({ description: undefined });
    expect(store.document.isDefault).toBe(true);
    expect("description" in store.document).toBe(false);
    expect(store.historyLabels).toEqual(["Edit view settings", "Edit description"]);
  });
});
