import { describe, expect, it } from "vitest";
import { flowMetadataIssues } from "@/server/automation/flow-check";
import { flowSchema } from "@/spec/flow";
import { objectSchema } from "@/spec/object";
import { firstProblemText, placeFlowIssues, placedWhere, problemCount } from "./flow-issues";

/**
 * What the studio says about a published flow that today's metadata broke: the problems come
 * from the real publish check (as the server's flows.problems gives them), placed on the
 * published version's elements by label.
 */
const gadget = (fields: string[]) => objectSchema.parse({
  name: "gadget", label: "Gadget", pluralLabel: "Gadgets",
  fields: fields.map((name, index) => ({ id: `g${index}`, name, label: name, type: "text" })),
});
const stamp = flowSchema.parse({
  name: "stamp", label: "Stamp", start: { type: "record", object: "gadget", when: "after_save", on: "create" },
  variables: [{ name: "note", type: "text" }],
  elements: [
    { id: "set_note", label: "Set the note", type: "assignment", assignments: [{ target: "note", value: "'x'" }] },
    { id: "stamp_it", label: "Stamp it", type: "update_records", record: "record", values: [{ field: "stamp", value: "note" }, { field: "colour", value: "note" }] },
  ],
  edges: [{ source: "start", target: "set_note" }, { source: "set_note", target: "stamp_it" }],
});

describe("published flow problems as the studio shows them", () => {
  it("names the element and the field a removed field broke, by the published version's labels", () => {
    expect(flowMetadataIssues(stamp, () => gadget(["title", "stamp", "colour"]), () => undefined)).toEqual([]);
    const issues = flowMetadataIssues(stamp, () => gadget(["title"]), () => undefined);
    expect(issues).toHaveLength(2);
    const placed = placeFlowIssues(stamp, issues);
    expect(placed.map((issue) => [issue.node, placedWhere(stamp, issue)])).toEqual([["stamp_it", "Stamp it"], ["stamp_it", "Stamp it"]]);
    // The message names the element already: the list's tooltip is the message alone.
    expect(firstProblemText(stamp, issues)).toBe(issues[0]!.message);
    expect(firstProblemText(stamp, issues)).toMatch(/Stamp it.*'gadget' has no field 'stamp'/);
    expect(problemCount(issues.length)).toBe("2 problems");
  });

  it("says where a problem off the elements is: the start, the variables, the flow", () => {
    const removedObject = flowMetadataIssues(stamp, () => undefined, () => undefined);
    expect(removedObject.length).toBeGreaterThan(0);
    expect(placedWhere(stamp, placeFlowIssues(stamp, removedObject)[0]!)).toBe("Start");
    expect(firstProblemText(stamp, removedObject)).toMatch(/^Start: /);
    expect(placedWhere(stamp, { node: "variables", property: "0.type", message: "m" })).toBe("Variables");
    expect(placedWhere(stamp, { node: null, property: "label", message: "m" })).toBe("Flow");
    expect(firstProblemText(null, [{ path: ["label"], message: "Bad label" }])).toBe("Bad label");
    expect(firstProblemText(stamp, [])).toBe("");
    expect(problemCount(1)).toBe("1 problem");
  });
});
