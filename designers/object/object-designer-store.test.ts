import { describe, expect, it } from "vitest";
import { fieldSchema, objectSchema, validationRuleSchema, type FieldDef, type ObjectDef } from "@/spec/object";
import { FieldCommandError, newFieldId, ObjectDesignerStore, RuleCommandError } from "./object-designer-store";

function field(input: Record<string, unknown>): FieldDef {
  return fieldSchema.parse(input);
}

function account(): ObjectDef {
  return objectSchema.parse({
    name: "account",
    label: "Account",
    pluralLabel: "Accounts",
    fields: [
      { id: "f1", name: "name", label: "Name", type: "text" },
      { id: "f2", name: "revenue", label: "Revenue", type: "currency" },
    ],
    nameField: "name",
    indexes: [{ fields: ["name"], unique: true }],
  });
}

function makeStore(now?: () => number) {
  return new ObjectDesignerStore(account(), { baseRevision: 3, now });
}

describe("ObjectDesignerStore commands", () => {
  it("starts clean at the loaded revision", () => {
    const store = makeStore();
    const snapshot = store.getSnapshot();
    expect(snapshot.dirty).toBe(false);
    expect(snapshot.canUndo).toBe(false);
    expect(snapshot.canRedo).toBe(false);
    expect(snapshot.baseRevision).toBe(3);
  });

  it("adds a field at the end or at a position", () => {
    const store = makeStore();
    store.addField(field({ id: "f3", name: "phone", label: "Phone", type: "phone" }));
    store.addField(field({ id: "f4", name: "code", label: "Code", type: "text" }), 0);
    expect(store.document.fields.map((f) => f.name)).toEqual(["code", "name", "revenue", "phone"]);
    expect(store.getSnapshot().dirty).toBe(true);
    expect(store.historyLabels).toEqual(["Add field Phone", "Add field Code"]);
  });

  it("refuses a duplicate field name or id", () => {
    const store = makeStore();
    expect(() => store.addField(field({ id: "f9", name: "name", label: "Other", type: "text" }))).toThrow(FieldCommandError);
    expect(() => store.addField(field({ id: "f1", name: "other", label: "Other", type: "text" }))).toThrow(FieldCommandError);
    expect(store.getSnapshot().canUndo).toBe(false);
  });

  it("renaming a field renames it in nameField and indexes, keeping its id", () => {
    const store = makeStore();
    store.updateField("f1", field({ id: "ignored", name: "title", label: "Title", type: "text", maxLength: 80 }));
    const object = store.document;
    expect(object.fields[0]).toMatchObject({ id: "f1", name: "title", maxLength: 80 });
    expect(object.nameField).toBe("title");
    expect(object.indexes[0].fields).toEqual(["title"]);
  });

  it("an update that changes nothing is not a history entry", () => {
    const store = makeStore();
    expect(store.updateField("f2", store.document.fields[1])).toBe(false);
    expect(store.getSnapshot().canUndo).toBe(false);
  });

  it("removing a field clears nameField and drops it from indexes", () => {
    const store = makeStore();
    store.removeField("f1");
    expect(store.document.fields.map((f) => f.id)).toEqual(["f2"]);
    expect(store.document.nameField).toBeUndefined();
    expect(store.document.indexes).toEqual([]);
  });

  it("moves a field", () => {
    const store = makeStore();
    store.addField(field({ id: "f3", name: "phone", label: "Phone", type: "phone" }));
    store.moveField("f3", 0);
    expect(store.document.fields.map((f) => f.id)).toEqual(["f3", "f1", "f2"]);
    expect(store.moveField("f3", 0)).toBe(false);
  });

  it("updates object settings and indexes", () => {
    const store = makeStore();
    store.updateObject({ label: "Customer", pluralLabel: "Customers" });
    store.updateObject({ description: "People we sell to" });
    store.addIndex({ fields: ["revenue"], unique: false });
    store.updateIndex(1, { fields: ["revenue", "name"], unique: false });
    store.removeIndex(0);
    expect(store.document).toMatchObject({ label: "Customer", pluralLabel: "Customers", description: "People we sell to" });
    expect(store.document.indexes).toEqual([{ fields: ["revenue", "name"], unique: false }]);
    store.updateObject({ description: undefined });
    expect("description" in store.document).toBe(false);
    // The result is still a valid object.
    expect(objectSchema.safeParse(store.document).success).toBe(true);
  });

  it("generates field ids that match the spec", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newFieldId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

describe("undo / redo", () => {
  it("undoes and redoes each command as one step", () => {
    const store = makeStore();
    const original = store.document;
    store.addField(field({ id: "f3", name: "phone", label: "Phone", type: "phone" }));
    store.removeField("f2");
    expect(store.getSnapshot().undoLabel).toBe("Remove field Revenue");

    store.undo();
    expect(store.document.fields.map((f) => f.id)).toEqual(["f1", "f2", "f3"]);
    expect(store.getSnapshot().redoLabel).toBe("Remove field Revenue");
    store.undo();
    expect(store.document).toBe(original);
    expect(store.getSnapshot().canUndo).toBe(false);
    expect(store.undo()).toBe(false);

    store.redo();
    store.redo();
    expect(store.document.fields.map((f) => f.id)).toEqual(["f1", "f3"]);
    expect(store.redo()).toBe(false);
  });

  it("a new command clears the redo stack", () => {
    const store = makeStore();
    store.updateObject({ label: "A" });
    store.undo();
    expect(store.getSnapshot().canRedo).toBe(true);
    store.updateObject({ label: "B" });
    expect(store.getSnapshot().canRedo).toBe(false);
  });

  it("coalesces rapid edits with the same key into one entry", () => {
    let time = 0;
    const store = makeStore(() => time);
    store.updateObject({ label: "C" }, { coalesceKey: "label" });
    time += 100;
    store.updateObject({ label: "Cu" }, { coalesceKey: "label" });
    time += 100;
    store.updateObject({ label: "Cus" }, { coalesceKey: "label" });
    expect(store.historyLabels).toHaveLength(1);
    time += 5000;
    store.updateObject({ label: "Cust" }, { coalesceKey: "label" });
    expect(store.historyLabels).toHaveLength(2);
    store.undo();
    expect(store.document.label).toBe("Cus");
    store.undo();
    expect(store.document.label).toBe("Account");
  });

  it("notifies subscribers with a new snapshot on every change", () => {
    const store = makeStore();
    const seen: boolean[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.getSnapshot().canUndo));
    const before = store.getSnapshot();
    store.updateObject({ label: "X" });
    store.undo();
    unsubscribe();
    store.redo();
    expect(seen).toEqual([true, false]);
    expect(store.getSnapshot()).not.toBe(before);
  });
});

describe("dirty flag", () => {
  it("is clean again when undo returns to the saved document", () => {
    const store = makeStore();
    store.updateObject({ label: "X" });
    expect(store.getSnapshot().dirty).toBe(true);
    store.undo();
    expect(store.getSnapshot().dirty).toBe(false);
    store.redo();
    expect(store.getSnapshot().dirty).toBe(true);
  });

  it("markSaved records the new revision and keeps later edits dirty", () => {
    const store = makeStore();
    store.updateObject({ label: "X" });
    const sent = store.document;
    store.updateObject({ pluralLabel: "Xs" }); // edited while the save was in flight
    store.markSaved(sent, 4);
    expect(store.getSnapshot().baseRevision).toBe(4);
    expect(store.getSnapshot().dirty).toBe(true);
    store.undo();
    expect(store.getSnapshot().dirty).toBe(false);
    // History survives a save.
    expect(store.getSnapshot().canUndo).toBe(true);
  });

  it("load replaces the document and clears history", () => {
    const store = makeStore();
    store.updateObject({ label: "X" });
    store.load({ ...account(), label: "Fresh" }, 9);
    const snapshot = store.getSnapshot();
    expect(snapshot).toMatchObject({ dirty: false, canUndo: false, canRedo: false, baseRevision: 9 });
    expect(snapshot.document.label).toBe("Fresh");
  });
});

describe("validation rule commands", () => {
  const rule = (name: string, extra: Record<string, unknown> = {}) =>
    validationRuleSchema.parse({ name, expression: "revenue >= 0", message: "Revenue cannot be negative", ...extra });

  it("adds, edits, deactivates and removes rules, each one undoable", () => {
    const store = makeStore();
    store.addRule(rule("revenue_positive", { errorField: "revenue" }));
    store.addRule(rule("has_name", { expression: "NOT ISBLANK(name)", message: "Name it" }));
    expect(store.document.validationRules.map((r) => r.name)).toEqual(["revenue_positive", "has_name"]);
    store.updateRule(0, rule("revenue_positive", { expression: "revenue > 0" }));
    expect(store.document.validationRules[0]).toMatchObject({ expression: "revenue > 0", active: true });
    expect(store.document.validationRules[0].errorField).toBeUndefined();
    store.setRuleActive(1, false);
    expect(store.document.validationRules[1].active).toBe(false);
    store.removeRule(0);
    expect(store.document.validationRules.map((r) => r.name)).toEqual(["has_name"]);
    expect(store.historyLabels).toEqual([
      "Add rule revenue_positive", "Add rule has_name", "Edit rule revenue_positive", "Deactivate rule has_name", "Remove rule revenue_positive",
    ]);
    expect(objectSchema.safeParse(store.document).success).toBe(true);

    store.undo();
    expect(store.document.validationRules.map((r) => r.name)).toEqual(["revenue_positive", "has_name"]);
    store.undo();
    expect(store.document.validationRules[1].active).toBe(true);
    store.undo();
    expect(store.document.validationRules[0]).toMatchObject({ expression: "revenue >= 0", errorField: "revenue" });
    store.undo();
    store.undo();
    expect(store.document.validationRules).toEqual([]);
    expect(store.getSnapshot().dirty).toBe(false);
    store.redo();
    expect(store.document.validationRules).toHaveLength(1);
  });

  it("refuses duplicate rule names and ignores no-op edits", () => {
    const store = makeStore();
    store.addRule(rule("a"));
    store.addRule(rule("b"));
    expect(() => store.addRule(rule("a"))).toThrow(RuleCommandError);
    expect(() => store.updateRule(1, rule("a"))).toThrow(RuleCommandError);
    expect(() => store.updateRule(5, rule("c"))).toThrow(RuleCommandError);
    expect(store.updateRule(0, rule("a"))).toBe(false);
    expect(store.setRuleActive(0, true)).toBe(false);
    expect(store.removeRule(7)).toBe(false);
    expect(store.historyLabels).toHaveLength(2);
  });

  it("renaming a field renames it in rules' errorField; removing it clears errorField", () => {
    const store = makeStore();
    store.addRule(rule("revenue_positive", { errorField: "revenue" }));
    store.updateField("f2", field({ id: "f2", name: "turnover", label: "Turnover", type: "currency" }));
    expect(store.document.validationRules[0].errorField).toBe("turnover");
    store.removeField("f2");
    expect("errorField" in store.document.validationRules[0]).toBe(false);
    expect(objectSchema.safeParse(store.document).success).toBe(true);
    store.undo();
    expect(store.document.validationRules[0].errorField).toBe("turnover");
  });
});
