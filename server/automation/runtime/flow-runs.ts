import { randomUUID } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { CompiledQuery, sql, type Kysely } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { oncePerDatabase } from "@/server/db/once-per-database";
import { mysqlTableCollation } from "@/server/objectql/schema/ddl-mysql";
import { insertRows, quoteIdentifier } from "@/server/objectql/records/bulk-insert";
import type { FlowRunState, FlowStep } from "./flow-interpreter";
import type { FLOW_RUN_STATUSES } from "@/spec/flow";

/**
 * The durable record of flow runs, in the data database beside the object tables, so a step's
 * record changes and the step's log row commit in one transaction (flow-runner.ts):
 * - `_os_flow_run`: one row per run: flow and version, how it started, who started it, status,
 *   the interpreter's whole state as JSON (what a resumed run continues from), the error;
 * - `_os_flow_log`: the step log, one row per checkpoint holding the steps it saved (numbered
 *   from 0; the row is keyed by its first step, so two workers saving the same steps collide).
 *   A step is one executed element; a checkpoint's steps are written as one JSON value, deflated
 *   when long: a run of 75 steps writes one small row instead of 75 (the log was most of what a
 *   run cost: `bench flow`). `_os_flow_step`, one row per step, is still read for older runs.
 * Timestamps are ISO text in every dialect (they sort and compare as text).
 */

export const FLOW_RUN_TABLE = "_os_flow_run";
export const FLOW_LOG_TABLE = "_os_flow_log";
/** Runs waiting for a platform event: the event and key that wake each (one row per waiting run). */
export const FLOW_EVENT_WAIT_TABLE = "_os_flow_event_wait";
/** The step log before it was written per checkpoint: read (never written) for runs of that time. */
export const LEGACY_FLOW_STEP_TABLE = "_os_flow_step";

/**
 * queued: waiting for a worker (after-save runs, queued in the save's transaction); then as the
 * interpreter says (waiting: at a wait element, released by its worker until `wake_at`).
 */
export type FlowRunStatus = (typeof FLOW_RUN_STATUSES)[number];
/** Run rows that are over: finished or failed. */
const ENDED: readonly FlowRunStatus[] = ["finished", "failed"];
export type FlowTrigger = "autolaunched" | "record" | "scheduled" | "subflow" | "debug" | "screen";

export type FlowRunRow = {
  id: string;
  flow: string;
  version: number;
  trigger: FlowTrigger;
  startedBy: string | null;
  object: string | null;
  recordId: string | null;
  status: FlowRunStatus;
  error: string | null;
  failedElement: string | null;
  steps: number;
  /** The record-triggered flows whose writes led to this run (itself last): bounds retriggering. */
  chain: string[];
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  /** A waiting run: when a worker takes it again. */
  wakeAt: string | null;
  /** A run waiting for a platform event: which (and its key). */
  waitingFor: { event: string; key: string } | null;
};

/** An arbitrary constant: the advisory lock under which PostgreSQL processes create these tables. */
const FLOW_TABLES_LOCK_KEY = 7_311_016;

async function createTables(db: DataDatabase): Promise<void> {
  if (db.dialect === "mysql") {
    const collation = sql.raw(await mysqlTableCollation(db.kysely));
    await sql`create table if not exists ${sql.id(FLOW_RUN_TABLE)} (
      id varchar(36) not null primary key,
      flow varchar(64) not null,
      version int not null,
      \`trigger\` varchar(16) not null,
      started_by varchar(255) null,
      object varchar(64) null,
      record_id varchar(100) null,
      status varchar(16) not null,
      state longtext not null,
      error text null,
      failed_element varchar(64) null,
      steps int not null,
      chain text not null,
      started_at varchar(40) not null,
      updated_at varchar(40) not null,
      ended_at varchar(40) null,
      wake_at varchar(40) null,
      index _os_flow_run_flow (flow, started_at),
      index _os_flow_run_status (status, updated_at),
      index _os_flow_run_wake (status, wake_at)
    ) engine = InnoDB default charset = utf8mb4 collate = ${collation}`.execute(db.kysely);
    // Tables made before waits existed get the column and its index. MySQL 8 has no IF NOT
    // EXISTS for either (MariaDB has): look in information_schema, and let a process that lost
    // the race to another (duplicate column 1060, duplicate key name 1061) carry on.
    const tolerate = (codes: number[]) => (error: unknown) => {
      if (!codes.includes((error as { errno?: number }).errno ?? 0)) throw error;
    };
    const present = async (table: "columns" | "statistics", column: "column_name" | "index_name", name: string) =>
      Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.raw(`information_schema.${table}`)} where table_schema = database() and table_name = ${FLOW_RUN_TABLE} and ${sql.raw(column)} = ${name}`.execute(db.kysely)).rows[0]?.n ?? 0) > 0;
    if (!(await present("columns", "column_name", "wake_at"))) {
      await sql`alter table ${sql.id(FLOW_RUN_TABLE)} add column wake_at varchar(40) null`.execute(db.kysely).catch(tolerate([1060]));
    }
    if (!(await present("statistics", "index_name", "_os_flow_run_wake"))) {
      await sql`create index _os_flow_run_wake on ${sql.id(FLOW_RUN_TABLE)} (status, wake_at)`.execute(db.kysely).catch(tolerate([1061]));
    }
    await sql`create table if not exists ${sql.id(FLOW_LOG_TABLE)} (
      run_id varchar(36) not null,
      seq int not null,
      steps longtext not null,
      primary key (run_id, seq)
    ) engine = InnoDB default charset = utf8mb4 collate = ${collation}`.execute(db.kysely);
    await sql`create table if not exists ${sql.id(FLOW_EVENT_WAIT_TABLE)} (
      run_id varchar(36) not null primary key,
      event varchar(64) not null,
      event_key varchar(500) not null,
      since varchar(40) not null,
      index _os_flow_event_wait_event (event, event_key(191))
    ) engine = InnoDB default charset = utf8mb4 collate = ${collation}`.execute(db.kysely);
    return;
  }
  const create = async (k: Kysely<any>) => {
    await sql`create table if not exists ${sql.id(FLOW_RUN_TABLE)} (
      id text primary key,
      flow text not null,
      version integer not null,
      "trigger" text not null,
      started_by text,
      object text,
      record_id text,
      status text not null,
      state text not null,
      error text,
      failed_element text,
      steps integer not null,
      chain text not null,
      started_at text not null,
      updated_at text not null,
      ended_at text,
      wake_at text
    )`.execute(k);
    // Tables made before waits existed get the column.
    if (db.dialect === "postgres") await sql`alter table ${sql.id(FLOW_RUN_TABLE)} add column if not exists wake_at text`.execute(k);
    else {
      const columns = await sql<{ name: string }>`select name from pragma_table_info(${FLOW_RUN_TABLE})`.execute(k);
      if (!columns.rows.some((column) => column.name === "wake_at")) await sql`alter table ${sql.id(FLOW_RUN_TABLE)} add column wake_at text`.execute(k);
    }
    await sql`create index if not exists _os_flow_run_wake on ${sql.id(FLOW_RUN_TABLE)} (status, wake_at)`.execute(k);
    await sql`create index if not exists _os_flow_run_flow on ${sql.id(FLOW_RUN_TABLE)} (flow, started_at)`.execute(k);
    await sql`create index if not exists _os_flow_run_status on ${sql.id(FLOW_RUN_TABLE)} (status, updated_at)`.execute(k);
    await sql`create table if not exists ${sql.id(FLOW_LOG_TABLE)} (
      run_id text not null,
      seq integer not null,
      steps text not null,
      primary key (run_id, seq)
    )`.execute(k);
    await sql`create table if not exists ${sql.id(FLOW_EVENT_WAIT_TABLE)} (
      run_id text primary key,
      event text not null,
      event_key text not null,
      since text not null
    )`.execute(k);
    await sql`create index if not exists _os_flow_event_wait_event on ${sql.id(FLOW_EVENT_WAIT_TABLE)} (event, event_key)`.execute(k);
  };
  if (db.dialect !== "postgres") return create(db.kysely);
  await db.kysely.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${FLOW_TABLES_LOCK_KEY})`.execute(trx);
    await create(trx);
  });
}

/** Creates the run tables once per database handle (never inside a write: MySQL's DDL commits). */
export const ensureFlowRunTables: (db: DataDatabase) => Promise<void> = oncePerDatabase(createTables);

/**
 * A step's values as logged: in full, or with each record as `{ id }` and each list of records
 * as `{ count, ids }` (its first 20 ids): a run's log stays small (a loop over records logs
 * each item), and says which records a step read or wrote.
 */
function logged(values: Record<string, unknown>, full: boolean): Record<string, unknown> {
  if (full) return values;
  const summary: Record<string, unknown> = {};
  for (const name in values) summary[name] = summarized(values[name]);
  return summary;
}

/**
 * The run's state as its row keeps it. A run that finished outside the debugger keeps its final
 * variables as its log does, records by id: nothing resumes it, and a run with collections of
 * records would otherwise write all of them once more. Its outputs are kept whole; a failed run
 * keeps everything (it can be taken up again from the failed step).
 */
function stateText(state: FlowRunState): string {
  if (state.debug !== undefined || state.status !== "finished") return JSON.stringify(state);
  return JSON.stringify({ ...state, frames: state.frames.map((frame) => ({ ...frame, variables: logged(frame.variables, false) })) });
}

/** Longer logs are deflated (JSON of steps compresses about eight to one). */
const DEFLATE_FROM = 1024;
const DEFLATED = "z:";

/**
 * A checkpoint's steps as one text value, deflated (base64) when long: `{"v":2,"at":<first step's
 * start>,"s":[tuples]}`. A tuple leaves out what the reader can restore: the flow when it is the
 * previous step's, the type and label when the row's last step of the same element had the same
 * (a loop repeats the same few), the start as milliseconds after the row's first step; durations
 * to the µs. A 75-step run's log shrank from 11.6 to 8.4 KB of JSON, and its encoding with it (the log was
 * the largest part of what a run costs: `bench flow`). Rows written before are a plain array of
 * whole tuples, still read.
 */
function encodeSteps(steps: readonly FlowStep[], full: boolean): string {
  const first = Date.parse(steps[0]!.startedAt);
  // The type and label last written for each element: the reader keeps the same map.
  const named = new Map<string, { type: string; label: string }>();
  let flow: string | null = null;
  const tuples = steps.map((step) => {
    const key = `${step.flow}\u0000${step.element}`;
    const last = named.get(key);
    const known = last !== undefined && last.type === step.type && last.label === step.label;
    if (!known) named.set(key, { type: step.type, label: step.label });
    const sameFlow = step.flow === flow;
    flow = step.flow;
    return [
      step.seq, step.depth, sameFlow ? null : step.flow, step.element, known ? null : step.type, known ? null : step.label, step.handle,
      logged(step.inputs, full), logged(step.outputs, full), logged(step.changed, full), step.error ?? null, Date.parse(step.startedAt) - first, Math.round(step.durationMs * 1000) / 1000,
    ];
  });
  const json = JSON.stringify({ v: 2, at: steps[0]!.startedAt, s: tuples });
  return json.length < DEFLATE_FROM ? json : DEFLATED + deflateRawSync(json, { level: 1 }).toString("base64");
}

type StepTuple = [number, number, string, string, FlowStep["type"], string, string | null, Record<string, unknown>, Record<string, unknown>, Record<string, FlowStep["changed"][string]>, string | null, string, number];
type CompactStepTuple = [number, number, string | null, string, FlowStep["type"] | null, string | null, string | null, Record<string, unknown>, Record<string, unknown>, Record<string, FlowStep["changed"][string]>, string | null, number, number];

function decodeSteps(text: string): FlowStep[] {
  const json = text.startsWith(DEFLATED) ? inflateRawSync(Buffer.from(text.slice(DEFLATED.length), "base64")).toString("utf8") : text;
  const parsed = JSON.parse(json) as StepTuple[] | { v: 2; at: string; s: CompactStepTuple[] };
  if (Array.isArray(parsed)) {
    return parsed.map(([seq, depth, flow, element, type, label, handle, inputs, outputs, changed, error, startedAt, durationMs]) => ({
      seq, depth, flow, element, type, label, handle, inputs, outputs, changed, startedAt, durationMs, ...(error === null ? {} : { error }),
    }));
  }
  const first = Date.parse(parsed.at);
  const known = new Map<string, { type: FlowStep["type"]; label: string }>();
  let flow = "";
  return parsed.s.map(([seq, depth, stepFlow, element, type, label, handle, inputs, outputs, changed, error, offset, durationMs]) => {
    flow = stepFlow ?? flow;
    const key = `${flow}\u0000${element}`;
    // Left out: the type and label last written for this element (a `subflow` and its
    // `subflow_return`, or a step and a debugger's `variable_edit`, share an element).
    const named = type !== null && label !== null ? { type, label } : known.get(key)!;
    known.set(key, named);
    return {
      seq, depth, flow, element, type: named.type, label: named.label, handle, inputs, outputs, changed,
      startedAt: new Date(first + offset).toISOString(), durationMs, ...(error === null ? {} : { error }),
    };
  });
}

function summarized(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => item !== null && typeof item === "object" && "id" in item)) {
      return { count: value.length, ids: value.slice(0, 20).map((item) => (item as { id: unknown }).id) };
    }
    return value;
  }
  if (value !== null && typeof value === "object" && "id" in value) return { id: (value as { id: unknown }).id };
  return value;
}

type RunRow = {
  id: string; flow: string; version: number | string; trigger: string; started_by: string | null; object: string | null; record_id: string | null;
  status: string; state: string; error: string | null; failed_element: string | null; steps: number | string; chain: string; started_at: string; updated_at: string; ended_at: string | null;
  wake_at: string | null;
};

/** The event a waiting run's saved state waits for (read only for waiting rows). */
function eventWaitOf(state: string): { event: string; key: string } | null {
  const waited = (JSON.parse(state) as FlowRunState).waitingFor;
  return waited ? { event: waited.event, key: waited.key } : null;
}

function runFromRow(row: RunRow): FlowRunRow {
  return {
    id: row.id, flow: row.flow, version: Number(row.version), trigger: row.trigger as FlowTrigger, startedBy: row.started_by, object: row.object, recordId: row.record_id,
    status: row.status as FlowRunStatus, error: row.error, failedElement: row.failed_element, steps: Number(row.steps), chain: JSON.parse(row.chain) as string[], startedAt: row.started_at, updatedAt: row.updated_at, endedAt: row.ended_at,
    wakeAt: row.wake_at ?? null,
    waitingFor: row.status === "waiting" ? eventWaitOf(row.state) : null,
  };
}

type StepRow = {
  run_id: string; seq: number | string; depth: number | string; flow: string; element: string; type: string; label: string; handle: string | null;
  inputs: string; outputs: string; changed: string; error: string | null; started_at: string; duration_ms: number | string;
};

function stepFromRow(row: StepRow): FlowStep {
  return {
    seq: Number(row.seq), depth: Number(row.depth), flow: row.flow, element: row.element, type: row.type as FlowStep["type"], label: row.label, handle: row.handle,
    inputs: JSON.parse(row.inputs), outputs: JSON.parse(row.outputs), changed: JSON.parse(row.changed), startedAt: row.started_at, durationMs: Number(row.duration_ms),
    ...(row.error === null ? {} : { error: row.error }),
  };
}

const LOG_COLUMNS = ["run_id", "seq", "steps"];
const RUN_UPDATE_COLUMNS = ["status", "state", "steps", "updated_at", "error", "failed_element", "wake_at"];
const runUpdateTexts = new Map<string, string>();

/** The run row's update at a checkpoint (with `ended_at` when the run ended), as text: see create. */
function runUpdateText(dialect: DataDatabase["dialect"], ended: boolean): string {
  const key = `${dialect}:${ended}`;
  let text = runUpdateTexts.get(key);
  if (!text) {
    const columns = ended ? [...RUN_UPDATE_COLUMNS, "ended_at"] : RUN_UPDATE_COLUMNS;
    const slot = (index: number) => (dialect === "postgres" ? `$${index + 1}` : "?");
    const name = (column: string) => quoteIdentifier(dialect, column);
    text = `update ${name(FLOW_RUN_TABLE)} set ${columns.map((column, index) => `${name(column)} = ${slot(index)}`).join(", ")} where ${name("id")} = ${slot(columns.length)}`;
    runUpdateTexts.set(key, text);
  }
  return text;
}

const RUN_COLUMNS = [
  "id", "flow", "version", "trigger", "started_by", "object", "record_id", "status", "state", "error", "failed_element", "steps",
  "chain", "started_at", "updated_at", "ended_at", "wake_at",
];

async function legacyStepTableExists(db: DataDatabase): Promise<boolean> {
  const query =
    db.dialect === "sqlite" ? sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${LEGACY_FLOW_STEP_TABLE}`
    : db.dialect === "postgres" ? sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema() and table_name = ${LEGACY_FLOW_STEP_TABLE}`
    : sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = database() and table_name = ${LEGACY_FLOW_STEP_TABLE}`;
  return Number((await query.execute(db.kysely)).rows[0]?.n ?? 0) > 0;
}

/** Reads and writes runs and their steps; every write takes the executor of the caller's transaction. */
export class FlowRunStore {
  constructor(
    private readonly db: DataDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  ready(): Promise<void> {
    return ensureFlowRunTables(this.db);
  }

  /**
   * Records a new run and returns its id. A running state is `queued` for a worker when the run
   * is to go through the queue (`chain` given: after-save runs), else `running` (the caller runs it).
   */
  async create(
    run: { id?: string; flow: string; version: number; trigger: FlowTrigger; startedBy: string | null; object?: string; recordId?: string; state: FlowRunState; chain?: string[] },
    executor: Kysely<any> = this.db.kysely,
  ): Promise<string> {
    const id = run.id ?? randomUUID();
    const now = this.clock().toISOString();
    const status: FlowRunStatus = run.state.status === "running" && run.chain ? "queued" : run.state.status;
    // As text, like the log (Kysely's builder cost more than the insert: a run is one or two statements).
    await insertRows(executor, this.db.dialect, FLOW_RUN_TABLE, RUN_COLUMNS, [
      id, run.flow, run.version, run.trigger, run.startedBy, run.object ?? null, run.recordId ?? null,
      status, stateText(run.state), run.state.error?.message ?? null, run.state.error?.element ?? null, run.state.steps,
      JSON.stringify(run.chain ?? [run.flow]), now, now, ENDED.includes(status) ? now : null,
      status === "waiting" ? (run.state.wakeAt ?? null) : null,
    ], 1);
    return id;
  }

  /** Queued runs, oldest first. */
  async queued(limit = 20): Promise<FlowRunRow[]> {
    const rows = (await this.db.kysely.selectFrom(FLOW_RUN_TABLE).selectAll().where("status", "=", "queued").orderBy("started_at").orderBy("id").limit(limit).execute()) as RunRow[];
    return rows.map(runFromRow);
  }

  /**
   * Takes a queued run, a waiting one whose time has come, a running one whose worker stopped
   * saving it before `staleBefore`, or a screen its user submits: a conditional update on the row
   * as it was read, so of several takers exactly one gets it. Every step counts in `steps`, so a
   * run that moved on and came back to the same status since it was read is not taken again.
   */
  async claim(run: Pick<FlowRunRow, "id" | "status" | "updatedAt" | "steps">): Promise<boolean> {
    const result = await this.db.kysely
      .updateTable(FLOW_RUN_TABLE)
      .set({ status: "running", updated_at: this.clock().toISOString() })
      .where("id", "=", run.id)
      .where("status", "=", run.status)
      .where("updated_at", "=", run.updatedAt)
      .where("steps", "=", run.steps)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks a running run as still alive (long steps), so no worker takes it over. */
  async heartbeat(runId: string): Promise<void> {
    await this.db.kysely.updateTable(FLOW_RUN_TABLE).set({ updated_at: this.clock().toISOString() }).where("id", "=", runId).where("status", "=", "running").execute();
  }

  /**
   * Saves the run's state and the steps executed since the last checkpoint, with `executor`: in
   * the transaction of the step that changed records, so both commit or neither.
   */
  async checkpoint(executor: Kysely<any>, runId: string, state: FlowRunState, steps: readonly FlowStep[], options: { rowIsCurrent?: boolean } = {}): Promise<void> {
    // Debug runs log every value (time travel shows them); other runs log records by id.
    const full = state.debug !== undefined;
    if (steps.length > 0) {
      // One row for the checkpoint's steps (INSERT built as text: Kysely's builder costs more than the write here).
      await insertRows(executor, this.db.dialect, FLOW_LOG_TABLE, LOG_COLUMNS, [runId, steps[0]!.seq, encodeSteps(steps, full)], 1);
    }
    // A run that starts waiting for an event: the row publishEvent finds it by (again idempotent).
    if (state.status === "waiting" && state.waitingFor) {
      await executor.deleteFrom(FLOW_EVENT_WAIT_TABLE).where("run_id", "=", runId).execute();
      await executor.insertInto(FLOW_EVENT_WAIT_TABLE).values({ run_id: runId, event: state.waitingFor.event, event_key: state.waitingFor.key, since: this.clock().toISOString() }).execute();
    }
    // A row just created with this state needs no update.
    if (options.rowIsCurrent) return;
    const now = this.clock().toISOString();
    const ended = ENDED.includes(state.status);
    const values = [state.status, stateText(state), state.steps, now, state.error?.message ?? null, state.error?.element ?? null, state.status === "waiting" ? (state.wakeAt ?? null) : null];
    if (ended) values.push(now);
    values.push(runId);
    await executor.executeQuery(CompiledQuery.raw(runUpdateText(this.db.dialect, ended), values));
  }

  async get(runId: string, executor: Kysely<any> = this.db.kysely): Promise<{ run: FlowRunRow; state: FlowRunState } | null> {
    const row = (await executor.selectFrom(FLOW_RUN_TABLE).selectAll().where("id", "=", runId).executeTakeFirst()) as RunRow | undefined;
    return row ? { run: runFromRow(row), state: JSON.parse(row.state) as FlowRunState } : null;
  }

  async steps(runId: string): Promise<FlowStep[]> {
    const rows = (await this.db.kysely.selectFrom(FLOW_LOG_TABLE).select(["steps"]).where("run_id", "=", runId).orderBy("seq").execute()) as { steps: string }[];
    if (rows.length > 0) return rows.flatMap((row) => decodeSteps(row.steps));
    return this.legacySteps(runId);
  }

  /** A run logged before checkpoints were written as one row: its rows of the old table, if that exists. */
  private async legacySteps(runId: string): Promise<FlowStep[]> {
    this.legacyTable ??= legacyStepTableExists(this.db);
    if (!(await this.legacyTable)) return [];
    const rows = (await this.db.kysely.selectFrom(LEGACY_FLOW_STEP_TABLE).selectAll().where("run_id", "=", runId).orderBy("seq").execute()) as StepRow[];
    return rows.map(stepFromRow);
  }
  private legacyTable: Promise<boolean> | undefined;

  /** Runs, newest first, optionally of one flow and status. */
  async list(filter: { flow?: string; status?: FlowRunStatus; limit?: number } = {}): Promise<FlowRunRow[]> {
    let query = this.db.kysely.selectFrom(FLOW_RUN_TABLE).selectAll();
    if (filter.flow) query = query.where("flow", "=", filter.flow);
    if (filter.status) query = query.where("status", "=", filter.status);
    const rows = (await query.orderBy("started_at", "desc").orderBy("id").limit(filter.limit ?? 100).execute()) as RunRow[];
    return rows.map(runFromRow);
  }

  /** Waiting runs whose wake time is `now` or earlier, soonest first. */
  async due(now: string, limit = 20): Promise<FlowRunRow[]> {
    const rows = (await this.db.kysely.selectFrom(FLOW_RUN_TABLE).selectAll().where("status", "=", "waiting").where("wake_at", "<=", now).orderBy("wake_at").orderBy("id").limit(limit).execute()) as RunRow[];
    return rows.map(runFromRow);
  }

  /** Runs waiting for `event` with this key (or for any key), longest waiting first. */
  async eventWaiters(event: string, key: string, limit = 1000): Promise<string[]> {
    const rows = await this.db.kysely.selectFrom(FLOW_EVENT_WAIT_TABLE).select(["run_id"]).where("event", "=", event)
      .where((eb) => eb.or([eb("event_key", "=", key), eb("event_key", "=", "")])).orderBy("since").orderBy("run_id").limit(limit).execute();
    return rows.map((row) => String(row.run_id));
  }

  /** Takes a run's event wait (true for exactly one of several takers: an event, or its timeout). */
  async takeEventWait(runId: string, executor: Kysely<any> = this.db.kysely): Promise<boolean> {
    const result = await executor.deleteFrom(FLOW_EVENT_WAIT_TABLE).where("run_id", "=", runId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /**
   * Saves a waiting run woken by an event (due at once, with `step` logged): only if the row is
   * still as read (`expected`), so a timeout that took the run meanwhile is not overwritten.
   */
  wakeForEvent(executor: Kysely<any>, runId: string, state: FlowRunState, step: FlowStep, expected: Pick<FlowRunRow, "updatedAt" | "steps">): Promise<boolean> {
    return this.changeIfAsRead(executor, runId, "waiting", { wake_at: state.wakeAt ?? null }, state, step, expected);
  }

  /**
   * A failed run queued again at its failed step (an admin's retry), its error cleared and `step`
   * logged: only if the row is still as read (`expected`), so two retries queue it once.
   */
  reopenFailed(executor: Kysely<any>, runId: string, state: FlowRunState, step: FlowStep, expected: Pick<FlowRunRow, "updatedAt" | "steps">): Promise<boolean> {
    return this.changeIfAsRead(executor, runId, "failed", { status: "queued", error: null, failed_element: null, ended_at: null }, state, step, expected);
  }

  /** Saves `state` (and `changes`) and logs `step`, only if the row still has `status`, time and step count as read. */
  private async changeIfAsRead(executor: Kysely<any>, runId: string, status: FlowRunStatus, changes: Record<string, unknown>, state: FlowRunState, step: FlowStep, expected: Pick<FlowRunRow, "updatedAt" | "steps">): Promise<boolean> {
    const result = await executor
      .updateTable(FLOW_RUN_TABLE)
      .set({ ...changes, state: JSON.stringify(state), steps: state.steps, updated_at: this.clock().toISOString() })
      .where("id", "=", runId)
      .where("status", "=", status)
      .where("updated_at", "=", expected.updatedAt)
      .where("steps", "=", expected.steps)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await insertRows(executor, this.db.dialect, FLOW_LOG_TABLE, LOG_COLUMNS, [runId, step.seq, encodeSteps([step], true)], 1);
    return true;
  }

  /**
   * Deletes ended runs (finished or failed) that ended before `before`, with their step logs, up
   * to `limit` of them; returns how many. Run by the worker loop (retention).
   */
  async prune(before: string, limit = 1000): Promise<number> {
    const ids = (await this.db.kysely.selectFrom(FLOW_RUN_TABLE).select(["id"]).where("status", "in", [...ENDED]).where("ended_at", "<", before).limit(limit).execute()).map((row) => String(row.id));
    if (ids.length === 0) return 0;
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx.deleteFrom(FLOW_LOG_TABLE).where("run_id", "in", ids).execute();
      await trx.deleteFrom(FLOW_RUN_TABLE).where("id", "in", ids).execute();
    });
    return ids.length;
  }

  /**
   * Ends screen runs their users left half-way: each at a screen since before `before` ends
   * failed, with `message(its flow, the screen's element)` as its error; returns how many. Only a
   * row still at that screen as read is changed, so a submission that got in first wins.
   */
  async expireScreens(before: string, message: (flow: string, version: number, element: string | null) => string, limit = 100): Promise<number> {
    const rows = await this.db.kysely.selectFrom(FLOW_RUN_TABLE).select(["id", "state", "updated_at", "steps"]).where("status", "=", "screen").where("updated_at", "<", before).orderBy("updated_at").limit(limit).execute();
    let expired = 0;
    for (const row of rows) {
      const state = JSON.parse(String(row.state)) as FlowRunState;
      const frame = state.frames.at(-1);
      const element = frame?.at ?? null;
      state.status = "failed";
      state.error = { message: message(frame?.flow ?? "", frame?.version ?? 0, element), flow: frame?.flow ?? "", element };
      const now = this.clock().toISOString();
      const result = await this.db.kysely
        .updateTable(FLOW_RUN_TABLE)
        .set({ status: "failed", state: JSON.stringify(state), error: state.error.message, failed_element: element, updated_at: now, ended_at: now })
        .where("id", "=", String(row.id))
        .where("status", "=", "screen")
        .where("updated_at", "=", row.updated_at)
        .where("steps", "=", row.steps)
        .executeTakeFirst();
      expired += Number(result.numUpdatedRows);
    }
    return expired;
  }

  /** Runs left "running" that were last saved before `before` (their process died). */
  async stale(before: string, limit = 100): Promise<FlowRunRow[]> {
    const rows = (await this.db.kysely.selectFrom(FLOW_RUN_TABLE).selectAll().where("status", "=", "running").where("updated_at", "<", before).orderBy("updated_at").limit(limit).execute()) as RunRow[];
    return rows.map(runFromRow);
  }
}
