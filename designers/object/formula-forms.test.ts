import { describe, expect, it } from "vitest";
import { fieldSchema, objectSchema, type FieldDef, type ObjectDef } from "@/spec/object";
import {
  childObjectsOf, emptyFieldForm, fieldFormFrom, fieldInputFrom, summarizableFields, validateFieldForm, type FieldForm,
} from "./field-form";
import { describeRulePath, validateRuleForm } from "./rule-form";

const field = (input: Record<string, unknown>): FieldDef => fieldSchema.parse(input);
const form = (patch: Partial<FieldForm>): FieldForm => ({ ...emptyFieldForm("f9"), label: "X", name: "x", nameTouched: true, ...patch });

/** The result's accepted side; the test fails here when the form was refused. */
function accepted<R extends { ok: boolean }>(result: R): Extract<R, { ok: true }> {
  expect(result, "expected the form to be accepted").toMatchObject({ ok: true });
  return result as Extract<R, { ok: true }>;
}

/** The result's refusal; the test fails here when the form was accepted. */
function refused<R extends { ok: boolean }>(result: R): Extract<R, { ok: false }> {
  expect(result, "expected the form to be refused").toMatchObject({ ok: false });
  return result as Extract<R, { ok: false }>;
}

describe("formula field form", () => {
  it("builds a formula field; decimal places only for numeric results", () => {
    const result = validateFieldForm(form({ type: "formula", expression: "amount * probability / 100", returnType: "currency", scale: "" }), []);
    expect(result).toMatchObject({ ok: true, field: { type: "formula", expression: "amount * probability / 100", returnType: "currency", scale: 2, unique: false, required: false } });
    const text = fieldInputFrom(form({ type: "formula", expression: "'a'", returnType: "text", scale: "4" }));
    expect("scale" in text).toBe(false);
  });

  it("reports a missing formula on 'expression'", () => {
    const result = validateFieldForm(form({ type: "formula", expression: "  " }), []);
    expect(refused(result).errors.expression).toBeDefined();
  });

  it("round-trips formula and roll-up fields (keeping a roll-up's filter)", () => {
    const formula = field({ id: "a", name: "w", label: "W", type: "formula", expression: "1 + 1", returnType: "number", scale: 3 });
    const rollup = field({
      id: "b", name: "total", label: "Total", type: "rollup", childObject: "opportunity", childField: "account",
      function: "sum", field: "amount", filter: { stage: "won" },
    });
    for (const original of [formula, rollup]) {
      const result = validateFieldForm(fieldFormFrom(original), []);
      expect(result).toEqual({ ok: true, field: original });
    }
  });

  it("roll-up: count needs no field, sum does", () => {
    const base = { type: "rollup" as const, childObject: "opportunity", childField: "account" };
    expect(validateFieldForm(form({ ...base, rollupFunction: "count", rollupField: "amount" }), [])).toMatchObject({ ok: true, field: { function: "count" } });
    const count = validateFieldForm(form({ ...base, rollupFunction: "count", rollupField: "amount" }), []);
    expect("field" in accepted(count).field).toBe(false);
    const sum = validateFieldForm(form({ ...base, rollupFunction: "sum", rollupField: "" }), []);
    expect(refused(sum).errors.field).toBeDefined();
    const noChild = validateFieldForm(form({ type: "rollup", rollupFunction: "count" }), []);
    expect(Object.keys(refused(noChild).errors)).toEqual(expect.arrayContaining(["childObject", "childField"]));
  });

  it("keeps a stored field's default formula", () => {
    const date = field({ id: "d", name: "due", label: "Due", type: "date", defaultFormula: "ADDDAYS(TODAY(), 30)" });
    expect(validateFieldForm(fieldFormFrom(date), [])).toEqual({ ok: true, field: date });
  });
});

describe("roll-up choices", () => {
  const objects: ObjectDef[] = [
    objectSchema.parse({ name: "account", label: "Account", pluralLabel: "Accounts", fields: [{ id: "a1", name: "name", label: "Name", type: "text" }] }),
    objectSchema.parse({
      name: "opportunity", label: "Opportunity", pluralLabel: "Opportunities", fields: [
        { id: "o1", name: "account", label: "Account", type: "lookup", reference: "account" },
        { id: "o2", name: "amount", label: "Amount", type: "currency" },
        { id: "o3", name: "close_date", label: "Close date", type: "date" },
        { id: "o4", name: "notes", label: "Notes", type: "text" },
        { id: "o5", name: "weighted", label: "Weighted", type: "formula", expression: "amount / 2", returnType: "number" },
      ],
    }),
  ];

  it("offers objects with a relationship to the parent, and their relationship fields", () => {
    const children = childObjectsOf("account", [...objects, null]);
    expect(children.map((child) => child.name)).toEqual(["opportunity"]);
    expect(children[0].relationships.map((f) => f.name)).toEqual(["account"]);
    expect(childObjectsOf("opportunity", objects)).toEqual([]);
  });

  it("offers number fields for sum/avg, number or date fields for min/max, none for count", () => {
    const fields = objects[1].fields;
    expect(summarizableFields(fields, "sum").map((f) => f.name)).toEqual(["amount", "weighted"]);
    expect(summarizableFields(fields, "max").map((f) => f.name)).toEqual(["amount", "close_date", "weighted"]);
    expect(summarizableFields(fields, "count")).toEqual([]);
  });
});

describe("validation rule form", () => {
  const fields = [field({ id: "f1", name: "amount", label: "Amount", type: "currency" })];
  const valid = { name: "Amount positive", expression: "amount >= 0", message: "Amount cannot be negative", errorField: "amount", active: true };

  it("makes the name an API name and validates with the spec", () => {
    expect(validateRuleForm(valid, [], fields)).toEqual({
      ok: true, rule: { name: "amount_positive", expression: "amount >= 0", message: "Amount cannot be negative", errorField: "amount", active: true },
    });
    const top = validateRuleForm({ ...valid, errorField: "" }, [], fields);
    expect("errorField" in accepted(top).rule).toBe(false);
  });

  it("reports missing parts, duplicate names and unknown error fields", () => {
    const result = validateRuleForm({ name: "", expression: "", message: "", errorField: "gone", active: true }, [], fields);
    expect(Object.keys(refused(result).errors).sort()).toEqual(["errorField", "expression", "message", "name"]);
    const duplicate = validateRuleForm(valid, [{ ...valid, name: "amount_positive", errorField: undefined }], fields);
    expect(refused(duplicate).errors.name).toMatch(/amount_positive/);
  });

  it("names rule paths", () => {
    expect(describeRulePath(["expression"])).toBe("Condition");
    expect(describeRulePath([])).toBe("Rule");
  });
});
