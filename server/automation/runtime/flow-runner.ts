import { sql, type Kysely } from "kysely";
import type { FlowElement } from "@/spec/flow";
import { nextElement, stepFlow, type FlowEnvironment, type FlowRunState, type FlowStep, type FlowVersions } from "./flow-interpreter";
import type { FlowRunStore } from "./flow-runs";

/**
 * Runs a flow durably. Elements that change records run in a transaction that also saves the
 * run's state and its step log (flow-runs.ts): the change and the record of having made it
 * commit together, so a run resumed after its process died (`kill -9` mid-run) continues after
 * the last committed change and never makes it twice. Elements without side effects
 * (assignments, decisions, loops, reads) are only logged at the next such checkpoint: re-running
 * them after a crash changes nothing outside the run.
 *
 * Elements that act outside the database (an HTTP callout, an email) cannot share a transaction
 * with the checkpoint: the run is saved just before such a step (so a crash repeats nothing that
 * came earlier) and just after it (so a resumed run does not call again). A crash in between,
 * after the other side has answered but before the step's save commits, repeats the call when
 * the run resumes: callouts are at-least-once within that window (milliseconds). Email keeps a
 * key per run and step (elements/send-email.ts): the outbox files a repeated message once, and
 * SMTP messages carry a Message-ID built from it.
 */

const EFFECTFUL: ReadonlySet<FlowElement["type"]> = new Set(["create_record", "update_records", "delete_records"]);
const EXTERNAL: ReadonlySet<FlowElement["type"]> = new Set(["http_callout", "send_email"]);

/** The kind of the element the run executes next: one that writes records, one that acts outside, or neither. */
function nextKind(state: FlowRunState, versions: FlowVersions): "writes" | "external" | null {
  const element = nextElement(state, versions);
  if (!element) return null;
  return EFFECTFUL.has(element.type) ? "writes" : EXTERNAL.has(element.type) ? "external" : null;
}

/** A run not yet recorded: its row is inserted with its first save. */
export type NewRun = Omit<Parameters<FlowRunStore["create"]>[0], "state" | "id">;

export type RunHooks = {
  /** Called after each step (the debugger pauses here; tests crash the run here). */
  onStep?: (step: FlowStep, state: FlowRunState) => Promise<void> | void;
  /** Stop before the next element (a breakpoint): set the state's status to "paused" and say true; the state is saved and the run can go on later. */
  shouldPause?: (state: FlowRunState) => boolean | Promise<boolean>;
  /** Called before each element runs (the debugger starts a new group of changes to undo). */
  beforeStep?: (state: FlowRunState) => void;
  /** The run reached a wait: called in the transaction that saves it waiting (PostgreSQL sends its job for the wake time). */
  onWait?: (executor: Kysely<any>, runId: string, wakeAt: string) => Promise<void>;
};

/** Executes the run from its current state to its end (or a pause), saving as it goes. */
export async function executeDurably(runId: string, state: FlowRunState, runEnv: FlowEnvironment, versions: FlowVersions, store: FlowRunStore, hooks: RunHooks = {}, newRun?: NewRun): Promise<FlowRunState> {
  const env: FlowEnvironment = { ...runEnv, runId };
  const pending: FlowStep[] = [];
  const written: FlowStep[] = [];
  // A new run's row goes in with its first save (nothing happened before it that a crash could lose).
  let unsaved = newRun;
  const save = async (executor: Kysely<any>) => {
    if (unsaved) await store.create({ ...unsaved, id: runId, state }, executor);
    await store.checkpoint(executor, runId, state, pending.splice(0), { rowIsCurrent: unsaved !== undefined });
    unsaved = undefined;
    savedStatus = state.status;
  };
  // The status last saved, when nothing happened since (a run whose last step wrote is saved).
  let savedStatus: FlowRunState["status"] | null = null;
  while (state.status === "running") {
    if (hooks.shouldPause && (await hooks.shouldPause(state))) break;
    hooks.beforeStep?.(state);
    const kind = nextKind(state, versions);
    if (kind === "external") {
      // Saved before (what came earlier is never repeated) and after (the call is not repeated).
      if (unsaved || pending.length > 0) await env.objectql.transaction(state.runAs, (_tx, executor) => save(executor));
      const step = await stepFlow(state, env, versions);
      if (step) pending.push(step);
      await env.objectql.transaction(state.runAs, (_tx, executor) => save(executor));
      if (step) await hooks.onStep?.(step, state);
      continue;
    }
    if (kind === "writes") {
      await env.objectql.transaction(state.runAs, async (tx, executor) => {
        // A failed write leaves the transaction usable (PostgreSQL aborts a transaction on any
        // error): it is undone to here, and the fault and the step log still commit.
        await sql`savepoint os_flow_step`.execute(executor);
        const step = await stepFlow(state, { ...env, objectql: tx }, versions);
        if (step?.error) await sql`rollback to savepoint os_flow_step`.execute(executor);
        await sql`release savepoint os_flow_step`.execute(executor);
        if (step) {
          pending.push(step);
          written.push(step);
        }
        await save(executor);
      });
      if (hooks.onStep) for (const step of written.splice(0)) await hooks.onStep(step, state);
      continue;
    }
    const step = await stepFlow(state, env, versions);
    savedStatus = null;
    if (step) {
      pending.push(step);
      await hooks.onStep?.(step, state);
    }
  }
  if (savedStatus !== state.status || pending.length > 0) {
    await env.objectql.transaction(state.runAs, async (_tx, executor) => {
      await save(executor);
      if (state.status === "waiting" && hooks.onWait) await hooks.onWait(executor, runId, state.wakeAt!);
    });
  }
  return state;
}
