import { describe, expect, it } from "vitest";
import { compileCondition } from "@/formula/form-rules";
import { formSchema } from "@/spec/form";
import { objectSchema } from "@/spec/object";
import { conditionExpression, parseCondition, rowProblem, type ConditionModel } from "./condition-model";
import { issuesOf, placeIssues } from "./form-issues";

const opportunity = objectSchema.parse({
  name: "opportunity", label: "Opportunity", pluralLabel: "Opportunities",
  fields: [
    { id: "f1", name: "name", label: "Name", type: "text" },
    { id: "f2", name: "stage", label: "Stage", type: "select", options: [{ value: "closed_won", label: "Won" }, { value: "closed_lost", label: "Lost" }] },
    { id: "f3", name: "amount", label: "Amount", type: "currency" },
    { id: "f4", name: "close_date", label: "Close date", type: "date" },
    { id: "f5", name: "hot", label: "Hot", type: "boolean" },
  ],
});

describe("condition builder model", () => {
  it("writes expressions that compile, and reads them back", () => {
    const cases: [ConditionModel, string][] = [
      [{ join: "AND", rows: [{ field: "stage", operator: "=", value: "closed_lost" }] }, 'stage = "closed_lost"'],
      [{ join: "AND", rows: [{ field: "amount", operator: ">", value: "1000" }, { field: "stage", operator: "!=", value: "closed_won" }] }, 'amount > 1000 AND stage != "closed_won"'],
      [{ join: "OR", rows: [{ field: "name", operator: "is_blank", value: "" }, { field: "close_date", operator: ">=", value: "2026-01-31" }] }, "ISBLANK(name) OR close_date >= DATE(2026, 1, 31)"],
      [{ join: "AND", rows: [{ field: "name", operator: "contains", value: 'say "hi"' }, { field: "hot", operator: "=", value: "true" }, { field: "stage", operator: "is_not_blank", value: "" }] }, 'CONTAINS(name, "say \\"hi\\"") AND hot = TRUE AND NOT(ISBLANK(stage))'],
    ];
    for (const [model, expression] of cases) {
      expect(conditionExpression(model, opportunity)).toBe(expression);
      expect(compileCondition(expression, opportunity)).toMatchObject({ ok: true });
      expect(parseCondition(expression)).toEqual(model);
    }
  });

  it("leaves other shapes to the code editor", () => {
    expect(parseCondition('amount > 1 AND (stage = "a" OR hot)')).toBeNull();
    expect(parseCondition("LEN(name) > 3")).toBeNull();
    expect(parseCondition("amount >")).toBeNull();
    expect(parseCondition("  ")).toEqual({ join: "AND", rows: [] });
  });

  it("says what a row is missing", () => {
    expect(rowProblem({ field: "", operator: "=", value: "" }, opportunity)).toBe("Choose a field");
    expect(rowProblem({ field: "amount", operator: ">", value: "lots" }, opportunity)).toBe("Enter a number");
    expect(rowProblem({ field: "close_date", operator: "=", value: "31/01/2026" }, opportunity)).toContain("YYYY-MM-DD");
    expect(rowProblem({ field: "amount", operator: "is_blank", value: "" }, opportunity)).toBeNull();
  });
});

describe("placeIssues", () => {
  it("puts issues on the elements their paths name", () => {
    const form = formSchema.parse({
      name: "f", label: "F", object: "opportunity",
      tabs: [{ id: "t1", label: "Main", sections: [{ id: "s1", type: "fields", items: [{ id: "i1", type: "field", field: "name" }] }] }],
    });
    const placed = placeIssues(form, [
      { path: ["tabs", 0, "sections", 0, "items", 0, "visibleWhen"], message: "bad" },
      { path: ["tabs", 0, "sections", 0, "columns"], message: "cols" },
      { path: ["recordType", "value"], message: "rt" },
      { path: ["tabs", 0, "label"], message: "tab" },
    ]);
    expect(placed.map((issue) => [issue.elementId, issue.property])).toEqual([["i1", "visibleWhen"], ["s1", "columns"], [null, "recordType.value"], ["t1", "label"]]);
    expect(issuesOf(placed, null, "recordType")).toHaveLength(1);
  });
});
