import { describe, expect, it } from "vitest";
import { formSchema, type FieldsSection, type FormDef } from "@/spec/form";
import { FormDesignerStore, locateElement, placedFields } from "./form-designer-store";

function baseForm(): FormDef {
  return formSchema.parse({
    name: "opportunity_form",
    label: "Opportunity form",
    object: "opportunity",
    tabs: [
      {
        id: "tab_main",
        label: "Main",
        sections: [
          { id: "sec_a", type: "fields", columns: 2, label: "Basics", items: [
            { id: "it_name", type: "field", field: "name" },
            { id: "it_stage", type: "field", field: "stage" },
            { id: "it_amount", type: "field", field: "amount", span: 2 },
          ] },
          { id: "sec_b", type: "fields", columns: 1, items: [{ id: "it_notes", type: "field", field: "notes" }] },
        ],
      },
      { id: "tab_more", label: "More", sections: [{ id: "sec_c", type: "fields", columns: 2, items: [] }] },
    ],
  });
}

function makeStore(form = baseForm()) {
  let clock = 0;
  let counter = 0;
  const store = new FormDesignerStore(form, {
    now: () => clock,
    newId: (kind) => `${kind}_${++counter}`,
  });
  return { store, tick: (ms: number) => (clock += ms) };
}

const section = (form: FormDef, id: string) => locateElement(form, id) as { section: FieldsSection } | undefined;
const itemIds = (form: FormDef, id: string) => section(form, id)!.section.items.map((item) => item.id);

/** Runs `command`, then checks undo gives back exactly the document before and redo the one after. */
function expectUndoRedoExact(store: FormDesignerStore, command: () => unknown) {
  const before = structuredClone(store.document);
  command();
  const after = structuredClone(store.document);
  expect(after).not.toEqual(before);
  expect(store.undo()).toBe(true);
  expect(store.document).toEqual(before);
  expect(store.redo()).toBe(true);
  expect(store.document).toEqual(after);
}

describe("FormDesignerStore commands", () => {
  it("addField places a field at the index, selects it, and is one labelled undo step", () => {
    const { store } = makeStore();
    expectUndoRedoExact(store, () => expect(store.addField("probability", "sec_a", 1)).toEqual({ ok: true }));
    expect(itemIds(store.document, "sec_a")).toEqual(["it_name", "item_1", "it_stage", "it_amount"]);
    expect(store.getSelection()).toBe("item_1");
    expect(store.getSnapshot().undoLabel).toBe("Add field probability");
    expect(formSchema.safeParse(store.document).success).toBe(true);
  });

  it("addField refuses a field already on the form and a related section", () => {
    const { store } = makeStore();
    const before = store.document;
    expect(store.addField("stage", "sec_c", 0)).toEqual({ ok: false, reason: expect.stringContaining("already on the form") });
    store.addSection("tab_more", 1, { type: "related", object: "contact", lookupField: "account" });
    const related = store.getSelection()!;
    expect(store.addField("probability", related, 0)).toMatchObject({ ok: false, reason: expect.stringContaining("related list") });
    expect(store.addField("probability", "nope", 0)).toMatchObject({ ok: false });
    expect(store.document.tabs[0]).toBe(before.tabs[0]);
  });

  it("moveItem reorders within a section and moves across sections and tabs", () => {
    const { store } = makeStore();
    expectUndoRedoExact(store, () => store.moveItem("it_name", "sec_a", 2));
    expect(itemIds(store.document, "sec_a")).toEqual(["it_stage", "it_amount", "it_name"]);
    expectUndoRedoExact(store, () => store.moveItem("it_stage", "sec_c", 0));
    expect(itemIds(store.document, "sec_c")).toEqual(["it_stage"]);
    expect(store.getSelection()).toBe("it_stage");
    // A 2-column span narrows to fit a 1-column section.
    store.moveItem("it_amount", "sec_b", 0);
    expect(section(store.document, "sec_b")!.section.items[0]).toMatchObject({ id: "it_amount", span: 1 });
    store.undo();
    expect(section(store.document, "sec_a")!.section.items.find((item) => item.id === "it_amount")!.span).toBe(2);
  });

  it("moveItem to the same place is not a history step", () => {
    const { store } = makeStore();
    expect(store.moveItem("it_stage", "sec_a", 1)).toEqual({ ok: true });
    expect(store.getSnapshot().canUndo).toBe(false);
  });

  it("removeElement removes items, sections and tabs; undo restores and reselects them", () => {
    const { store } = makeStore();
    store.select("it_stage");
    expectUndoRedoExact(store, () => store.removeElement("it_stage"));
    expect(store.getSelection()).toBe("sec_a");
    store.undo();
    expect(store.getSelection()).toBe("it_stage");
    store.redo();
    expectUndoRedoExact(store, () => store.removeElement("sec_b"));
    expectUndoRedoExact(store, () => store.removeElement("tab_more"));
    expect(store.document.tabs.map((tab) => tab.id)).toEqual(["tab_main"]);
    expect(store.removeElement("tab_main")).toEqual({ ok: false, reason: "A form needs at least one tab." });
  });

  it("duplicateElement refuses field items and copies sections/tabs as empty layout", () => {
    const { store } = makeStore();
    expect(store.duplicateElement("it_name")).toMatchObject({ ok: false, reason: expect.stringContaining("placed once") });
    expect(store.getSnapshot().canUndo).toBe(false);
    expectUndoRedoExact(store, () => store.duplicateElement("sec_a"));
    const copy = store.document.tabs[0]!.sections[1]!;
    expect(copy).toEqual({ id: "section_1", type: "fields", label: "Basics (copy)", columns: 2, collapsible: false, collapsed: false, items: [] });
    expect(store.getSelection()).toBe("section_1");
    expectUndoRedoExact(store, () => store.duplicateElement("tab_main"));
    const tab = store.document.tabs[1]!;
    expect(tab.label).toBe("Main (copy)");
    expect(tab.sections.every((s) => s.type === "fields" && s.items.length === 0)).toBe(true);
    expect(formSchema.safeParse(store.document).success).toBe(true);
  });

  it("addSection adds fields and related sections; checks columns", () => {
    const { store } = makeStore();
    expectUndoRedoExact(store, () => store.addSection("tab_main", 1, { type: "fields", columns: 3, label: "Money" }));
    expect(store.document.tabs[0]!.sections[1]).toMatchObject({ type: "fields", columns: 3, label: "Money", items: [] });
    expect(store.addSection("tab_main", 0, { type: "fields", columns: 5 })).toMatchObject({ ok: false });
    expectUndoRedoExact(store, () => store.addSection("tab_main", 99, { type: "related", object: "task", lookupField: "opportunity" }));
    expect(store.document.tabs[0]!.sections.at(-1)).toMatchObject({ type: "related", object: "task", lookupField: "opportunity", limit: 5 });
  });

  it("moveSection moves within and across tabs", () => {
    const { store } = makeStore();
    expectUndoRedoExact(store, () => store.moveSection("sec_b", "tab_main", 0));
    expect(store.document.tabs[0]!.sections.map((s) => s.id)).toEqual(["sec_b", "sec_a"]);
    expectUndoRedoExact(store, () => store.moveSection("sec_a", "tab_more", 1));
    expect(store.document.tabs[1]!.sections.map((s) => s.id)).toEqual(["sec_c", "sec_a"]);
  });

  it("addTab, moveTab and renameTab", () => {
    const { store } = makeStore();
    expectUndoRedoExact(store, () => store.addTab(1));
    expect(store.document.tabs[1]).toEqual({ id: "tab_1", label: "Tab 3", sections: [{ id: "section_2", type: "fields", columns: 2, collapsible: false, collapsed: false, items: [] }] });
    expectUndoRedoExact(store, () => store.moveTab("tab_1", 2));
    expect(store.document.tabs.map((tab) => tab.id)).toEqual(["tab_main", "tab_more", "tab_1"]);
    expectUndoRedoExact(store, () => store.renameTab("tab_1", "Details"));
    expect(store.document.tabs[2]!.label).toBe("Details");
  });

  it("updateItem patches, removes emptied keys, checks the span, and coalesces typing per input", () => {
    const { store, tick } = makeStore();
    expectUndoRedoExact(store, () => store.updateItem("it_stage", { required: true, helpText: "Where the deal is" }));
    store.updateItem("it_stage", { helpText: undefined });
    expect("helpText" in section(store.document, "sec_a")!.section.items[1]!).toBe(false);
    expect(store.updateItem("it_stage", { span: 3 })).toMatchObject({ ok: false, reason: expect.stringContaining("1 to 2") });

    const depth = store.historyLabels.length;
    for (const text of ["S", "St", "Sta", "Stage"]) {
      store.updateItem("it_stage", { label: text }, { coalesceKey: "it_stage.label" });
      tick(100);
    }
    expect(store.historyLabels.length).toBe(depth + 1);
    expect(store.historyLabels.at(-1)).toBe("Change label of stage");
    // Another input is its own step.
    store.updateItem("it_stage", { placeholder: "Pick" }, { coalesceKey: "it_stage.placeholder" });
    expect(store.historyLabels.length).toBe(depth + 2);
    store.undo();
    store.undo();
    expect(section(store.document, "sec_a")!.section.items[1]!.label).toBeUndefined();
    // After a pause, typing in the same input starts a new step.
    store.redo();
    tick(5000);
    store.updateItem("it_stage", { label: "Stage!" }, { coalesceKey: "it_stage.label" });
    expect(store.historyLabels.length).toBe(depth + 2);
  });

  it("updateSection changes properties and narrows spans when columns shrink, in one step", () => {
    const { store } = makeStore();
    expectUndoRedoExact(store, () => store.updateSection("sec_a", { columns: 1, collapsible: true, visibleWhen: 'stage = "proposal"' }));
    const changed = section(store.document, "sec_a")!.section;
    expect(changed).toMatchObject({ columns: 1, collapsible: true, visibleWhen: 'stage = "proposal"' });
    expect(changed.items.map((item) => item.span)).toEqual([1, 1, 1]);
    expect(store.updateSection("sec_a", { columns: 0 })).toMatchObject({ ok: false });
  });

  it("updateForm patches the form settings", () => {
    const { store } = makeStore();
    expectUndoRedoExact(store, () => store.updateForm({ isDefault: true, profiles: ["sales"], recordType: { field: "stage", value: "proposal" } }));
    expect(store.document).toMatchObject({ isDefault: true, profiles: ["sales"], recordType: { field: "stage", value: "proposal" } });
    store.updateForm({ recordType: undefined });
    expect("recordType" in store.document).toBe(false);
  });

  it("placedFields lists the fields on the form", () => {
    expect([...placedFields(baseForm())]).toEqual(["name", "stage", "amount", "notes"]);
  });
});

describe("history marks (drags)", () => {
  it("squashToMark makes a drag's moves one undo step", () => {
    const { store } = makeStore();
    const before = structuredClone(store.document);
    const mark = store.mark();
    store.moveItem("it_name", "sec_b", 0);
    store.moveItem("it_name", "sec_c", 0);
    store.squashToMark(mark, "Move name");
    expect(store.historyLabels).toEqual(["Move name"]);
    store.undo();
    expect(store.document).toEqual(before);
    expect(store.getSelection()).toBe("it_name");
  });

  it("bailToMark throws a cancelled drag away", () => {
    const { store } = makeStore();
    const before = store.document;
    const mark = store.mark();
    store.moveItem("it_name", "sec_b", 0);
    store.bailToMark(mark);
    expect(store.document).toBe(before);
    expect(store.getSnapshot().canUndo).toBe(false);
    expect(store.getSnapshot().canRedo).toBe(false);
  });
});

describe("selection", () => {
  it("is outside the history and follows undo/redo to the element a command touched", () => {
    const { store } = makeStore();
    store.addField("probability", "sec_c", 0);
    expect(store.getSelection()).toBe("item_1");
    store.select("it_notes");
    expect(store.getSnapshot().undoLabel).toBe("Add field probability");
    store.undo();
    // The added item is gone: its section is selected.
    expect(store.getSelection()).toBe("sec_c");
    store.redo();
    expect(store.getSelection()).toBe("item_1");
  });

  it("ignores ids that are not on the form and notifies listeners", () => {
    const { store } = makeStore();
    let calls = 0;
    const unsubscribe = store.subscribeSelection(() => calls++);
    store.select("missing");
    expect(store.getSelection()).toBeNull();
    store.select("sec_a");
    store.select("sec_a");
    expect(calls).toBe(1);
    unsubscribe();
  });
});

describe("moveSelection (arrow keys)", () => {
  it("moves an item through its section's grid and into neighbouring sections", () => {
    const { store } = makeStore();
    store.select("it_name");
    expect(store.moveSelection("right")).toEqual({ ok: true });
    expect(itemIds(store.document, "sec_a")).toEqual(["it_stage", "it_name", "it_amount"]);
    expect(store.moveSelection("left")).toEqual({ ok: true });
    expect(itemIds(store.document, "sec_a")).toEqual(["it_name", "it_stage", "it_amount"]);
    // Down one row in a 2-column section.
    store.moveSelection("down");
    expect(itemIds(store.document, "sec_a")).toEqual(["it_stage", "it_amount", "it_name"]);
    // Past the end: into the next fields section, first place.
    store.moveSelection("down");
    expect(itemIds(store.document, "sec_b")).toEqual(["it_name", "it_notes"]);
    store.moveSelection("up");
    expect(itemIds(store.document, "sec_a")).toEqual(["it_stage", "it_amount", "it_name"]);
    expect(store.getSelection()).toBe("it_name");
  });

  it("refuses past the first place of the tab and without a selection", () => {
    const { store } = makeStore();
    expect(store.moveSelection("up")).toMatchObject({ ok: false, reason: expect.stringContaining("Select") });
    store.select("it_name");
    expect(store.moveSelection("left")).toMatchObject({ ok: false, reason: expect.stringContaining("first place") });
  });

  it("moves sections up/down and tabs left/right", () => {
    const { store } = makeStore();
    store.select("sec_b");
    store.moveSelection("up");
    expect(store.document.tabs[0]!.sections.map((s) => s.id)).toEqual(["sec_b", "sec_a"]);
    expect(store.moveSelection("left")).toMatchObject({ ok: false });
    store.select("tab_more");
    store.moveSelection("left");
    expect(store.document.tabs.map((tab) => tab.id)).toEqual(["tab_more", "tab_main"]);
    expect(store.moveSelection("left")).toMatchObject({ ok: false, reason: "This is already the first tab." });
  });
});
