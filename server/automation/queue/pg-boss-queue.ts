import PgBoss from "pg-boss";
import { CompiledQuery, type Kysely } from "kysely";
import { splitPostgresSchema } from "@/server/db/data-db";

/**
 * The run queue on PostgreSQL: pg-boss (a job queue in PostgreSQL itself). A queued run's job is
 * sent in the transaction that queues the run (pg-boss takes the caller's connection), so a job
 * exists exactly when its run row does. Workers (`npm run worker`, and web processes unless
 * FLOW_WORKER=off) take jobs and run them; taking a run is the run store's conditional claim, so
 * a job delivered twice runs the flow once. The sweep re-sends jobs for runs queued or abandoned
 * (a worker killed mid-run) whose job was lost or expired.
 */

export const FLOW_RUN_QUEUE = "flow-run";
/**
 * pg-boss's own tables live in a schema of their own: `objectstudio_jobs`, or `<schema>_jobs`
 * when the database URL names the platform's schema (`?schema=`).
 */
export function jobSchemaFor(databaseUrl: string): string {
  const { schema } = splitPostgresSchema(databaseUrl);
  return schema ? `${schema}_jobs` : "objectstudio_jobs";
}

export type PgBossRunQueueOptions = {
  connectionString: string;
  /** Runs a queued (or abandoned) run; resolves when it ended or stopped. */
  run: (runId: string) => Promise<void>;
  log: (message: string) => void;
  /** Jobs taken at once per worker poll. */
  batchSize?: number;
};

/** PostgreSQL's codes for a deadlock, a serialization failure and a duplicate key. */
const RACE_CODES = new Set(["40P01", "40001", "23505"]);

/**
 * Creates the queue unless it exists. pg-boss's createQueue inserts the queue row and creates its
 * partition table in one statement without a lock, so processes starting together on a fresh
 * database deadlock (or collide on the key): the loser waits a moment and looks again.
 */
export async function createQueueOnce(boss: PgBoss, name: string, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== "string" || !RACE_CODES.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

/** How long an idle worker waits before fetching again, and a failing one before trying again. */
const POLL_MS = 500;
const RETRY_MS = 1000;

export class PgBossRunQueue {
  private boss: PgBoss | null = null;
  /** The worker loop while it runs (see `workLoop`). */
  private working: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: PgBossRunQueueOptions) {}

  /** Connects and creates the queue; with `work`, also takes jobs. */
  async start(work: boolean): Promise<void> {
    const boss = new PgBoss({ connectionString: splitPostgresSchema(this.options.connectionString).connectionString, schema: jobSchemaFor(this.options.connectionString), max: 4 });
    // pg-boss reports lost connections and failed polls here and keeps polling: log, never crash.
    boss.on("error", (error) => this.options.log(`[flow] job queue: ${error instanceof Error ? error.message : String(error)}`));
    await boss.start();
    await createQueueOnce(boss, FLOW_RUN_QUEUE);
    this.boss = boss;
    if (work) this.working = this.workLoop(boss);
  }

  /**
   * Takes jobs and runs them until stopped. Not pg-boss's `work()`: it completes or fails a batch
   * without awaiting it, so with the database gone (a restart, a failover) that rejection went
   * unhandled and took the worker process down. Here every database call is awaited and a failure
   * is logged, waited out and tried again, so a worker carries on once the database is back. A
   * batch it could not complete is delivered again when its jobs expire (the run store's claim
   * makes a second delivery a no-op), and the sweep re-sends runs left mid-step.
   */
  private async workLoop(boss: PgBoss): Promise<void> {
    const batchSize = this.options.batchSize ?? 8;
    while (this.boss === boss) {
      let pause = 0;
      try {
        const jobs = await boss.fetch<{ runId: string }>(FLOW_RUN_QUEUE, { batchSize });
        if (jobs.length === 0) pause = POLL_MS;
        const done: string[] = [];
        for (const job of jobs) {
          try {
            await this.options.run(job.data.runId);
            done.push(job.id);
          } catch (error) {
            this.options.log(`[flow] job queue: run ${job.data.runId} stopped: ${messageOf(error)}`);
            await boss.fail(FLOW_RUN_QUEUE, job.id, { message: messageOf(error) }).catch(() => {});
          }
        }
        if (done.length > 0) await boss.complete(FLOW_RUN_QUEUE, done);
      } catch (error) {
        this.options.log(`[flow] job queue: ${messageOf(error)}`);
        pause = RETRY_MS;
      }
      if (pause > 0 && this.boss === boss) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Sends the jobs of runs queued in the transaction `executor` belongs to (`startAfter`: not before then, a waiting run's wake time). */
  async sendInTransaction(executor: Kysely<any>, runIds: readonly string[], options: { startAfter?: Date } = {}): Promise<void> {
    if (!this.boss) throw new Error("the flow job queue is not started");
    const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: (await executor.executeQuery(CompiledQuery.raw(text, values))).rows as unknown[] }) };
    for (const runId of runIds) await this.boss.send(FLOW_RUN_QUEUE, { runId }, { db, ...(options.startAfter ? { startAfter: options.startAfter } : {}) });
  }

  /** Sends jobs outside any transaction (the sweep). */
  async send(runIds: readonly string[]): Promise<void> {
    if (!this.boss) return;
    for (const runId of runIds) await this.boss.send(FLOW_RUN_QUEUE, { runId });
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    // The loop finishes the run in hand (graceful), then pg-boss stops.
    this.wake?.();
    await this.working;
    this.working = null;
    await boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
