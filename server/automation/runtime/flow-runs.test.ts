import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import fc from "fast-check";
import { deflateRawSync } from "node:zlib";
import { sqliteFactory, type TestDatabase } from "@/server/objectql/test-support/test-databases";
import { FLOW_LOG_TABLE, FlowRunStore } from "./flow-runs";
import type { FlowRunState, FlowStep } from "./flow-interpreter";

/**
 * The step log: one row per checkpoint, its steps as one JSON value (deflated when long), read
 * back exactly as written, in order, over several checkpoints; a step saved twice (two workers
 * on one run) collides; runs logged one row per step (before) are still read.
 */
describe("the flow step log", () => {
  let test: TestDatabase;
  let store: FlowRunStore;
  beforeEach(async () => {
    test = await sqliteFactory.create();
    store = new FlowRunStore(test.db);
    await store.ready();
  });
  afterEach(async () => {
    await test.cleanup();
  });

  const state = (steps: number): FlowRunState => ({ status: "running", runAs: { kind: "system" }, frames: [{ flow: "f", version: 1, variables: {}, at: "a", loops: {} }], steps });
  const step = (seq: number, extra: Partial<FlowStep> = {}): FlowStep => ({
    seq, depth: 0, flow: "f", element: `e${seq % 7}`, type: "assignment", label: `Step ${seq} “quoted” ✓`, inputs: {}, outputs: { index: seq },
    changed: { total: seq * 1.5, record: { id: `r${seq}`, name: "not logged" } as never }, handle: seq % 2 ? "next" : null, startedAt: new Date(1_700_000_000_000 + seq).toISOString(), durationMs: seq / 7, ...extra,
  });

  it("reads back every step of several checkpoints, long ones deflated, records logged by id, durations to the µs", async () => {
    const id = await store.create({ flow: "f", version: 1, trigger: "autolaunched", startedBy: null, state: state(0) });
    const first = Array.from({ length: 3 }, (_, seq) => step(seq));
    const second = Array.from({ length: 300 }, (_, n) => step(n + 3, n === 5 ? { error: "boom", handle: "fault" } : {}));
    await store.checkpoint(test.db.kysely, id, state(3), first);
    await store.checkpoint(test.db.kysely, id, state(303), second);
    const rows = (await test.db.kysely.selectFrom(FLOW_LOG_TABLE).select(["seq", "steps"]).where("run_id", "=", id).orderBy("seq").execute()) as { seq: number; steps: string }[];
    expect(rows.map((row) => [row.seq, row.steps.startsWith("z:")])).toEqual([[0, false], [3, true]]);
    // The deflated row is far smaller than its JSON.
    expect(rows[1]!.steps.length).toBeLessThan(JSON.stringify(second).length / 4);
    const read = await store.steps(id);
    const expected = [...first, ...second].map((one) => ({
      ...one, changed: { total: one.changed.total, record: { id: (one.changed.record as { id: string }).id } }, durationMs: Math.round(one.durationMs * 1000) / 1000,
    }));
    expect(read[1]!.durationMs).toBe(0.143);
    expect(read).toEqual(expected);
  });

  it("refuses the same steps saved twice (a second worker on the same run)", async () => {
    const id = await store.create({ flow: "f", version: 1, trigger: "autolaunched", startedBy: null, state: state(0) });
    await store.checkpoint(test.db.kysely, id, state(2), [step(0), step(1)]);
    await expect(store.checkpoint(test.db.kysely, id, state(3), [step(0), step(1), step(2)])).rejects.toThrow(/UNIQUE|constraint/i);
  });

  it("reads a run logged one row per step, before checkpoints were one row", async () => {
    await sql`create table _os_flow_step (run_id text not null, seq integer not null, depth integer not null, flow text not null, element text not null, type text not null,
      label text not null, handle text, inputs text not null, outputs text not null, changed text not null, error text, started_at text not null, duration_ms double precision not null,
      primary key (run_id, seq))`.execute(test.db.kysely);
    await sql`insert into _os_flow_step values ('old-run', 1, 0, 'f', 'b', 'decision', 'B', 'yes', '{}', '{"outcome":"Yes"}', '{}', null, '2026-01-01T00:00:00.000Z', 0.5),
      ('old-run', 0, 0, 'f', 'a', 'assignment', 'A', 'next', '{}', '{}', '{"n":1}', null, '2026-01-01T00:00:00.000Z', 0.25)`.execute(test.db.kysely);
    const fresh = new FlowRunStore(test.db);
    expect((await fresh.steps("old-run")).map((one) => [one.seq, one.element, one.outputs, one.changed])).toEqual([[0, "a", {}, { n: 1 }], [1, "b", { outcome: "Yes" }, {}]]);
    expect(await fresh.steps("no-such-run")).toEqual([]);
  });

  it("reads a checkpoint row written before rows left out repeated names (a plain array of whole tuples)", async () => {
    const tuples = [
      [0, 0, "f", "a", "assignment", "A", "next", {}, {}, { n: 1 }, null, "2026-01-01T00:00:00.000Z", 0.25],
      [1, 0, "f", "b", "decision", "B", "yes", {}, { outcome: "Yes" }, {}, "late", "2026-01-01T00:00:01.000Z", 0.5],
    ];
    const json = JSON.stringify(tuples);
    await sql`insert into ${sql.table(FLOW_LOG_TABLE)} (run_id, seq, steps) values ('plain', 0, ${json}), ('deflated', 0, ${"z:" + deflateRawSync(json).toString("base64")})`.execute(test.db.kysely);
    for (const runId of ["plain", "deflated"]) {
      expect(await store.steps(runId)).toEqual([
        { seq: 0, depth: 0, flow: "f", element: "a", type: "assignment", label: "A", handle: "next", inputs: {}, outputs: {}, changed: { n: 1 }, startedAt: "2026-01-01T00:00:00.000Z", durationMs: 0.25 },
        { seq: 1, depth: 0, flow: "f", element: "b", type: "decision", label: "B", handle: "yes", inputs: {}, outputs: { outcome: "Yes" }, changed: {}, startedAt: "2026-01-01T00:00:01.000Z", durationMs: 0.5, error: "late" },
      ]);
    }
  });

  it("reads back any sequence of steps as written: flows, types and labels left out when repeated are restored", async () => {
    // Few flows, elements, types and labels, so repeats (loops, subflow returns, debugger edits) are common.
    const stepArb = fc.record({
      depth: fc.integer({ min: 0, max: 2 }),
      flow: fc.constantFrom("main", "sub"),
      element: fc.constantFrom("a", "b", "loop"),
      type: fc.constantFrom("assignment", "loop", "subflow", "subflow_return", "variable_edit"),
      label: fc.constantFrom("A", "Each", "Call “sub”"),
      handle: fc.constantFrom("next", "each", null),
      error: fc.option(fc.constant("boom"), { nil: undefined }),
      gapMs: fc.integer({ min: 0, max: 5000 }),
      durationMs: fc.double({ min: 0, max: 100, noNaN: true }),
      total: fc.integer(),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(stepArb, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 3 }), async (checkpoints) => {
        const id = `run-${run++}`;
        let seq = 0;
        let at = Date.parse("2026-12-07T10:00:00.000Z");
        const written: FlowStep[] = [];
        for (const checkpoint of checkpoints) {
          const steps = checkpoint.map(({ gapMs, total, error, durationMs, ...rest }): FlowStep => {
            at += gapMs;
            return { ...rest, type: rest.type as FlowStep["type"], seq: seq++, inputs: {}, outputs: { total }, changed: { total }, startedAt: new Date(at).toISOString(), durationMs, ...(error ? { error } : {}) };
          });
          await store.checkpoint(test.db.kysely, id, state(seq), steps);
          written.push(...steps);
        }
        expect(await store.steps(id)).toEqual(written.map((step) => ({ ...step, durationMs: Math.round(step.durationMs * 1000) / 1000 })));
      }),
      { numRuns: 60 },
    );
  });
});
