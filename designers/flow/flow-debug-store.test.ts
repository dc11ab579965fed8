import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ObjectQL } from "@/server/objectql";
import { Harness, systemCtx } from "@/server/objectql/test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "@/server/objectql/test-support/test-databases";
import type { FlowService } from "@/server/automation/flow-service";
import { flowServiceOver } from "@/server/automation/test-support/flow-service-over";
import { double, flow, item, summer as baseSummer } from "@/server/automation/debugger/flow-debugger.suite";
import { FLOW_VARIABLE_TYPES } from "@/spec/flow";
import { edgeKey } from "./flow-designer-store";
import {
  FlowDebugStore, canDrive, currentElement, parseVariableInput, pathTaken, runStatusText, stackAt, variableInputText, variablesAfter, variablesBefore,
  type DebugRunView,
} from "./flow-debug-store";

/**
 * The debugger's derived state checked against real debug runs (the server's debugger over
 * SQLite): the variables time travel computes from the step log are exactly the variables the
 * run had when it paused there; the path and the current element are where the run went.
 */

/** The suite's summer, with a decision: big items (qty > 1) are doubled through the subflow and summed, small ones counted. */
const summer = flow({
  ...baseSummer,
  variables: [...baseSummer.variables, { name: "small", type: "number", default: 0, output: true }],
  elements: [
    ...baseSummer.elements,
    { id: "big", label: "Big?", type: "decision", outcomes: [{ id: "yes", label: "Yes", condition: "current.qty > 1" }] },
    { id: "count", label: "Count small", type: "assignment", assignments: [{ target: "small", operator: "add", value: "1" }] },
  ],
  edges: [
    ...baseSummer.edges.filter((edge) => edge.source !== "each"),
    { source: "each", handle: "each", target: "big" }, { source: "big", handle: "yes", target: "call" },
    { source: "big", handle: "default", target: "count" }, { source: "count", target: "each" },
  ],
});

const me = { kind: "user", userId: "dev-1", role: "admin" } as const;

describe("flow debugger state against real debug runs", () => {
  let test: TestDatabase;
  let flows: FlowService;
  let ql: ObjectQL;

  beforeEach(async () => {
    test = await sqliteFactory.create();
    const harness = new Harness(test.db);
    await harness.sync(item);
    ({ flows, ql } = await flowServiceOver(test.db, harness.registry, { published: () => [double, summer].map((def) => ({ def, version: 1 })) }));
    for (const [title, qty] of [["a", 1], ["b", 2], ["c", 3]] as const) await ql.insert(systemCtx, "item", { title, qty });
  });
  afterEach(async () => {
    await test.cleanup();
  });

  it("time travel gives the variables each pause had; the path and current element follow the run", async () => {
    const debug = flows.debugger;
    let view = (await debug.start({ flow: "summer", ctx: me })) as DebugRunView;
    expect(view.initial).toMatchObject({ total: 0, small: 0, items: [] });
    const pauses: DebugRunView[] = [];
    while (view.status === "paused") {
      pauses.push(view);
      view = (await debug.command(view.run.id, "stepInto", me.userId)) as DebugRunView;
    }
    expect(view.outputs).toEqual({ total: 4 + 6, small: 1 });
    const final = view;
    expect(pauses.length).toBeGreaterThan(10);
    for (const pause of pauses) {
      const last = pause.steps.at(-1);
      if (!last) continue;
      // The flow's own variables, from the whole run's log, as they were at that pause.
      expect(variablesAfter(final.initial, final.steps, last.seq, 0)).toEqual(pause.frames[0]!.variables);
      // Inside the subflow: what changed there since the call is what the frame holds.
      if (pause.frames.length === 2) {
        const sub = variablesAfter(final.initial, final.steps, last.seq, 1);
        for (const [name, value] of Object.entries(sub)) expect(pause.frames[1]!.variables[name]).toEqual(value);
        expect(stackAt(final.steps, last.seq).map((frame) => frame.flow)).toEqual(last.depth === 1 ? ["summer", "double"] : ["summer"]);
      }
      const session = { mode: "live" as const, view: pause, frame: 0, step: null };
      expect(currentElement(session)).toBe(pause.frames[0]!.at);
      expect(canDrive(session)).toBe(true);
    }
    // The path: every element ran, through the decision's both ways out.
    const path = pathTaken(final.steps);
    expect([...path.nodes].sort()).toEqual(["add", "big", "call", "count", "each", "get", "start"]);
    for (const [source, handle] of [["start", "next"], ["big", "yes"], ["big", "default"], ["each", "done"], ["call", "next"]]) expect(path.edges.has(edgeKey({ source: source!, handle: handle! }))).toBe(true);
    // Up to the first decision only its first way out (a: small) was taken.
    const firstBig = final.steps.find((step) => step.element === "big")!;
    const early = pathTaken(final.steps, firstBig.seq);
    expect(early.edges.has("big:default")).toBe(true);
    expect(early.edges.has("big:yes")).toBe(false);
    expect(early.nodes.has("call")).toBe(false);
    // Time travel to a step inside the subflow highlights the subflow element that called it.
    const inside = final.steps.find((step) => step.depth === 1)!;
    expect(currentElement({ mode: "replay", view: final, frame: 0, step: inside.seq })).toBe("call");
    expect(runStatusText(final)).toBe("Finished");
  });

  it("the variables before a step are what rerunning from it starts with; edits show in the log", async () => {
    const debug = flows.debugger;
    let view = (await debug.start({ flow: "summer", ctx: me, breakpoints: { "summer/add": null } })) as DebugRunView;
    view = (await debug.command(view.run.id, "continue", me.userId)) as DebugRunView;
    expect(view.frames[0]!.at).toBe("add");
    view = (await debug.setVariable(view.run.id, 0, "doubled", 50, me)) as DebugRunView;
    expect(variablesAfter(view.initial, view.steps, view.steps.at(-1)!.seq)).toMatchObject({ doubled: 50 });
    // On to the breakpoint again (the third item), then to the end.
    view = (await debug.command(view.run.id, "continue", me.userId)) as DebugRunView;
    expect(view.frames[0]!.variables).toMatchObject({ total: 50, doubled: 6 });
    view = (await debug.command(view.run.id, "continue", me.userId)) as DebugRunView;
    expect(view.outputs).toEqual({ total: 50 + 6, small: 1 });
    for (const step of view.steps.filter((candidate) => candidate.depth === 0 && candidate.type === "assignment")) {
      const rerun = (await debug.rerunFrom(view.run.id, step.seq, { ctx: me })) as DebugRunView;
      expect(rerun.frames[0]!.variables).toEqual(variablesBefore(view.initial, view.steps, step.seq));
      await debug.command(rerun.run.id, "stop", me.userId);
    }
  });

  it("says how a run stands", () => {
    const base = { run: { id: "r" }, outputs: null, steps: [], initial: {}, error: null } as unknown as DebugRunView;
    const label = (_: string, element: string) => element.toUpperCase();
    expect(runStatusText({ ...base, status: "paused", frames: [{ flow: "f", at: "add", variables: {} }], debug: { rollback: true } }, label)).toBe("Paused at ADD");
    expect(runStatusText({ ...base, status: "paused", frames: [{ flow: "f", at: null, variables: {} }], debug: { rollback: true } })).toMatch(/^Paused at the end of the flow \(its changes are rolled back/);
    expect(runStatusText({ ...base, status: "finished", frames: [], debug: { ended: "stopped", rolledBack: true }, error: { message: "Stopped in the debugger", flow: "f", element: "add" } }, label)).toBe("Stopped at ADD · changes rolled back");
    expect(runStatusText({ ...base, status: "failed", frames: [], debug: { ended: "failed" }, error: { message: "boom", flow: "f", element: "get" } }, label)).toBe("Failed at GET: boom");
    expect(runStatusText({ ...base, status: "finished", frames: [], debug: { ended: "timed_out", rolledBack: true } })).toBe("Stopped: left paused too long · changes rolled back");
  });
});

describe("FlowDebugStore", () => {
  const view = (id: string, frames = 1, steps: number[] = []) => ({
    run: { id }, status: "paused", error: null, outputs: null, debug: {}, initial: {},
    frames: Array.from({ length: frames }, () => ({ flow: "f", at: "a", variables: {} })),
    steps: steps.map((seq) => ({ seq, depth: 0, flow: "f", element: "a", type: "assignment", label: "A", inputs: {}, outputs: {}, changed: {}, handle: "next", startedAt: "", durationMs: 0 })),
  }) as unknown as DebugRunView;

  it("toggles breakpoints with conditions, gives them to the server as flow/element, and drops removed elements'", () => {
    const store = new FlowDebugStore("summer");
    let notified = 0;
    store.subscribe(() => notified++);
    expect(store.toggleBreakpoint("add")).toBe(true);
    expect(store.toggleBreakpoint("big")).toBe(true);
    store.setCondition("add", "current.qty = 2");
    expect(store.serverBreakpoints()).toEqual({ "summer/add": "current.qty = 2", "summer/big": null });
    store.setCondition("add", "  ");
    expect(store.serverBreakpoints()["summer/add"]).toBeNull();
    expect(store.toggleBreakpoint("big")).toBe(false);
    store.prune({ ...summer, elements: summer.elements.filter((element) => element.id !== "add") });
    expect(store.serverBreakpoints()).toEqual({});
    expect(notified).toBe(6);
  });

  it("shows where a run paused (its innermost frame); keeps the chosen frame when the run did not move; time travel only to steps the run has", () => {
    const store = new FlowDebugStore("f");
    store.showRun(view("r1", 2, [0, 1]), "live");
    expect(store.snapshot.session).toMatchObject({ frame: 1, step: null });
    store.selectFrame(0);
    store.selectStep(1);
    expect(store.snapshot.session).toMatchObject({ frame: 0, step: 1 });
    expect(canDrive(store.snapshot.session)).toBe(false);
    store.selectStep(7);
    expect(store.snapshot.session!.step).toBe(1);
    // A variable edit: the same pause, the same frame (time travel ends).
    store.showRun(view("r1", 2, [0, 1, 2]), "live", true);
    expect(store.snapshot.session).toMatchObject({ frame: 0, step: null });
    // A step: the innermost frame again.
    store.showRun(view("r1", 3, [0, 1, 2, 3]), "live");
    expect(store.snapshot.session).toMatchObject({ frame: 2, step: null });
    store.showRun(view("r2", 1), "replay", true);
    expect(store.snapshot.session).toMatchObject({ frame: 0, mode: "replay" });
    expect(canDrive(store.snapshot.session)).toBe(false);
    store.selectFrame(5);
    expect(store.snapshot.session!.frame).toBe(0);
    store.close();
    expect(store.snapshot.session).toBeNull();
  });
});

describe("parseVariableInput (what is typed into a variable while paused)", () => {
  const types = fc.constantFrom(...FLOW_VARIABLE_TYPES);

  it("never throws, and what it accepts is of the variable's type", () => {
    fc.assert(fc.property(types, fc.string(), (type, text) => {
      const parsed = parseVariableInput({ type, object: "item" }, text);
      if ("message" in parsed) return;
      const value = parsed.value;
      if (value === null) return;
      if (type === "number") expect(Number.isFinite(value)).toBe(true);
      if (type === "boolean") expect(typeof value).toBe("boolean");
      if (type === "date") expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (type === "datetime") expect(Number.isNaN(Date.parse(value as string))).toBe(false);
      if (type === "text" || type === "record") expect(typeof value).toBe("string");
      if (type === "records") expect(Array.isArray(value) && value.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    }));
  });

  it("reads back what the inspector shows (numbers, booleans, texts, dates, record ids)", () => {
    const samples = fc.oneof(
      fc.record({ type: fc.constant("number" as const), value: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
      fc.record({ type: fc.constant("boolean" as const), value: fc.boolean() }),
      fc.record({ type: fc.constant("text" as const), value: fc.string() }),
      fc.record({ type: fc.constant("date" as const), value: fc.date({ min: new Date("1900-01-01"), max: new Date("2999-12-31"), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)) }),
      fc.record({ type: fc.constant("datetime" as const), value: fc.date({ min: new Date("1900-01-01"), max: new Date("2999-12-31"), noInvalidDate: true }).map((date) => date.toISOString()) }),
      fc.record({ type: fc.constant("record" as const), value: fc.uuid().map((id) => ({ id, title: "x" })) }),
      fc.record({ type: fc.constant("records" as const), value: fc.array(fc.uuid().map((id) => ({ id })), { maxLength: 5 }) }),
    );
    fc.assert(fc.property(samples, ({ type, value }) => {
      const parsed = parseVariableInput({ type, object: "item" }, variableInputText({ type }, value));
      expect("value" in parsed).toBe(true);
      const back = (parsed as { value: unknown }).value;
      if (type === "record") expect(back).toBe((value as { id: string }).id);
      else if (type === "records") expect(back).toEqual((value as { id: string }[]).map((entry) => entry.id));
      else if (type === "number") expect(back).toBe(Object.is(value, -0) ? 0 : value);
      else expect(back).toEqual(value);
    }));
  });

  it("names what is wrong", () => {
    expect(parseVariableInput({ type: "number" }, "lots")).toEqual({ message: "must be a number" });
    expect(parseVariableInput({ type: "boolean" }, "yes")).toEqual({ message: "must be true or false" });
    expect(parseVariableInput({ type: "date" }, "7/12/2026")).toEqual({ message: "must be a date written YYYY-MM-DD" });
    expect(parseVariableInput({ type: "number" }, "")).toEqual({ value: null });
  });
});
