import { describe, expect, it } from "vitest";
import { ObjectQLError } from "@/server/objectql/errors";
import { defineObject, systemCtx } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory } from "@/server/objectql/test-support/test-databases";
import { FLOW_RUN_LEASE_MS } from "../flow-service";
import { FlowTestBed, flow } from "../test-support/flow-test-bed";

/**
 * Record-triggered flows through the engine: before-save flows change the record in its own
 * save or refuse it; after-save flows are queued in the save's transaction and run by the
 * worker loop only once committed; recursion is bounded; a run whose process died resumes from
 * its last committed step without repeating a write. SQLite (unit), PostgreSQL and MariaDB (int).
 */

const deal = defineObject({
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "title", label: "Title", type: "text", required: true },
    { id: "d2", name: "amount", label: "Amount", type: "currency", scale: 2 },
    { id: "d3", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }, { value: "lost", label: "Lost" }] },
    { id: "d4", name: "size", label: "Size", type: "text" },
    { id: "d5", name: "touches", label: "Touches", type: "number" },
  ],
});
const followUp = defineObject({
  name: "follow_up",
  label: "Follow-up",
  pluralLabel: "Follow-ups",
  fields: [
    { id: "f1", name: "subject", label: "Subject", type: "text", required: true },
    { id: "f2", name: "deal", label: "Deal", type: "lookup", reference: "deal" },
  ],
});

/** Before save: sizes a deal by its amount, and refuses a won deal without an amount. */
const sizeDeal = flow({
  name: "size_deal",
  label: "Size the deal",
  start: { type: "record", object: "deal", when: "before_save", on: "create_or_update", condition: "ISNEW() OR ISCHANGED(record.amount) OR ISCHANGED(record.stage)" },
  elements: [
    { id: "check", label: "Won without amount?", type: "decision", outcomes: [{ id: "bad", label: "Bad", condition: "record.stage = 'won' AND ISBLANK(record.amount)" }] },
    { id: "refuse", label: "Refuse", type: "custom_error", message: "A won deal needs an amount ({!record.title})" },
    { id: "size", label: "Size it", type: "assignment", assignments: [{ target: "record.size", value: "IF(record.amount >= 10000, 'large', 'small')" }] },
  ],
  edges: [
    { source: "start", target: "check" },
    { source: "check", handle: "bad", target: "refuse" },
    { source: "check", handle: "default", target: "size" },
  ],
});

/** After save: a won deal gets a follow-up. */
const wonFollowUp = flow({
  name: "won_follow_up",
  label: "Follow up won deals",
  start: { type: "record", object: "deal", when: "after_save", on: "update", condition: "record.stage = 'won' AND ISCHANGED(record.stage)" },
  elements: [
    { id: "make", label: "Make a follow-up", type: "create_record", object: "follow_up", values: [{ field: "subject", value: "'Thank ' & record.title & ' (was ' & PRIORVALUE(record.stage) & ')'" }, { field: "deal", value: "record" }] },
  ],
  edges: [{ source: "start", target: "make" }],
});

/** After save on update: counts its own touches, retriggering itself up to its recursion depth. */
function toucher(depth: number) {
  return flow({
    name: "toucher",
    label: "Touch",
    start: { type: "record", object: "deal", when: "after_save", on: "update", recursionDepth: depth },
    elements: [{ id: "touch", label: "Touch", type: "update_records", record: "record", values: [{ field: "touches", value: "BLANKVALUE(record.touches, 0) + 1" }] }],
    edges: [{ source: "start", target: "touch" }],
  });
}

export function defineRecordTriggersSuite(factory: DatabaseFactory): void {
  describe(`record-triggered flows (${factory.dialect})`, () => {
    const bed = FlowTestBed.use(factory, [deal, followUp]);
    const followUps = async () => (await bed.ql.find(systemCtx, { object: "follow_up", orderBy: [{ field: "subject", direction: "asc" }] })).records.map((record) => record.subject);

    it("a before-save flow changes the record in its own save, on create, update and bulk writes", async () => {
      await bed.publish(sizeDeal);
      const created = await bed.ql.insert(systemCtx, "deal", { title: "Acme", amount: 25_000, stage: "open" });
      expect(created.size).toBe("large");
      expect((await bed.ql.update(systemCtx, "deal", created.id, { amount: 500 })).size).toBe("small");
      // The entry condition: a change of nothing it watches leaves the record as it was.
      await bed.harness.db.kysely.updateTable("obj_deal").set({ size: "tampered" }).where("id", "=", created.id).execute();
      expect((await bed.ql.update(systemCtx, "deal", created.id, { title: "Acme Ltd" })).size).toBe("tampered");

      const { ids } = await bed.ql.insertMany(systemCtx, "deal", [{ title: "B1", amount: 20_000 }, { title: "B2", amount: 10 }]);
      await bed.ql.updateMany(systemCtx, "deal", ids, { stage: "lost" });
      await bed.ql.updateMany(systemCtx, "deal", [ids[1]!], { amount: 50_000 });
      const sizes = (await bed.ql.find(systemCtx, { object: "deal", orderBy: [{ field: "title", direction: "asc" }] })).records.map((record) => [record.title, record.size]);
      expect(sizes).toEqual([["Acme Ltd", "tampered"], ["B1", "large"], ["B2", "large"]]);
    });

    it("a custom error in a before-save flow refuses the save with its message, and nothing is saved", async () => {
      await bed.publish(sizeDeal);
      const error = await bed.ql.insert(systemCtx, "deal", { title: "Ghost", stage: "won" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ObjectQLError);
      expect((error as ObjectQLError).message).toBe("A won deal needs an amount (Ghost)");
      const saved = await bed.ql.insert(systemCtx, "deal", { title: "Real", stage: "open" });
      await expect(bed.ql.update(systemCtx, "deal", saved.id, { stage: "won" })).rejects.toThrow("A won deal needs an amount (Real)");
      const deals = await bed.ql.find(systemCtx, { object: "deal" });
      expect(deals.records.map((record) => [record.title, record.stage])).toEqual([["Real", "open"]]);
      // Each refusal leaves a failed run (written once the refused save's transaction is over) and a log line.
      await expect.poll(async () => (await bed.flows.store.list({ flow: "size_deal" })).length).toBe(2);
      const runs = await bed.flows.store.list({ flow: "size_deal" });
      expect(runs.map((run) => [run.status, run.trigger, run.object, run.failedElement, run.error]).sort()).toEqual([
        ["failed", "record", "deal", "refuse", "A won deal needs an amount (Ghost)"],
        ["failed", "record", "deal", "refuse", "A won deal needs an amount (Real)"],
      ]);
      expect(runs.find((run) => run.error!.includes("Real"))!.recordId).toBe(saved.id);
      expect(bed.logs.filter((line) => line.includes("refused a save of deal"))).toHaveLength(2);
      // Its save was refused: there is nothing to retry.
      await expect(bed.flows.retryFailed(runs[0]!.id, "admin")).rejects.toMatchObject({ code: "BAD_REQUEST", issues: [{ path: ["id"], message: "it ran before a save, and that save was refused" }] });
    });

    it("an after-save flow is queued with the save, runs only once it committed, and never for a rolled-back save", async () => {
      await bed.publish(wonFollowUp);
      const acme = await bed.ql.insert(systemCtx, "deal", { title: "Acme", stage: "open" });
      const beta = await bed.ql.insert(systemCtx, "deal", { title: "Beta", stage: "open" });
      await bed.ql.update(systemCtx, "deal", acme.id, { stage: "won" });
      await bed.ql.update(systemCtx, "deal", beta.id, { amount: 5 }); // not a change of stage: no run
      // A save rolled back with its transaction queues nothing.
      await bed.ql
        .transaction(systemCtx, async (tx) => {
          await tx.update(systemCtx, "deal", beta.id, { stage: "won" });
          throw new Error("changed my mind");
        })
        .catch(() => undefined);
      expect((await bed.flows.store.queued()).map((run) => [run.flow, run.recordId])).toEqual([["won_follow_up", acme.id]]);
      expect(await followUps()).toEqual([]);
      expect(await bed.flows.drain()).toBe(1);
      expect(await followUps()).toEqual(["Thank Acme (was open)"]);
      const [run] = await bed.flows.store.list({ flow: "won_follow_up" });
      expect(run).toMatchObject({ status: "finished", trigger: "record", object: "deal", recordId: acme.id, steps: 1 });
      expect((await bed.flows.store.steps(run!.id)).map((step) => [step.element, step.handle])).toEqual([["make", "next"]]);
      // Bulk updates trigger per record.
      const { ids } = await bed.ql.insertMany(systemCtx, "deal", [{ title: "C1", stage: "open" }, { title: "C2", stage: "lost" }]);
      await bed.ql.updateMany(systemCtx, "deal", ids, { stage: "won" });
      expect(await bed.flows.drain()).toBe(2);
      expect(await followUps()).toEqual(["Thank Acme (was open)", "Thank C1 (was open)", "Thank C2 (was lost)"]);
    });

    it("an after-save run sees the record as its own save left it, however late it runs", async () => {
      await bed.publish(flow({
        name: "log_amount",
        label: "Log the amount",
        start: { type: "record", object: "deal", when: "after_save", on: "update" },
        elements: [{ id: "log", label: "Log", type: "create_record", object: "follow_up", values: [{ field: "subject", value: "record.title & ': ' & TEXT(PRIORVALUE(record.amount)) & ' -> ' & TEXT(record.amount)" }] }],
        edges: [{ source: "start", target: "log" }],
      }));
      const acme = await bed.ql.insert(systemCtx, "deal", { title: "Acme", amount: 1 });
      // Three saves before any worker runs: each run sees its own save's values.
      for (const amount of [2, 3]) await bed.ql.update(systemCtx, "deal", acme.id, { amount });
      await bed.ql.updateMany(systemCtx, "deal", [acme.id], { title: "Acme Ltd" });
      expect(await bed.flows.drain()).toBe(3);
      expect(await followUps()).toEqual(["Acme Ltd: 3 -> 3", "Acme: 1 -> 2", "Acme: 2 -> 3"]);
    });

    it("bounds how often a flow's own writes retrigger it", async () => {
      await bed.publish(toucher(0));
      const acme = await bed.ql.insert(systemCtx, "deal", { title: "Acme" });
      await bed.ql.update(systemCtx, "deal", acme.id, { amount: 1 });
      await bed.flows.drain();
      expect((await bed.ql.findOne(systemCtx, "deal", acme.id))!.touches).toBe(1);
      expect(bed.logs.some((line) => line.includes("'toucher' not triggered") && line.includes("recursionDepth 0"))).toBe(true);

      await bed.publish(toucher(2));
      await bed.ql.update(systemCtx, "deal", acme.id, { amount: 2 });
      await bed.flows.drain();
      // The update, then two retriggers by its own writes: three touches more.
      expect((await bed.ql.findOne(systemCtx, "deal", acme.id))!.touches).toBe(4);
      expect((await bed.flows.store.list({ flow: "toucher" })).map((run) => run.chain.length).sort()).toEqual([1, 1, 2, 3]);
    });

    it("a run whose worker died resumes from its last committed step and makes no write twice", async () => {
      const twoWrites = flow({
        name: "two_writes",
        label: "Two writes",
        start: { type: "autolaunched" },
        variables: [{ name: "n", type: "number", default: 0 }],
        elements: [
          { id: "first", label: "First", type: "create_record", object: "follow_up", values: [{ field: "subject", value: "'first'" }] },
          { id: "count", label: "Count", type: "assignment", assignments: [{ target: "n", operator: "add", value: "1" }] },
          { id: "second", label: "Second", type: "create_record", object: "follow_up", values: [{ field: "subject", value: "'second ' & TEXT(n)" }] },
        ],
        edges: [{ source: "start", target: "first" }, { source: "first", target: "count" }, { source: "count", target: "second" }],
      });
      await bed.publish(twoWrites);
      // The process "dies" right after the first write committed (the exception stands for kill -9).
      const { startFlowRun } = await import("../runtime/flow-interpreter");
      const { executeDurably } = await import("../runtime/flow-runner");
      const state = startFlowRun(bed.flows.flow("two_writes")!, systemCtx);
      const runId = await bed.flows.store.create({ flow: "two_writes", version: 1, trigger: "autolaunched", startedBy: null, state });
      await expect(
        executeDurably(runId, state, bed.flows.environment(bed.ql), (name, version) => bed.published.find((entry) => entry.def.name === name && entry.version === version)?.def, bed.flows.store, {
          onStep: (step) => {
            if (step.element === "count") throw new Error("killed");
          },
        }),
      ).rejects.toThrow("killed");
      expect(await followUps()).toEqual(["first"]);
      expect((await bed.flows.store.get(runId))!.run).toMatchObject({ status: "running", steps: 1 });
      // Not yet stale: no worker takes it.
      expect(await bed.flows.drain()).toBe(0);
      bed.now += FLOW_RUN_LEASE_MS + 1;
      expect(await bed.flows.drain()).toBe(1);
      expect(await followUps()).toEqual(["first", "second 1"]);
      const steps = await bed.flows.store.steps(runId);
      expect(steps.map((step) => `${step.seq}:${step.element}`)).toEqual(["0:first", "1:count", "2:second"]);
      expect((await bed.flows.store.get(runId))!.run.status).toBe("finished");
    });
  });
}
