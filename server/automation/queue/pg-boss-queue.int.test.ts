import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { sql } from "kysely";
import type { FlowInput } from "@/spec";
import { requireTestServer } from "@/server/objectql/test-support/test-databases";
import { FLOW_RUN_QUEUE, PgBossRunQueue, jobSchemaFor } from "./pg-boss-queue";
import { publishQueueApp, until } from "../test-support/queue-fixtures";
import { POSTGRES_URL, createTwoProcesses, postgresTestDatabase, type TwoProcesses } from "@/test/services-harness";

/**
 * After-save runs through pg-boss on PostgreSQL, with two processes (two sets of services on one
 * database, each enqueuing and working): every run completes exactly once, including when one
 * process stops half way and when the workers' database connections are killed.
 */

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("flow runs through pg-boss (postgres)", () => {
  let processes: TwoProcesses;

  /** Every connection of the two processes (their data pools, Prisma and pg-boss) carries this name. */
  let applicationName = "";

  beforeAll(async () => {
    processes = await createTwoProcesses(async () => {
      const database = await postgresTestDatabase();
      const url = new URL(database.url);
      applicationName = url.searchParams.get("schema")!;
      url.searchParams.set("application_name", applicationName);
      return { ...database, url: url.toString() };
    });
    await publishQueueApp(processes);
  }, 120_000);
  afterAll(async () => {
    await processes?.close();
  });

  /**
   * Every connection of the two processes dies (as in a failover): pg-boss's, the data pools' and
   * Prisma's. Only theirs: other test files share the database. Returns once the backends are
   * gone, so the pools have dropped their idle clients (a statement already on a dying
   * connection fails, as it would in a failover; the queue must carry on).
   */
  async function killConnections() {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      // Two statements: in one, PostgreSQL may call pg_terminate_backend before filtering the rows.
      const pids = (await admin.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1", [applicationName])).rows.map((row) => row.pid);
      expect(pids.length).toBeGreaterThan(2);
      await admin.query("select pg_terminate_backend(pid) from unnest($1::int[]) as pid", [pids]);
      await until(async () => (await admin.query("select 1 from pg_stat_activity where pid = any($1)", [pids])).rows.length === 0, 10_000);
    } finally {
      await admin.end();
    }
  }

  it("runs every queued run exactly once across two processes, one of them restarted half way, and survives killed connections", async () => {
    const a = processes.a.services;
    const system = { kind: "system" } as const;
    const ids: string[] = [];
    for (let index = 0; index < 20; index++) ids.push((await a.objectql.insert(system, "counter", { title: `c${index}` })).id);
    const updates = 300;
    for (let round = 0; round < updates / ids.length; round++) {
      // Half the writes through each process.
      const engine = round % 2 === 0 ? a.objectql : processes.b.objectql;
      await engine.updateMany(system, "counter", ids, { hits: round });
      if (round === 5) await processes.restartB();
      if (round === 8) await killConnections();
    }
    const count = async (object: string) => a.objectql.count(system, { object });
    // A run whose connection died mid-step stays claimed until its lease runs out (60 s), then the
    // sweep (every 10 s) sends its job again: allow for both, on a loaded machine.
    await until(async () => (await count("hit")) >= updates, 150_000);
    // Exactly once: one hit per update, and every run finished.
    expect(await count("hit")).toBe(updates);
    const runs = await a.flows.store.list({ flow: "log_hit", limit: 500 });
    expect(runs).toHaveLength(updates);
    expect(runs.every((run) => run.status === "finished" && run.steps === 1)).toBe(true);
  }, 240_000);

  it("a run that waits has its job sent for its wake time, in the step's transaction; the sweep sends it again when lost", async () => {
    const admin = processes.a.asAdmin;
    const slowHit: FlowInput = {
      name: "slow_hit",
      label: "Slow hit",
      start: { type: "autolaunched" },
      variables: [{ name: "at", type: "datetime", input: true }],
      elements: [
        { id: "hold", label: "Hold", type: "wait", mode: "until", until: "at" },
        { id: "log", label: "Log", type: "create_record", object: "hit", values: [] },
      ],
      edges: [{ source: "start", target: "hold" }, { source: "hold", target: "log" }],
    };
    await admin.metadata.create({ kind: "flow", body: slowHit });
    await admin.metadata.publish({ kind: "flow", name: "slow_hit" });
    await processes.b.publishedChanges.ensureCurrent();
    const a = processes.a.services;
    const system = { kind: "system" } as const;
    const before = await a.objectql.count(system, { object: "hit" });
    const db = a.dataDb.kysely;
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema;
    const job = async (runId: string) => (await sql<{ start_after: Date | string; state: string }>`select start_after, state from ${sql.id(`${schema}_jobs`, "job")} where data->>'runId' = ${runId} order by created_on`.execute(db)).rows;

    const wakeAt = new Date(Date.now() + 3000).toISOString();
    const { runId } = await a.flows.start("slow_hit", { at: wakeAt }, system);
    expect((await a.flows.store.get(runId))!.run).toMatchObject({ status: "waiting", wakeAt });
    const [sent] = await job(runId);
    expect(new Date(sent!.start_after).toISOString()).toBe(wakeAt);
    // Taken by a worker of either process once its time has come, and run once.
    await until(async () => (await a.flows.store.get(runId))!.run.status === "finished", 30_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(wakeAt));
    expect(await a.objectql.count(system, { object: "hit" })).toBe(before + 1);

    // A job lost (deleted here): the sweep sends it again once the run is due over 10 s.
    const lost = await a.flows.start("slow_hit", { at: new Date(Date.now() + 60_000).toISOString() }, system);
    await sql`delete from ${sql.id(`${schema}_jobs`, "job")} where data->>'runId' = ${lost.runId}`.execute(db);
    await sql`update _os_flow_run set wake_at = ${new Date(Date.now() - 11_000).toISOString()} where id = ${lost.runId}`.execute(db);
    await (a.flows as unknown as { resendLost(): Promise<void> }).resendLost();
    await until(async () => (await a.flows.store.get(lost.runId))!.run.status === "finished", 30_000);
    expect(await a.objectql.count(system, { object: "hit" })).toBe(before + 2);
  }, 60_000);
});

describe.skipIf(postgresDown !== null)("the flow job queue starting in several processes at once (postgres)", () => {
  it("creates its queue once when four processes start together on a fresh database, every time", async () => {
    // pg-boss's createQueue deadlocks against itself when processes start together (it did in CI).
    for (let round = 0; round < 3; round++) {
      const database = await postgresTestDatabase();
      const queues = Array.from({ length: 4 }, () => new PgBossRunQueue({ connectionString: database.url, run: async () => {}, log: () => {} }));
      try {
        const started = await Promise.allSettled(queues.map((queue) => queue.start(false)));
        expect(started.filter((result) => result.status === "rejected")).toEqual([]);
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        const { rows } = await client.query(`select count(*)::int as n from "${jobSchemaFor(database.url)}".queue where name = $1`, [FLOW_RUN_QUEUE]);
        await client.end();
        expect(rows[0].n).toBe(1);
      } finally {
        await Promise.all(queues.map((queue) => queue.stop()));
        await database.cleanup();
      }
    }
  }, 120_000);
});
