import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTestServer } from "@/server/objectql/test-support/test-databases";
import { POSTGRES_URL, createTwoProcesses, postgresTestDatabase, type TwoProcesses } from "@/test/services-harness";
import { TcpProxy } from "@/test/tcp-proxy";
import { publishQueueApp, until } from "../test-support/queue-fixtures";

/**
 * The database goes away under running workers and comes back (a restart, a failover): every
 * connection of both processes is dropped and connecting is refused for a few seconds. The
 * processes reach PostgreSQL through a proxy that does exactly that (the shared test server
 * cannot be restarted). Afterwards the workers carry on by themselves: every after-save run
 * queued before, during work and after completes exactly once. (pg-boss is reported not to
 * reconnect by itself; this checks ours does.)
 */

const postgresDown = await requireTestServer("postgres");

describe.skipIf(postgresDown !== null)("flow workers across a database restart (postgres)", () => {
  let processes: TwoProcesses;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const server = new URL(POSTGRES_URL);
    proxy = new TcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    await proxy.start();
    processes = await createTwoProcesses(async () => {
      const database = await postgresTestDatabase();
      const url = new URL(database.url);
      url.hostname = "127.0.0.1";
      url.port = String(proxy.port);
      return { ...database, url: url.toString() };
    });
    await publishQueueApp(processes);
  }, 120_000);
  afterAll(async () => {
    await proxy?.up();
    await processes?.close();
    await proxy?.close();
  });

  it("runs every queued run exactly once when the database is down for five seconds under the workers", async () => {
    const a = processes.a.services;
    const system = { kind: "system" } as const;
    const ids: string[] = [];
    for (let index = 0; index < 20; index++) ids.push((await a.objectql.insert(system, "counter", { title: `c${index}` })).id);
    const count = async (object: string) => a.objectql.count(system, { object });

    // Runs queued just before: some are done, some mid-step and the rest queued when the database goes.
    const roundsBefore = 10;
    for (let round = 0; round < roundsBefore; round++) await (round % 2 === 0 ? a.objectql : processes.b.objectql).updateMany(system, "counter", ids, { hits: round });
    const doneBefore = await count("hit");
    await proxy.down();
    expect(doneBefore).toBeLessThan(roundsBefore * ids.length);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await proxy.up();

    // Both processes save again once it is back. A pooled connection that died with the database
    // fails its next statement once (the pool then drops it): a save is retried as a user would.
    const save = async (engine: typeof a.objectql, round: number) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await engine.updateMany(system, "counter", ids, { hits: round });
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    };
    for (let round = roundsBefore; round < roundsBefore + 5; round++) await save(round % 2 === 0 ? a.objectql : processes.b.objectql, round);

    // A run whose step died with its connection waits for its lease (60 s) and the sweep (10 s).
    const saves = (roundsBefore + 5) * ids.length;
    await until(async () => (await count("hit")) >= saves, 150_000);
    expect(await count("hit")).toBe(saves);
    const runs = await a.flows.store.list({ flow: "log_hit", limit: 500 });
    expect(runs).toHaveLength(saves);
    expect(runs.filter((run) => run.status !== "finished" || run.steps !== 1)).toEqual([]);
  }, 240_000);
});
