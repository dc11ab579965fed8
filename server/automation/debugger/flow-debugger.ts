import type { Kysely } from "kysely";
import { flowSchema, type FlowDef } from "@/spec/flow";
import { ServiceError } from "@/server/errors";
import type { ObjectQL, RecordChange, SecurityContext } from "@/server/objectql";
import { undoChanges, undoableChange, type UndoableChange } from "@/server/objectql/records/change-undo";
import type { DataDialect } from "@/server/db/data-db";
import type { ObjectLookup } from "@/formula/type-checker";
import { flowMetadataIssues, type FlowLookup } from "../flow-check";
import { coerceFlowValue } from "../runtime/flow-inputs";
import { evaluateFlowFormula, startFlowRun, type FlowEnvironment, type FlowRecordValue, type FlowRunState, type FlowStep, type FlowValue, type FlowVersions, type PublishedFlow } from "../runtime/flow-interpreter";
import { executeDurably } from "../runtime/flow-runner";
import { heldDelivery } from "@/server/mail/mail-delivery";
import type { FlowRunStore } from "../runtime/flow-runs";

/**
 * The step-through debugger, in the vocabulary of the Debug Adapter Protocol: a debug run starts
 * paused before its first element; `continue`, `stepOver`, `stepInto` and `stepOut` run it to the
 * next breakpoint (a conditional one only when its formula is true) or step; `stop` ends it;
 * `setVariable` edits a variable while paused. A paused run is its saved state (the run row,
 * trigger `debug`, status `paused`), so any web process can take the next command and nothing
 * is held open while the developer thinks.
 * Rollback mode (the default): every record change the run makes is captured (by the debug
 * engine's onChange, in the change's own transaction) and undone when the run ends, is stopped,
 * or is left alone too long; after-save flows are not queued by a rolled-back run's writes.
 */

export type FlowDebugInfo = {
  /** `flow/element` -> a condition formula, or null for an unconditional breakpoint. */
  breakpoints: Record<string, string | null>;
  rollback: boolean;
  /** The changes to undo, one group per executed element. */
  undo: UndoableChange[][];
  /** A draft being debugged (runs as version 0 of its flow). */
  draft?: FlowDef;
  /** How the run ended, once it has. */
  ended?: "finished" | "failed" | "stopped" | "timed_out";
  rolledBack?: boolean;
  /** The user who debugs (only they may drive the run). */
  userId: string;
};

export type DebugCommand = "continue" | "stepOver" | "stepInto" | "stepOut" | "stop";

/** A paused debug run untouched this long is stopped and rolled back. */
export const DEBUG_RUN_IDLE_MS = 15 * 60_000;

export type FlowDebuggerDeps = {
  store: FlowRunStore;
  dialect: DataDialect;
  objects: ObjectLookup;
  /** Published flows (subflows; a published flow being debugged). */
  published: (name: string) => PublishedFlow | undefined;
  versions: FlowVersions;
  environment: (engine: ObjectQL) => FlowEnvironment;
  /** An engine whose record changes are also given to `capture` (in each change's transaction), without queuing after-save runs. */
  capturingEngine: (capture: (change: RecordChange) => void) => ObjectQL;
  /** The ordinary engine (rollback off). */
  engine: () => ObjectQL;
  /** A transaction of the data database (the rollback). */
  transaction: <T>(work: (executor: Kysely<any>) => Promise<T>) => Promise<T>;
  clock?: () => Date;
};

export class FlowDebugger {
  constructor(private readonly deps: FlowDebuggerDeps) {}

  /**
   * Starts a debug run of a flow (a draft body, or the published flow by name), paused before its
   * first element. Inputs are checked like an API call's; a record-triggered flow runs on `recordId`
   * as if that record were saved unchanged.
   */
  async start(options: { flow: string; draft?: unknown; inputs?: Record<string, unknown>; recordId?: string; rollback?: boolean; breakpoints?: Record<string, string | null>; ctx: SecurityContext & { kind: "user" } }) {
    const { def, version } = this.flowToDebug(options.flow, options.draft);
    const engine = this.deps.engine();
    const inputs: Record<string, FlowValue> = {};
    for (const [name, value] of Object.entries(options.inputs ?? {})) inputs[name] = await this.coerce(def, name, value, engine, options.ctx, ["inputs", name]);
    // A record-triggered flow runs as that record's save would; a screen flow on a record as from its page.
    const recordObject = def.start.type === "record" || def.start.type === "screen" ? def.start.object : undefined;
    if (recordObject) {
      if (!options.recordId) throw new ServiceError("BAD_REQUEST", `Flow '${def.name}' runs on a ${recordObject} record: choose one`, [{ path: ["recordId"], message: "is required" }]);
      const record = await engine.findOne(options.ctx, recordObject, options.recordId);
      if (!record) throw new ServiceError("BAD_REQUEST", `No ${recordObject} record '${options.recordId}' that you may read`, [{ path: ["recordId"], message: "is not a record you may read" }]);
      Object.assign(inputs, def.start.type === "record" ? { record: record as FlowRecordValue, record_prior: record as FlowRecordValue, _is_new: false } : { record: record as FlowRecordValue });
    }
    const state = startFlowRun({ def, version }, options.ctx, inputs);
    state.status = "paused";
    state.debug = { breakpoints: this.checkBreakpoints(def, options.breakpoints ?? {}), rollback: options.rollback ?? true, undo: [], userId: options.ctx.userId, ...(version === 0 ? { draft: def } : {}) };
    const runId = await this.deps.store.create({ flow: def.name, version, trigger: "debug", startedBy: options.ctx.userId, state });
    return this.view(runId);
  }

  /** The flow to debug: a valid draft (version 0), or the published version. */
  private flowToDebug(name: string, draft: unknown): { def: FlowDef; version: number } {
    if (draft === undefined) {
      const published = this.deps.published(name);
      if (!published) throw new ServiceError("NOT_FOUND", `Flow '${name}' is not published: debug its draft`);
      return published;
    }
    const parsed = flowSchema.safeParse(draft);
    if (!parsed.success) throw new ServiceError("BAD_REQUEST", `The flow cannot be debugged: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
    const flowLookup: FlowLookup = (other) => this.deps.published(other)?.def;
    const issues = flowMetadataIssues(parsed.data, this.deps.objects, flowLookup);
    if (issues.length > 0) throw new ServiceError("BAD_REQUEST", `The flow cannot be debugged until its problems are fixed: ${issues[0]!.message}`, issues);
    return { def: parsed.data, version: 0 };
  }

  private checkBreakpoints(def: FlowDef, breakpoints: Record<string, string | null>): Record<string, string | null> {
    for (const [key, condition] of Object.entries(breakpoints)) {
      const [flow, element] = key.split("/");
      if (!flow || !element) throw new ServiceError("BAD_REQUEST", `Breakpoint '${key}' must be written flow/element`, [{ path: ["breakpoints", key], message: "must be flow/element" }]);
      if (flow === def.name && !def.elements.some((candidate) => candidate.id === element)) {
        throw new ServiceError("BAD_REQUEST", `Breakpoint '${key}': flow '${flow}' has no element '${element}'`, [{ path: ["breakpoints", key], message: "names no element" }]);
      }
      if (condition !== null && (typeof condition !== "string" || condition.length > 5000)) throw new ServiceError("BAD_REQUEST", `Breakpoint '${key}': the condition must be a formula`, [{ path: ["breakpoints", key], message: "must be a formula or null" }]);
    }
    return { ...breakpoints };
  }

  private async coerce(def: FlowDef, name: string, value: unknown, engine: ObjectQL, ctx: SecurityContext, path: string[]): Promise<FlowValue> {
    const variable = def.variables.find((candidate) => candidate.name === name);
    if (!variable) throw new ServiceError("BAD_REQUEST", `Flow '${def.name}' has no variable '${name}'`, [{ path, message: "is not a variable of the flow" }]);
    const coerced = await coerceFlowValue(variable, value, engine, ctx);
    if ("message" in coerced) throw new ServiceError("BAD_REQUEST", `${path.join(".")} ${coerced.message}`, [{ path, message: coerced.message }]);
    return coerced.value;
  }

  /** Loads a debug run the caller may drive. */
  private async load(runId: string, userId: string) {
    const found = await this.deps.store.get(runId);
    if (!found || found.run.trigger !== "debug" || !found.state.debug) throw new ServiceError("NOT_FOUND", `No debug run '${runId}'`);
    if (found.state.debug.userId !== userId) throw new ServiceError("FORBIDDEN", "Another developer is debugging this run");
    return found;
  }

  private versionsFor(state: FlowRunState): FlowVersions {
    const draft = state.debug?.draft;
    return (name, version) => (draft && version === 0 && name === draft.name ? draft : this.deps.versions(name, version));
  }

  /** Runs the next command of a paused debug run; returns the run as it then stands. */
  async command(runId: string, command: DebugCommand, userId: string) {
    const { state } = await this.load(runId, userId);
    if (state.status !== "paused") throw new ServiceError("PRECONDITION_FAILED", `The debug run has ended (${state.debug!.ended ?? state.status})`);
    if (command === "stop") {
      await this.end(runId, state, "stopped");
      return this.view(runId);
    }
    const debug = state.debug!;
    const versions = this.versionsFor(state);
    // The changes of one element form one group (undone together: see change-undo.ts).
    let group: UndoableChange[] | null = null;
    const capture = (change: RecordChange) => {
      if (!group) debug.undo.push((group = []));
      group.push(undoableChange(change));
    };
    const engine = debug.rollback ? this.deps.capturingEngine(capture) : this.deps.engine();
    // Rolled back: email is held (shown in the step, not sent), as it could not be undone.
    const env = debug.rollback ? { ...this.deps.environment(engine), mail: heldDelivery } : this.deps.environment(engine);
    const depth = state.frames.length;
    let executed = 0;
    // A wait does not sleep in a debug run: its step says when it would wake, and the run pauses after it.
    let waited = false;
    state.status = "running";
    await executeDurably(runId, state, env, versions, this.deps.store, {
      beforeStep: () => {
        executed++;
        group = null;
      },
      onStep: (step) => {
        waited = step.type === "wait" && "wouldWaitUntil" in step.outputs;
      },
      shouldPause: async (current) => {
        const pause = () => {
          current.status = "paused";
          return true;
        };
        if (executed === 0) return false;
        if (waited || command === "stepInto") return pause();
        if (command === "stepOver" && current.frames.length <= depth) return pause();
        if (command === "stepOut" && current.frames.length < depth) return pause();
        return (await this.atBreakpoint(current, env, versions)) ? pause() : false;
      },
    });
    // (executeDurably changed the status; TypeScript still thinks it is "running".)
    const after = state.status as FlowRunState["status"];
    if (after !== "paused") await this.end(runId, state, after === "failed" ? "failed" : "finished");
    return this.view(runId);
  }

  /** Whether the element about to run has a breakpoint whose condition (if any) holds. */
  private async atBreakpoint(state: FlowRunState, env: FlowEnvironment, versions: FlowVersions): Promise<boolean> {
    const frame = state.frames.at(-1)!;
    if (!frame.at) return false;
    const key = `${frame.flow}/${frame.at}`;
    const breakpoints = state.debug!.breakpoints;
    if (!Object.hasOwn(breakpoints, key)) return false;
    const condition = breakpoints[key];
    if (condition === null || condition === undefined) return true;
    const def = versions(frame.flow, frame.version)!;
    try {
      return (await evaluateFlowFormula(def, condition, frame.variables, env, state.runAs)) === true;
    } catch {
      // A condition that does not evaluate stops the run there: the developer sees why.
      return true;
    }
  }

  /** Ends a debug run: undoes its changes in rollback mode, and saves how it ended. */
  private async end(runId: string, state: FlowRunState, how: NonNullable<FlowDebugInfo["ended"]>) {
    const debug = state.debug!;
    await this.deps.transaction(async (executor) => {
      if (debug.rollback && debug.undo.length > 0) {
        await undoChanges(executor, this.deps.dialect, this.deps.objects, debug.undo);
        debug.rolledBack = true;
      }
      debug.undo = [];
      debug.ended = how;
      if (state.status === "paused" || state.status === "running") {
        state.status = how === "failed" ? "failed" : "finished";
        if (how === "stopped" || how === "timed_out") state.error ??= { message: how === "stopped" ? "Stopped in the debugger" : "Left paused too long: stopped", flow: state.frames.at(-1)!.flow, element: state.frames.at(-1)!.at };
      }
      await this.deps.store.checkpoint(executor, runId, state, []);
    });
  }

  /** Changes a variable of a frame (0: the flow itself; subflows above it) while paused; logged in the timeline. */
  async setVariable(runId: string, frameIndex: number, name: string, value: unknown, ctx: SecurityContext & { kind: "user" }) {
    const { state } = await this.load(runId, ctx.userId);
    if (state.status !== "paused") throw new ServiceError("PRECONDITION_FAILED", "Variables can be changed only while the run is paused");
    const frame = state.frames[frameIndex];
    if (!frame) throw new ServiceError("BAD_REQUEST", `The run has no frame ${frameIndex}`, [{ path: ["frame"], message: `must be 0 to ${state.frames.length - 1}` }]);
    const def = this.versionsFor(state)(frame.flow, frame.version)!;
    const coerced = await this.coerce(def, name, value, this.deps.engine(), ctx, ["value"]);
    frame.variables[name] = coerced;
    const step: FlowStep = {
      seq: state.steps++, depth: frameIndex, flow: frame.flow, element: frame.at ?? "", type: "variable_edit", label: `Set ${name}`,
      inputs: {}, outputs: {}, changed: { [name]: coerced }, handle: null, startedAt: (this.deps.clock?.() ?? new Date()).toISOString(), durationMs: 0,
    };
    await this.deps.transaction((executor) => this.deps.store.checkpoint(executor, runId, state, [step]));
    return this.view(runId);
  }

  async setBreakpoints(runId: string, breakpoints: Record<string, string | null>, userId: string) {
    const { state } = await this.load(runId, userId);
    const frame = state.frames[0]!;
    state.debug!.breakpoints = this.checkBreakpoints(this.versionsFor(state)(frame.flow, frame.version)!, breakpoints);
    await this.deps.transaction((executor) => this.deps.store.checkpoint(executor, runId, state, []));
    return this.view(runId);
  }

  /** The run as the debugger shows it: where it is paused, the call stack, the variables, the timeline. */
  async view(runId: string) {
    const found = await this.deps.store.get(runId);
    if (!found) throw new ServiceError("NOT_FOUND", `No debug run '${runId}'`);
    const { state, run } = found;
    const { undo: _undo, draft: _draft, ...debug } = state.debug ?? ({} as FlowDebugInfo);
    return {
      run,
      status: state.status,
      error: state.error ?? null,
      outputs: state.outputs ?? null,
      /** The call stack, innermost last: each frame's flow, the element it is at and its variables. */
      frames: state.frames.map((frame) => ({ flow: frame.flow, at: frame.at, variables: frame.variables })),
      debug,
      steps: await this.deps.store.steps(runId),
      /** The first frame's variables as the run started: with the steps' changes, the variables after any step (time travel). */
      initial: state.initial ?? null,
    };
  }

  /**
   * "Rerun from here": a new debug run of a past run's flow, paused at one of its steps (of the
   * flow itself, not inside a subflow), with the variables as they were just before that step
   * (the run's starting variables and every change its log records before it), `edits` applied.
   * Records a past run logged by id are read again as they are now.
   */
  async rerunFrom(runId: string, seq: number, options: { ctx: SecurityContext & { kind: "user" }; edits?: Record<string, unknown>; rollback?: boolean; breakpoints?: Record<string, string | null> }) {
    const found = await this.deps.store.get(runId);
    if (!found?.state.initial) throw new ServiceError("NOT_FOUND", `No run '${runId}' to rerun`);
    const steps = await this.deps.store.steps(runId);
    const target = steps.find((step) => step.seq === seq);
    if (!target || target.depth !== 0 || target.type === "variable_edit" || target.type === "subflow_return") {
      throw new ServiceError("BAD_REQUEST", `Step ${seq} is not an element of the flow itself: rerun from one of its own steps`, [{ path: ["seq"], message: "names no step of the flow itself" }]);
    }
    const frame0 = found.state.frames[0]!;
    const def = this.versionsFor(found.state)(frame0.flow, frame0.version);
    if (!def) throw new ServiceError("NOT_FOUND", `Version ${frame0.version} of flow '${frame0.flow}' is no longer available`);
    const engine = this.deps.engine();
    const variables: Record<string, FlowValue> = structuredClone(found.state.initial);
    const loops: Record<string, number> = {};
    for (const step of steps) {
      if (step.seq >= seq || step.depth !== 0) continue;
      Object.assign(variables, step.changed);
      if (step.type === "loop") {
        if (step.handle === "each") loops[step.element] = Number((step.outputs as { index?: number }).index ?? 0) + 1;
        else delete loops[step.element];
      }
    }
    // Values logged by id (runs outside the debugger) are read again.
    for (const variable of def.variables) {
      const value = variables[variable.name] as unknown;
      if (variable.type === "record" && value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "id" in value) {
        variables[variable.name] = (await engine.findOne(options.ctx, variable.object!, String((value as { id: unknown }).id))) as FlowRecordValue | null;
      } else if (variable.type === "records" && value && typeof value === "object" && !Array.isArray(value) && "ids" in value) {
        variables[variable.name] = await this.coerce(def, variable.name, (value as { ids: string[] }).ids, engine, options.ctx, ["edits", variable.name]);
      }
    }
    for (const [name, value] of Object.entries(options.edits ?? {})) variables[name] = await this.coerce(def, name, value, engine, options.ctx, ["edits", name]);
    const version = found.state.debug?.draft ? 0 : frame0.version;
    const state: FlowRunState = {
      status: "paused",
      runAs: found.state.runAs.kind === "system" ? { kind: "system" } : options.ctx,
      frames: [{ flow: def.name, version, variables, at: target.element, loops }],
      steps: 0,
      initial: structuredClone(variables),
      debug: { breakpoints: this.checkBreakpoints(def, options.breakpoints ?? {}), rollback: options.rollback ?? true, undo: [], userId: options.ctx.userId, ...(version === 0 ? { draft: def } : {}) },
    };
    const newRunId = await this.deps.store.create({ flow: def.name, version, trigger: "debug", startedBy: options.ctx.userId, state });
    return this.view(newRunId);
  }

  /** Stops (and rolls back) debug runs left paused longer than DEBUG_RUN_IDLE_MS; returns how many. */
  async sweep(): Promise<number> {
    const before = new Date((this.deps.clock?.() ?? new Date()).getTime() - DEBUG_RUN_IDLE_MS).toISOString();
    let stopped = 0;
    for (const run of await this.deps.store.list({ status: "paused", limit: 100 })) {
      if (run.trigger !== "debug" || run.updatedAt >= before) continue;
      const found = await this.deps.store.get(run.id);
      if (found?.state.status !== "paused") continue;
      await this.end(run.id, found.state, "timed_out");
      stopped++;
    }
    return stopped;
  }
}
