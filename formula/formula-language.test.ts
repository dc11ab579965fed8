import { describe, expect, it } from "vitest";
import { defineObject } from "@/server/objectql/test-support/fixtures";
import { FormulaError } from "./errors";
import { parseFormula } from "./parser";
import { previewFormula } from "./preview";
import { roundHalfAwayFromZero, numberToText, makeDate } from "./semantics";

const contact = defineObject({
  name: "contact",
  label: "Contact",
  pluralLabel: "Contacts",
  fields: [
    { id: "c1", name: "first", label: "First", type: "text" },
    { id: "c2", name: "score", label: "Score", type: "number" },
    { id: "c3", name: "company", label: "Company", type: "lookup", reference: "company" },
    { id: "c4", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }] },
  ],
});
const company = defineObject({ name: "company", label: "Company", pluralLabel: "Companies", fields: [{ id: "k1", name: "title", label: "Title", type: "text" }] });
const objects = (name: string) => ({ contact, company })[name as "contact" | "company"];

function syntaxError(source: string): string {
  try {
    parseFormula(source);
  } catch (error) {
    if (error instanceof FormulaError) return error.message;
    throw error;
  }
  throw new Error("expected a syntax error");
}

describe("formula parser", () => {
  it("respects precedence and associativity", () => {
    const tree = parseFormula("1 + 2 * 3 - 4");
    expect(tree).toMatchObject({ kind: "binary", op: "-", left: { op: "+", right: { op: "*" } } });
    expect(parseFormula("NOT a = b AND c OR d")).toMatchObject({ op: "OR", left: { op: "AND", left: { kind: "unary", op: "NOT", operand: { op: "=" } } } });
    expect(parseFormula("'a' & 1 + 2")).toMatchObject({ op: "&", right: { op: "+" } });
    expect(parseFormula("a.b.c")).toMatchObject({ kind: "ref", path: ["a", "b", "c"] });
    expect(parseFormula("if(true, 'it''s', \"x\")")).toMatchObject({ kind: "call", name: "IF", args: [{ value: true }, { value: "it's" }, { value: "x" }] });
  });

  it("reports syntax errors with line and column", () => {
    expect(syntaxError("1 +")).toMatch(/Expected a value, field or function but found end of formula \(at line 1, column 4\)/);
    expect(syntaxError("a\n  # b")).toMatch(/Unexpected character '#' \(at line 2, column 3\)/);
    expect(syntaxError("'open")).toMatch(/Text is not closed/);
    expect(syntaxError("a b")).toMatch(/Unexpected 'b' after the end of the expression \(at line 1, column 3\)/);
    expect(syntaxError("a.")).toMatch(/Expected a field name after '.'/);
    expect(syntaxError("(".repeat(100) + "1" + ")".repeat(100))).toMatch(/nested too deeply/);
  });
});

describe("formula preview (type checker + evaluator)", () => {
  it("evaluates on a sample record, following lookups into nested objects", () => {
    expect(previewFormula("UPPER(first) & ' at ' & company.title", contact, objects, { first: "ada", company: { title: "Acme" } }))
      .toEqual({ ok: true, value: "ADA at Acme", type: "text" });
    expect(previewFormula("score / 0", contact, objects, { score: 3 })).toEqual({ ok: true, value: null, type: "number" });
  });

  it("reports type errors with their position", () => {
    expect(previewFormula("score + first", contact, objects, {})).toMatchObject({ ok: false, message: "Operator '+' needs numbers, got number and text (at line 1, column 7)" });
    expect(previewFormula("first.title", contact, objects, {})).toMatchObject({ ok: false, message: expect.stringMatching(/'first' is a text field, not a lookup/) });
    expect(previewFormula("tags", contact, objects, {})).toMatchObject({ ok: false, message: expect.stringMatching(/cannot be used in formulas/) });
    expect(previewFormula("NOPE(1)", contact, objects, {})).toMatchObject({ ok: false, message: expect.stringMatching(/Unknown function NOPE\(\)/) });
    expect(previewFormula("IF(score, 1, 2)", contact, objects, {})).toMatchObject({ ok: false, message: expect.stringMatching(/Argument 1 of IF\(\) must be boolean, got number/) });
    expect(previewFormula("IF(score > 1, 1, 'x')", contact, objects, {})).toMatchObject({ ok: false, message: expect.stringMatching(/Argument 3 of IF\(\) is text but the other results are number/) });
    expect(previewFormula("ROUND(score, score)", contact, objects, {})).toMatchObject({ ok: false, column: 14 });
    expect(previewFormula("TRUE < FALSE", contact, objects, {})).toMatchObject({ ok: false });
  });
});

describe("formula value semantics", () => {
  it("rounds half away from zero on the decimal value", () => {
    expect(roundHalfAwayFromZero(1.005, 2)).toBe(1.01);
    expect(roundHalfAwayFromZero(-2.5, 0)).toBe(-3);
    expect(roundHalfAwayFromZero(2.675, 2)).toBe(2.68);
    expect(roundHalfAwayFromZero(-0.4, 0)).toBe(0);
  });
  it("writes numbers without exponent, at most 15 significant digits", () => {
    expect(numberToText(0.1 + 0.2)).toBe("0.3");
    expect(numberToText(1e-7)).toBe("0.0000001");
    expect(numberToText(-1.5e21)).toBe("-1500000000000000000000");
    expect(numberToText(42)).toBe("42");
  });
  it("DATE() refuses dates that do not exist", () => {
    expect(makeDate(2024, 2, 29)).toBe("2024-02-29");
    expect(makeDate(2023, 2, 29)).toBeNull();
    expect(makeDate(0, 1, 1)).toBeNull();
  });
});
