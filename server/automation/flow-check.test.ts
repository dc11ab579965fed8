import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flowSchema, type FlowDef, type FlowInput } from "@/spec/flow";
import { objectSchema, type ObjectDef } from "@/spec/object";
import { flowMetadataIssues } from "./flow-check";

const objects = new Map<string, ObjectDef>(
  [
    {
      name: "opportunity", label: "Opportunity", pluralLabel: "Opportunities",
      fields: [
        { id: "o1", name: "name", label: "Name", type: "text", required: true },
        { id: "o2", name: "amount", label: "Amount", type: "currency" },
        { id: "o3", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }] },
        { id: "o4", name: "close", label: "Close", type: "date" },
        { id: "o5", name: "code", label: "Code", type: "autonumber", format: "OP-{000}" },
        { id: "o6", name: "net", label: "Net", type: "formula", returnType: "number", expression: "amount * 0.9" },
      ],
    },
    { name: "task", label: "Task", pluralLabel: "Tasks", fields: [{ id: "t1", name: "subject", label: "Subject", type: "text", required: true }, { id: "t2", name: "opportunity", label: "Opportunity", type: "lookup", reference: "opportunity" }] },
  ].map((input) => [input.name, objectSchema.parse(input)]),
);
const lookup = (name: string) => objects.get(name);

function flow(input: Partial<FlowInput>): FlowDef {
  return flowSchema.parse({ name: "f", label: "F", start: { type: "autolaunched" }, ...input });
}
function issues(def: FlowDef, flows: Record<string, FlowDef> = {}) {
  return Object.fromEntries(flowMetadataIssues(def, lookup, (name) => flows[name]).map((issue) => [issue.path.join("."), issue.message]));
}

describe("flow publish checks", () => {
  it("names an unknown variable as a variable, and an unknown field of a record variable on its object", () => {
    const names = flow({
      variables: [{ name: "deal", type: "record", object: "opportunity" }, { name: "n", type: "number" }],
      elements: [
        { id: "a", label: "A", type: "assignment", assignments: [{ target: "n", value: "nope + 1" }, { target: "n", value: "nope.deeper" }, { target: "n", value: "deal.nothing" }] },
      ],
      edges: [{ source: "start", target: "a" }],
    });
    expect(Object.values(issues(names)).join("\n")).toBe([
      "Element 'a' (A): value for 'n': Unknown variable 'nope' (at line 1, column 1)",
      "Element 'a' (A): value for 'n': Unknown variable 'nope' (at line 1, column 1)",
      "Element 'a' (A): value for 'n': Unknown field 'nothing' on object 'opportunity' (in 'deal.nothing') (at line 1, column 1)",
    ].join("\n"));
  });

  it("checks screens: only in screen flows, fields that name a variable or a record field, no waits", () => {
    const screens = flow({
      start: { type: "screen", object: "opportunity" },
      variables: [{ name: "note", type: "text" }, { name: "tasks", type: "records", object: "task" }, { name: "task", type: "record", object: "task" }, { name: "n", type: "number" }],
      elements: [
        {
          id: "ask", label: "Ask", type: "screen", text: "About {!record.name} {!nope}",
          fields: [
            { target: "note", required: true }, { target: "record.stage" }, { target: "task" }, { target: "task.opportunity" },
            { target: "tasks" }, { target: "n.x" }, { target: "record.code" }, { target: "record.nothing" }, { target: "missing" }, { target: "note" },
          ],
        },
        { id: "hold", label: "Hold", type: "wait", amount: "1" },
      ],
      edges: [{ source: "start", target: "ask" }, { source: "ask", target: "hold" }],
    });
    expect(issues(screens)).toEqual({
      "elements.0.text": "Element 'ask' (Ask): merge field {!nope}: Unknown variable 'nope' (at line 1, column 1)",
      "elements.0.fields.4.target": "Element 'ask' (Ask): field 'tasks': 'tasks' is a list of records: a screen field takes one value (a record variable lets the user pick one)",
      "elements.0.fields.5.target": "Element 'ask' (Ask): field 'n.x': 'n' is a number variable; only a record variable has fields",
      "elements.0.fields.6.target": "Element 'ask' (Ask): field 'record.code': 'record.code' is filled in automatically (autonumber) and cannot be entered",
      "elements.0.fields.7.target": "Element 'ask' (Ask): field 'record.nothing': 'opportunity' has no field 'nothing'",
      "elements.0.fields.8.target": "Element 'ask' (Ask): field 'missing': there is no variable 'missing'",
      "elements.0.fields.9.target": "Element 'ask' (Ask): 'note' is on the screen twice",
      "elements.1.type": "Element 'hold' (Hold): a screen flow runs while its user waits; wait in an autolaunched or record-triggered flow",
    });
    const autolaunched = flow({ elements: [{ id: "ask", label: "Ask", type: "screen", fields: [] }], edges: [{ source: "start", target: "ask" }] });
    expect(issues(autolaunched)).toEqual({ "elements.0.type": "Element 'ask' (Ask): screens are shown to a user, so only screen flows have them (set the start to \"Screen\")" });
    const caller = flow({ name: "caller", elements: [{ id: "call", label: "Call", type: "subflow", flow: "f" }], edges: [{ source: "start", target: "call" }] });
    expect(issues(caller, { f: screens })).toEqual({ "elements.0.flow": "Element 'call' (Call): flow 'f' is a screen flow (an end user runs it); only autolaunched flows can be called" });
    expect(issues(flow({ start: { type: "screen", object: "gone" } }))).toEqual({ "start.object": "Start: object 'gone' is not published" });
  });

  it("accepts a well-formed record-triggered flow with ISNEW/ISCHANGED/PRIORVALUE and merge fields", () => {
    const def = flow({
      start: { type: "record", object: "opportunity", when: "after_save", on: "create_or_update", condition: "ISNEW() OR (ISCHANGED(record.stage) AND PRIORVALUE(record.stage) = 'open')" },
      variables: [{ name: "found", type: "records", object: "task" }],
      elements: [
        { id: "get", label: "Get", type: "get_records", object: "task", filter: { field: "opportunity", operator: "=", value: "{!record}" }, into: "found" },
        { id: "make", label: "Make", type: "create_record", object: "task", values: [{ field: "subject", value: "'Call about ' & record.name" }, { field: "opportunity", value: "record.id" }] },
        { id: "stop", label: "Stop", type: "custom_error", message: "Could not: {!fault_message}" },
      ],
      edges: [{ source: "start", target: "get" }, { source: "get", target: "make" }, { source: "make", handle: "fault", target: "stop" }],
    });
    expect(issues(def)).toEqual({});
  });

  it("names the element and property of every problem", () => {
    const def = flow({
      variables: [{ name: "total", type: "number" }, { name: "opp", type: "record", object: "opportunity" }, { name: "tasks", type: "records", object: "task" }],
      elements: [
        { id: "set", label: "Set", type: "assignment", assignments: [{ target: "total", value: "'text'" }, { target: "opp.code", value: "'x'" }, { target: "opp.net", value: "1" }, { target: "tasks", operator: "add_record", value: "opp" }, { target: "total", operator: "subtract", value: "TODAY()" }] },
        { id: "pick", label: "Pick", type: "decision", outcomes: [{ id: "big", label: "Big", condition: "opp.amount" }, { id: "default", label: "Dup", condition: "true" }] },
        { id: "loop", label: "Loop", type: "loop", collection: "opp", item: "tasks" },
        { id: "make", label: "Make", type: "create_record", object: "task", values: [{ field: "opportunity", value: "opp" }, { field: "subjekt", value: "'x'" }] },
        { id: "call", label: "Call", type: "subflow", flow: "missing" },
        { id: "upd", label: "Upd", type: "update_records", record: "opp", object: "task", values: [] },
        { id: "bad_merge", label: "Merge", type: "custom_error", message: "Oops {!total" },
      ],
      edges: [
        { source: "start", target: "set" }, { source: "set", target: "pick" }, { source: "pick", handle: "big", target: "loop" },
        { source: "pick", handle: "nope", target: "make" }, { source: "loop", handle: "done", target: "make" }, { source: "make", target: "call" },
        { source: "call", target: "upd" }, { source: "upd", target: "bad_merge" }, { source: "bad_merge", target: "set" }, { source: "set", target: "loop" },
      ],
    });
    const found = issues(def);
    expect(found["elements.0.assignments.0.value"]).toMatch(/^Element 'set' \(Set\): value for 'total': the expression is text, it must be number/);
    expect(found["elements.0.assignments.1.target"]).toMatch(/'opp.code' is a autonumber field and cannot be set/);
    expect(found["elements.0.assignments.2.target"]).toMatch(/'opp.net' is a formula field and cannot be set/);
    expect(found["elements.0.assignments.3.value"]).toMatch(/'opp' is a opportunity record; 'tasks' holds task records/);
    expect(found["elements.0.assignments.4.value"]).toMatch(/expression is date, it must be number/);
    expect(found["elements.1.outcomes.0.condition"]).toMatch(/outcome 'Big': the expression is number, it must be boolean/);
    expect(found["elements.1.outcomes.1.id"]).toMatch(/outcome id 'default' is already used/);
    expect(found["elements.2.collection"]).toMatch(/'opp' is a record variable; it must be records/);
    expect(found["elements.2.item"]).toMatch(/'tasks' is a records variable; it must be record/);
    expect(found["elements.2"]).toMatch(/connect its 'each' path/);
    expect(found["elements.3.values.1.field"]).toMatch(/'task' has no field 'subjekt'/);
    expect(found["elements.3.values"]).toMatch(/'subject' is required on task and is not set/);
    expect(found["elements.4.flow"]).toMatch(/flow 'missing' is not published/);
    expect(found["elements.5.object"]).toMatch(/name a record variable or an object with a filter, not both/);
    expect(found["elements.5.values"]).toMatch(/set at least one field/);
    expect(found["elements.6.message"]).toMatch(/'\{!' has no closing '\}' \(at character 6\)/);
    expect(found["edges.3.handle"]).toMatch(/Element 'pick' \(Pick\) has no 'nope' path \(it has big, default\)/);
    expect(found["edges.8.handle"]).toMatch(/Element 'bad_merge' \(Merge\) has no 'next' path \(it ends the flow\)/);
    expect(found["edges.9.handle"]).toMatch(/its 'next' path already leads somewhere/);
  });

  it("refuses elements a before-save flow may not have, and record functions outside record flows", () => {
    const before = flow({
      start: { type: "record", object: "opportunity", when: "before_save", on: "delete" },
      elements: [{ id: "make", label: "Make", type: "create_record", object: "task", values: [{ field: "subject", value: "'x'" }] }],
      edges: [{ source: "start", target: "make" }],
    });
    expect(issues(before)).toMatchObject({
      "start.on": expect.stringMatching(/use an after-save flow for deletions/),
      "elements.0.type": expect.stringMatching(/a before-save flow changes only the record being saved/),
    });
    const auto = flow({
      variables: [{ name: "x", type: "boolean" }],
      elements: [{ id: "set", label: "Set", type: "assignment", assignments: [{ target: "x", value: "ISCHANGED(record.stage)" }] }],
      edges: [{ source: "start", target: "set" }],
    });
    expect(issues(auto)["elements.0.assignments.0.value"]).toMatch(/ISCHANGED\(\) can only be used in a record-triggered flow/);
  });

  it("checks a subflow's inputs and outputs against the called flow", () => {
    const callee = flow({
      name: "callee",
      variables: [{ name: "amount", type: "number", input: true }, { name: "label", type: "text", output: true }, { name: "secret", type: "text" }],
    });
    const caller = flow({
      name: "caller",
      variables: [{ name: "out", type: "number" }],
      elements: [{ id: "call", label: "Call", type: "subflow", flow: "callee", inputs: [{ name: "amount", value: "'ten'" }, { name: "secret", value: "'x'" }], outputs: [{ name: "label", into: "out" }] }],
      edges: [{ source: "start", target: "call" }],
    });
    expect(issues(caller, { callee })).toEqual({
      "elements.0.inputs.0.value": expect.stringMatching(/input 'amount': the expression is text, it must be number/),
      "elements.0.inputs.1.name": expect.stringMatching(/'callee' has no input variable 'secret'/),
      "elements.0.outputs.0.into": expect.stringMatching(/'out' is a number variable; it must be text/),
    });
  });

  it("never throws on arbitrary graphs and formulas, and every issue's path exists in the flow", () => {
    const id = fc.constantFrom("a", "b", "c", "start", "zz");
    const formula = fc.oneof(fc.constantFrom("1", "x + 1", "x &", "record.name", "ISCHANGED(x)", "PRIORVALUE(1)", "NOW() > TODAY()", "((("), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(
        fc.array(fc.record({ source: id, target: id, handle: fc.constantFrom("next", "fault", "each", "done", "default", "yes") }), { maxLength: 8 }),
        fc.array(formula, { minLength: 3, maxLength: 3 }),
        (edges, [f1, f2, f3]) => {
          const parsed = flowSchema.safeParse({
            name: "f", label: "F", start: { type: "autolaunched" },
            variables: [{ name: "x", type: "number" }, { name: "items", type: "records", object: "task" }, { name: "item", type: "record", object: "task" }],
            elements: [
              { id: "a", label: "A", type: "assignment", assignments: [{ target: "x", value: f1 }] },
              { id: "b", label: "B", type: "decision", outcomes: [{ id: "yes", label: "Yes", condition: f2 }] },
              { id: "c", label: "C", type: "custom_error", message: `{!${f3}}` },
            ],
            edges,
          });
          if (!parsed.success) return;
          for (const issue of flowMetadataIssues(parsed.data, lookup, () => undefined)) {
            let at: unknown = parsed.data;
            for (const part of issue.path) at = (at as Record<string, unknown>)[part];
            expect(at, issue.path.join(".")).toBeDefined();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
