import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import type { FlowDef } from "@/spec/flow";
import type { ObjectLookup } from "@/formula/type-checker";
import type { BeforeSaveHook, ObjectQL, RecordChange, SecurityContext } from "@/server/objectql";
import { executeDurably, type RunHooks } from "./runtime/flow-runner";
import { startFlowRun, timeOutEventWait, type FlowEnvironment, type FlowRecordValue, type FlowRunState, type FlowStep, type FlowValue, type PublishedFlow } from "./runtime/flow-interpreter";
import { FlowRunStore, type FlowRunRow } from "./runtime/flow-runs";
import { flowInputs } from "./runtime/flow-inputs";
import { flowMetadataIssues } from "./flow-check";
import { FlowDebugger } from "./debugger/flow-debugger";
import type { PgBossRunQueue } from "./queue/pg-boss-queue";
import type { DataDialect } from "@/server/db/data-db";
import { ServiceError } from "@/server/errors";
import type { HttpCalloutSettings } from "./elements/http-callout";
import type { MailDelivery } from "@/server/mail/mail-delivery";
import { beforeSaveTriggers, queueAfterSaveRuns, triggerChain, type TriggerSource } from "./triggers/record-triggers";
import type { FlowScheduleStore } from "./triggers/flow-schedules";
import { checkScreenValues, screenView, type ScreenElement, type ScreenView } from "./screens/flow-screens";

/** A scheduled flow over records queues at most this many runs each time it fires (a log line says when more matched). */
export const MAX_SCHEDULED_RECORDS = 10_000;

/**
 * The flows of this process: the published flows (reloaded when any process publishes), runs
 * started on request (autolaunched flows, from the API or another part of the platform), the
 * record triggers ObjectQL calls, and the worker loop that takes queued runs (after-save) and
 * runs left behind by a process that died. On SQLite the loop runs in the web process; every
 * process may run it, as claiming a run is one conditional update.
 */

export type FlowCatalog = {
  /** Published flows with their version numbers. */
  published(): Promise<PublishedFlow[]>;
  /** One published version (a run keeps the versions it started with). */
  version(name: string, version: number): Promise<FlowDef | null>;
};

/** The largest event payload, as JSON. */
export const MAX_EVENT_PAYLOAD = 100_000;

/** Rolls back a wake that lost to a timeout (or found the run no longer waiting). */
class EventNotTaken extends Error {}

/** A run that has not saved for this long is taken over by another worker. */
export const FLOW_RUN_LEASE_MS = 60_000;
/** Hours a screen run waits for its user before it expires (FLOW_SCREEN_RUN_HOURS). */
export const DEFAULT_SCREEN_RUN_HOURS = 24;

export class FlowService {
  readonly store: FlowRunStore;
  private latest = new Map<string, PublishedFlow>();
  private byObject = new Map<string, PublishedFlow[]>();
  private readonly versionCache = new Map<string, FlowDef>();
  private worker: ReturnType<typeof setInterval> | null = null;
  private draining: Promise<number> | null = null;

  constructor(
    private readonly deps: {
      store: FlowRunStore;
      catalog: FlowCatalog;
      /** The engine (runs started outside a transaction use it). */
      objectql: () => ObjectQL;
      /** An engine inside an open transaction. */
      engineFor: (executor: Kysely<any>) => ObjectQL;
      objects: ObjectLookup;
      /** For debug runs in rollback mode: an engine that hands every record change to `capture` and queues no after-save runs. */
      capturingEngine?: (capture: (change: RecordChange) => void) => ObjectQL;
      /** A transaction of the data database, and its dialect (rolling a debug run back). */
      transaction?: <T>(work: (executor: Kysely<any>) => Promise<T>) => Promise<T>;
      dialect?: DataDialect;
      clock?: () => Date;
      log?: (message: string) => void;
      /** When scheduled flows fire next (with `transaction`: firing queues the runs in one). */
      schedules?: FlowScheduleStore;
      /** http_callout: the allow-list of private hosts (and, in tests, a DNS lookup). */
      http?: HttpCalloutSettings;
      /** send_email: SMTP or the outbox. */
      mail?: MailDelivery;
      /** How long ended runs (and, with `outbox`, outbox messages) are kept: the worker deletes older ones hourly. */
      retention?: { runDays: number; outbox?: { days: number; prune(before: string): Promise<number> } };
      /** How long a screen run may wait for its user before it expires (hours; default 24). */
      screenRunHours?: number;
    },
  ) {
    this.store = deps.store;
  }

  private flowDebugger: FlowDebugger | null = null;

  /** The step-through debugger over this process's flows. */
  get debugger(): FlowDebugger {
    const { capturingEngine, transaction, dialect } = this.deps;
    if (!capturingEngine || !transaction || !dialect) throw new Error("this FlowService was created without the debugger's dependencies");
    this.flowDebugger ??= new FlowDebugger({
      store: this.store, dialect, objects: this.deps.objects, published: (name) => this.latest.get(name), versions: this.versions,
      environment: (engine) => this.environment(engine), capturingEngine, engine: this.deps.objectql, transaction, clock: this.deps.clock,
    });
    return this.flowDebugger;
  }

  /** Loads the published flows (at start and after any publish). */
  async reload(): Promise<void> {
    const flows = await this.deps.catalog.published();
    this.latest = new Map(flows.map((flow) => [flow.def.name, flow]));
    const byObject = new Map<string, PublishedFlow[]>();
    for (const flow of flows) {
      if (flow.def.start.type !== "record") continue;
      const list = byObject.get(flow.def.start.object) ?? [];
      list.push(flow);
      byObject.set(flow.def.start.object, list);
    }
    for (const flow of flows) this.versionCache.set(`${flow.def.name}@${flow.version}`, flow.def);
    const order = (flow: PublishedFlow) => (flow.def.start.type === "record" ? flow.def.start.order : 0);
    for (const list of byObject.values()) list.sort((a, b) => order(a) - order(b) || (a.def.name < b.def.name ? -1 : 1));
    this.byObject = byObject;
    await this.deps.schedules?.sync(flows.flatMap(({ def }) => (def.start.type === "scheduled" ? [{ flow: def.name, cron: def.start.cron, timezone: def.start.timezone }] : [])));
  }

  /**
   * Fires the scheduled flows that are due: each tick is taken by exactly one process (a
   * conditional update in the schedule table), in the transaction that queues its runs (one, or
   * one per record the start's filter selects, in system context: no user starts them).
   * Returns how many runs were queued.
   */
  async fireDueSchedules(): Promise<number> {
    const { schedules, transaction } = this.deps;
    if (!schedules || !transaction) return 0;
    let queued = 0;
    for (const row of await schedules.due()) {
      const flow = this.latest.get(row.flow);
      if (!flow || flow.def.start.type !== "scheduled") continue;
      const start = flow.def.start;
      const runIds = await transaction(async (executor) => {
        if (!(await schedules.take(row, executor))) return [];
        const ids: string[] = [];
        const queue = async (inputs: Record<string, FlowValue>, recordId?: string) => {
          const state = startFlowRun(flow, { kind: "system" }, inputs);
          ids.push(await this.store.create({ flow: flow.def.name, version: flow.version, trigger: "scheduled", startedBy: null, object: start.object, recordId, state, chain: [flow.def.name] }, executor));
        };
        if (!start.object) await queue({});
        else {
          const engine = this.deps.engineFor(executor);
          let cursor: string | undefined;
          do {
            const page = await engine.find({ kind: "system" }, { object: start.object, filter: start.filter, orderBy: [{ field: "id", direction: "asc" }], limit: 500, cursor });
            for (const record of page.records) {
              if (ids.length >= MAX_SCHEDULED_RECORDS) break;
              await queue({ record: record as FlowRecordValue }, String(record.id));
            }
            cursor = page.nextCursor;
          } while (cursor && ids.length < MAX_SCHEDULED_RECORDS);
          if (cursor) this.log(`[flow] scheduled flow '${flow.def.name}' matched more than ${MAX_SCHEDULED_RECORDS} ${start.object} records: runs were queued for the first ${MAX_SCHEDULED_RECORDS} by id`);
        }
        if (this.jobQueue) await this.jobQueue.sendInTransaction(executor, ids);
        return ids;
      }).catch(async (error: unknown) => {
        // Never silent, never stuck: the tick is taken anyway and a failed run says why.
        const message = `Schedule: ${error instanceof Error ? error.message : String(error)}`;
        this.log(`[flow] scheduled flow '${row.flow}' could not fire at ${row.nextAt}: ${message}`);
        await transaction(async (executor) => {
          if (!(await schedules.take(row, executor))) return;
          const state = { ...startFlowRun(flow, { kind: "system" }, {}), status: "failed" as const, error: { message, flow: flow.def.name, element: null } };
          await this.store.create({ flow: flow.def.name, version: flow.version, trigger: "scheduled", startedBy: null, object: start.object, state, chain: [flow.def.name] }, executor);
        }).catch((again: unknown) => this.log(`[flow] scheduled flow '${row.flow}': the failure could not be recorded: ${again instanceof Error ? again.message : String(again)}`));
        return [] as string[];
      });
      queued += runIds.length;
    }
    if (queued > 0) this.kick();
    return queued;
  }

  /**
   * Published flows that no longer pass their publish check against today's metadata (an object,
   * field or subflow removed or changed since): the studio flags them.
   */
  problems(): { flow: string; label: string; issues: ReturnType<typeof flowMetadataIssues> }[] {
    const out: { flow: string; label: string; issues: ReturnType<typeof flowMetadataIssues> }[] = [];
    for (const { def } of this.latest.values()) {
      const issues = flowMetadataIssues(def, this.deps.objects, (name) => this.latest.get(name)?.def);
      if (issues.length > 0) out.push({ flow: def.name, label: def.label, issues });
    }
    return out;
  }

  flow(name: string): PublishedFlow | undefined {
    return this.latest.get(name);
  }

  private readonly versions = (name: string, version: number) => this.versionCache.get(`${name}@${version}`);

  /** Loads the versions a saved run's frames use (older than the ones published now). */
  private async loadVersions(state: FlowRunState): Promise<void> {
    for (const frame of state.frames) {
      const key = `${frame.flow}@${frame.version}`;
      if (this.versionCache.has(key)) continue;
      const def = await this.deps.catalog.version(frame.flow, frame.version);
      if (def) this.versionCache.set(key, def);
    }
  }

  environment(engine: ObjectQL): FlowEnvironment {
    return { objectql: engine, objects: this.deps.objects, flows: (name) => this.latest.get(name), clock: this.deps.clock, http: this.deps.http, mail: this.deps.mail };
  }

  private log(message: string) {
    (this.deps.log ?? console.warn)(message);
  }

  private triggerSource(): TriggerSource {
    return {
      recordFlows: (object) => this.byObject.get(object) ?? [],
      versions: this.versions,
      environment: (engine) => this.environment(engine),
      engineFor: this.deps.engineFor,
      store: this.store,
      log: (message) => this.log(message),
    };
  }

  /** The before-save hook ObjectQL calls. */
  beforeSave(): BeforeSaveHook {
    return beforeSaveTriggers(this.triggerSource());
  }

  /** ObjectQL's onChange: queues after-save runs in the write's transaction. */
  async afterChange(change: RecordChange, executor: Kysely<any>): Promise<void> {
    if (!this.byObject.has(change.object.name)) return;
    const queued = await queueAfterSaveRuns(this.triggerSource(), change, executor);
    if (queued.length === 0) return;
    if (this.jobQueue) await this.jobQueue.sendInTransaction(executor, queued);
    else this.kick();
  }

  private jobQueue: PgBossRunQueue | null = null;

  /** PostgreSQL: queued runs go through pg-boss (pg-boss-queue.ts); `work`: this process takes jobs too. */
  async useJobQueue(queue: PgBossRunQueue, work: boolean): Promise<void> {
    await queue.start(work);
    this.jobQueue = queue;
  }

  /** A job's run: taken (if still queued, or abandoned by a stopped worker) and run to its end. */
  async runQueued(runId: string): Promise<void> {
    const found = await this.store.get(runId);
    if (!found) return;
    const staleBefore = new Date((this.deps.clock?.() ?? new Date()).getTime() - FLOW_RUN_LEASE_MS).toISOString();
    const run = found.run;
    const now = (this.deps.clock?.() ?? new Date()).toISOString();
    const due = run.status === "waiting" && run.wakeAt !== null && run.wakeAt <= now;
    if (!(run.status === "queued" || due || (run.status === "running" && run.updatedAt < staleBefore))) return;
    if (!(await this.store.claim(run))) return;
    await this.resume(run).catch((error: unknown) => this.log(`[flow] run ${run.id} of '${run.flow}' stopped: ${error instanceof Error ? error.message : String(error)} (it resumes from its last saved step)`));
  }

  /**
   * Jobs again for runs queued over 10 s ago, waiting runs due over 10 s ago, and runs abandoned
   * by a stopped worker (their jobs were lost or expired).
   */
  private async resendLost(): Promise<void> {
    const now = (this.deps.clock?.() ?? new Date()).getTime();
    const tenSecondsAgo = new Date(now - 10_000).toISOString();
    const queued = (await this.store.queued(200)).filter((run) => run.updatedAt < tenSecondsAgo);
    const due = await this.store.due(tenSecondsAgo, 200);
    const stale = await this.store.stale(new Date(now - FLOW_RUN_LEASE_MS).toISOString(), 200);
    await this.jobQueue?.send([...queued, ...due, ...stale].map((run) => run.id));
  }

  /** Hooks of a run this process executes: a run that waits has its job sent for the wake time (PostgreSQL; elsewhere the drain loop finds it). */
  private runHooks(): RunHooks {
    const queue = this.jobQueue;
    return queue ? { onWait: (executor, runId, wakeAt) => queue.sendInTransaction(executor, [runId], { startAfter: new Date(wakeAt) }) } : {};
  }

  /** Runs a published autolaunched flow now, as `ctx`, and returns its run. */
  async start(name: string, inputs: Record<string, FlowValue>, ctx: SecurityContext): Promise<{ runId: string; state: FlowRunState }> {
    const flow = this.latest.get(name);
    if (!flow) throw new Error(`Flow '${name}' is not published`);
    await this.store.ready();
    const state = startFlowRun(flow, ctx, inputs);
    const runId = randomUUID();
    await executeDurably(runId, state, this.environment(this.deps.objectql()), this.versions, this.store, this.runHooks(), { flow: name, version: flow.version, trigger: "autolaunched", startedBy: ctx.kind === "user" ? ctx.userId : null });
    return { runId, state };
  }

  /**
   * Runs an autolaunched flow for a caller of the API (or a button): the flow must be published
   * and autolaunched; a system-context flow only for admins; inputs are checked (flow-inputs.ts).
   */
  async startForCaller(name: string, rawInputs: unknown, caller: { ctx: SecurityContext & { kind: "user" }; admin: boolean }) {
    const flow = this.latest.get(name);
    if (!flow) throw new ServiceError("NOT_FOUND", `Flow '${name}' is not published`, [{ path: ["flow"], message: "is not a published flow" }]);
    if (flow.def.start.type !== "autolaunched") {
      throw new ServiceError("BAD_REQUEST", `Flow '${name}' starts on a record save and cannot be run on request`, [{ path: ["flow"], message: "is record-triggered" }]);
    }
    if (flow.def.runAs === "system" && !caller.admin) {
      throw new ServiceError("FORBIDDEN", `Flow '${name}' runs in system context: only admins may start it`);
    }
    const inputs = await flowInputs(flow.def, rawInputs, this.deps.objectql(), caller.ctx);
    const { runId, state } = await this.start(name, inputs, caller.ctx);
    return { runId, status: state.status, outputs: state.outputs ?? {}, error: state.error ?? null };
  }

  /** Published screen flows a user may start (system-context ones only for admins), by label. */
  screenFlows(admin: boolean): { name: string; label: string; description?: string; object?: string }[] {
    return [...this.latest.values()]
      .filter(({ def }) => def.start.type === "screen" && (admin || def.runAs !== "system"))
      .map(({ def }) => ({ name: def.name, label: def.label, ...(def.description ? { description: def.description } : {}), ...(def.start.type === "screen" && def.start.object ? { object: def.start.object } : {}) }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  /**
   * Starts a published screen flow for a user of the apps and runs it to its first screen (or its
   * end). A flow with an object is started from one of its records (`recordId`, read as the
   * user: the page's record becomes `record`). System-context screen flows are for admins.
   */
  async startScreenFlow(name: string, recordId: string | undefined, caller: { ctx: SecurityContext & { kind: "user" }; admin: boolean }): Promise<ScreenView> {
    const flow = this.latest.get(name);
    if (!flow || flow.def.start.type !== "screen") {
      throw new ServiceError("NOT_FOUND", `No published screen flow '${name}'`, [{ path: ["flow"], message: flow ? "is not a screen flow" : "is not a published flow" }]);
    }
    if (flow.def.runAs === "system" && !caller.admin) throw new ServiceError("FORBIDDEN", `Flow '${name}' runs in system context: only admins may start it`);
    const object = flow.def.start.object;
    const inputs: Record<string, FlowValue> = {};
    if (object) {
      if (recordId === undefined) throw new ServiceError("BAD_REQUEST", `Flow '${name}' runs on a ${object} record: start it from one`, [{ path: ["recordId"], message: `is required (a ${object} record's id)` }]);
      const record = await this.deps.objectql().findOne(caller.ctx, object, recordId);
      if (!record) throw new ServiceError("NOT_FOUND", `No ${object} record '${recordId}' that you may read`, [{ path: ["recordId"], message: `is not a ${object} record you may read` }]);
      inputs.record = record as FlowRecordValue;
    } else if (recordId !== undefined) {
      throw new ServiceError("BAD_REQUEST", `Flow '${name}' does not run on a record`, [{ path: ["recordId"], message: "is not taken by this flow" }]);
    }
    await this.store.ready();
    const state = startFlowRun(flow, caller.ctx, inputs);
    const runId = randomUUID();
    const env = this.environment(this.deps.objectql());
    await executeDurably(runId, state, env, this.versions, this.store, this.runHooks(), {
      flow: name, version: flow.version, trigger: "screen", startedBy: caller.ctx.userId, object, recordId,
    });
    return screenView(runId, state, flow.def, this.versions, env, flow.def.label);
  }

  /** A screen run of `caller`'s (no one else's: it holds what they entered). */
  private async ownScreenRun(runId: string, caller: { ctx: SecurityContext & { kind: "user" } }) {
    const found = await this.store.get(runId);
    if (!found || found.run.trigger !== "screen" || found.run.startedBy !== caller.ctx.userId) {
      throw new ServiceError("NOT_FOUND", `No screen flow run '${runId}' of yours`, [{ path: ["runId"], message: "is not a run you started" }]);
    }
    await this.loadVersions(found.state);
    const def = this.versions(found.run.flow, found.run.version);
    if (!def) throw new ServiceError("NOT_FOUND", `Flow '${found.run.flow}' version ${found.run.version} is no longer available`);
    return { ...found, def };
  }

  /** Where a screen run is now (a reloaded page shows the same screen). */
  async screenRun(runId: string, caller: { ctx: SecurityContext & { kind: "user" } }): Promise<ScreenView> {
    const { run, state, def } = await this.ownScreenRun(runId, caller);
    return screenView(run.id, state, def, this.versions, this.environment(this.deps.objectql()), def.label);
  }

  /**
   * The user goes on from the screen `element` (its values are checked first: nothing moves on
   * a refusal), or back to the previous screen (variables as they were when it was shown, and
   * what they entered on it; records written since are kept).
   */
  async submitScreen(
    runId: string,
    input: { element: string; action: "next" | "back"; values?: unknown },
    caller: { ctx: SecurityContext & { kind: "user" } },
  ): Promise<ScreenView> {
    const { run, state, def } = await this.ownScreenRun(runId, caller);
    const frame = state.frames.at(-1);
    // The row's status, not only the saved state's: a submission being run has the row "running".
    if (run.status === "failed" && run.error) {
      throw new ServiceError("CONFLICT", `This flow run has ended: ${run.error}`, [{ path: ["element"], message: "the run has ended" }]);
    }
    if (run.status !== "screen" || state.status !== "screen" || frame?.at !== input.element) {
      throw new ServiceError("CONFLICT", `This screen has already been submitted: the flow is ${run.status === "screen" ? `at '${frame?.at}'` : run.status} now`, [{ path: ["element"], message: "is not the screen the run is at" }]);
    }
    const frameDef = this.versions(frame.flow, frame.version) ?? def;
    const element = frameDef.elements.find((candidate) => candidate.id === input.element) as ScreenElement;
    const engine = this.deps.objectql();
    const env = this.environment(engine);
    const visits = state.screens ?? [];
    // Exactly one submission of a screen goes on (two tabs, a double click): the row must still
    // be as read (each screen shown or left is a step, so the step count tells them apart).
    const claim = () => this.store.claim({ ...run, status: "screen" }).then((taken) => {
      if (!taken) throw new ServiceError("CONFLICT", "This screen has already been submitted (in another tab?): reload to see where the flow is", [{ path: ["element"], message: "was submitted already" }]);
    });
    if (input.action === "back") {
      if (!element.allowBack || visits.length < 2) throw new ServiceError("BAD_REQUEST", `Screen '${element.label}' has no previous screen to go back to`, [{ path: ["action"], message: "back is not offered on this screen" }]);
      visits.pop();
      const previous = visits.at(-1)!;
      state.frames = structuredClone(previous.frames);
      const step: FlowStep = {
        seq: state.steps++, depth: state.frames.length - 1, flow: frame.flow, element: element.id, type: "screen_back", label: element.label,
        inputs: {}, outputs: { to: previous.element }, changed: {}, handle: null, startedAt: (this.deps.clock?.() ?? new Date()).toISOString(), durationMs: 0,
      };
      await claim();
      await engine.transaction(state.runAs, (_tx, executor) => this.store.checkpoint(executor, run.id, state, [step]));
    } else {
      const values = await checkScreenValues(frameDef, element, input.values, this.deps.objects, engine, state.runAs);
      visits.at(-1)!.values = values;
      state.submitted = values;
      state.status = "running";
      await claim();
      await executeDurably(run.id, state, env, this.versions, this.store, this.runHooks());
    }
    return screenView(run.id, state, def, this.versions, env, def.label);
  }

  /**
   * Publishes a platform event: every run waiting for `event` with this `key` (or for any key)
   * is woken, exactly once (its wait row taken and its row updated as read, in one transaction),
   * with the payload (as JSON text) in the wait's variable; workers run them at once. Returns
   * how many runs it woke.
   */
  async publishEvent(event: string, key: string, payload: unknown): Promise<{ woken: number }> {
    const { transaction } = this.deps;
    if (!transaction) throw new Error("this FlowService was created without a transaction");
    const json = JSON.stringify(payload ?? null);
    if (json.length > MAX_EVENT_PAYLOAD) throw new ServiceError("BAD_REQUEST", `The event's payload is longer than ${MAX_EVENT_PAYLOAD.toLocaleString("en-US")} characters as JSON`, [{ path: ["payload"], message: `is too large (at most ${MAX_EVENT_PAYLOAD.toLocaleString("en-US")} characters as JSON)` }]);
    await this.store.ready();
    const woken: string[] = [];
    for (const runId of await this.store.eventWaiters(event, key)) {
      const took = await transaction(async (executor) => {
        if (!(await this.store.takeEventWait(runId, executor))) return false;
        const found = await this.store.get(runId, executor);
        const waited = found?.state.waitingFor;
        if (!found || found.run.status !== "waiting" || !waited) throw new EventNotTaken();
        const { state } = found;
        const frame = state.frames.at(-1)!;
        const changed: Record<string, FlowValue> = waited.payloadInto ? { [waited.payloadInto]: json } : {};
        Object.assign(frame.variables, changed);
        delete state.waitingFor;
        const now = (this.deps.clock?.() ?? new Date()).toISOString();
        state.wakeAt = now;
        const step: FlowStep = {
          seq: state.steps++, depth: state.frames.length - 1, flow: frame.flow, element: waited.element, type: "event_received", label: `Event '${event}'`,
          inputs: { event, key }, outputs: {}, changed, handle: "next", startedAt: now, durationMs: 0,
        };
        // A timeout that took the run since it was read wins: nothing here is kept.
        if (!(await this.store.wakeForEvent(executor, runId, state, step, found.run))) throw new EventNotTaken();
        return true;
      }).catch((error: unknown) => {
        if (error instanceof EventNotTaken) return false;
        throw error;
      });
      if (took) woken.push(runId);
    }
    if (woken.length > 0) {
      if (this.jobQueue) await this.jobQueue.send(woken);
      else this.kick();
    }
    return { woken: woken.length };
  }

  /**
   * An admin's retry of a failed run: queued again at the element that failed (a fault in a
   * subflow: the subflow element that called it), with its variables as they were when it failed,
   * in the version it ran; a worker takes it up as any queued run. Meant for failures the admin
   * has since fixed (a record, a validation rule, a service that was down). Not for debug runs
   * (rerun those from a step in the debugger) nor before-save runs (their save was refused).
   */
  async retryFailed(runId: string, by: string): Promise<{ runId: string; status: "queued" }> {
    const { transaction } = this.deps;
    if (!transaction) throw new Error("this FlowService was created without a transaction");
    await this.store.ready();
    const found = await this.store.get(runId);
    if (!found) throw new ServiceError("NOT_FOUND", `No flow run '${runId}'`, [{ path: ["id"], message: "is not a flow run" }]);
    const { run, state } = found;
    const refuse = (message: string) => new ServiceError("BAD_REQUEST", `Run '${runId}' of flow '${run.flow}' cannot be retried: ${message}`, [{ path: ["id"], message }]);
    if (run.status !== "failed") throw refuse(`it is ${run.status}, not failed`);
    if (state.debug) throw refuse("it is a debug run (rerun it from a step in the debugger)");
    await this.loadVersions(state);
    const def = this.versions(run.flow, run.version);
    if (!def) throw refuse(`version ${run.version} of the flow is no longer available`);
    if (def.start.type === "record" && def.start.when === "before_save") throw refuse("it ran before a save, and that save was refused");
    const frame = state.frames.at(-1);
    if (!frame?.at || !state.error) throw refuse("it has no failed step to go on from");
    const failed = state.error;
    state.status = "running";
    delete state.error;
    const now = (this.deps.clock?.() ?? new Date()).toISOString();
    const step: FlowStep = {
      seq: state.steps++, depth: state.frames.length - 1, flow: frame.flow, element: frame.at, type: "run_retried", label: "Retried",
      inputs: { by, failedWith: failed.message }, outputs: {}, changed: {}, handle: "next", startedAt: now, durationMs: 0,
    };
    const reopened = await transaction((executor) => this.store.reopenFailed(executor, runId, state, step, run));
    if (!reopened) throw new ServiceError("CONFLICT", `Run '${runId}' changed while it was being retried (retried twice?): look at it again`, [{ path: ["id"], message: "changed meanwhile" }]);
    if (this.jobQueue) await this.jobQueue.send([runId]);
    else this.kick();
    return { runId, status: "queued" };
  }

  /**
   * Takes and runs queued runs, waiting runs whose wake time has come, and runs whose worker
   * stopped (no save for FLOW_RUN_LEASE_MS), until none is left; returns how many it ran. One drain at a time per process.
   */
  drain(): Promise<number> {
    this.draining ??= this.drainOnce().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drainOnce(): Promise<number> {
    await this.store.ready();
    let ran = 0;
    for (;;) {
      const now = this.deps.clock?.() ?? new Date();
      const staleBefore = new Date(now.getTime() - FLOW_RUN_LEASE_MS).toISOString();
      const candidates = [...(await this.store.queued(20)), ...(await this.store.due(now.toISOString(), 20)), ...(await this.store.stale(staleBefore, 20))];
      if (candidates.length === 0) return ran;
      let claimedAny = false;
      for (const candidate of candidates) {
        if (!(await this.store.claim(candidate))) continue;
        claimedAny = true;
        ran++;
        await this.resume(candidate).catch((error: unknown) => this.log(`[flow] run ${candidate.id} of '${candidate.flow}' stopped: ${error instanceof Error ? error.message : String(error)} (it resumes from its last saved step)`));
      }
      if (!claimedAny) return ran;
    }
  }

  /** Continues a claimed run from its last saved state. */
  private async resume(run: FlowRunRow): Promise<void> {
    const saved = await this.store.get(run.id);
    if (!saved) return;
    const state = saved.state;
    await this.loadVersions(state);
    if (state.status === "waiting") {
      // Its time has come: it goes on at the element after the wait.
      state.status = "running";
      delete state.wakeAt;
      if (state.waitingFor) {
        // A wait for an event whose time ran out first: its fault path. Taking the wait row makes
        // an event published now find nothing (one of the two wins).
        await this.store.takeEventWait(run.id);
        timeOutEventWait(state, this.versions);
      }
    }
    const engine = this.deps.objectql();
    const heartbeat = setInterval(() => void this.store.heartbeat(run.id).catch(() => undefined), FLOW_RUN_LEASE_MS / 3);
    try {
      await triggerChain.run(run.chain, () => executeDurably(run.id, state, this.environment(engine), this.versions, this.store, this.runHooks()));
    } finally {
      clearInterval(heartbeat);
    }
    if (state.status === "failed") this.log(`[flow] run ${run.id} of '${run.flow}' failed at '${state.error?.element}': ${state.error?.message}`);
  }

  /**
   * Deletes ended runs and outbox messages older than their retention (`deps.retention`); returns
   * how many of each. Every process's worker runs it hourly (the deletes are idempotent).
   */
  async pruneHistory(): Promise<{ runs: number; messages: number }> {
    const retention = this.deps.retention;
    if (!retention) return { runs: 0, messages: 0 };
    const now = (this.deps.clock?.() ?? new Date()).getTime();
    const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
    await this.store.ready();
    let runs = 0;
    // A thousand at a time, so no transaction holds the tables long.
    for (;;) {
      const pruned = await this.store.prune(daysAgo(retention.runDays));
      runs += pruned;
      if (pruned === 0) break;
    }
    const messages = retention.outbox ? await retention.outbox.prune(daysAgo(retention.outbox.days)) : 0;
    return { runs, messages };
  }

  /**
   * Ends screen runs left unanswered longer than `deps.screenRunHours` (default 24): failed,
   * naming the screen, so they leave the list of runs in progress and their starter, coming back,
   * is told the run expired. Every process's worker runs it hourly; returns how many ended.
   */
  async expireScreenRuns(): Promise<number> {
    const hours = this.deps.screenRunHours ?? DEFAULT_SCREEN_RUN_HOURS;
    const now = (this.deps.clock?.() ?? new Date()).getTime();
    await this.store.ready();
    let expired = 0;
    for (;;) {
      const ended = await this.store.expireScreens(new Date(now - hours * 3_600_000).toISOString(), (flow, version, element) => {
        const label = this.versions(flow, version)?.elements.find((candidate) => candidate.id === element)?.label ?? element;
        return `Left unanswered at screen '${label}' for over ${hours} hours: the run expired. Start the flow again.`;
      });
      expired += ended;
      if (ended === 0) break;
    }
    if (expired > 0) this.log(`[flow] ${expired} screen run(s) left unanswered for over ${hours} hours expired`);
    return expired;
  }

  /** Drains the queue every `intervalMs` (and when `kick` is called). */
  startWorker(intervalMs = 1000): void {
    if (this.worker) return;
    let ticks = 0;
    this.worker = setInterval(() => {
      if (ticks % 5 === 0) this.fireDueSchedules().catch((error: unknown) => this.log(`[flow] schedules could not be read: ${error instanceof Error ? error.message : String(error)}`));
      if (!this.jobQueue) this.drainQuietly();
      else if (ticks % 10 === 0) this.resendLost().catch((error: unknown) => this.log(`[flow] lost jobs could not be sent again: ${error instanceof Error ? error.message : String(error)}`));
      // Once an hour: history past its retention goes, and screen runs left unanswered expire.
      if (ticks % Math.max(1, Math.round(3_600_000 / intervalMs)) === 0) {
        if (this.deps.retention) this.pruneHistory().catch((error: unknown) => this.log(`[flow] old runs could not be deleted: ${error instanceof Error ? error.message : String(error)}`));
        this.expireScreenRuns().catch((error: unknown) => this.log(`[flow] unanswered screen runs could not be ended: ${error instanceof Error ? error.message : String(error)}`));
      }
      // Once a minute: debug runs left paused are stopped and rolled back.
      if (++ticks % Math.max(1, Math.round(60_000 / intervalMs)) === 0 && this.deps.capturingEngine) {
        this.debugger.sweep().catch((error: unknown) => this.log(`[flow] idle debug runs could not be stopped: ${error instanceof Error ? error.message : String(error)}`));
      }
    }, intervalMs);
    this.worker.unref?.();
  }

  /** A drain from the worker loop: a failure (the database going away) is logged, and the next tick tries again. */
  private drainQuietly(): void {
    this.drain().catch((error: unknown) => this.log(`[flow] the run queue could not be read: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** With the worker loop on: drains soon (after the current transaction has had a chance to commit). */
  kick(): void {
    if (!this.worker) return;
    setTimeout(() => {
      if (this.worker) this.drainQuietly();
    }, 0).unref?.();
  }

  async stopWorker(): Promise<void> {
    if (this.worker) clearInterval(this.worker);
    this.worker = null;
    await this.draining;
    await this.jobQueue?.stop();
    this.jobQueue = null;
  }
}
