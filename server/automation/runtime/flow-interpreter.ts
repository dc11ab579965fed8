import { IS_NEW_VARIABLE, checkFlowExpression, flowScopeObject, soleMergeField, templateParts } from "@/formula/flow-expressions";
import { evaluateFormula, type FormulaValue } from "@/formula/evaluator";
import { numberToText } from "@/formula/semantics";
import type { ObjectLookup, TypedNode } from "@/formula/type-checker";
import { FAULTABLE_ELEMENTS, FLOW_START_ID, flowRecordObject, type FlowDef, type FlowElement, type FlowVariable } from "@/spec/flow";
import type { Filter } from "@/spec/query";
import type { DataRecord, ObjectQL, SecurityContext } from "@/server/objectql";
import type { FlowDebugInfo } from "../debugger/flow-debugger";
import type { MailDelivery } from "@/server/mail/mail-delivery";
import type { ElementContext } from "../elements/element-context";
import { runHttpCallout, type HttpCalloutSettings } from "../elements/http-callout";
import { runScript } from "../elements/script";
import { runSendEmail } from "../elements/send-email";
import { runWait, type EventWait } from "../elements/wait";

/**
 * The flow interpreter: a run is a plain, JSON-serialisable state (a stack of frames, one per
 * flow being run, each with its variables and the element it is at), and `stepFlow` executes
 * exactly one element of it. Everything else is built on that: running to the end, pausing at
 * a breakpoint, stepping into a subflow, persisting each step so a run resumes after a crash
 * (flow-runs.ts), replaying a run from its step log. Data elements go through ObjectQL with the
 * run's security context, so a flow can read and change only what its user could.
 */

export type FlowRecordValue = Record<string, unknown> & { id?: string };
export type FlowValue = FormulaValue | FlowRecordValue | FlowRecordValue[];

export type FlowFrame = {
  flow: string;
  version: number;
  variables: Record<string, FlowValue>;
  /** The element to run next; null when the frame's flow has ended. */
  at: string | null;
  /** How far each loop element is through its collection. */
  loops: Record<string, number>;
};

export type FlowRunError = { message: string; flow: string; element: string | null };

/** A screen a screen flow showed: the run as it was then (what Back returns to) and what the user entered. */
export type ScreenVisit = { flow: string; element: string; frames: FlowFrame[]; values?: Record<string, FlowValue> };

export type FlowRunState = {
  /**
   * paused: a debug run waiting for its next command; waiting: at a wait element, until
   * `wakeAt`; screen: at a screen element, until its user submits it (flow-screens.ts).
   */
  status: "running" | "paused" | "waiting" | "screen" | "finished" | "failed";
  /** A waiting run: when it goes on (ISO); a worker takes it then. */
  wakeAt?: string;
  /** Whose security data elements run under (system for a system-context flow). */
  runAs: SecurityContext;
  frames: FlowFrame[];
  /** Steps executed so far (the next step's number). */
  steps: number;
  outputs?: Record<string, FlowValue>;
  error?: FlowRunError;
  /** The first frame's variables as the run started (a rerun from a step replays the log over them). */
  initial?: Record<string, FlowValue>;
  /** Debug runs: breakpoints, rollback and what to undo (flow-debugger.ts). */
  debug?: FlowDebugInfo;
  /** Waiting for a platform event (a wait element of mode event): what wakes it, and where its payload goes. */
  waitingFor?: EventWait & { element: string; payloadInto?: string };
  /** Screen flows: the screens shown so far, the current one last. */
  screens?: ScreenVisit[];
  /** Screen flows: the checked values the user submitted for the screen the run is at; the screen element applies them. */
  submitted?: Record<string, FlowValue>;
};

/** One executed element, as the step log keeps it. */
export type FlowStep = {
  seq: number;
  depth: number;
  flow: string;
  element: string;
  /**
   * subflow_return: a subflow ended and its outputs were copied back; variable_edit: a debugger
   * changed a variable; screen_back: the user went back from this screen to the previous one;
   * event_received: the platform event a wait waited for was published (its payload set);
   * run_retried: an admin queued the failed run again at its failed element.
   */
  type: FlowElement["type"] | "subflow_return" | "variable_edit" | "screen_back" | "event_received" | "run_retried";
  label: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Variables the step set, with their new values. */
  changed: Record<string, FlowValue>;
  /** The way out taken (next, fault, an outcome, each, done), null when the frame ended. */
  handle: string | null;
  startedAt: string;
  durationMs: number;
  error?: string;
};

export type PublishedFlow = { def: FlowDef; version: number };

export type FlowEnvironment = {
  objectql: ObjectQL;
  objects: ObjectLookup;
  /** Published flows by name (subflows). */
  flows: (name: string) => PublishedFlow | undefined;
  clock?: () => Date;
  /** http_callout: the allow-list of private hosts (FLOW_HTTP_ALLOW_HOSTS); absent: public addresses only. */
  http?: HttpCalloutSettings;
  /** send_email: SMTP or the outbox; absent: the element fails with a clear message. */
  mail?: MailDelivery;
  /** The durable run's id (set by flow-runner.ts): with a step's number, a key a resumed run repeats. */
  runId?: string;
};

/** Bounds that end a runaway run with a clear error rather than spinning forever. */
export const MAX_STEPS_PER_RUN = 200_000;
export const MAX_SUBFLOW_DEPTH = 20;
/** Most records a get records element reads into a collection. */
export const MAX_COLLECTION_SIZE = 10_000;

/** A run that ends with a message the flow chose (custom error), not a fault. */
export class FlowCustomError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlowCustomError";
  }
}

/** What the interpreter keeps per published flow version: lookups and type-checked formulas. */
type CompiledFlow = {
  def: FlowDef;
  elements: Map<string, FlowElement>;
  /** Targets by source element, then by handle (no key strings built per step). */
  edges: Map<string, Map<string, string>>;
  formulas: Map<string, TypedFormula>;
};
/** A checked formula and its leaves that read through lookups (related records to load first). */
type TypedFormula = { node: TypedNode; deepLeaves: Extract<TypedNode, { kind: "field" | "rollup" }>[] };
const compiled = new WeakMap<FlowDef, CompiledFlow>();

function compile(def: FlowDef): CompiledFlow {
  let flow = compiled.get(def);
  if (!flow) {
    flow = {
      def,
      elements: new Map(def.elements.map((element) => [element.id, element])),
      edges: edgesBySource(def.edges),
      formulas: new Map(),
    };
    compiled.set(def, flow);
  }
  return flow;
}

function edgesBySource(edges: FlowDef["edges"]): Map<string, Map<string, string>> {
  const bySource = new Map<string, Map<string, string>>();
  for (const edge of edges) {
    let handles = bySource.get(edge.source);
    if (!handles) bySource.set(edge.source, (handles = new Map()));
    handles.set(edge.handle, edge.target);
  }
  return bySource;
}

function typed(flow: CompiledFlow, source: string, objects: ObjectLookup): TypedFormula {
  let formula = flow.formulas.get(source);
  if (!formula) {
    // Published flows passed the same check; a formula that fails here is a fault of its element.
    const node = checkFlowExpression(source, flowScopeObject(flow.def), objects, { priorRecord: flow.def.start.type === "record" });
    formula = { node, deepLeaves: leaves(node).filter((leaf) => leaf.steps.length >= 2) };
    flow.formulas.set(source, formula);
  }
  return formula;
}

function nextOf(flow: CompiledFlow, source: string, handle: string): string | null {
  return flow.edges.get(source)?.get(handle) ?? null;
}

/** The starting variables of a frame: defaults, then the inputs the caller gave. */
function initialVariables(def: FlowDef, inputs: Record<string, FlowValue>): Record<string, FlowValue> {
  const variables: Record<string, FlowValue> = {};
  for (const variable of def.variables) {
    variables[variable.name] = variable.type === "records" ? [] : (variable.default ?? null);
    if (variable.input && Object.hasOwn(inputs, variable.name)) variables[variable.name] = inputs[variable.name];
  }
  for (const reserved of ["record", "record_prior", IS_NEW_VARIABLE]) if (Object.hasOwn(inputs, reserved)) variables[reserved] = inputs[reserved];
  variables.fault_message = null;
  return variables;
}

/** A new run of a published flow, about to execute its first element. */
export function startFlowRun(flow: PublishedFlow, runAs: SecurityContext, inputs: Record<string, FlowValue> = {}): FlowRunState {
  const context: SecurityContext = flow.def.runAs === "system" ? { kind: "system" } : runAs;
  const variables = initialVariables(flow.def, inputs);
  return {
    status: "running",
    runAs: context,
    frames: [{ flow: flow.def.name, version: flow.version, variables, at: nextOf(compile(flow.def), FLOW_START_ID, "next"), loops: {} }],
    steps: 0,
    initial: structuredClone(variables),
  };
}

/** The element the run executes next (null when its frame is at its end or the version is gone). */
export function nextElement(state: FlowRunState, versions: FlowVersions): FlowElement | null {
  const frame = state.frames.at(-1);
  if (!frame?.at) return null;
  const def = versions(frame.flow, frame.version);
  return def ? (compile(def).elements.get(frame.at) ?? null) : null;
}

/** The flow definition a frame runs (the exact version the run started with). */
function frameFlow(frame: FlowFrame, versions: FlowVersions): CompiledFlow {
  const def = versions(frame.flow, frame.version);
  if (!def) throw new Error(`flow '${frame.flow}' version ${frame.version} is not available`);
  return compile(def);
}

/** Published flow versions by name and number (a run keeps the versions it started with). */
export type FlowVersions = (name: string, version: number) => FlowDef | undefined;

type Outcome = { handle: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; changed?: Record<string, FlowValue>; push?: FlowFrame; wakeAt?: string; waitFor?: EventWait };

/**
 * A millisecond as ISO text, the last one remembered: a run takes many steps per millisecond, and
 * toISOString cost more than executing an assignment (about 2 µs).
 */
let lastIsoMs = Number.NaN;
let lastIso = "";
function isoAt(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

/**
 * Executes the next element of the run (or returns from a finished subflow) and returns its step,
 * or null when the run has ended. The state is changed in place.
 */
export async function stepFlow(state: FlowRunState, env: FlowEnvironment, versions: FlowVersions): Promise<FlowStep | null> {
  if (state.status !== "running") return null;
  const frame = state.frames.at(-1)!;
  const flow = frameFlow(frame, versions);
  const started = performance.now();
  const startedAt = isoAt(env.clock ? env.clock().getTime() : Date.now());
  const depth = state.frames.length - 1;

  if (frame.at === null) return finishFrame(state, versions, flow, startedAt, started);

  if (state.steps >= MAX_STEPS_PER_RUN) {
    fail(state, { message: `The run took more than ${MAX_STEPS_PER_RUN.toLocaleString("en-US")} steps (a loop that never ends?)`, flow: frame.flow, element: frame.at });
    return null;
  }
  const element = flow.elements.get(frame.at);
  if (!element) {
    fail(state, { message: `Element '${frame.at}' does not exist in flow '${frame.flow}'`, flow: frame.flow, element: frame.at });
    return null;
  }
  if (element.type === "screen" && !state.submitted && !state.debug) {
    // The run stops before the screen until its user submits it; Back returns to this state.
    state.status = "screen";
    (state.screens ??= []).push({ flow: frame.flow, element: element.id, frames: structuredClone(state.frames) });
    return null;
  }
  const step: FlowStep = {
    seq: state.steps++, depth, flow: frame.flow, element: element.id, type: element.type, label: element.label,
    inputs: {}, outputs: {}, changed: {}, handle: null, startedAt, durationMs: 0,
  };
  try {
    const outcome = await executeElement(element, frame, flow, state, env);
    step.inputs = outcome.inputs ?? {};
    step.outputs = outcome.outputs ?? {};
    step.changed = outcome.changed ?? {};
    step.handle = outcome.handle;
    Object.assign(frame.variables, step.changed);
    if (outcome.push) {
      if (state.frames.length >= MAX_SUBFLOW_DEPTH) throw new Error(`Subflows are nested more than ${MAX_SUBFLOW_DEPTH} deep`);
      // The caller stays at its subflow element until the subflow returns.
      state.frames.push(outcome.push);
    } else {
      frame.at = nextOf(flow, element.id, outcome.handle);
      if (outcome.waitFor) {
        if (state.debug) step.outputs = { ...step.outputs, wouldWaitFor: outcome.waitFor.event };
        else {
          // Saved waiting for the event (wake_at: its timeout, if any); publishEvent wakes it.
          state.status = "waiting";
          const payloadInto = element.type === "wait" ? element.payloadInto : undefined;
          state.waitingFor = { ...outcome.waitFor, element: element.id, ...(payloadInto ? { payloadInto } : {}) };
          if (outcome.waitFor.timeoutAt) state.wakeAt = outcome.waitFor.timeoutAt;
          return { ...step, durationMs: performance.now() - started };
        }
      }
      if (outcome.wakeAt) {
        // A debug run does not sleep: it says when it would wake, and the debugger pauses after it.
        if (state.debug) step.outputs = { ...step.outputs, wouldWaitUntil: outcome.wakeAt };
        else {
          // The run is saved waiting and goes on at the next element (or ends) when it wakes.
          state.status = "waiting";
          state.wakeAt = outcome.wakeAt;
          return { ...step, durationMs: performance.now() - started };
        }
      }
      // The flow's last element: the run ends with it (its final state saves with this step).
      // A debug run stops at the end first, so its last changes can be looked at before rollback.
      if (frame.at === null && state.frames.length === 1 && !state.debug) {
        state.status = "finished";
        state.outputs = outputsOf(flow.def, frame);
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    step.error = message;
    if (error instanceof FlowCustomError) {
      fail(state, { message, flow: frame.flow, element: element.id });
    } else {
      fault(state, versions, message, element.id);
      step.handle = state.status === "running" && state.frames.at(-1) === frame ? "fault" : null;
    }
  }
  step.durationMs = performance.now() - started;
  return step;
}

/**
 * A run that waited for a platform event until its time ran out: it leaves the wait by its fault
 * path (with `fault_message` set), or fails when the wait has none.
 */
export function timeOutEventWait(state: FlowRunState, versions: FlowVersions): void {
  const waited = state.waitingFor;
  if (!waited) return;
  delete state.waitingFor;
  const frame = state.frames.at(-1)!;
  // The wait's next element was set when it was reached; the fault path replaces it.
  frame.at = waited.element;
  state.status = "running";
  fault(state, versions, `No '${waited.event}' event${waited.key ? ` with key '${waited.key}'` : ""} arrived by ${waited.timeoutAt}`, waited.element);
}

function fail(state: FlowRunState, error: FlowRunError) {
  state.status = "failed";
  state.error = error;
}

/**
 * An element failed: its fault path takes over when it has one; else the fault rises to the
 * subflow element that called this flow (and its fault path), up to the run, which fails.
 */
function fault(state: FlowRunState, versions: FlowVersions, message: string, elementId: string) {
  let failing = elementId;
  let failingFlow = state.frames.at(-1)!.flow;
  for (;;) {
    const frame = state.frames.at(-1)!;
    const flow = frameFlow(frame, versions);
    const element = flow.elements.get(failing);
    const handler = element && FAULTABLE_ELEMENTS.includes(element.type) ? nextOf(flow, failing, "fault") : null;
    if (handler) {
      frame.variables.fault_message = message;
      frame.at = handler;
      return;
    }
    if (state.frames.length === 1) {
      fail(state, { message, flow: failingFlow, element: elementId });
      return;
    }
    state.frames.pop();
    failing = state.frames.at(-1)!.at!;
    failingFlow = state.frames.at(-1)!.flow;
  }
}

function outputsOf(def: FlowDef, frame: FlowFrame): Record<string, FlowValue> {
  const outputs: Record<string, FlowValue> = {};
  for (const variable of def.variables) if (variable.output) outputs[variable.name] = frame.variables[variable.name];
  return outputs;
}

/** A subflow's frame ended: copy its outputs into the caller and move the caller on. */
function finishFrame(state: FlowRunState, versions: FlowVersions, flow: CompiledFlow, startedAt: string, started: number): FlowStep | null {
  const frame = state.frames.at(-1)!;
  const outputs = outputsOf(flow.def, frame);
  if (state.frames.length === 1) {
    state.status = "finished";
    state.outputs = outputs;
    return null;
  }
  state.frames.pop();
  const caller = state.frames.at(-1)!;
  const callerFlow = frameFlow(caller, versions);
  const element = callerFlow.elements.get(caller.at!) as Extract<FlowElement, { type: "subflow" }>;
  const changed: Record<string, FlowValue> = {};
  for (const output of element.outputs) changed[output.into] = outputs[output.name] ?? null;
  Object.assign(caller.variables, changed);
  caller.at = nextOf(callerFlow, element.id, "next");
  return {
    seq: state.steps++, depth: state.frames.length - 1, flow: caller.flow, element: element.id, type: "subflow_return", label: element.label,
    inputs: {}, outputs, changed, handle: "next", startedAt, durationMs: performance.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------
// Values

function leaves(node: TypedNode, out: Extract<TypedNode, { kind: "field" | "rollup" }>[] = []) {
  switch (node.kind) {
    case "field": case "rollup": out.push(node); break;
    case "unary": leaves(node.operand, out); break;
    case "binary": leaves(node.left, out); leaves(node.right, out); break;
    case "call": for (const arg of node.args) leaves(arg, out); break;
  }
  return out;
}

function idOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && "id" in value) return (value as { id: unknown }).id == null ? null : String((value as { id: unknown }).id);
  return String(value);
}

/** Evaluates a flow formula; records reached through lookups (`task.project.name`) are read with the run's security. */
async function evaluate(flow: CompiledFlow, source: string, frame: FlowFrame, state: FlowRunState, env: FlowEnvironment): Promise<FormulaValue> {
  const { node, deepLeaves } = typed(flow, source, env.objects);
  const variables = frame.variables;
  // Most formulas read only variables and their fields: no related records to load.
  if (deepLeaves.length === 0) {
    return evaluateFormula(node, (leaf) => (leaf.steps.length === 0 ? variables[leaf.field.name] : ((variables[leaf.steps[0]!.field.name] as FlowRecordValue | null)?.[leaf.field.name] ?? null)), { now: env.clock?.() ?? new Date() });
  }
  const related = new Map<string, DataRecord | null>();
  for (const leaf of deepLeaves) {
    let record = frame.variables[leaf.steps[0]!.field.name] as FlowRecordValue | null;
    for (const step of leaf.steps.slice(1)) {
      const id = idOf(record?.[step.field.name]);
      if (id === null) break;
      const key = `${step.target.name}\u0000${id}`;
      if (!related.has(key)) related.set(key, await env.objectql.findOne(state.runAs, step.target.name, id));
      record = related.get(key) ?? null;
    }
  }
  return evaluateFormula(
    node,
    (leaf) => {
      if (leaf.steps.length === 0) return frame.variables[leaf.field.name];
      let record = frame.variables[leaf.steps[0]!.field.name] as FlowRecordValue | null;
      for (const step of leaf.steps.slice(1)) {
        const id = idOf(record?.[step.field.name]);
        record = id === null ? null : (related.get(`${step.target.name}\u0000${id}`) ?? null);
      }
      return record?.[leaf.field.name] ?? null;
    },
    { now: env.clock?.() ?? new Date() },
  );
}

function asText(value: FormulaValue): string {
  if (value === null) return "";
  if (typeof value === "number") return numberToText(value);
  return String(value);
}

/** Text with its `{!...}` merge fields filled in. */
async function render(flow: CompiledFlow, template: string, frame: FlowFrame, state: FlowRunState, env: FlowEnvironment): Promise<string> {
  let out = "";
  for (const part of templateParts(template)) out += "text" in part ? part.text : asText(await evaluate(flow, part.expression, frame, state, env));
  return out;
}

/** A filter with its merge fields filled in: a value that is only `{!x}` takes x's value and type. */
async function resolveFilter(flow: CompiledFlow, filter: Filter | undefined, frame: FlowFrame, state: FlowRunState, env: FlowEnvironment): Promise<Filter | undefined> {
  if (!filter) return undefined;
  if ("and" in filter) return { and: await Promise.all(filter.and.map((part) => resolveFilter(flow, part, frame, state, env) as Promise<Filter>)) };
  if ("or" in filter) return { or: await Promise.all(filter.or.map((part) => resolveFilter(flow, part, frame, state, env) as Promise<Filter>)) };
  if ("not" in filter) return { not: (await resolveFilter(flow, filter.not, frame, state, env))! };
  const one = async (value: unknown) => {
    if (typeof value !== "string" || !value.includes("{!")) return value;
    const sole = soleMergeField(value);
    return sole !== null ? evaluate(flow, sole, frame, state, env) : render(flow, value, frame, state, env);
  };
  const value = Array.isArray(filter.value) ? await Promise.all(filter.value.map(one)) : await one(filter.value);
  if (value === null && filter.value !== null && filter.value !== undefined) {
    // A merge field that is empty: `=` means "is empty", `!=` "is not empty"; an order or text
    // comparison with nothing holds for no record (as in SQL), so it matches none.
    if (filter.operator === "=") return { field: filter.field, operator: "is_null" };
    if (filter.operator === "!=") return { field: filter.field, operator: "is_not_null" };
    return { field: "id", operator: "is_null" };
  }
  return { ...filter, value: value as typeof filter.value };
}

async function fieldValues(flow: CompiledFlow, values: { field: string; value: string }[], frame: FlowFrame, state: FlowRunState, env: FlowEnvironment) {
  const out: Record<string, unknown> = {};
  for (const entry of values) out[entry.field] = await evaluate(flow, entry.value, frame, state, env);
  return out;
}

/** A variable of the flow, the triggering `record` of a record-triggered flow included. */
function variableOf(def: FlowDef, name: string): FlowVariable | undefined {
  const recordObject = flowRecordObject(def.start);
  if (name === "record" && recordObject) return { name, type: "record", object: recordObject, input: true, output: false };
  return def.variables.find((variable) => variable.name === name);
}

function recordVariable(frame: FlowFrame, name: string): FlowRecordValue | null {
  return (frame.variables[name] as FlowRecordValue | null) ?? null;
}

/** Every id a filter matches (a page at a time, at most MAX_COLLECTION_SIZE). */
async function matchingRecords(env: FlowEnvironment, state: FlowRunState, object: string, filter: Filter | undefined, orderBy: { field: string; direction: "asc" | "desc" }[], limit = MAX_COLLECTION_SIZE): Promise<DataRecord[]> {
  const records: DataRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.objectql.find(state.runAs, { object, filter, orderBy, limit: Math.min(1000, limit - records.length), cursor });
    records.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor && records.length < limit);
  return records;
}

// ---------------------------------------------------------------------------------------------
// Elements

async function executeElement(element: FlowElement, frame: FlowFrame, flow: CompiledFlow, state: FlowRunState, env: FlowEnvironment): Promise<Outcome> {
  switch (element.type) {
    case "assignment": {
      const changed: Record<string, FlowValue> = {};
      for (const assignment of element.assignments) {
        const [name, field] = assignment.target.split(".") as [string, string | undefined];
        const variable = variableOf(flow.def, name);
        switch (assignment.operator) {
          case "clear":
            changed[name] = [];
            continue;
          case "add_record": {
            const item = valueNow(changed, frame, assignment.value) as FlowRecordValue | null;
            changed[name] = [...((valueNow(changed, frame, name) as FlowRecordValue[]) ?? []), ...(item ? [item] : [])];
            continue;
          }
        }
        if (!field && (variable?.type === "record" || variable?.type === "records")) {
          const source = valueNow(changed, frame, assignment.value);
          changed[name] = Array.isArray(source) ? [...source] : source && typeof source === "object" ? { ...source } : null;
          continue;
        }
        // Later assignments of the element see the earlier ones (the first sees the frame as it is).
        const scoped: FlowFrame = assignment === element.assignments[0] ? frame : { ...frame, variables: { ...frame.variables, ...changed } };
        const value = await evaluate(flow, assignment.value, scoped, state, env);
        const before = field ? ((valueNow(changed, frame, name) as FlowRecordValue | null)?.[field] ?? null) : valueNow(changed, frame, name);
        const result = assignment.operator === "set" ? value : combine(assignment.operator, before as FormulaValue, value);
        if (field) changed[name] = { ...((valueNow(changed, frame, name) as FlowRecordValue | null) ?? {}), [field]: result };
        else changed[name] = result;
      }
      return { handle: "next", changed };
    }
    case "decision": {
      for (const outcome of element.outcomes) {
        if ((await evaluate(flow, outcome.condition, frame, state, env)) === true) return { handle: outcome.id, outputs: { outcome: outcome.label } };
      }
      return { handle: "default", outputs: { outcome: element.defaultLabel } };
    }
    case "loop": {
      const collection = (frame.variables[element.collection] as FlowRecordValue[] | null) ?? [];
      const index = frame.loops[element.id] ?? 0;
      if (index < collection.length) {
        frame.loops[element.id] = index + 1;
        return { handle: "each", outputs: { index, of: collection.length }, changed: { [element.item]: collection[index]! } };
      }
      delete frame.loops[element.id];
      return { handle: "done", outputs: { iterations: collection.length } };
    }
    case "get_records": {
      const filter = await resolveFilter(flow, element.filter, frame, state, env);
      const into = variableOf(flow.def, element.into)!;
      const single = into.type === "record";
      const records = await matchingRecords(env, state, element.object, filter, element.sort, single ? 1 : element.limit);
      return {
        handle: "next",
        inputs: { object: element.object, filter },
        outputs: { count: records.length },
        changed: { [element.into]: single ? (records[0] ?? null) : records },
      };
    }
    case "create_record": {
      const values = await fieldValues(flow, element.values, frame, state, env);
      const record = await env.objectql.insert(state.runAs, element.object, values);
      return { handle: "next", inputs: { object: element.object, values }, outputs: { id: record.id }, changed: element.into ? { [element.into]: record } : {} };
    }
    case "update_records": {
      const values = await fieldValues(flow, element.values, frame, state, env);
      if (element.record) {
        const current = recordVariable(frame, element.record);
        const object = variableOf(flow.def, element.record)!.object!;
        if (!current?.id) throw new Error(`'${element.record}' holds no record to update`);
        const saved = await env.objectql.update(state.runAs, object, String(current.id), values);
        return { handle: "next", inputs: { object, id: current.id, values }, outputs: { count: 1 }, changed: { [element.record]: saved } };
      }
      const filter = await resolveFilter(flow, element.filter, frame, state, env);
      const ids = (await matchingRecords(env, state, element.object!, filter, [])).map((record) => record.id);
      const { count } = ids.length > 0 ? await env.objectql.updateMany(state.runAs, element.object!, ids, values) : { count: 0 };
      return { handle: "next", inputs: { object: element.object, filter, values }, outputs: { count } };
    }
    case "delete_records": {
      if (element.record) {
        const current = recordVariable(frame, element.record);
        const object = variableOf(flow.def, element.record)!.object!;
        if (!current?.id) throw new Error(`'${element.record}' holds no record to delete`);
        await env.objectql.delete(state.runAs, object, String(current.id));
        return { handle: "next", inputs: { object, id: current.id }, outputs: { count: 1 } };
      }
      const filter = await resolveFilter(flow, element.filter, frame, state, env);
      const records = await matchingRecords(env, state, element.object!, filter, []);
      // One transaction: all of them go, or (a refusal on any) none.
      await env.objectql.transaction(state.runAs, async (tx) => {
        for (const record of records) await tx.delete(state.runAs, element.object!, record.id);
      });
      return { handle: "next", inputs: { object: element.object, filter }, outputs: { count: records.length } };
    }
    case "subflow": {
      const called = env.flows(element.flow);
      if (!called) throw new Error(`Flow '${element.flow}' is not published`);
      const inputs: Record<string, FlowValue> = {};
      for (const input of element.inputs) {
        const variable = called.def.variables.find((candidate) => candidate.name === input.name);
        inputs[input.name] = variable?.type === "record" || variable?.type === "records" ? (frame.variables[input.value] ?? null) : await evaluate(flow, input.value, frame, state, env);
      }
      return {
        handle: "next",
        inputs,
        push: { flow: called.def.name, version: called.version, variables: initialVariables(called.def, inputs), at: nextOf(compile(called.def), FLOW_START_ID, "next"), loops: {} },
      };
    }
    case "http_callout":
      return runHttpCallout(element, elementContext(flow, frame, state, env));
    case "script":
      return runScript(element, elementContext(flow, frame, state, env));
    case "send_email":
      return runSendEmail(element, elementContext(flow, frame, state, env), { flow: flow.def.name, element: element.id });
    case "wait":
      return runWait(element, elementContext(flow, frame, state, env));
    case "screen": {
      // What the user entered (checked by flow-screens.ts). A debug run does not stop for a
      // screen: it goes on with the variables as they are (edit them at a breakpoint).
      const values = state.submitted ?? {};
      delete state.submitted;
      return { handle: "next", outputs: state.debug ? { shown: "a debug run goes on without waiting for input" } : values, changed: screenChanges(values, frame) };
    }
    case "custom_error":
      throw new FlowCustomError(await render(flow, element.message, frame, state, env));
  }
}

/** A variable as an element sees it part way: its change by an earlier assignment of the element, or the frame's value. */
function valueNow(changed: Record<string, FlowValue>, frame: FlowFrame, name: string): FlowValue {
  return Object.hasOwn(changed, name) ? changed[name]! : frame.variables[name]!;
}

/** A screen's values (by target: `name` or `record.field`) as variable changes. */
function screenChanges(values: Record<string, FlowValue>, frame: FlowFrame): Record<string, FlowValue> {
  const changed: Record<string, FlowValue> = {};
  for (const [target, value] of Object.entries(values)) {
    const [name, field] = target.split(".") as [string, string | undefined];
    if (!field) changed[name] = value;
    else changed[name] = { ...(((Object.hasOwn(changed, name) ? changed[name] : frame.variables[name]) as FlowRecordValue | null) ?? {}), [field]: value };
  }
  return changed;
}

/** What the elements in ./elements get: the frame's variables, merge fields, the environment. */
function elementContext(flow: CompiledFlow, frame: FlowFrame, state: FlowRunState, env: FlowEnvironment): ElementContext {
  return {
    def: flow.def,
    variables: frame.variables,
    env,
    runAs: state.runAs,
    // stepFlow numbered this step before running it.
    seq: state.steps - 1,
    render: (template) => render(flow, template, frame, state, env),
    evaluate: (expression) => evaluate(flow, expression, frame, state, env),
  };
}

function combine(operator: "add" | "subtract", before: FormulaValue, value: FormulaValue): FormulaValue {
  if (typeof before === "string" && /^\d{4}-\d{2}-\d{2}$/.test(before) && typeof value === "number") {
    const days = operator === "add" ? value : -value;
    return new Date(Date.parse(`${before}T00:00:00Z`) + Math.trunc(days) * 86_400_000).toISOString().slice(0, 10);
  }
  if (typeof before === "string" || typeof value === "string") {
    if (operator === "add") return `${before ?? ""}${value ?? ""}`;
  }
  // An empty number counts as 0, as a counter that starts empty would expect.
  const a = (before as number | null) ?? 0;
  const b = (value as number | null) ?? 0;
  return operator === "add" ? a + b : a - b;
}

/** A formula of a flow over given variables (a record-triggered flow's entry condition). */
export async function evaluateFlowFormula(def: FlowDef, source: string, variables: Record<string, FlowValue>, env: FlowEnvironment, runAs: SecurityContext): Promise<FormulaValue> {
  const frame: FlowFrame = { flow: def.name, version: 0, variables, at: null, loops: {} };
  return evaluate(compile(def), source, frame, { status: "running", runAs, frames: [frame], steps: 0 }, env);
}

/** Text of a flow with its merge fields filled in from the top frame of a run (a screen's text). */
export async function renderFlowText(def: FlowDef, template: string, state: FlowRunState, env: FlowEnvironment): Promise<string> {
  const frame = state.frames.at(-1)!;
  return render(compile(def), template, frame, state, env);
}

/** Runs until the run ends (or `shouldPause` says stop before the next element). */
export async function runFlow(
  state: FlowRunState,
  env: FlowEnvironment,
  versions: FlowVersions,
  hooks: { onStep?: (step: FlowStep, state: FlowRunState) => Promise<void> | void; shouldPause?: (state: FlowRunState) => boolean } = {},
): Promise<FlowRunState> {
  while (state.status === "running") {
    if (hooks.shouldPause?.(state)) break;
    const step = await stepFlow(state, env, versions);
    if (step) await hooks.onStep?.(step, state);
  }
  return state;
}
