import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flow } from "../test-support/flow-test-bed";
import type { FlowDef } from "@/spec/flow";
import { Harness, defineObject, systemCtx } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "@/server/objectql/test-support/test-databases";
import { flowMetadataIssues } from "../flow-check";
import { runFlow, startFlowRun, type FlowEnvironment, type FlowStep, type FlowValue } from "./flow-interpreter";

/**
 * The flow interpreter over real object tables: assignments, decisions, loops, record elements,
 * subflows, fault paths and custom errors, each checked by the records and variables a run
 * leaves. Run on SQLite (unit), PostgreSQL and MariaDB (int).
 */

const project = defineObject({
  name: "project",
  label: "Project",
  pluralLabel: "Projects",
  fields: [
    { id: "p1", name: "name", label: "Name", type: "text", required: true },
    { id: "p2", name: "budget", label: "Budget", type: "currency", scale: 2 },
    { id: "p3", name: "status", label: "Status", type: "select", options: [{ value: "open", label: "Open" }, { value: "over", label: "Over budget" }, { value: "ok", label: "Within budget" }] },
  ],
});
const task = defineObject({
  name: "task",
  label: "Task",
  pluralLabel: "Tasks",
  fields: [
    { id: "t1", name: "title", label: "Title", type: "text", required: true },
    { id: "t2", name: "hours", label: "Hours", type: "number", scale: 1 },
    { id: "t3", name: "project", label: "Project", type: "lookup", reference: "project" },
    { id: "t4", name: "done", label: "Done", type: "boolean" },
    { id: "t5", name: "due", label: "Due", type: "date" },
  ],
});

/** Sums a project's open task hours, marks long tasks, and sets the project's status. */
const costProject = flow({
  name: "cost_project",
  label: "Cost a project",
  start: { type: "autolaunched" },
  variables: [
    { name: "project_id", type: "text", input: true },
    { name: "rate", type: "number", default: 50 },
    { name: "total", type: "number", default: 0, output: true },
    { name: "long_tasks", type: "number", default: 0, output: true },
    { name: "proj", type: "record", object: "project" },
    { name: "tasks", type: "records", object: "task" },
    { name: "current", type: "record", object: "task" },
  ],
  elements: [
    { id: "get_project", label: "Get the project", type: "get_records", object: "project", filter: { field: "id", operator: "=", value: "{!project_id}" }, into: "proj" },
    { id: "get_tasks", label: "Get its tasks", type: "get_records", object: "task", filter: { and: [{ field: "project", operator: "=", value: "{!project_id}" }, { field: "done", operator: "=", value: false }] }, sort: [{ field: "title", direction: "asc" }], into: "tasks" },
    { id: "each_task", label: "Each task", type: "loop", collection: "tasks", item: "current" },
    { id: "add_cost", label: "Add its cost", type: "assignment", assignments: [{ target: "total", operator: "add", value: "current.hours * rate" }] },
    { id: "is_long", label: "Long task?", type: "decision", outcomes: [{ id: "long", label: "Long", condition: "current.hours >= 8" }] },
    { id: "count_long", label: "Count it", type: "assignment", assignments: [{ target: "long_tasks", operator: "add", value: "1" }] },
    { id: "over", label: "Over budget?", type: "decision", outcomes: [{ id: "yes", label: "Over", condition: "total > proj.budget" }], defaultLabel: "Within" },
    { id: "mark_over", label: "Mark over budget", type: "update_records", record: "proj", values: [{ field: "status", value: "'over'" }] },
    { id: "mark_ok", label: "Mark within budget", type: "update_records", record: "proj", values: [{ field: "status", value: "'ok'" }] },
  ],
  edges: [
    { source: "start", target: "get_project" },
    { source: "get_project", target: "get_tasks" },
    { source: "get_tasks", target: "each_task" },
    { source: "each_task", handle: "each", target: "add_cost" },
    { source: "add_cost", target: "is_long" },
    { source: "is_long", handle: "long", target: "count_long" },
    { source: "is_long", handle: "default", target: "each_task" },
    { source: "count_long", target: "each_task" },
    { source: "each_task", handle: "done", target: "over" },
    { source: "over", handle: "yes", target: "mark_over" },
    { source: "over", handle: "default", target: "mark_ok" },
  ],
});

/** Creates a task for a project (a subflow), failing on bad input through a fault path or not. */
const addTask = flow({
  name: "add_task",
  label: "Add a task",
  start: { type: "autolaunched" },
  variables: [
    { name: "title", type: "text", input: true },
    { name: "hours", type: "number", input: true },
    { name: "for_project", type: "record", object: "project", input: true },
    { name: "created", type: "record", object: "task", output: true },
    { name: "note", type: "text", output: true },
  ],
  elements: [
    { id: "create", label: "Create the task", type: "create_record", object: "task", values: [{ field: "title", value: "title" }, { field: "hours", value: "hours" }, { field: "project", value: "for_project" }, { field: "due", value: "ADDDAYS(DATE(2026, 12, 1), 6)" }], into: "created" },
    { id: "describe", label: "Describe it", type: "assignment", assignments: [{ target: "note", value: "created.title & ' for ' & created.project.name & ' (' & TEXT(created.hours) & 'h)'" }] },
  ],
  edges: [
    { source: "start", target: "create" },
    { source: "create", target: "describe" },
  ],
});

export function defineFlowRuntimeSuite(factory: DatabaseFactory): void {
  describe(`flow runtime (${factory.dialect})`, () => {
    let test: TestDatabase;
    let harness: Harness;
    let env: FlowEnvironment;
    const published = new Map<string, FlowDef>();

    beforeEach(async () => {
      test = await factory.create();
      harness = new Harness(test.db);
      await harness.sync(project);
      await harness.sync(task);
      published.clear();
      env = {
        objectql: harness.ql,
        objects: (name) => harness.registry.get(name),
        flows: (name) => (published.has(name) ? { def: published.get(name)!, version: 1 } : undefined),
        clock: () => new Date("2026-12-07T10:00:00Z"),
      };
    });
    afterEach(async () => {
      await test.cleanup();
    });

    function publish(def: FlowDef) {
      expect(flowMetadataIssues(def, env.objects, (name) => published.get(name))).toEqual([]);
      published.set(def.name, def);
    }
    async function run(name: string, inputs: Record<string, FlowValue> = {}) {
      const steps: FlowStep[] = [];
      const state = startFlowRun(env.flows(name)!, systemCtx, inputs);
      await runFlow(state, env, (flowName) => published.get(flowName), { onStep: (step) => void steps.push(step) });
      return { state, steps };
    }

    it("runs a loop over records with decisions and updates, and returns its outputs", async () => {
      publish(costProject);
      const apollo = await harness.ql.insert(systemCtx, "project", { name: "Apollo", budget: 1000 });
      const hermes = await harness.ql.insert(systemCtx, "project", { name: "Hermes", budget: 5000 });
      for (const [title, hours, done, projectId] of [["a", 10, false, apollo.id], ["b", 4, false, apollo.id], ["c", 8.5, false, apollo.id], ["d", 100, true, apollo.id], ["e", 3, false, hermes.id]] as const) {
        await harness.ql.insert(systemCtx, "task", { title, hours, done, project: projectId });
      }

      const { state, steps } = await run("cost_project", { project_id: apollo.id });
      expect(state.status).toBe("finished");
      // 22.5 open hours at 50: 1125, over the 1000 budget; two tasks of 8 hours or more.
      expect(state.outputs).toEqual({ total: 1125, long_tasks: 2 });
      expect((await harness.ql.findOne(systemCtx, "project", apollo.id))!.status).toBe("over");
      expect((await harness.ql.findOne(systemCtx, "project", hermes.id))!.status).toBeNull();
      // The path taken: the loop visits a, b, c in title order, then leaves by "done".
      expect(steps.map((step) => `${step.element}:${step.handle}`)).toEqual([
        "get_project:next", "get_tasks:next",
        "each_task:each", "add_cost:next", "is_long:long", "count_long:next",
        "each_task:each", "add_cost:next", "is_long:default",
        "each_task:each", "add_cost:next", "is_long:long", "count_long:next",
        "each_task:done", "over:yes", "mark_over:next",
      ]);
      expect(steps.map((step) => step.seq)).toEqual(steps.map((_, index) => index));
      expect(steps[1]!.outputs).toEqual({ count: 3 });
      expect(steps[3]!.changed).toEqual({ total: 500 });
      expect(steps[14]!.outputs).toEqual({ outcome: "Over" });

      const within = await run("cost_project", { project_id: hermes.id });
      expect(within.state.outputs).toEqual({ total: 150, long_tasks: 0 });
      expect((await harness.ql.findOne(systemCtx, "project", hermes.id))!.status).toBe("ok");
    });

    it("calls a subflow with inputs, copies its outputs back, and follows lookups in formulas", async () => {
      publish(addTask);
      const caller = flow({
        name: "plan_project",
        label: "Plan a project",
        start: { type: "autolaunched" },
        variables: [
          { name: "proj", type: "record", object: "project" },
          { name: "made", type: "record", object: "task" },
          { name: "summary", type: "text", output: true },
        ],
        elements: [
          { id: "make_project", label: "Make the project", type: "create_record", object: "project", values: [{ field: "name", value: "'Zeus'" }, { field: "budget", value: "250" }], into: "proj" },
          { id: "add", label: "Add a task", type: "subflow", flow: "add_task", inputs: [{ name: "title", value: "'Kick-off'" }, { name: "hours", value: "1.5" }, { name: "for_project", value: "proj" }], outputs: [{ name: "created", into: "made" }, { name: "note", into: "summary" }] },
        ],
        edges: [
          { source: "start", target: "make_project" },
          { source: "make_project", target: "add" },
        ],
      });
      publish(caller);
      const { state, steps } = await run("plan_project");
      expect(state.status).toBe("finished");
      expect(state.outputs).toEqual({ summary: "Kick-off for Zeus (1.5h)" });
      expect(steps.map((step) => `${step.depth}:${step.element}:${step.type}`)).toEqual([
        "0:make_project:create_record", "0:add:subflow", "1:create:create_record", "1:describe:assignment", "0:add:subflow_return",
      ]);
      const tasks = await harness.ql.find(systemCtx, { object: "task" });
      expect(tasks.records.map((record) => [record.title, record.hours, (record.project as { name: string }).name, record.due])).toEqual([["Kick-off", 1.5, "Zeus", "2026-12-07"]]);
      expect((steps[4]!.changed.made as { id: string }).id).toBe(tasks.records[0]!.id);
    });

    it("takes an element's fault path with the error in fault_message; without one the run fails naming the element", async () => {
      const guarded = flow({
        name: "guarded",
        label: "Guarded",
        start: { type: "autolaunched" },
        variables: [{ name: "title", type: "text", input: true }, { name: "outcome", type: "text", output: true }],
        elements: [
          { id: "create", label: "Create", type: "create_record", object: "task", values: [{ field: "title", value: "title" }] },
          { id: "ok", label: "OK", type: "assignment", assignments: [{ target: "outcome", value: "'created'" }] },
          { id: "caught", label: "Caught", type: "assignment", assignments: [{ target: "outcome", value: "'caught: ' & fault_message" }] },
        ],
        edges: [
          { source: "start", target: "create" },
          { source: "create", target: "ok" },
          { source: "create", handle: "fault", target: "caught" },
        ],
      });
      publish(guarded);
      expect((await run("guarded", { title: "Fine" })).state.outputs).toEqual({ outcome: "created" });
      const caught = await run("guarded", { title: null });
      expect(caught.state.status).toBe("finished");
      expect(caught.state.outputs!.outcome).toMatch(/^caught: .*title/i);
      expect(caught.steps[0]!.error).toMatch(/title/i);
      expect(caught.steps[0]!.handle).toBe("fault");

      const unguarded = flow({ ...guarded, name: "unguarded", edges: guarded.edges.filter((edge) => edge.handle !== "fault"), elements: guarded.elements.filter((element) => element.id !== "caught") });
      publish(unguarded);
      const failed = await run("unguarded", { title: null });
      expect(failed.state.status).toBe("failed");
      expect(failed.state.error).toMatchObject({ flow: "unguarded", element: "create" });
      expect(failed.state.error!.message).toMatch(/title/i);
      expect((await harness.ql.find(systemCtx, { object: "task" })).records.map((record) => record.title)).toEqual(["Fine"]);
    });

    it("raises a subflow's fault to the calling element's fault path", async () => {
      publish(addTask);
      const caller = flow({
        name: "caller",
        label: "Caller",
        start: { type: "autolaunched" },
        variables: [{ name: "result", type: "text", output: true }],
        elements: [
          // No title: the subflow's create fails, and add_task has no fault path of its own.
          { id: "call", label: "Call", type: "subflow", flow: "add_task", inputs: [{ name: "hours", value: "2" }] },
          { id: "fine", label: "Fine", type: "assignment", assignments: [{ target: "result", value: "'fine'" }] },
          { id: "handled", label: "Handled", type: "assignment", assignments: [{ target: "result", value: "'handled'" }] },
        ],
        edges: [
          { source: "start", target: "call" },
          { source: "call", target: "fine" },
          { source: "call", handle: "fault", target: "handled" },
        ],
      });
      publish(caller);
      const { state, steps } = await run("caller");
      expect(state.status).toBe("finished");
      expect(state.outputs).toEqual({ result: "handled" });
      expect(state.frames).toHaveLength(1);
      expect(steps.map((step) => `${step.depth}:${step.element}`)).toEqual(["0:call", "1:create", "0:handled"]);
    });

    it("ends the run with a custom error's message, merge fields filled in", async () => {
      publish(flow({
        name: "refuse",
        label: "Refuse",
        start: { type: "autolaunched" },
        variables: [{ name: "hours", type: "number", input: true }],
        elements: [{ id: "stop", label: "Stop", type: "custom_error", message: "{!hours} hours is too many (limit {!MAX(4, 2)})" }],
        edges: [{ source: "start", target: "stop" }],
      }));
      const { state } = await run("refuse", { hours: 12.5 });
      expect(state.status).toBe("failed");
      expect(state.error).toEqual({ message: "12.5 hours is too many (limit 4)", flow: "refuse", element: "stop" });
    });

    it("reads an empty merge field in a filter as 'is empty' for =, and as matching nothing for an order", async () => {
      await harness.ql.insert(systemCtx, "task", { title: "no hours" });
      await harness.ql.insert(systemCtx, "task", { title: "some hours", hours: 3 });
      publish(flow({
        name: "by_hours",
        label: "By hours",
        start: { type: "autolaunched" },
        variables: [{ name: "hours", type: "number", input: true }, { name: "exact", type: "records", object: "task", output: true }, { name: "above", type: "records", object: "task", output: true }],
        elements: [
          { id: "exact_get", label: "Exact", type: "get_records", object: "task", filter: { field: "hours", operator: "=", value: "{!hours}" }, into: "exact" },
          { id: "above_get", label: "Above", type: "get_records", object: "task", filter: { field: "hours", operator: ">=", value: "{!hours}" }, into: "above" },
        ],
        edges: [{ source: "start", target: "exact_get" }, { source: "exact_get", target: "above_get" }],
      }));
      const titles = (value: unknown) => (value as { title: string }[]).map((record) => record.title);
      const empty = await run("by_hours", { hours: null });
      expect(empty.state.status).toBe("finished");
      expect([titles(empty.state.outputs!.exact), titles(empty.state.outputs!.above)]).toEqual([["no hours"], []]);
      const three = await run("by_hours", { hours: 3 });
      expect([titles(three.state.outputs!.exact), titles(three.state.outputs!.above)]).toEqual([["some hours"], ["some hours"]]);
    });

    it("updates and deletes every record a filter with merge fields selects", async () => {
      const apollo = await harness.ql.insert(systemCtx, "project", { name: "Apollo" });
      for (const [title, hours] of [["x1", 1], ["x2", 2], ["y1", 3]] as const) await harness.ql.insert(systemCtx, "task", { title, hours, project: apollo.id });
      publish(flow({
        name: "tidy",
        label: "Tidy",
        start: { type: "autolaunched" },
        variables: [{ name: "prefix", type: "text", input: true }, { name: "min_hours", type: "number", input: true }],
        elements: [
          { id: "close", label: "Close", type: "update_records", object: "task", filter: { field: "title", operator: "starts_with", value: "{!prefix}" }, values: [{ field: "done", value: "true" }] },
          { id: "drop", label: "Drop", type: "delete_records", object: "task", filter: { and: [{ field: "hours", operator: ">=", value: "{!min_hours}" }, { field: "title", operator: "=", value: "{!prefix}2" }] } },
        ],
        edges: [{ source: "start", target: "close" }, { source: "close", target: "drop" }],
      }));
      const { state, steps } = await run("tidy", { prefix: "x", min_hours: 2 });
      expect(state.status).toBe("finished");
      expect(steps.map((step) => step.outputs)).toEqual([{ count: 2 }, { count: 1 }]);
      const left = await harness.ql.find(systemCtx, { object: "task", orderBy: [{ field: "title", direction: "asc" }] });
      expect(left.records.map((record) => [record.title, record.done])).toEqual([["x1", true], ["y1", null]]);
    });
  });
}

