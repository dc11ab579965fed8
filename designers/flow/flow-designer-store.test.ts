import { describe, expect, it } from "vitest";
import { flowSchema, type FlowDef } from "@/spec/flow";
import { elementHandles } from "@/server/automation/flow-check";
import { FlowDesignerStore, edgeKey } from "./flow-designer-store";
import { placeFlowIssues } from "./flow-issues";

function emptyFlow(): FlowDef {
  return flowSchema.parse({ name: "f", label: "F", start: { type: "record", object: "deal", when: "after_save", on: "create" } });
}

function storeWith(flow = emptyFlow()) {
  let now = 0;
  return { store: new FlowDesignerStore(flow, { now: () => (now += 10) }), later: () => (now += 5000) };
}

describe("FlowDesignerStore", () => {
  it("adds elements with unique ids at the drop position, one undo step each", () => {
    const { store } = storeWith();
    const a = store.addElement("assignment", { x: 10, y: 20 });
    const b = store.addElement("assignment", { x: 30, y: 40 });
    const d = store.addElement("decision", { x: 0, y: 0 });
    expect([a, b, d]).toEqual(["assignment_1", "assignment_2", "decision_1"]);
    expect(store.element(b)!.position).toEqual({ x: 30, y: 40 });
    expect(store.historyLabels).toHaveLength(3);
    store.undo();
    expect(store.element(d)).toBeUndefined();
    // A freed id is given again.
    expect(store.addElement("decision", { x: 0, y: 0 })).toBe("decision_1");
  });

  it("keeps one edge per source handle and refuses ways out an element does not have", () => {
    const { store } = storeWith();
    const a = store.addElement("assignment", { x: 0, y: 0 });
    const b = store.addElement("create_record", { x: 0, y: 100 });
    const c = store.addElement("custom_error", { x: 0, y: 200 });
    expect(store.connect("start", "next", a)).toBe(true);
    expect(store.connect(a, "next", b)).toBe(true);
    expect(store.connect(a, "next", c)).toBe(true);
    expect(store.document.edges.filter((edge) => edge.source === a)).toEqual([{ source: a, handle: "next", target: c }]);
    expect(store.connect(a, "fault", b)).toBe(false);
    expect(store.connect(b, "fault", c)).toBe(true);
    expect(store.connect(c, "next", a)).toBe(false);
    expect(store.connect(a, "next", a)).toBe(false);
    expect(store.connect(a, "next", "start")).toBe(false);
    // Every edge left leaves through a handle its source has.
    for (const edge of store.document.edges) {
      const source = edge.source === "start" ? ({ type: "start" } as const) : store.element(edge.source)!;
      expect(elementHandles(source)).toContain(edge.handle);
    }
  });

  it("removing an element removes its edges; undo brings both back", () => {
    const { store } = storeWith();
    const a = store.addElement("assignment", { x: 0, y: 0 });
    const b = store.addElement("assignment", { x: 0, y: 100 });
    store.connect("start", "next", a);
    store.connect(a, "next", b);
    const before = store.document;
    expect(store.remove([a])).toBe(true);
    expect(store.document.elements.map((element) => element.id)).toEqual([b]);
    expect(store.document.edges).toEqual([]);
    store.undo();
    expect(store.document).toBe(before);
    expect(store.remove(["start"])).toBe(false);
    expect(store.remove([], [edgeKey({ source: a, handle: "next" })])).toBe(true);
    expect(store.document.edges).toEqual([{ source: "start", handle: "next", target: a }]);
  });

  it("a decision's removed outcome takes its edge; a renamed one keeps it", () => {
    const { store } = storeWith();
    const d = store.addElement("decision", { x: 0, y: 0 });
    const a = store.addElement("assignment", { x: 0, y: 100 });
    const b = store.addElement("assignment", { x: 100, y: 100 });
    store.updateElement(d, (element) => (element.type === "decision" ? { ...element, outcomes: [...element.outcomes, { id: "big", label: "Big", condition: "true" }] } : element));
    store.connect(d, "outcome_1", a);
    store.connect(d, "big", b);
    expect(store.renameOutcome(d, "big", "large")).toBe(true);
    expect(store.renameOutcome(d, "large", "default")).toBe(false);
    expect(store.document.edges).toContainEqual({ source: d, handle: "large", target: b });
    store.updateElement(d, (element) => (element.type === "decision" ? { ...element, outcomes: element.outcomes.filter((outcome) => outcome.id !== "outcome_1") } : element));
    expect(store.document.edges).toEqual([{ source: d, handle: "large", target: b }]);
  });

  it("renaming an element carries its edges and refuses a taken id", () => {
    const { store } = storeWith();
    const a = store.addElement("assignment", { x: 0, y: 0 });
    const b = store.addElement("assignment", { x: 0, y: 100 });
    store.connect("start", "next", a);
    store.connect(a, "next", b);
    expect(store.renameElement(a, b)).toBe(false);
    expect(store.renameElement(a, "start")).toBe(false);
    expect(store.renameElement(a, "set_total")).toBe(true);
    expect(store.document.edges).toEqual([{ source: "start", handle: "next", target: "set_total" }, { source: "set_total", handle: "next", target: b }]);
  });

  it("nudges in a row are one undo step; a drag squashed to its mark is one too", () => {
    const { store, later } = storeWith();
    const a = store.addElement("assignment", { x: 0, y: 0 });
    store.nudge([a], 10, 0);
    store.nudge([a], 10, 0);
    store.nudge([a, "start"], 0, 10);
    expect(store.element(a)!.position).toEqual({ x: 20, y: 10 });
    expect(store.document.start.position).toEqual({ x: 0, y: 10 });
    expect(store.historyLabels).toEqual(["Add assignment", "Nudge assignment_1", "Nudge 2 elements"]);
    later();
    const mark = store.mark();
    for (let x = 1; x <= 5; x++) store.move(new Map([[a, { x: 20 + x, y: 10 }]]));
    store.squashToMark(mark, "Move assignment_1");
    expect(store.historyLabels.at(-1)).toBe("Move assignment_1");
    store.undo();
    expect(store.element(a)!.position).toEqual({ x: 20, y: 10 });
    store.redo();
    expect(store.element(a)!.position).toEqual({ x: 25, y: 10 });
  });

  it("is dirty after an edit and clean again after undoing it", () => {
    const { store } = storeWith();
    store.setProps({ label: "Other" });
    expect(store.getSnapshot().dirty).toBe(true);
    store.undo();
    expect(store.getSnapshot().dirty).toBe(false);
  });

  it("pastes copies with fresh ids, the edges between them, and nothing else", () => {
    const { store } = storeWith();
    const a = store.addElement("assignment", { x: 0, y: 0 });
    const d = store.addElement("decision", { x: 0, y: 100 });
    store.connect("start", "next", a);
    store.connect(a, "next", d);
    const clip = store.copy([a, d]);
    expect(clip.edges).toEqual([{ source: a, handle: "next", target: d }]);
    const pasted = store.paste(clip, { x: 40, y: 40 });
    expect(pasted).toEqual(["assignment_2", "decision_2"]);
    expect(store.element("decision_2")!.position).toEqual({ x: 40, y: 140 });
    expect(store.document.edges).toEqual([
      { source: "start", handle: "next", target: a }, { source: a, handle: "next", target: d }, { source: "assignment_2", handle: "next", target: "decision_2" },
    ]);
    expect(store.historyLabels.at(-1)).toBe("Paste 2 elements");
    store.undo();
    expect(store.document.elements.map((element) => element.id)).toEqual([a, d]);
  });

  it("changes the start keeping its position", () => {
    const { store } = storeWith();
    store.move(new Map([["start", { x: 5, y: 6 }]]));
    store.setStart({ type: "autolaunched", position: { x: 0, y: 0 } });
    expect(store.document.start).toEqual({ type: "autolaunched", position: { x: 5, y: 6 } });
  });
});

describe("placeFlowIssues", () => {
  it("puts issues on the element, the start or an edge's source, by the document they were found in", () => {
    const { store } = storeWith();
    const a = store.addElement("assignment", { x: 0, y: 0 });
    const b = store.addElement("create_record", { x: 0, y: 0 });
    store.connect(a, "next", b);
    const placed = placeFlowIssues(store.document, [
      { path: ["elements", 1, "values", 0, "value"], message: "bad value" },
      { path: ["start", "condition"], message: "bad condition" },
      { path: ["edges", 0, "target"], message: "bad edge" },
      { path: ["variables", 0, "object"], message: "bad variable" },
      { path: ["label"], message: "bad label" },
    ]);
    expect(placed.map(({ node, property }) => [node, property])).toEqual([
      [b, "values.0.value"], ["start", "condition"], [a, "edges.0.target"], ["variables", "0.object"], [null, "label"],
    ]);
  });
});

describe("layoutFlow", () => {
  it("puts every node below the nodes that lead to it, without overlaps", async () => {
    const { layoutFlow, NODE_HEIGHT, NODE_WIDTH } = await import("./flow-layout");
    const { store } = storeWith();
    const d = store.addElement("decision", { x: 0, y: 0 });
    const a = store.addElement("assignment", { x: 0, y: 0 });
    const b = store.addElement("assignment", { x: 0, y: 0 });
    const e = store.addElement("custom_error", { x: 0, y: 0 });
    store.connect("start", "next", d);
    store.connect(d, "outcome_1", a);
    store.connect(d, "default", b);
    store.connect(a, "next", e);
    const positions = layoutFlow(store.document);
    expect(positions.size).toBe(5);
    for (const edge of store.document.edges) expect(positions.get(edge.target)!.y).toBeGreaterThan(positions.get(edge.source)!.y);
    const boxes = [...positions.values()];
    for (const [i, one] of boxes.entries()) {
      for (const other of boxes.slice(i + 1)) {
        const overlap = Math.abs(one.x - other.x) < NODE_WIDTH && Math.abs(one.y - other.y) < NODE_HEIGHT;
        expect(overlap).toBe(false);
      }
    }
  });
});
