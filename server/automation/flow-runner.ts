import { sql, type Kysely } from "kysely";
import type { FlowElement } from "@/spec/flow";
import { stepFlow, type FlowEnvironment, type FlowRunState, type FlowStep, type FlowVersions } from "./flow-interpreter";
import type { FlowRunStore } from "./flow-runs";

/**
 * Runs a flow durably. Elements that change records run in a transaction that also saves the
 * run's state and its step log (flow-runs.ts): the change and the record of having made it
 * commit together, so a run resumed after its process died (`kill -9` mid-run) continues after
 * the last committed change and never makes it twice. Elements without side effects
 * (assignments, decisions, loops, reads) are only logged at the next such checkpoint: re-running
 * them after a crash changes nothing outside the run.
 */

const EFFECTFUL: ReadonlySet<FlowElement["type"]> = new Set(["create_record", "update_records", "delete_records"]);

/** The element the run executes next, if it is one that writes. */
function nextWrites(state: FlowRunState, versions: FlowVersions): boolean {
  const frame = state.frames.at(-1);
  if (!frame?.at) return false;
  const element = versions(frame.flow, frame.version)?.elements.find((candidate) => candidate.id === frame.at);
  return !!element && EFFECTFUL.has(element.type);
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
};

/** Executes the run from its current state to its end (or a pause), saving as it goes. */
export async function executeDurably(runId: string, state: FlowRunState, env: FlowEnvironment, versions: FlowVersions, store: FlowRunStore, hooks: RunHooks = {}, newRun?: NewRun): Promise<FlowRunState> {
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
    if (nextWrites(state, versions)) {
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
  if (savedStatus !== state.status || pending.length > 0) await env.objectql.transaction(state.runAs, (_tx, executor) => save(executor));
  return state;
}
