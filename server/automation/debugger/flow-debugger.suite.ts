import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flowSchema, type FlowDef, type FlowInput } from "@/spec/flow";
import type { ObjectQL } from "@/server/objectql";
import { Harness, defineObject, systemCtx } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "@/server/objectql/test-support/test-databases";
import { ServiceError } from "@/server/errors";
import { DEBUG_RUN_IDLE_MS } from "./flow-debugger";
import type { FlowService } from "../flow-service";
import { flowServiceOver } from "../test-support/flow-service-over";
import type { PublishedFlow } from "../runtime/flow-interpreter";

/**
 * The debugger: breakpoints (conditional too), step into / over / out of subflows, variable
 * edits while paused, and rollback mode undoing every record change a debug run made (creates,
 * updates, deletes with their cascades) when it ends, is stopped, or is left alone.
 */

export const item = defineObject({
  name: "item",
  label: "Item",
  pluralLabel: "Items",
  fields: [
    { id: "i1", name: "title", label: "Title", type: "text", required: true },
    { id: "i2", name: "qty", label: "Quantity", type: "number" },
  ],
});
const part = defineObject({
  name: "part",
  label: "Part",
  pluralLabel: "Parts",
  fields: [
    { id: "p1", name: "code", label: "Code", type: "text", required: true },
    { id: "p2", name: "item", label: "Item", type: "master_detail", reference: "item" },
  ],
});

export function flow(input: FlowInput): FlowDef {
  return flowSchema.parse(input);
}

/** Doubles a number (a subflow). (`item`, `flow`, `double` and `summer` serve designers/flow/flow-debug-store.test.ts too.) */
export const double = flow({
  name: "double",
  label: "Double",
  start: { type: "autolaunched" },
  variables: [{ name: "n", type: "number", input: true }, { name: "result", type: "number", output: true }],
  elements: [{ id: "twice", label: "Twice", type: "assignment", assignments: [{ target: "result", value: "n * 2" }] }],
  edges: [{ source: "start", target: "twice" }],
});

/** Sums 1..limit doubled through the subflow, over the items it reads. */
export const summer = flow({
  name: "summer",
  label: "Summer",
  start: { type: "autolaunched" },
  variables: [
    { name: "total", type: "number", default: 0, output: true },
    { name: "doubled", type: "number", default: 0 },
    { name: "items", type: "records", object: "item" },
    { name: "current", type: "record", object: "item" },
  ],
  elements: [
    { id: "get", label: "Get items", type: "get_records", object: "item", sort: [{ field: "title", direction: "asc" }], into: "items" },
    { id: "each", label: "Each item", type: "loop", collection: "items", item: "current" },
    { id: "call", label: "Double it", type: "subflow", flow: "double", inputs: [{ name: "n", value: "current.qty" }], outputs: [{ name: "result", into: "doubled" }] },
    { id: "add", label: "Add", type: "assignment", assignments: [{ target: "total", operator: "add", value: "doubled" }] },
  ],
  edges: [
    { source: "start", target: "get" }, { source: "get", target: "each" }, { source: "each", handle: "each", target: "call" },
    { source: "call", target: "add" }, { source: "add", target: "each" },
  ],
});

/** Creates, updates and deletes records (with a master-detail cascade). */
const mutator = flow({
  name: "mutator",
  label: "Mutator",
  start: { type: "autolaunched" },
  variables: [{ name: "made", type: "record", object: "item" }, { name: "victim", type: "record", object: "item" }, { name: "keeper", type: "record", object: "item" }],
  elements: [
    { id: "make", label: "Make", type: "create_record", object: "item", values: [{ field: "title", value: "'new'" }, { field: "qty", value: "1" }], into: "made" },
    { id: "find_keeper", label: "Find keeper", type: "get_records", object: "item", filter: { field: "title", operator: "=", value: "keeper" }, into: "keeper" },
    { id: "change", label: "Change", type: "update_records", record: "keeper", values: [{ field: "qty", value: "keeper.qty + 100" }, { field: "title", value: "'kept'" }] },
    { id: "find_victim", label: "Find victim", type: "get_records", object: "item", filter: { field: "title", operator: "=", value: "victim" }, into: "victim" },
    { id: "remove", label: "Remove", type: "delete_records", record: "victim" },
  ],
  edges: [
    { source: "start", target: "make" }, { source: "make", target: "find_keeper" }, { source: "find_keeper", target: "change" },
    { source: "change", target: "find_victim" }, { source: "find_victim", target: "remove" },
  ],
});

export function defineFlowDebuggerSuite(factory: DatabaseFactory): void {
  describe(`flow debugger (${factory.dialect})`, () => {
    let test: TestDatabase;
    let harness: Harness;
    let ql: ObjectQL;
    let flows: FlowService;
    let now: number;
    const me = { kind: "user", userId: "dev-1", role: "admin" } as const;

    beforeEach(async () => {
      test = await factory.create();
      harness = new Harness(test.db);
      await harness.sync(item);
      await harness.sync(part);
      now = Date.parse("2026-12-07T10:00:00Z");
      const published: PublishedFlow[] = [double, summer, mutator].map((def) => ({ def, version: 1 }));
      ({ flows, ql } = await flowServiceOver(test.db, harness.registry, { published: () => published, clock: () => new Date(now) }));
    });
    afterEach(async () => {
      await test.cleanup();
    });

    const at = (view: { frames: { flow: string; at: string | null }[] }) => view.frames.map((frame) => `${frame.flow}/${frame.at}`).join(" > ");

    it("pauses before the first element, steps into, over and out of a subflow, and stops at (conditional) breakpoints", async () => {
      for (const [title, qty] of [["a", 1], ["b", 2], ["c", 3]] as const) await ql.insert(systemCtx, "item", { title, qty });
      const debug = flows.debugger;
      let view = await debug.start({ flow: "summer", ctx: me, breakpoints: { "summer/add": "current.qty = 2" } });
      expect(view.status).toBe("paused");
      expect(at(view)).toBe("summer/get");
      // The starting variables come with the view (the debugger's time travel replays the log over them).
      expect(view.initial).toMatchObject({ total: 0, doubled: 0, items: [] });
      view = await debug.command(view.run.id, "stepOver", me.userId);
      expect(at(view)).toBe("summer/each");
      expect((view.frames[0]!.variables.items as unknown[]).length).toBe(3);
      view = await debug.command(view.run.id, "stepOver", me.userId);
      expect(at(view)).toBe("summer/call");
      // Into the subflow: a second frame on the call stack, with its own variables.
      view = await debug.command(view.run.id, "stepInto", me.userId);
      expect(at(view)).toBe("summer/call > double/twice");
      expect(view.frames[1]!.variables).toMatchObject({ n: 1, result: null });
      view = await debug.command(view.run.id, "stepOut", me.userId);
      expect(at(view)).toBe("summer/add");
      expect(view.frames[0]!.variables.doubled).toBe(2);
      // Continue: runs to the conditional breakpoint (the second item), not the first "add" it passes.
      view = await debug.command(view.run.id, "continue", me.userId);
      expect(at(view)).toBe("summer/add");
      expect((view.frames[0]!.variables.current as { title: string }).title).toBe("b");
      expect(view.frames[0]!.variables.total).toBe(2);
      // Edit a variable while paused: the run goes on with it, and the timeline shows the edit.
      view = await debug.setVariable(view.run.id, 0, "doubled", 40, me);
      expect(view.steps.at(-1)).toMatchObject({ type: "variable_edit", changed: { doubled: 40 } });
      view = await debug.command(view.run.id, "continue", me.userId);
      expect(view.status).toBe("finished");
      expect(view.outputs).toEqual({ total: 2 + 40 + 6 });
      expect(view.debug.ended).toBe("finished");
      await expect(debug.command(view.run.id, "continue", me.userId)).rejects.toThrow(/has ended/);
    });

    it("does not sleep at a wait: the step says when it would wake, and the run pauses after it until the next command", async () => {
      const napper = flow({
        name: "napper",
        label: "Napper",
        start: { type: "autolaunched" },
        variables: [{ name: "n", type: "number", default: 1 }],
        elements: [
          { id: "nap", label: "Nap", type: "wait", mode: "duration", amount: "2", unit: "days" },
          { id: "bump", label: "Bump", type: "assignment", assignments: [{ target: "n", operator: "add", value: "1" }] },
        ],
        edges: [{ source: "start", target: "nap" }, { source: "nap", target: "bump" }],
      });
      let view = await flows.debugger.start({ flow: "napper", draft: napper, ctx: me });
      view = await flows.debugger.command(view.run.id, "continue", me.userId);
      expect(view.status).toBe("paused");
      expect(at(view)).toBe("napper/bump");
      expect(view.steps.at(-1)).toMatchObject({ element: "nap", outputs: { wakeAt: "2026-12-09T10:00:00.000Z", waited: true, wouldWaitUntil: "2026-12-09T10:00:00.000Z" } });
      view = await flows.debugger.command(view.run.id, "continue", me.userId);
      expect(view.status).toBe("finished");
      expect(view.frames[0]!.variables.n).toBe(2);
    });

    it("reruns a past run from one of its steps, with the variables as they were there and edits applied", async () => {
      for (const [title, qty] of [["a", 1], ["b", 2], ["c", 3]] as const) await ql.insert(systemCtx, "item", { title, qty });
      // A run outside the debugger (its log holds records by id).
      const past = await flows.start("summer", {}, me);
      expect(past.state.outputs).toEqual({ total: 12 });
      const steps = await flows.store.steps(past.runId);
      // The "add" step of the second item: total is 2 there, doubled 4, the loop at item 2 of 3.
      const secondAdd = steps.filter((step) => step.element === "add")[1]!;
      let view = await flows.debugger.rerunFrom(past.runId, secondAdd.seq, { ctx: me, edits: { doubled: 100 } });
      expect(view.status).toBe("paused");
      expect(at(view)).toBe("summer/add");
      expect(view.frames[0]!.variables).toMatchObject({ total: 2, doubled: 100 });
      expect((view.frames[0]!.variables.current as { title: string; qty: number })).toMatchObject({ title: "b", qty: 2 });
      view = await flows.debugger.command(view.run.id, "continue", me.userId);
      // 2 + 100, then the third item doubled: 6.
      expect(view.outputs).toEqual({ total: 108 });
      const inSubflow = steps.find((step) => step.depth === 1)!;
      await expect(flows.debugger.rerunFrom(past.runId, inSubflow.seq, { ctx: me })).rejects.toThrow("not an element of the flow itself");
    });

    it("refuses bad edits and other developers, naming what is wrong", async () => {
      const debug = flows.debugger;
      const view = await debug.start({ flow: "summer", ctx: me });
      await expect(debug.setVariable(view.run.id, 0, "total", "lots", me)).rejects.toThrow("value must be a finite number");
      await expect(debug.setVariable(view.run.id, 0, "nothing", 1, me)).rejects.toThrow("has no variable 'nothing'");
      await expect(debug.setVariable(view.run.id, 3, "total", 1, me)).rejects.toThrow("has no frame 3");
      const other = await debug.command(view.run.id, "stepOver", "dev-2").catch((error: unknown) => error);
      expect(other).toBeInstanceOf(ServiceError);
      expect((other as ServiceError).code).toBe("FORBIDDEN");
      await expect(debug.start({ flow: "summer", ctx: me, breakpoints: { "summer/nope": null } })).rejects.toThrow("flow 'summer' has no element 'nope'");
    });

    it("rolls back every change of a debug run when it ends: creates, updates, and deletes with their cascades", async () => {
      const keeper = await ql.insert(systemCtx, "item", { title: "keeper", qty: 5 });
      const victim = await ql.insert(systemCtx, "item", { title: "victim", qty: 7 });
      await ql.insert(systemCtx, "part", { code: "P1", item: victim.id });
      const raw = async () => ({ items: await harness.rawRows("obj_item"), parts: await harness.rawRows("obj_part") });
      const before = await raw();

      const debug = flows.debugger;
      let view = await debug.start({ flow: "mutator", ctx: me });
      view = await debug.command(view.run.id, "continue", me.userId);
      expect(view.status).toBe("finished");
      expect(view.debug).toMatchObject({ ended: "finished", rolledBack: true });
      expect(await raw()).toEqual(before);
      expect((await ql.findOne(systemCtx, "item", keeper.id))!.qty).toBe(5);

      // Stopped half way: what it did so far is undone too.
      view = await debug.start({ flow: "mutator", ctx: me, breakpoints: { "mutator/find_victim": null } });
      view = await debug.command(view.run.id, "continue", me.userId);
      expect(at(view)).toBe("mutator/find_victim");
      expect((await ql.findOne(systemCtx, "item", keeper.id))!.title).toBe("kept");
      view = await debug.command(view.run.id, "stop", me.userId);
      expect(view.debug).toMatchObject({ ended: "stopped", rolledBack: true });
      expect(await raw()).toEqual(before);

      // Rollback off: the changes stay.
      view = await debug.start({ flow: "mutator", ctx: me, rollback: false });
      view = await debug.command(view.run.id, "continue", me.userId);
      expect((await ql.find(systemCtx, { object: "item", orderBy: [{ field: "title", direction: "asc" }] })).records.map((record) => [record.title, record.qty])).toEqual([["kept", 105], ["new", 1]]);
      expect(await harness.rawRows("obj_part")).toEqual([]);
    });

    it("a debug run left paused is stopped and rolled back; a draft can be debugged before it is published", async () => {
      const debug = flows.debugger;
      let view = await debug.start({ flow: "mutator", ctx: me });
      view = await debug.command(view.run.id, "stepOver", me.userId);
      expect((await ql.find(systemCtx, { object: "item" })).records.map((record) => record.title)).toEqual(["new"]);
      expect(await debug.sweep()).toBe(0);
      now += DEBUG_RUN_IDLE_MS + 1;
      expect(await debug.sweep()).toBe(1);
      expect((await ql.find(systemCtx, { object: "item" })).records).toEqual([]);
      expect((await debug.view(view.run.id)).debug.ended).toBe("timed_out");

      const draft = { ...double, name: "draft_triple", elements: [{ ...double.elements[0]!, assignments: [{ target: "result", operator: "set", value: "n * 3" }] }] };
      view = await debug.start({ flow: "draft_triple", draft, inputs: { n: 5 }, ctx: me });
      view = await debug.command(view.run.id, "continue", me.userId);
      expect(view.outputs).toEqual({ result: 15 });
      await expect(debug.start({ flow: "broken", draft: { ...draft, name: "broken", edges: [] }, ctx: me })).rejects.toThrow(/cannot be debugged until its problems are fixed: .*connect the start/i);
    });
  });
}
