import type { FlowRunError, FlowStep } from "@/server/automation/runtime/flow-interpreter";
import type { FlowRunRow } from "@/server/automation/runtime/flow-runs";
import { FLOW_START_ID, type FlowDef, type FlowVariable } from "@/spec/flow";
import { edgeKey } from "./flow-designer-store";

/**
 * The debugger's state in the designer, outside React (like the designer's document store):
 * the breakpoints the developer set (kept across runs), and the run being looked at: a live
 * debug run (paused on the server; every command returns the run as it then stands) or a
 * replay of a past run (read-only, from its step log). What the canvas and the panels show is
 * derived here by pure functions: the path taken, the current element, the variables of a frame
 * now or as they were after a chosen step (time travel).
 */

/** A run as `flows.debugView` returns it. */
export type DebugRunView = {
  run: FlowRunRow;
  status: "running" | "paused" | "finished" | "failed";
  error: FlowRunError | null;
  outputs: Record<string, unknown> | null;
  frames: { flow: string; at: string | null; variables: Record<string, unknown> }[];
  debug: { breakpoints?: Record<string, string | null>; rollback?: boolean; ended?: "finished" | "failed" | "stopped" | "timed_out"; rolledBack?: boolean; userId?: string };
  steps: FlowStep[];
  /** The first frame's variables as the run started (time travel replays the log over them). */
  initial: Record<string, unknown> | null;
};

export type DebugSession = {
  /** live: a debug run the developer drives; replay: a past run, read-only. */
  mode: "live" | "replay";
  view: DebugRunView;
  /** The call-stack frame whose variables are shown (0: the flow itself). */
  frame: number;
  /** Time travel: the step whose aftermath is shown, or null for now. */
  step: number | null;
};

export type DebugState = {
  /** element id -> condition formula, or null (always stop). */
  breakpoints: ReadonlyMap<string, string | null>;
  session: DebugSession | null;
};

/** The steps that executed an element (not the debugger's variable edits). */
function executed(step: FlowStep): boolean {
  return step.type !== "variable_edit";
}

/** The elements and edges (edgeKey) the run went through in the flow itself, up to step `until` (all when null). */
export function pathTaken(steps: readonly FlowStep[], until: number | null = null): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const step of steps) {
    if (until !== null && step.seq > until) break;
    if (step.depth !== 0 || !executed(step)) continue;
    if (nodes.size === 0) {
      nodes.add(FLOW_START_ID);
      edges.add(edgeKey({ source: FLOW_START_ID, handle: "next" }));
    }
    nodes.add(step.element);
    if (step.handle) edges.add(edgeKey({ source: step.element, handle: step.handle }));
  }
  return { nodes, edges };
}

/**
 * The element of the flow itself to highlight: where the run is paused (now), or the element of
 * the chosen step (inside a subflow: the subflow element that called it).
 */
export function currentElement(session: DebugSession): string | null {
  const { view, step } = session;
  if (step === null) return view.status === "paused" ? (view.frames[0]?.at ?? null) : null;
  const index = view.steps.findIndex((candidate) => candidate.seq === step);
  for (let i = index; i >= 0; i--) {
    const candidate = view.steps[i]!;
    if (candidate.depth === 0) return candidate.element;
  }
  return null;
}

/**
 * A frame's variables after step `seq` (time travel): the flow's starting variables with every
 * change its log records up to there. A subflow frame (depth > 0) shows what changed in it since
 * it was called (its starting variables are not logged).
 */
export function variablesAfter(initial: Record<string, unknown> | null, steps: readonly FlowStep[], seq: number, depth = 0): Record<string, unknown> {
  const variables: Record<string, unknown> = depth === 0 ? structuredClone(initial ?? {}) : {};
  for (const step of steps) {
    if (step.seq > seq) break;
    if (depth > 0 && step.depth < depth) {
      // Left (or not yet in) the subflow: its variables start again at the next call.
      for (const name of Object.keys(variables)) delete variables[name];
      continue;
    }
    if (step.depth === depth) Object.assign(variables, step.changed);
  }
  return variables;
}

/** The flow's variables just before step `seq` ran (what "Rerun from here" starts with). */
export function variablesBefore(initial: Record<string, unknown> | null, steps: readonly FlowStep[], seq: number): Record<string, unknown> {
  return variablesAfter(initial, steps.filter((step) => step.seq < seq), seq);
}

/** The call stack of a step: the frames it ran in (the flow itself first), for time travel. */
export function stackAt(steps: readonly FlowStep[], seq: number): { flow: string; at: string }[] {
  const stack: { flow: string; at: string }[] = [];
  for (const step of steps) {
    if (step.seq > seq) break;
    stack.length = Math.min(stack.length, step.depth);
    stack[step.depth] = { flow: step.flow, at: step.element };
  }
  return stack;
}

/** What the debug toolbar says about the run. */
export function runStatusText(view: DebugRunView, labelOf: (flow: string, element: string) => string = (_, element) => element): string {
  const ended = view.debug.ended;
  const rolledBack = view.debug.rolledBack ? " · changes rolled back" : "";
  const where = (error: FlowRunError) => (error.element ? ` at ${labelOf(error.flow, error.element)}` : "");
  if (view.status === "paused") {
    const top = view.frames.at(-1)!;
    if (top.at !== null) return `Paused at ${labelOf(top.flow, top.at)}`;
    const what = view.frames.length > 1 ? `subflow ${top.flow}` : "the flow";
    return `Paused at the end of ${what}${view.debug.rollback ? " (its changes are rolled back when it ends)" : ""}`;
  }
  if (ended === "stopped") return `Stopped${view.error ? where(view.error) : ""}${rolledBack}`;
  if (ended === "timed_out") return `Stopped: left paused too long${rolledBack}`;
  if (view.status === "failed") return `Failed${view.error ? `${where(view.error)}: ${view.error.message}` : ""}${rolledBack}`;
  if (view.status === "finished") return `Finished${rolledBack}`;
  return view.status === "running" ? "Running…" : view.status;
}

/** Whether the developer may drive the run: a live debug run still paused. */
export function canDrive(session: DebugSession | null): boolean {
  return !!session && session.mode === "live" && session.view.status === "paused" && session.step === null;
}

/** A value of a variable as typed in the inspector, or why it is not one (the server checks again). */
export function parseVariableInput(variable: Pick<FlowVariable, "type" | "object">, text: string): { value: unknown } | { message: string } {
  const trimmed = text.trim();
  if (trimmed === "" && variable.type !== "text") return { value: variable.type === "records" ? [] : null };
  switch (variable.type) {
    case "text":
      return { value: text };
    case "number": {
      const number = Number(trimmed.replace(/,/g, ""));
      return Number.isFinite(number) && !/^0x/i.test(trimmed) ? { value: number } : { message: "must be a number" };
    }
    case "boolean":
      return trimmed === "true" ? { value: true } : trimmed === "false" ? { value: false } : { message: "must be true or false" };
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? { value: trimmed } : { message: "must be a date written YYYY-MM-DD" };
    case "datetime":
      return Number.isNaN(Date.parse(trimmed)) ? { message: "must be a date and time (2026-12-07T10:00:00Z)" } : { value: new Date(trimmed).toISOString() };
    case "record":
      return { value: trimmed };
    case "records": {
      const ids = trimmed.split(/[\s,]+/).filter(Boolean);
      return { value: ids };
    }
  }
}

/** A variable's value as the inspector's text field shows it (records by id). */
export function variableInputText(variable: Pick<FlowVariable, "type">, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (variable.type === "record") return typeof value === "object" && "id" in value ? String((value as { id: unknown }).id ?? "") : String(value);
  if (variable.type === "records") return Array.isArray(value) ? value.map((item) => (item && typeof item === "object" && "id" in item ? String((item as { id: unknown }).id) : String(item))).join(", ") : "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

type Listener = () => void;

/**
 * The debugger's store: breakpoints, and the session shown. Commands are small and synchronous;
 * the component calls the server and hands the run it returns to `showRun`.
 */
export class FlowDebugStore {
  private state: DebugState = { breakpoints: new Map(), session: null };
  private readonly listeners = new Set<Listener>();

  constructor(private readonly flow: string) {}

  get snapshot(): DebugState {
    return this.state;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): DebugState => this.state;

  private set(next: Partial<DebugState>) {
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }

  /** Sets or clears an (unconditional) breakpoint on an element; returns whether one is set now. */
  toggleBreakpoint(element: string): boolean {
    const breakpoints = new Map(this.state.breakpoints);
    const set = !breakpoints.has(element);
    if (set) breakpoints.set(element, null);
    else breakpoints.delete(element);
    this.set({ breakpoints });
    return set;
  }

  /** A breakpoint's condition (empty: always stop). */
  setCondition(element: string, condition: string) {
    const breakpoints = new Map(this.state.breakpoints);
    breakpoints.set(element, condition.trim() === "" ? null : condition);
    this.set({ breakpoints });
  }

  /** Drops breakpoints on elements the flow no longer has. */
  prune(flow: FlowDef) {
    const ids = new Set(flow.elements.map((element) => element.id));
    if ([...this.state.breakpoints.keys()].every((id) => ids.has(id))) return;
    this.set({ breakpoints: new Map([...this.state.breakpoints].filter(([id]) => ids.has(id))) });
  }

  /** The breakpoints as the server takes them (`flow/element` -> condition). */
  serverBreakpoints(): Record<string, string | null> {
    return Object.fromEntries([...this.state.breakpoints].map(([element, condition]) => [`${this.flow}/${element}`, condition]));
  }

  /**
   * Shows a run as it now stands, at its innermost frame (where it paused, as VS Code does);
   * `keepFrame` (after a variable edit or a breakpoint change: the run did not move) keeps the
   * chosen frame of the same run.
   */
  showRun(view: DebugRunView, mode: DebugSession["mode"], keepFrame = false) {
    const previous = this.state.session;
    const top = Math.max(0, view.frames.length - 1);
    const frame = keepFrame && previous?.view.run.id === view.run.id && previous.frame <= top ? previous.frame : top;
    this.set({ session: { mode, view, frame, step: null } });
  }

  selectFrame(frame: number) {
    const session = this.state.session;
    if (!session || frame < 0 || frame >= session.view.frames.length) return;
    this.set({ session: { ...session, frame, step: null } });
  }

  /** Time travel: show the state after a step (null: back to now). */
  selectStep(seq: number | null) {
    const session = this.state.session;
    if (!session) return;
    if (seq !== null && !session.view.steps.some((step) => step.seq === seq)) return;
    this.set({ session: { ...session, step: seq } });
  }

  close() {
    this.set({ session: null });
  }
}
