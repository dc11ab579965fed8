import type { Kysely } from "kysely";
import { AsyncLocalStorage } from "node:async_hooks";
import type { FlowDef, RecordTriggerEvent } from "@/spec/flow";
import { IS_NEW_VARIABLE } from "@/formula/flow-expressions";
import { ObjectQLError } from "@/server/objectql/errors";
import { MAX_LIMIT } from "@/spec/query";
import type { BeforeSaveHook, ObjectQL, RecordChange, SecurityContext } from "@/server/objectql";
import { evaluateFlowFormula, runFlow, startFlowRun, type FlowEnvironment, type FlowRecordValue, type FlowVersions, type PublishedFlow } from "../runtime/flow-interpreter";
import type { FlowRunStore } from "../runtime/flow-runs";

/**
 * Record-triggered flows. ObjectQL calls in here from inside every record write's transaction,
 * whatever wrote the record (a form, the grid, a bulk update, REST, an import, another flow):
 * - before-save flows run right there, on the record about to be saved, and their changes to
 *   `record` are saved with it; a custom error (or a failure) refuses the save;
 * - after-save flows are queued as run rows in that same transaction (an outbox): a rolled-back
 *   save queues nothing, and no worker can see the run before the save commits.
 * A flow whose run writes records can trigger flows again; `recursionDepth` bounds how often a
 * flow may appear in one chain of triggers (the chain travels in AsyncLocalStorage with the run).
 */

/** The flows a running flow was triggered through (outermost first). */
export const triggerChain = new AsyncLocalStorage<readonly string[]>();

export type TriggerSource = {
  /** Published record-triggered flows of an object, in trigger order. */
  recordFlows(object: string): readonly PublishedFlow[];
  versions: FlowVersions;
  environment(engine: ObjectQL): FlowEnvironment;
  /** An engine inside an open transaction (entry conditions read related records in it). */
  engineFor(executor: Kysely<any>): ObjectQL;
  store: FlowRunStore;
  log(message: string): void;
};

function fires(def: FlowDef, when: "before_save" | "after_save", kind: "create" | "update" | "delete"): boolean {
  const start = def.start;
  if (start.type !== "record" || start.when !== when) return false;
  const on: RecordTriggerEvent = start.on;
  return on === kind || (on === "create_or_update" && kind !== "delete");
}

/** The record and its prior values as a flow sees them (on create the prior record is the record: nothing changed). */
function triggerVariables(record: FlowRecordValue, prior: FlowRecordValue | null) {
  return { record, record_prior: prior ?? record, [IS_NEW_VARIABLE]: prior === null };
}

async function conditionHolds(flow: PublishedFlow, variables: ReturnType<typeof triggerVariables>, env: FlowEnvironment, ctx: SecurityContext): Promise<boolean> {
  const start = flow.def.start;
  if (start.type !== "record" || !start.condition) return true;
  return (await evaluateFlowFormula(flow.def, start.condition, variables, env, ctx)) === true;
}

/** The values a before-save run changed on `record` (only the object's own fields). */
function changedFields(before: Record<string, unknown>, after: FlowRecordValue | null, fields: readonly string[]): Record<string, unknown> | null {
  if (!after) return null;
  const changes: Record<string, unknown> = {};
  for (const field of fields) if (Object.hasOwn(after, field) && after[field] !== before[field]) changes[field] = after[field];
  return Object.keys(changes).length > 0 ? changes : null;
}

/**
 * The failed run of a before-save flow, recorded once the save's transaction is over: the save
 * is refused and rolled back, so a row written in it would vanish, and on SQLite the transaction
 * holds the only connection (a write beside it waits for it to end). Not awaited for the same
 * reason; a failure to record it is logged.
 */
function recordRefusal(source: TriggerSource, run: Parameters<FlowRunStore["create"]>[0]): void {
  setImmediate(() => {
    source.store.ready().then(() => source.store.create(run)).catch((error: unknown) => source.log(`[flow] the refused save's run of '${run.flow}' could not be recorded: ${error instanceof Error ? error.message : String(error)}`));
  });
}

export function beforeSaveTriggers(source: TriggerSource): BeforeSaveHook {
  return {
    handles(object, kind) {
      return source.recordFlows(object).some((flow) => fires(flow.def, "before_save", kind));
    },
    async run({ kind, object, record, prior, ctx, engine }) {
      const env = source.environment(engine);
      const fields = object.fields.map((field) => field.name);
      let current: FlowRecordValue = { ...record };
      for (const flow of source.recordFlows(object.name)) {
        if (!fires(flow.def, "before_save", kind)) continue;
        const variables = triggerVariables(current, prior as FlowRecordValue | null);
        if (!(await conditionHolds(flow, variables, env, ctx))) continue;
        const state = await runFlow(startFlowRun(flow, ctx, variables), env, source.versions);
        if (state.status === "failed") {
          source.log(`[flow] before-save flow '${flow.def.name}' refused a save of ${object.name}: ${state.error?.message}`);
          recordRefusal(source, { flow: flow.def.name, version: flow.version, trigger: "record", startedBy: ctx.kind === "user" ? ctx.userId : null, object: object.name, recordId: typeof record.id === "string" ? record.id : undefined, state });
          throw new ObjectQLError("BAD_REQUEST", state.error!.message, { path: [], issues: [{ path: [], message: `${flow.def.label}: ${state.error!.message}` }] });
        }
        const after = state.frames[0]!.variables.record as FlowRecordValue | null;
        current = { ...current, ...(changedFields(current, after, fields) ?? {}) };
      }
      return changedFields(record, current, fields);
    },
  };
}

/** Queues the after-save runs a change triggers, in the change's transaction; returns their ids. */
/**
 * The records as this save leaves them (computed fields and lookup names included), read in the
 * save's transaction: what an after-save run sees as `record`, however late a worker takes it up
 * and whatever later saves changed since (each of those queues runs of its own).
 */
async function savedRecords(engine: ObjectQL, change: RecordChange): Promise<Map<string, FlowRecordValue>> {
  const out = new Map<string, FlowRecordValue>();
  for (let start = 0; start < change.ids.length; start += MAX_LIMIT) {
    const ids = change.ids.slice(start, start + MAX_LIMIT);
    const { records } = await engine.find({ kind: "system" }, { object: change.object.name, filter: { field: "id", operator: "in", value: ids }, limit: ids.length });
    for (const record of records) out.set(String(record.id), record as FlowRecordValue);
  }
  return out;
}

export async function queueAfterSaveRuns(source: TriggerSource, change: RecordChange, executor: Kysely<any>): Promise<string[]> {
  const flows = source.recordFlows(change.object.name).filter((flow) => fires(flow.def, "after_save", change.kind));
  const queued: string[] = [];
  if (flows.length === 0) return queued;
  const chain = triggerChain.getStore() ?? [];
  const engine = source.engineFor(executor);
  const env = source.environment(engine);
  const saved = change.kind === "delete" ? new Map<string, FlowRecordValue>() : await savedRecords(engine, change);
  for (const flow of flows) {
    const start = flow.def.start as Extract<FlowDef["start"], { type: "record" }>;
    const appearances = chain.filter((name) => name === flow.def.name).length;
    for (const [index, id] of change.ids.entries()) {
      const before = (change.before?.get(id) as FlowRecordValue | undefined) ?? null;
      const values = change.values?.[change.kind === "create" ? index : 0] ?? {};
      const record: FlowRecordValue = change.kind === "delete" ? { ...before } : saved.get(id) ?? { ...(before ?? {}), ...values, id };
      if (appearances > start.recursionDepth) {
        source.log(`[flow] '${flow.def.name}' not triggered by ${change.kind} of ${change.object.name} ${id}: its own writes retriggered it ${appearances} time(s) (recursionDepth ${start.recursionDepth})`);
        continue;
      }
      const variables = triggerVariables(record, change.kind === "create" ? null : before);
      const state = startFlowRun(flow, change.ctx, variables);
      try {
        if (!(await conditionHolds(flow, variables, env, change.ctx))) continue;
      } catch (error) {
        // Never silent: a condition that cannot be evaluated leaves a failed run saying why.
        const message = `Entry condition: ${error instanceof Error ? error.message : String(error)}`;
        source.log(`[flow] '${flow.def.name}' not run for ${change.object.name} ${id}: ${message}`);
        Object.assign(state, { status: "failed", error: { message, flow: flow.def.name, element: null } });
      }
      const runId = await source.store.create({ flow: flow.def.name, version: flow.version, trigger: "record", startedBy: change.actor, object: change.object.name, recordId: id, state, chain: [...chain, flow.def.name] }, executor);
      if (state.status === "running") queued.push(runId);
    }
  }
  return queued;
}
