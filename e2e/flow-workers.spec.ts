import { expect, test } from "@playwright/test";
import { signIn } from "../bench/api-client";
import { BASE_PORT, data, postgresAdmin, postgresUnavailable, publishDraft, startFlowWorker, startServer, trpc, waitUntilHealthy, withSchema, type ServerProcess } from "./server-processes";

/**
 * Flows on PostgreSQL with real processes, as a deployment runs them: two web processes that only
 * queue runs (FLOW_WORKER=off) and two `npm run worker` processes that run them through pg-boss.
 * Two thousand after-save runs go through; one worker is killed (SIGKILL, no goodbye) half way.
 * Every run must complete, and exactly once: one tick record per update, none twice.
 */
const ADMIN = { email: "admin@objectstudio.local", password: "Admin123!" };
const TALLIES = 20;
const ROUNDS = 100;

test.describe("flow workers on PostgreSQL", () => {
  test.describe.configure({ timeout: 900_000 });

  test("two web processes queue, two workers run, one is killed: every run completes exactly once", async () => {
    const skipReason = await postgresUnavailable();
    // Skips only where no PostgreSQL answers (a user's machine); under CI postgresUnavailable() throws instead.
    test.skip(skipReason !== null, skipReason ?? "");
    const schema = `e2e_workers_${Date.now().toString(36)}`;
    const url = withSchema(schema);
    const web = { env: { FLOW_WORKER: "off" } };
    const a = startServer({ port: BASE_PORT + 31, databaseUrl: url, ...web });
    const b = startServer({ port: BASE_PORT + 32, databaseUrl: url, ...web });
    const workers: ServerProcess[] = [];
    try {
      await Promise.all([waitUntilHealthy(a), waitUntilHealthy(b)]);
      const adminA = await signIn(a.url, ADMIN.email, ADMIN.password);
      const adminB = await signIn(b.url, ADMIN.email, ADMIN.password);
      await publishDraft(a, adminA, "object", "tally", () => ({
        name: "tally", label: "Tally", pluralLabel: "Tallies",
        fields: [{ id: "t1", name: "title", label: "Title", type: "text", required: true }, { id: "t2", name: "hits", label: "Hits", type: "number" }],
      }));
      await publishDraft(a, adminA, "object", "tick", () => ({
        name: "tick", label: "Tick", pluralLabel: "Ticks",
        fields: [{ id: "k1", name: "tally", label: "Tally", type: "lookup", reference: "tally" }, { id: "k2", name: "round", label: "Round", type: "number" }],
      }));
      await publishDraft(a, adminA, "flow", "log_tick", () => ({
        name: "log_tick", label: "Log a tick",
        start: { type: "record", object: "tally", when: "after_save", on: "update" },
        elements: [{ id: "log", label: "Log", type: "create_record", object: "tick", values: [{ field: "tally", value: "record" }, { field: "round", value: "record.hits" }] }],
        edges: [{ source: "start", target: "log" }],
      }));

      workers.push(startFlowWorker(url), startFlowWorker(url));
      await Promise.all(workers.map((worker) => expect.poll(() => worker.output(), { timeout: 180_000 }).toMatch(/flow worker \d+ started/)));

      const { ids } = data<{ ids: string[] }>(await trpc(a, adminA, "data.createMany", { object: "tally", records: Array.from({ length: TALLIES }, (_, index) => ({ title: `t${index}` })) }, "mutation"));
      let runningAtKill = -1;
      for (let round = 1; round <= ROUNDS; round++) {
        // Half the saves through each web process.
        const [server, cookie] = round % 2 === 0 ? [a, adminA] : [b, adminB];
        data(await trpc(server, cookie, "data.updateMany", { object: "tally", ids, values: { hits: round } }, "mutation"));
        if (round === ROUNDS / 2) {
          const running = await postgresAdmin<{ n: number }>(`select count(*)::int as n from "${schema}"._os_flow_run where status in ('queued', 'running')`);
          runningAtKill = running.rows[0]!.n;
          workers[0]!.child.kill("SIGKILL");
        }
      }
      test.info().annotations.push({ type: "runs queued or running when the worker was killed", description: String(runningAtKill) });
      expect(await workers[0]!.exited).toBeNull(); // killed by the signal, not exited by itself

      const updates = TALLIES * ROUNDS;
      const ticks = async () => data<number>(await trpc(a, adminA, "data.count", { object: "tick" }, "query"));
      // A run the killed worker held is taken over once its lease (a minute without a heartbeat) has run out.
      await expect.poll(ticks, { timeout: 400_000, intervals: [2_000] }).toBeGreaterThanOrEqual(updates);
      expect(await ticks()).toBe(updates);
      const twice = data<{ rows: unknown[] }>(await trpc(a, adminA, "data.aggregate", {
        object: "tick", groupBy: ["tally", "round"], aggregate: [{ function: "count" }], having: { field: "count", operator: ">", value: 1 },
      }, "query"));
      expect(twice.rows).toEqual([]);
      const runs = await postgresAdmin<{ status: string; steps: number; n: number }>(
        `select status, steps, count(*)::int as n from "${schema}"._os_flow_run where flow = 'log_tick' group by 1, 2`,
      );
      expect(runs.rows).toEqual([{ status: "finished", steps: 1, n: updates }]);
      // The surviving worker is still well.
      expect(workers[1]!.child.exitCode).toBeNull();
    } finally {
      await Promise.all([...workers.map((worker) => worker.stop()), a.stop(), b.stop()]);
      await postgresAdmin(`drop schema if exists "${schema}" cascade`);
      await postgresAdmin(`drop schema if exists "${schema}_jobs" cascade`);
    }
  });
});
