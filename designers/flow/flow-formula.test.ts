import { describe, expect, it } from "vitest";
import { flowSchema } from "@/spec/flow";
import type { ObjectDef } from "@/spec/object";
import { flowFormulaContext, formulaProblem, templateProblem } from "./flow-formula";

const deal = {
  name: "deal", label: "Deal", pluralLabel: "Deals", nameField: "name", indexes: [],
  fields: [
    { id: "f1", name: "name", label: "Name", type: "text", required: true, unique: false },
    { id: "f2", name: "amount", label: "Amount", type: "currency", required: false, unique: false },
  ],
} as unknown as ObjectDef;

const flow = flowSchema.parse({
  name: "f", label: "F", start: { type: "record", object: "deal", when: "after_save", on: "update" },
  variables: [{ name: "total", type: "number" }],
});
const context = flowFormulaContext(flow, (name) => (name === "deal" ? deal : undefined));

describe("formulaProblem (what the inspector shows as the admin types)", () => {
  it("accepts formulas over the variables and the triggering record", () => {
    expect(formulaProblem("total + record.amount", context, "number")).toBeNull();
    expect(formulaProblem('"Deal " & record.name', context, "text")).toBeNull();
    expect(formulaProblem("ISCHANGED(record.amount)", context, "boolean")).toBeNull();
    expect(formulaProblem("   ", context, "number")).toBeNull();
  });

  it("names unknown fields, syntax errors and a result of the wrong type", () => {
    expect(formulaProblem("record.amout", context)).toContain("amout");
    expect(formulaProblem("total +", context)).toMatch(/at /);
    expect(formulaProblem("record.name", context, "number")).toBe("The expression is text, it must be number");
  });

  it("is the publish check's verdict: ISCHANGED outside a record-triggered flow is refused", () => {
    const autolaunched = flowFormulaContext(flowSchema.parse({ name: "g", label: "G", start: { type: "autolaunched" } }), () => undefined);
    expect(formulaProblem("ISNEW()", autolaunched)).toContain("record-triggered");
  });
});

describe("templateProblem", () => {
  it("checks each merge field and an unclosed one", () => {
    expect(templateProblem("Deal {!record.name} is {!total}", context)).toBeNull();
    expect(templateProblem("Deal {!record.nme}", context)).toContain("{!record.nme}");
    expect(templateProblem("Deal {!record.name", context)).toContain("no closing");
  });
});
