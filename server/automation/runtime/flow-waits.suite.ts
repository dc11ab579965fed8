import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flow } from "../test-support/flow-test-bed";
import { sql } from "kysely";
import type { ObjectQL } from "@/server/objectql";
import { Harness, defineObject, systemCtx } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "@/server/objectql/test-support/test-databases";
import { flowMetadataIssues } from "../flow-check";
import type { FlowService } from "../flow-service";
import { FLOW_RUN_TABLE, ensureFlowRunTables } from "./flow-runs";
import { flowServiceOver } from "../test-support/flow-service-over";
import { MailOutbox } from "@/server/mail/outbox";
import type { PublishedFlow } from "./flow-interpreter";

/**
 * The wait element on every driver, with a clock the test moves: a run that reaches a wait is
 * saved `waiting` with its wake time and held by no worker; no worker takes it before that time;
 * at that time exactly one of several takes it, and it goes on with its variables as they were.
 * A time already past goes on at once; a blank one takes the fault path; a process that stops
 * while a run waits loses nothing (another one, started later, takes it). Tables made before
 * waits existed get the wake_at column at startup.
 */

const note = defineObject({
  name: "note",
  label: "Note",
  pluralLabel: "Notes",
  fields: [{ id: "n1", name: "text", label: "Text", type: "text", required: true }],
});

/** Counts up, waits `n` hours, writes a note saying what it counted, then waits until `at` and writes another. */
const patient = flow({
  name: "patient",
  label: "Patient",
  start: { type: "autolaunched" },
  variables: [{ name: "n", type: "number", input: true }, { name: "at", type: "datetime", input: true }, { name: "word", type: "text", default: "kept" }],
  elements: [
    { id: "count", label: "Count", type: "assignment", assignments: [{ target: "n", operator: "add", value: "1" }, { target: "word", value: "word & '!'" }] },
    { id: "hold", label: "Hold", type: "wait", mode: "duration", amount: "n", unit: "hours" },
    { id: "write", label: "Write", type: "create_record", object: "note", values: [{ field: "text", value: "'after ' & TEXT(n) & ' ' & word" }] },
    { id: "until", label: "Until", type: "wait", mode: "until", until: "at" },
    { id: "again", label: "Again", type: "create_record", object: "note", values: [{ field: "text", value: "'then'" }] },
    { id: "oops", label: "Oops", type: "create_record", object: "note", values: [{ field: "text", value: "'fault: ' & fault_message" }] },
  ],
  edges: [
    { source: "start", target: "count" }, { source: "count", target: "hold" }, { source: "hold", target: "write" }, { source: "write", target: "until" },
    { source: "until", target: "again" }, { source: "hold", handle: "fault", target: "oops" }, { source: "until", handle: "fault", target: "oops" },
  ],
});

/** Waits for a payment event with its order's key (two hours at most), then writes what the event carried. */
const awaitPayment = flow({
  name: "await_payment",
  label: "Await payment",
  start: { type: "autolaunched" },
  variables: [{ name: "order_no", type: "text", input: true }, { name: "any", type: "boolean", input: true, default: false }, { name: "payload", type: "text" }],
  elements: [
    { id: "which", label: "Which wait?", type: "decision", outcomes: [{ id: "any", label: "Any", condition: "any" }] },
    { id: "paid", label: "Paid?", type: "wait", mode: "event", event: "payment_received", key: "{!order_no}", payloadInto: "payload", amount: "2", unit: "hours" },
    { id: "any_paid", label: "Any paid?", type: "wait", mode: "event", event: "payment_received", payloadInto: "payload" },
    { id: "write", label: "Write", type: "create_record", object: "note", values: [{ field: "text", value: "order_no & ': ' & payload" }] },
    { id: "late", label: "Late", type: "create_record", object: "note", values: [{ field: "text", value: "order_no & ' late: ' & fault_message" }] },
  ],
  edges: [
    { source: "start", target: "which" }, { source: "which", handle: "any", target: "any_paid" }, { source: "which", handle: "default", target: "paid" },
    { source: "paid", target: "write" }, { source: "any_paid", target: "write" }, { source: "paid", handle: "fault", target: "late" },
  ],
});

/** Writes a note with the text it is given, after counting: fails where a rule refuses the text. */
const jot = flow({
  name: "jot",
  label: "Jot",
  start: { type: "autolaunched" },
  variables: [{ name: "text", type: "text", input: true }, { name: "n", type: "number", default: 0 }],
  elements: [
    { id: "count", label: "Count", type: "assignment", assignments: [{ target: "n", operator: "add", value: "1" }] },
    { id: "write", label: "Write", type: "create_record", object: "note", values: [{ field: "text", value: "text & ' #' & TEXT(n)" }] },
  ],
  edges: [{ source: "start", target: "count" }, { source: "count", target: "write" }],
});

export function defineFlowWaitsSuite(factory: DatabaseFactory): void {
  describe(`flow waits (${factory.dialect})`, () => {
    let test: TestDatabase;
    let harness: Harness;
    let ql: ObjectQL;
    let flows: FlowService;
    let published: PublishedFlow[];
    let now: number;
    const clock = () => new Date(now);
    const others: FlowService[] = [];

    beforeEach(async () => {
      test = await factory.create();
      harness = new Harness(test.db);
      await harness.sync(note);
      now = Date.parse("2026-12-07T10:00:00Z");
      published = [{ def: patient, version: 1 }, { def: awaitPayment, version: 1 }, { def: jot, version: 1 }];
      for (const def of [patient, awaitPayment, jot]) expect(flowMetadataIssues(def, (name) => harness.registry.get(name), () => undefined)).toEqual([]);
      ({ flows, ql } = await flowServiceOver(test.db, harness.registry, { published: () => published, clock }));
    });
    afterEach(async () => {
      for (const other of others.splice(0)) await other.stopWorker();
      await flows.stopWorker();
      await test.cleanup();
    });

    const notes = async () => (await ql.find(systemCtx, { object: "note", orderBy: [{ field: "created_at", direction: "asc" }, { field: "id", direction: "asc" }] })).records.map((record) => record.text);
    const service = async () => {
      const other = (await flowServiceOver(test.db, harness.registry, { published: () => published, clock })).flows;
      others.push(other);
      return other;
    };

    it("waits, is not taken before its time, then is taken by exactly one of several workers and goes on with its variables", async () => {
      const { runId, state } = await flows.start("patient", { n: 1, at: "2026-12-07T15:00:00.000Z" }, systemCtx);
      expect(state.status).toBe("waiting");
      let run = (await flows.store.get(runId))!.run;
      expect(run).toMatchObject({ status: "waiting", wakeAt: "2026-12-07T12:00:00.000Z", endedAt: null });
      expect(await notes()).toEqual([]);
      const steps = await flows.store.steps(runId);
      expect(steps.map((step) => [step.element, step.handle])).toEqual([["count", "next"], ["hold", "next"]]);
      expect(steps[1]!.outputs).toEqual({ wakeAt: "2026-12-07T12:00:00.000Z", waited: true });

      // Not before its time, by no worker.
      now = Date.parse("2026-12-07T11:59:59Z");
      const workers = [flows, await service(), await service(), await service()];
      expect(await Promise.all(workers.map((worker) => worker.drain()))).toEqual([0, 0, 0, 0]);
      expect((await flows.store.get(runId))!.run.status).toBe("waiting");

      // At its time: one of four takes it; it writes with the variables it had, then waits again.
      now = Date.parse("2026-12-07T12:00:00Z");
      const ran = await Promise.all(workers.map((worker) => worker.drain()));
      expect(ran.reduce((sum, count) => sum + count, 0)).toBe(1);
      expect(await notes()).toEqual(["after 2 kept!"]);
      run = (await flows.store.get(runId))!.run;
      expect(run).toMatchObject({ status: "waiting", wakeAt: "2026-12-07T15:00:00.000Z" });

      now = Date.parse("2026-12-07T15:00:01Z");
      expect((await Promise.all(workers.map((worker) => worker.drain()))).reduce((sum, count) => sum + count, 0)).toBe(1);
      expect(await notes()).toEqual(["after 2 kept!", "then"]);
      run = (await flows.store.get(runId))!.run;
      expect(run).toMatchObject({ status: "finished", wakeAt: null });
      expect((await flows.store.steps(runId)).map((step) => step.element)).toEqual(["count", "hold", "write", "until", "again"]);
    });

    it("an admin's retry queues a failed run at its failed step once, and it goes on with its variables when the cause is gone", async () => {
      await harness.sync({ ...note, validationRules: [{ name: "no_drafts", expression: "LEFT(text, 5) <> 'draft'", message: "No drafts", errorField: "text", active: true }] });
      const { runId, state } = await flows.start("jot", { text: "draft" }, systemCtx);
      expect(state.status).toBe("failed");
      const failedRun = (await flows.store.get(runId))!.run;
      expect(failedRun).toMatchObject({ status: "failed", failedElement: "write", endedAt: expect.any(String) });

      // While the rule is there, the retried run fails again at the same step (and can be retried again).
      expect(await flows.retryFailed(runId, "admin-1")).toEqual({ runId, status: "queued" });
      expect((await flows.store.get(runId))!.run).toMatchObject({ status: "queued", error: null, failedElement: null, endedAt: null });
      // A second retry of the same failure finds it queued.
      await expect(flows.retryFailed(runId, "admin-1")).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Run '" + runId + "' of flow 'jot' cannot be retried: it is queued, not failed" });
      expect(await flows.drain()).toBe(1);
      expect((await flows.store.get(runId))!.run).toMatchObject({ status: "failed", failedElement: "write" });

      // The rule gone: the retry writes with the variables the run had (counted once, not again).
      await harness.sync(note);
      // Two admins at once: one queues it, the other is told it changed or is no longer failed.
      const both = await Promise.allSettled([flows.retryFailed(runId, "admin-2"), (await service()).retryFailed(runId, "admin-2")]);
      expect(both.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
      expect(both.find((outcome) => outcome.status === "rejected")).toMatchObject({ reason: { code: expect.stringMatching(/^(CONFLICT|BAD_REQUEST)$/) } });
      expect(await flows.drain()).toBe(1);
      expect((await flows.store.get(runId))!.run).toMatchObject({ status: "finished", error: null, failedElement: null });
      expect(await notes()).toEqual(["draft #1"]);
      const steps = await flows.store.steps(runId);
      expect(steps.map((step) => [step.type, step.element, step.error ?? null])).toEqual([
        ["assignment", "count", null], ["create_record", "write", expect.stringContaining("No drafts")],
        ["run_retried", "write", null], ["create_record", "write", expect.stringContaining("No drafts")],
        ["run_retried", "write", null], ["create_record", "write", null],
      ]);
      expect(steps[4]!.inputs).toEqual({ by: "admin-2", failedWith: expect.stringContaining("No drafts") });

      // Only failed runs, and runs that exist.
      await expect(flows.retryFailed(runId, "admin-1")).rejects.toMatchObject({ code: "BAD_REQUEST", issues: [{ path: ["id"], message: "it is finished, not failed" }] });
      await expect(flows.retryFailed("7a0d3c1e-0000-4000-8000-000000000000", "admin-1")).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("goes on at once when the time is already past", async () => {
      const { runId, state } = await flows.start("patient", { n: -1, at: "2026-12-06T08:00:00.000Z" }, systemCtx);
      expect(state.status).toBe("finished");
      expect(await notes()).toEqual(["after 0 kept!", "then"]);
      const steps = await flows.store.steps(runId);
      expect(steps.find((step) => step.element === "until")!.outputs).toEqual({ wakeAt: "2026-12-06T08:00:00.000Z", waited: false });
    });

    it("takes the fault path when the time is blank or unusable", async () => {
      const { state } = await flows.start("patient", { n: -1 }, systemCtx);
      expect(state.status).toBe("finished");
      expect(await notes()).toEqual(["after 0 kept!", "fault: until: the formula gave nothing (blank)"]);
      const { runId } = await flows.start("patient", { n: -3 }, systemCtx);
      expect((await flows.store.get(runId))!.run.status).toBe("finished");
      expect((await notes()).at(-1)).toBe("fault: amount: -2 is negative");
    });

    it("loses nothing when every process stops while a run waits", async () => {
      const { runId } = await flows.start("patient", { n: 0, at: "2026-12-06T00:00:00.000Z" }, systemCtx);
      expect((await flows.store.get(runId))!.run.status).toBe("waiting");
      await flows.stopWorker();
      // A new process, started after the wake time: it finds the run and finishes it.
      now = Date.parse("2026-12-07T11:30:00Z");
      const fresh = await service();
      expect(await fresh.drain()).toBe(1);
      expect(await notes()).toEqual(["after 1 kept!", "then"]);
      expect((await fresh.store.get(runId))!.run.status).toBe("finished");
    });

    it("waits for a platform event: only its key (or any key) wakes it, once, with the payload; its time running out takes the fault path", async () => {
      const a = (await flows.start("await_payment", { order_no: "A-1" }, systemCtx)).runId;
      const b = (await flows.start("await_payment", { order_no: "B-2" }, systemCtx)).runId;
      const any = (await flows.start("await_payment", { order_no: "any", any: true }, systemCtx)).runId;
      for (const id of [a, b]) expect((await flows.store.get(id))!.run).toMatchObject({ status: "waiting", wakeAt: "2026-12-07T12:00:00.000Z" });
      expect((await flows.store.get(b))!.run.waitingFor).toEqual({ event: "payment_received", key: "B-2" });
      expect((await flows.store.get(any))!.run).toMatchObject({ status: "waiting", wakeAt: null, waitingFor: { event: "payment_received", key: "" } });
      // Nothing is due before an event: no worker takes them.
      expect(await flows.drain()).toBe(0);

      // An event with A-1's key wakes A-1 and the run waiting for any key; B-2 waits on. From two
      // processes at once, each run is woken once.
      const other = await service();
      const [first, second] = await Promise.all([
        flows.publishEvent("payment_received", "A-1", { amount: 5, by: "card" }),
        other.publishEvent("payment_received", "A-1", { amount: 5, by: "card" }),
      ]);
      expect(first.woken + second.woken).toBe(2);
      expect(await flows.drain()).toBe(2);
      expect((await notes()).sort()).toEqual(['A-1: {"amount":5,"by":"card"}', 'any: {"amount":5,"by":"card"}']);
      expect((await flows.store.get(b))!.run.status).toBe("waiting");
      expect((await flows.store.steps(a)).map((step) => [step.element, step.type])).toEqual([["which", "decision"], ["paid", "wait"], ["paid", "event_received"], ["write", "create_record"]]);
      // Woken runs wait no more: the same event again wakes none of them.
      expect(await flows.publishEvent("payment_received", "A-1", null)).toEqual({ woken: 0 });

      // B-2's two hours run out: the fault path, and an event after that finds nothing.
      now = Date.parse("2026-12-07T12:00:01Z");
      expect(await flows.drain()).toBe(1);
      expect((await notes()).at(-1)).toBe("B-2 late: No 'payment_received' event with key 'B-2' arrived by 2026-12-07T12:00:00.000Z");
      expect((await flows.store.get(b))!.run.status).toBe("finished");
      expect(await flows.publishEvent("payment_received", "B-2", {})).toEqual({ woken: 0 });
    });

    it("deletes ended runs and their logs, and outbox messages, past their retention; waiting runs stay", async () => {
      const ended = (await flows.start("patient", { n: -1, at: "2026-12-06T08:00:00.000Z" }, systemCtx)).runId;
      const waiting = (await flows.start("await_payment", { order_no: "Z" }, systemCtx)).runId;
      const outbox = new MailOutbox(test.db, clock);
      await outbox.add({ id: "m1", runId: null, flow: null, element: null, from: "a@x.example", to: ["b@x.example"], cc: [], subject: "Old", body: "" });
      const keeper = await service();
      const pruning = (await flowServiceOver(test.db, harness.registry, { published: () => published, clock, retention: { runDays: 90, outbox: { days: 30, prune: (before) => outbox.prune(before) } } })).flows;
      others.push(pruning);
      // Within retention: nothing goes.
      now = Date.parse("2027-01-05T10:00:00Z");
      expect(await pruning.pruneHistory()).toEqual({ runs: 0, messages: 0 });
      now = Date.parse("2027-03-01T10:00:00Z");
      await outbox.add({ id: "m2", runId: null, flow: null, element: null, from: "a@x.example", to: ["b@x.example"], cc: [], subject: "New", body: "" });
      // 91 days after it ended, the finished run and its log go; of the messages, the one older than 30 days.
      now = Date.parse("2027-03-08T10:00:00Z");
      expect(await pruning.pruneHistory()).toEqual({ runs: 1, messages: 1 });
      expect(await keeper.store.get(ended)).toBeNull();
      expect(await keeper.store.steps(ended)).toEqual([]);
      expect((await keeper.store.get(waiting))!.run.status).toBe("waiting");
      expect((await outbox.list()).map((message) => message.subject)).toEqual(["New"]);
    });

    it("refuses an event payload too large to keep", async () => {
      await flows.start("await_payment", { order_no: "C" }, systemCtx);
      await expect(flows.publishEvent("payment_received", "C", { text: "x".repeat(100_001) })).rejects.toThrow(/longer than 100,000 characters/);
      expect(await flows.publishEvent("payment_received", "C", { text: "fits" })).toEqual({ woken: 1 });
    });

    it("adds the wake_at column to a run table made before waits existed", async () => {
      const { kysely } = test.db;
      await sql`drop table ${sql.id(FLOW_RUN_TABLE)}`.execute(kysely);
      const text = test.db.dialect === "mysql" ? sql.raw("varchar(64)") : sql.raw("text");
      const key = test.db.dialect === "mysql" ? sql.raw("varchar(36)") : sql.raw("text");
      await sql`create table ${sql.id(FLOW_RUN_TABLE)} (
        id ${key} not null primary key, flow ${text} not null, version integer not null, ${sql.id("trigger")} ${text} not null, started_by ${text}, object ${text}, record_id ${text},
        status ${text} not null, state ${test.db.dialect === "mysql" ? sql.raw("longtext") : sql.raw("text")} not null, error ${text}, failed_element ${text}, steps integer not null, chain ${text} not null,
        started_at ${text} not null, updated_at ${text} not null, ended_at ${text}
      )`.execute(kysely);
      // A new handle on the same database: the startup step runs again, as in a new process.
      await ensureFlowRunTables({ ...test.db });
      await ensureFlowRunTables({ ...test.db });
      const { runId } = await flows.start("patient", { n: 0, at: "2026-12-06T00:00:00.000Z" }, systemCtx);
      expect((await flows.store.get(runId))!.run).toMatchObject({ status: "waiting", wakeAt: "2026-12-07T11:00:00.000Z" });
    });
  });
}
