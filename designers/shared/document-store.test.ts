import { describe, expect, it } from "vitest";
import { DocumentStore } from "./document-store";

type Doc = { title: string; items: string[] };

class ListStore extends DocumentStore<Doc> {
  setTitle(title: string) {
    return this.apply("Rename", (doc) => (doc.title === title ? doc : { ...doc, title }), { coalesceKey: "title" });
  }
  add(item: string) {
    return this.apply(`Add ${item}`, (doc) => ({ ...doc, items: [...doc.items, item] }));
  }
  move(from: number, to: number) {
    return this.apply("Move", (doc) => {
      const items = [...doc.items];
      const [item] = items.splice(from, 1);
      items.splice(to, 0, item!);
      return { ...doc, items };
    });
  }
}

function make(options: { historyLimit?: number } = {}) {
  let clock = 1000;
  const store = new ListStore({ title: "A", items: ["x"] }, { baseRevision: 2, now: () => clock, coalesceMs: 500, ...options });
  return { store, tick: (ms: number) => (clock += ms) };
}

describe("DocumentStore commands and undo/redo", () => {
  it("applies commands, tracks dirty against the saved document, and notifies subscribers once per change", () => {
    const { store } = make();
    let notified = 0;
    const unsubscribe = store.subscribe(() => (notified += 1));
    const before = store.getSnapshot();
    expect(store.setTitle("A")).toBe(false);
    expect(store.getSnapshot()).toBe(before);
    expect(store.add("y")).toBe(true);
    expect(store.getSnapshot()).toMatchObject({ document: { items: ["x", "y"] }, dirty: true, canUndo: true, undoLabel: "Add y", baseRevision: 2 });
    expect(notified).toBe(1);
    unsubscribe();
    store.add("z");
    expect(notified).toBe(1);
  });

  it("undoes and redoes, a new command clears the redo stack, and going back to the saved document is clean", () => {
    const { store } = make();
    store.add("y");
    store.add("z");
    expect(store.undo()).toBe(true);
    expect(store.getSnapshot()).toMatchObject({ document: { items: ["x", "y"] }, canRedo: true, redoLabel: "Add z" });
    expect(store.undo()).toBe(true);
    expect(store.dirty).toBe(false);
    expect(store.undo()).toBe(false);
    expect(store.redo()).toBe(true);
    expect(store.document.items).toEqual(["x", "y"]);
    store.add("w");
    expect(store.getSnapshot().canRedo).toBe(false);
    expect(store.redo()).toBe(false);
    expect(store.historyLabels).toEqual(["Add y", "Add w"]);
  });

  it("coalesces rapid edits with one key into one entry, but not after a pause, a save or another command", () => {
    const { store, tick } = make();
    store.setTitle("Ab");
    tick(100);
    store.setTitle("Abc");
    expect(store.historyLabels).toEqual(["Rename"]);
    tick(600);
    store.setTitle("Abcd");
    expect(store.historyLabels).toEqual(["Rename", "Rename"]);
    store.markSaved(store.document, 3);
    tick(10);
    store.setTitle("Abcde");
    expect(store.historyLabels).toHaveLength(3);
    store.add("y");
    tick(10);
    store.setTitle("Z");
    expect(store.historyLabels).toEqual(["Rename", "Rename", "Rename", "Add y", "Rename"]);
    store.undo();
    store.undo();
    expect(store.document.title).toBe("Abcde");
    // A redone entry never absorbs the next keystroke.
    store.redo();
    store.setTitle("Abcdef");
    expect(store.historyLabels).toEqual(["Rename", "Rename", "Rename", "Add y", "Rename"]);
    expect(store.historyLabels).toHaveLength(5);
  });

  it("keeps at most historyLimit entries", () => {
    const { store } = make({ historyLimit: 2 });
    store.add("a");
    store.add("b");
    store.add("c");
    expect(store.historyLabels).toEqual(["Add b", "Add c"]);
  });

  it("markSaved keeps the document and history; load replaces both; replace is one undoable command", () => {
    const { store } = make();
    store.add("y");
    store.markSaved(store.document, 7);
    expect(store.getSnapshot()).toMatchObject({ dirty: false, baseRevision: 7, canUndo: true });
    expect(store.savedDocument.items).toEqual(["x", "y"]);
    store.undo();
    expect(store.dirty).toBe(true);
    store.load({ title: "B", items: [] }, 9);
    expect(store.getSnapshot()).toMatchObject({ document: { title: "B" }, dirty: false, canUndo: false, canRedo: false, baseRevision: 9 });
    expect(store.replace("Restore", { title: "B", items: [] })).toBe(false);
    expect(store.replace("Restore", { title: "C", items: ["q"] })).toBe(true);
    expect(store.getSnapshot()).toMatchObject({ undoLabel: "Restore", dirty: true });
    store.undo();
    expect(store.document.title).toBe("B");
  });
});

describe("DocumentStore history marks", () => {
  it("squashToMark turns the commands since the mark into one undo step", () => {
    const { store } = make();
    store.add("y");
    const mark = store.mark();
    store.add("z");
    store.move(2, 0);
    store.move(0, 1);
    store.squashToMark(mark, "Drag z");
    expect(store.historyLabels).toEqual(["Add y", "Drag z"]);
    expect(store.document.items).toEqual(["x", "z", "y"]);
    store.undo();
    expect(store.document.items).toEqual(["x", "y"]);
    store.redo();
    expect(store.document.items).toEqual(["x", "z", "y"]);
  });

  it("squashToMark does nothing when nothing happened since the mark or the history was rewritten", () => {
    const { store } = make();
    const mark = store.mark();
    store.squashToMark(mark, "Nothing");
    expect(store.historyLabels).toEqual([]);
    store.add("y");
    store.undo();
    store.add("z");
    // The entry at the mark's depth is "Add z", whose before is still the marked document: squashing is safe.
    store.squashToMark(mark, "Only z");
    expect(store.historyLabels).toEqual(["Only z"]);
    const late = store.mark();
    store.undo();
    store.add("w");
    store.squashToMark(late, "Stale");
    expect(store.historyLabels).toEqual(["Add w"]);
  });

  it("bailToMark throws away everything since the mark, without redo", () => {
    const { store } = make();
    store.add("y");
    const mark = store.mark();
    store.move(1, 0);
    store.add("z");
    store.bailToMark(mark);
    expect(store.document.items).toEqual(["x", "y"]);
    expect(store.historyLabels).toEqual(["Add y"]);
    expect(store.getSnapshot().canRedo).toBe(false);
    // Bailing to a mark that no longer matches the history leaves the document alone.
    const stale = store.mark();
    store.undo();
    store.add("q");
    store.bailToMark(stale);
    expect(store.document.items).toEqual(["x", "q"]);
  });

  it("batch runs several commands as one undo step, and an empty batch adds nothing", () => {
    const { store } = make();
    store.batch("Add two", () => {
      store.add("a");
      store.add("b");
    });
    expect(store.historyLabels).toEqual(["Add two"]);
    store.batch("Nothing", () => undefined);
    expect(store.historyLabels).toEqual(["Add two"]);
    store.undo();
    expect(store.document.items).toEqual(["x"]);
    expect(store.dirty).toBe(false);
  });
});
