import type { FlowInput, ObjectInput } from "@/spec";
import type { ObjectQL, SecurityContext } from "@/server/objectql";
import { createTwoProcesses, postgresTestDatabase } from "@/test/services-harness";

/**
 * `bench flow postgres queue`: after-save runs pushed through pg-boss to two worker processes'
 * FlowServices (two sets of services in this process, on one fresh PostgreSQL schema, each
 * saving half the records and each taking jobs). Measured from the first save to the last run
 * finished (the newest run's last update), and printed only after checking that every run
 * finished exactly once: one run per saved record, each finished in its one step, and one
 * written record per saved record. A throughput figure, so no baseline.
 */

const system: SecurityContext = { kind: "system" };
const JOB = "bench_job";
const DONE = "bench_job_done";
const FLOW = "bench_queue_flow";

const job: ObjectInput = {
  name: JOB, label: "Job", pluralLabel: "Jobs",
  fields: [{ id: "j1", name: "title", label: "Title", type: "text", required: true }],
};
const done: ObjectInput = {
  name: DONE, label: "Done", pluralLabel: "Done",
  fields: [{ id: "d1", name: "job", label: "Job", type: "lookup", reference: JOB }],
};
const markDone: FlowInput = {
  name: FLOW, label: "Mark the job done",
  start: { type: "record", object: JOB, when: "after_save", on: "create" },
  elements: [{ id: "mark", label: "Mark", type: "create_record", object: DONE, values: [{ field: "job", value: "record" }] }],
  edges: [{ source: "start", target: "mark" }],
};

const BATCH = 100;
const PAGE = 1000;

/** Every record of `object`, a page (the most a find returns) at a time. */
async function everyRecord(ql: ObjectQL, object: string) {
  const records: Record<string, unknown>[] = [];
  for (;;) {
    const page = (await ql.find(system, { object, orderBy: [{ field: "id", direction: "asc" }], limit: PAGE, offset: records.length })).records;
    records.push(...page);
    if (page.length < PAGE) return records;
  }
}

/** `runs` saves: one after-save run each. Fails (throws) unless every run finished exactly once. */
export async function runFlowQueueBench(runs: number, timeoutMs = 60_000): Promise<void> {
  const processes = await createTwoProcesses(postgresTestDatabase);
  try {
    const admin = processes.a.asAdmin;
    for (const body of [job, done]) {
      await admin.metadata.create({ kind: "object", body });
      await admin.metadata.publish({ kind: "object", name: body.name });
    }
    await admin.metadata.create({ kind: "flow", body: markDone });
    await admin.metadata.publish({ kind: "flow", name: FLOW });
    await processes.b.publishedChanges.ensureCurrent();
    const a = processes.a.services;
    const count = (object: string) => a.objectql.count(system, { object });

    const startedAt = Date.now();
    // The saves: batches of BATCH records (one insertMany each), alternately through each process.
    for (let batch = 0; batch * BATCH < runs; batch++) {
      const engine = batch % 2 === 0 ? a.objectql : processes.b.objectql;
      const size = Math.min(BATCH, runs - batch * BATCH);
      await engine.insertMany(system, JOB, Array.from({ length: size }, (_, index) => ({ title: `job ${batch * BATCH + index}` })));
    }
    const savedMs = Date.now() - startedAt;
    const deadline = startedAt + timeoutMs;
    while ((await count(DONE)) < runs) {
      if (Date.now() > deadline) throw new Error(`bench flow postgres queue: only ${await count(DONE)} of ${runs} runs finished within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Exactly once, or no figure.
    const rows = await a.flows.store.list({ flow: FLOW, limit: runs + 10 });
    const unfinished = rows.filter((run) => run.status !== "finished" || run.steps !== 1);
    const perRecord = new Map<string, number>();
    for (const run of rows) perRecord.set(run.recordId ?? "", (perRecord.get(run.recordId ?? "") ?? 0) + 1);
    const doneRows = await everyRecord(a.objectql, DONE);
    // A lookup reads back as its id (or as { id, label } where the engine expands it).
    const marked = new Set(doneRows.map((record) => (typeof record.job === "object" && record.job !== null ? String((record.job as { id: unknown }).id) : String(record.job))));
    const problems = [
      rows.length !== runs && `${rows.length} runs for ${runs} saves`,
      unfinished.length > 0 && `${unfinished.length} runs not finished in one step (${unfinished[0]!.status})`,
      [...perRecord.values()].some((n) => n !== 1) && "a record with more than one run",
      perRecord.size !== runs && `${perRecord.size} records with runs`,
      (doneRows.length !== runs || marked.size !== runs) && `${doneRows.length} records written for ${marked.size} jobs`,
      [...marked].some((id) => !perRecord.has(id)) && "a record written for a job that had no run",
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`bench flow postgres queue: not exactly once: ${problems.join("; ")}`);

    const lastFinished = Math.max(...rows.map((run) => Date.parse(run.updatedAt)));
    const elapsedMs = lastFinished - startedAt;
    console.log(`bench flow postgres queue jobs_per_s=${Math.round((runs * 1000) / elapsedMs)} workers=2 runs=${runs} elapsed_ms=${elapsedMs} saves_ms=${savedMs} exactly_once=yes`);
  } finally {
    await processes.close();
  }
}
