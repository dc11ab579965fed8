import { elementHandles } from "@/server/automation/flow-check";
import { FLOW_START_ID, type FlowDef, type FlowEdge, type FlowElement, type FlowElementType, type FlowStart, type FlowVariable } from "@/spec/flow";
import { DocumentStore, type CommandOptions, type DocumentStoreOptions } from "@/designers/shared/document-store";
import { newElement, uniqueElementId } from "./flow-elements";

export type Position = { x: number; y: number };
/** Copied elements and the edges between them. */
export type FlowClip = { elements: FlowElement[]; edges: FlowEdge[] };
export type FlowPropsPatch = Partial<Pick<FlowDef, "label" | "description" | "runAs">>;

/** An edge's key on the canvas: one edge per source handle, so source and handle name it. */
export function edgeKey(edge: Pick<FlowEdge, "source" | "handle">): string {
  return `${edge.source}:${edge.handle}`;
}

/** Edges whose source still has their handle (a removed outcome takes its edge along). */
function pruneEdges(flow: FlowDef): FlowEdge[] {
  const handles = new Map<string, string[]>([[FLOW_START_ID, ["next"]]]);
  for (const element of flow.elements) handles.set(element.id, elementHandles(element));
  const kept = flow.edges.filter((edge) => handles.get(edge.source)?.includes(edge.handle) && handles.has(edge.target));
  return kept.length === flow.edges.length ? flow.edges : kept;
}

function samePosition(a: Position, b: Position): boolean {
  return a.x === b.x && a.y === b.y;
}

/**
 * The flow designer's document: a FlowDef with one named command per edit ("Add Decision",
 * "Connect decision_1 → assignment_2", "Move 2 elements"…), undo/redo from DocumentStore.
 * Edges stay consistent with the elements: removing an element or a way out removes its edges.
 */
export class FlowDesignerStore extends DocumentStore<FlowDef> {
  constructor(initial: FlowDef, options?: DocumentStoreOptions) {
    super(initial, options);
  }

  protected override apply(label: string, recipe: (document: FlowDef) => FlowDef, options?: CommandOptions): boolean {
    return super.apply(label, (flow) => {
      const next = recipe(flow);
      if (next === flow) return flow;
      const edges = pruneEdges(next);
      return edges === next.edges ? next : { ...next, edges };
    }, options);
  }

  element(id: string): FlowElement | undefined {
    return this.document.elements.find((element) => element.id === id);
  }

  // --- the flow ------------------------------------------------------------------------------

  setProps(patch: FlowPropsPatch, options?: CommandOptions): boolean {
    const keys = Object.keys(patch) as (keyof FlowPropsPatch)[];
    const label = keys.length === 1 ? { label: "Rename flow", description: "Edit description", runAs: "Change run context" }[keys[0]!] : "Edit flow settings";
    return this.apply(label, (flow) => {
      if (keys.every((key) => flow[key] === patch[key])) return flow;
      const next: FlowDef = { ...flow, ...patch };
      if ("description" in patch && patch.description === undefined) delete next.description;
      return next;
    }, options);
  }

  /** Replaces the start (keeping its position on the canvas). */
  setStart(start: FlowStart, options?: CommandOptions): boolean {
    return this.apply("Edit start", (flow) => {
      const next = { ...start, position: flow.start.position } as FlowStart;
      return JSON.stringify(next) === JSON.stringify(flow.start) ? flow : { ...flow, start: next };
    }, options);
  }

  // --- variables -----------------------------------------------------------------------------

  addVariable(variable: FlowVariable): boolean {
    return this.apply(`Add variable ${variable.name}`, (flow) => ({ ...flow, variables: [...flow.variables, variable] }));
  }

  updateVariable(index: number, variable: FlowVariable, options?: CommandOptions): boolean {
    if (!this.document.variables[index]) return false;
    return this.apply(`Edit variable ${variable.name}`, (flow) => {
      if (JSON.stringify(flow.variables[index]) === JSON.stringify(variable)) return flow;
      return { ...flow, variables: flow.variables.map((current, i) => (i === index ? variable : current)) };
    }, options);
  }

  removeVariable(index: number): boolean {
    const variable = this.document.variables[index];
    if (!variable) return false;
    return this.apply(`Remove variable ${variable.name}`, (flow) => ({ ...flow, variables: flow.variables.filter((_, i) => i !== index) }));
  }

  // --- elements ------------------------------------------------------------------------------

  /** Adds a new element of `type` at `position`; returns its id. */
  addElement(type: FlowElementType, position: Position): string {
    const id = uniqueElementId(this.document, type);
    this.apply(`Add ${type.replace("_", " ")}`, (flow) => ({ ...flow, elements: [...flow.elements, newElement(type, id, position)] }));
    return id;
  }

  /** Changes one element (not its id: see renameElement). Ways out it no longer has lose their edges. */
  updateElement(id: string, change: (element: FlowElement) => FlowElement, options?: CommandOptions): boolean {
    const index = this.document.elements.findIndex((element) => element.id === id);
    if (index < 0) return false;
    return this.apply(`Edit ${id}`, (flow) => {
      const before = flow.elements[index]!;
      const after = { ...change(before), id: before.id } as FlowElement;
      if (JSON.stringify(after) === JSON.stringify(before)) return flow;
      return { ...flow, elements: flow.elements.map((element, i) => (i === index ? after : element)) };
    }, options);
  }

  /** Gives an element a new id, and its edges and the edges into it with it. Refuses a taken id. */
  renameElement(id: string, next: string): boolean {
    if (id === next || next === FLOW_START_ID || this.element(next) || !this.element(id)) return false;
    return this.apply(`Rename ${id} to ${next}`, (flow) => ({
      ...flow,
      elements: flow.elements.map((element) => (element.id === id ? { ...element, id: next } : element)),
      edges: flow.edges.map((edge) => ({ ...edge, source: edge.source === id ? next : edge.source, target: edge.target === id ? next : edge.target })),
    }));
  }

  /** A decision's outcome gets a new id: its edge follows it. Refuses an id in use (or `default`). */
  renameOutcome(elementId: string, outcomeId: string, next: string): boolean {
    const element = this.element(elementId);
    if (element?.type !== "decision" || next === "default" || element.outcomes.some((outcome) => outcome.id === next)) return false;
    if (!element.outcomes.some((outcome) => outcome.id === outcomeId)) return false;
    return this.apply(`Rename outcome ${outcomeId}`, (flow) => ({
      ...flow,
      elements: flow.elements.map((candidate) =>
        candidate.id === elementId && candidate.type === "decision"
          ? { ...candidate, outcomes: candidate.outcomes.map((outcome) => (outcome.id === outcomeId ? { ...outcome, id: next } : outcome)) }
          : candidate,
      ),
      edges: flow.edges.map((edge) => (edge.source === elementId && edge.handle === outcomeId ? { ...edge, handle: next } : edge)),
    }));
  }

  /** Removes elements (the start stays) and edges (by edgeKey), and every edge into or out of a removed element. */
  remove(elementIds: readonly string[], edgeKeys: readonly string[] = []): boolean {
    const elements = new Set(elementIds.filter((id) => id !== FLOW_START_ID));
    const edges = new Set(edgeKeys);
    const count = elements.size + edges.size;
    const what = elements.size === 1 && edges.size === 0 ? [...elements][0]! : elements.size === 0 && edges.size === 1 ? "connection" : `${count} items`;
    return this.apply(`Delete ${what}`, (flow) => {
      const keptElements = flow.elements.filter((element) => !elements.has(element.id));
      const keptEdges = flow.edges.filter((edge) => !edges.has(edgeKey(edge)) && !elements.has(edge.source) && !elements.has(edge.target));
      if (keptElements.length === flow.elements.length && keptEdges.length === flow.edges.length) return flow;
      return { ...flow, elements: keptElements, edges: keptEdges };
    });
  }

  /** The elements with these ids and the edges between them (what copy keeps). */
  copy(ids: readonly string[]): FlowClip {
    const chosen = new Set(ids);
    return {
      elements: this.document.elements.filter((element) => chosen.has(element.id)),
      edges: this.document.edges.filter((edge) => chosen.has(edge.source) && chosen.has(edge.target)),
    };
  }

  /** Adds copies of `clip`'s elements moved by `offset`, with fresh ids, and their edges between them; returns the new ids. */
  paste(clip: FlowClip, offset: Position): string[] {
    if (clip.elements.length === 0) return [];
    const ids = new Map<string, string>();
    let flow = this.document;
    const added: FlowElement[] = [];
    for (const element of clip.elements) {
      const id = uniqueElementId(flow, element.type);
      ids.set(element.id, id);
      const copy = { ...element, id, position: { x: element.position.x + offset.x, y: element.position.y + offset.y } } as FlowElement;
      added.push(copy);
      flow = { ...flow, elements: [...flow.elements, copy] };
    }
    const edges = clip.edges.map((edge) => ({ ...edge, source: ids.get(edge.source)!, target: ids.get(edge.target)! }));
    this.apply(added.length === 1 ? `Paste ${added[0]!.id}` : `Paste ${added.length} elements`, (current) => ({
      ...current, elements: [...current.elements, ...added], edges: [...current.edges, ...edges],
    }));
    return added.map((element) => element.id);
  }

  // --- edges ---------------------------------------------------------------------------------

  /**
   * Connects `source`'s way out `handle` to `target`, replacing where that way out led before
   * (one edge per source handle). Refuses ways out the source does not have, and edges into the
   * start or from an element to itself.
   */
  connect(source: string, handle: string, target: string): boolean {
    if (source === target || target === FLOW_START_ID || !this.element(target)) return false;
    const from = source === FLOW_START_ID ? ({ type: "start" } as const) : this.element(source);
    if (!from || !elementHandles(from).includes(handle)) return false;
    return this.apply(`Connect ${source} → ${target}`, (flow) => {
      const existing = flow.edges.find((edge) => edge.source === source && edge.handle === handle);
      if (existing?.target === target) return flow;
      const edge: FlowEdge = { source, handle, target };
      return { ...flow, edges: existing ? flow.edges.map((other) => (other === existing ? edge : other)) : [...flow.edges, edge] };
    });
  }

  // --- positions -----------------------------------------------------------------------------

  /** Moves elements (and the start, id `start`) to new positions, as one command. */
  move(positions: ReadonlyMap<string, Position>, label = positions.size === 1 ? `Move ${[...positions.keys()][0]}` : `Move ${positions.size} elements`, options?: CommandOptions): boolean {
    return this.apply(label, (flow) => {
      let changed = false;
      const start = positions.get(FLOW_START_ID);
      const nextStart = start && !samePosition(start, flow.start.position) ? ((changed = true), { ...flow.start, position: start }) : flow.start;
      const elements = flow.elements.map((element) => {
        const position = positions.get(element.id);
        if (!position || samePosition(position, element.position)) return element;
        changed = true;
        return { ...element, position };
      });
      return changed ? { ...flow, start: nextStart, elements } : flow;
    }, options);
  }

  /** Moves the given nodes by (dx, dy): the arrow keys. Nudges in a row are one undo step. */
  nudge(ids: readonly string[], dx: number, dy: number): boolean {
    const positions = new Map<string, Position>();
    for (const id of ids) {
      const position = id === FLOW_START_ID ? this.document.start.position : this.element(id)?.position;
      if (position) positions.set(id, { x: position.x + dx, y: position.y + dy });
    }
    if (positions.size === 0) return false;
    return this.move(positions, positions.size === 1 ? `Nudge ${ids[0]}` : `Nudge ${positions.size} elements`, { coalesceKey: `nudge:${[...positions.keys()].sort().join(",")}` });
  }
}
