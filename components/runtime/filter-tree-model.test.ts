import { describe, expect, it } from "vitest";
import { objectSchema, type FieldDef } from "@/spec/object";
import { filterSchema, type Filter } from "@/spec/query";
import { allOperatorsFor } from "./filter-operators";
import {
  appendChild, conditionComplete, conditionPaths, emptyGroup, issuesByCondition, filterToModel, incompleteConditions, modelToFilter, newCondition,
  parseRelativeDays, relativeDateLabel, removeNode, updateNode, valueForOperator, type ConditionNode,
} from "./filter-tree-model";

const opportunity = objectSchema.parse({
  name: "opportunity", label: "Opportunity", pluralLabel: "Opportunities", nameField: "name",
  fields: [
    { id: "f1", name: "name", label: "Name", type: "text" },
    { id: "f2", name: "stage", label: "Stage", type: "select", options: [{ value: "proposal", label: "Proposal" }, { value: "negotiation", label: "Negotiation" }] },
    { id: "f3", name: "amount", label: "Amount", type: "currency" },
    { id: "f4", name: "close_date", label: "Close date", type: "date" },
    { id: "f5", name: "account", label: "Account", type: "lookup", reference: "account" },
    { id: "f6", name: "won", label: "Won", type: "boolean" },
    { id: "f7", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }] },
    { id: "f8", name: "score", label: "Score", type: "formula", expression: "amount * 2", returnType: "currency" },
  ],
});
const field = (name: string) => opportunity.fields.find((candidate) => candidate.name === name) as FieldDef;

const ROUND_TRIPS: [string, Filter][] = [
  ["one condition", { field: "amount", operator: ">", value: 10000 }],
  ["an or of a comparison and a list", { or: [{ field: "amount", operator: ">", value: 10000 }, { field: "stage", operator: "in", value: ["proposal", "negotiation"] }] }],
  ["nested groups", { and: [{ field: "name", operator: "contains", value: "Acme" }, { or: [{ field: "close_date", operator: "=", value: "THIS_QUARTER" }, { field: "close_date", operator: "between", value: ["LAST_N_DAYS:30", "TODAY"] }] }] }],
  ["a negated group", { not: { or: [{ field: "stage", operator: "=", value: "proposal" }, { field: "account", operator: "is_null" }] } }],
  ["a negated condition in a group", { and: [{ not: { field: "won", operator: "=", value: true } }, { field: "account", operator: "not_in", value: ["id1", "id2"] }] }],
  ["a negated condition alone", { not: { field: "amount", operator: "between", value: [1, 5] } }],
  ["a double negation", { not: { not: { field: "amount", operator: "is_not_null" } } }],
];

describe("filter <-> editor model", () => {
  it.each(ROUND_TRIPS)("round-trips %s exactly", (_, filter) => {
    const model = filterToModel(filter);
    const back = modelToFilter(model);
    expect(back).toStrictEqual(filter);
    expect(filterSchema.safeParse(back).success).toBe(true);
  });

  it("models no filter as an empty and-group, and an empty tree as no filter", () => {
    const model = filterToModel(undefined);
    expect(model).toMatchObject({ kind: "group", combinator: "and", negated: false, children: [] });
    expect(modelToFilter(model)).toBeUndefined();
  });

  it("leaves incomplete conditions and empty groups out of the filter", () => {
    let root = emptyGroup("or");
    const amount = { ...newCondition(field("amount")), operator: ">" as const, value: 10000 };
    const blank = newCondition(field("stage"));
    const inner = emptyGroup("and");
    root = appendChild(root, root.id, amount);
    root = appendChild(root, root.id, { ...blank, operator: "in", value: [] });
    root = appendChild(root, root.id, inner);
    expect(modelToFilter(root)).toStrictEqual({ field: "amount", operator: ">", value: 10000 });
    expect(incompleteConditions(root).map((node) => node.id)).toEqual([blank.id]);
    root = updateNode(root, blank.id, (node) => ({ ...(node as ConditionNode), value: ["proposal"] }));
    expect(modelToFilter(root)).toStrictEqual({ or: [{ field: "amount", operator: ">", value: 10000 }, { field: "stage", operator: "in", value: ["proposal"] }] });
    root = removeNode(root, amount.id);
    expect(modelToFilter(root)).toStrictEqual({ field: "stage", operator: "in", value: ["proposal"] });
  });

  it("keeps unchanged subtrees by reference when editing", () => {
    const model = filterToModel(ROUND_TRIPS[2]![1]);
    const [first, second] = model.children;
    const edited = updateNode(model, first!.id, (node) => ({ ...(node as ConditionNode), value: "Globex" }));
    expect(edited.children[1]).toBe(second);
    expect(modelToFilter(edited)).toMatchObject({ and: [{ field: "name", operator: "contains", value: "Globex" }, {}] });
  });

  it("finds the condition an issue path names", () => {
    const model = filterToModel({ and: [{ field: "name", operator: "contains", value: "A" }, { or: [{ field: "stage", operator: "=", value: "proposal" }, { not: { field: "amount", operator: "between", value: [1, 5] } }] }] });
    const [name, inner] = model.children;
    const [stage, amount] = (inner as typeof model).children;
    expect(Object.fromEntries(conditionPaths(model))).toEqual({ "and.0": name!.id, "and.1.or.0": stage!.id, "and.1.or.1.not": amount!.id });
    const { byNode, general } = issuesByCondition(model, {
      "and.1.or.1.not.value": "'between' needs exactly two values [from, to]",
      "and.0.operator": "nope",
      "": "is too deep",
    });
    expect(byNode).toEqual({ [amount!.id]: ["value: 'between' needs exactly two values [from, to]"], [name!.id]: ["operator: nope"] });
    expect(general).toEqual(["is too deep"]);
    // A lone condition sits at the root.
    const single = filterToModel({ field: "amount", operator: ">", value: 1 });
    expect(Object.fromEntries(conditionPaths(single))).toEqual({ "": single.children[0]!.id });
  });

  it("judges completeness per operator", () => {
    const base = newCondition(field("amount"));
    expect(conditionComplete({ ...base, operator: "=", value: 0 })).toBe(true);
    expect(conditionComplete({ ...base, operator: "=", value: "" })).toBe(false);
    expect(conditionComplete({ ...base, operator: "between", value: [1, null] })).toBe(false);
    expect(conditionComplete({ ...base, operator: "is_null", value: undefined })).toBe(true);
    expect(conditionComplete({ ...base, field: "", operator: "is_null" })).toBe(false);
    expect(conditionComplete({ ...newCondition(field("won")), value: false })).toBe(true);
  });

  it("adapts the value when the operator changes", () => {
    const amount = field("amount");
    expect(valueForOperator(amount, "in", 5)).toEqual([5]);
    expect(valueForOperator(amount, "between", 5)).toEqual([5, null]);
    expect(valueForOperator(amount, "=", [5, 9])).toBe(5);
    expect(valueForOperator(amount, "is_null", 5)).toBeUndefined();
    expect(valueForOperator(field("close_date"), "in", "THIS_WEEK")).toEqual([]);
    expect(valueForOperator(field("won"), "=", undefined)).toBe(true);
  });

  it("offers the operators that fit each field type", () => {
    expect(allOperatorsFor(field("amount"))).toEqual(expect.arrayContaining(["between", "in", "not_in", "is_null"]));
    expect(allOperatorsFor(field("stage"))).not.toContain("contains");
    expect(allOperatorsFor(field("close_date"))).toContain("between");
    expect(allOperatorsFor(field("tags"))).toEqual(["contains", "in", "is_null", "is_not_null"]);
    expect(allOperatorsFor(field("won"))).toEqual(["=", "!=", "is_null", "is_not_null"]);
    expect(allOperatorsFor(field("score"))).toContain(">");
    expect(newCondition(field("name"))).toMatchObject({ field: "name", operator: "contains", negated: false });
  });

  it("reads relative dates", () => {
    expect(relativeDateLabel("THIS_QUARTER")).toBe("This quarter");
    expect(relativeDateLabel("LAST_N_DAYS:7")).toBe("Last 7 days");
    expect(relativeDateLabel("NEXT_N_DAYS:1")).toBe("Next 1 day");
    expect(parseRelativeDays("NEXT_N_DAYS:14")).toEqual({ direction: "NEXT", days: 14 });
    expect(parseRelativeDays("TODAY")).toBeNull();
  });
});
