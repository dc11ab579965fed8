import { describe, expect, it } from "vitest";
import { objectSchema } from "@/spec";
import { cellEditorKind, fromEditorValue, sameCellValue, toEditorValue } from "./grid-cell-value";

const object = objectSchema.parse({
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "f1", name: "name", label: "Name", type: "text", required: true, maxLength: 5 },
    { id: "f2", name: "amount", label: "Amount", type: "currency", min: 0 },
    { id: "f3", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }] },
    { id: "f4", name: "account", label: "Account", type: "lookup", reference: "account" },
    { id: "f5", name: "closes", label: "Closes", type: "date" },
    { id: "f6", name: "total", label: "Total", type: "formula", expression: "amount * 2", returnType: "number" },
    { id: "f7", name: "won", label: "Won", type: "boolean" },
  ],
});
const field = (name: string) => object.fields.find((candidate) => candidate.name === name)!;

describe("inline cell values", () => {
  it("gives each field type its editor and none to computed fields", () => {
    expect(["name", "amount", "stage", "account", "closes", "total", "won"].map((name) => cellEditorKind(field(name)))).toEqual([
      "text", "number", "select", "lookup", "date", null, "boolean",
    ]);
  });

  it("converts what the user typed and names the field when it is wrong", () => {
    expect(fromEditorValue(field("amount"), "12.5")).toEqual({ value: 12.5 });
    expect(fromEditorValue(field("amount"), "")).toEqual({ value: null });
    expect(fromEditorValue(field("amount"), "abc")).toEqual({ error: "Amount: enter a number" });
    expect(fromEditorValue(field("amount"), "-1")).toEqual({ error: "Amount must be at least 0" });
    expect(fromEditorValue(field("name"), " ")).toEqual({ error: "Name is required" });
    expect(fromEditorValue(field("name"), "toolong")).toEqual({ error: "Name must be at most 5 characters" });
    expect(fromEditorValue(field("stage"), "nope")).toEqual({ error: "Stage: choose one of the options" });
    expect(fromEditorValue(field("account"), { id: "a1", name: "Acme" })).toEqual({ value: "a1" });
    expect(fromEditorValue(field("won"), true)).toEqual({ value: true });
  });

  it("starts the editor from the stored value and skips unchanged saves", () => {
    expect(toEditorValue(field("closes"), "2026-03-01T00:00:00.000Z")).toBe("2026-03-01");
    expect(toEditorValue(field("account"), { id: "a1", name: "Acme" })).toEqual({ id: "a1", name: "Acme" });
    expect(sameCellValue(field("account"), { id: "a1", name: "Acme" }, "a1")).toBe(true);
    expect(sameCellValue(field("amount"), 5, 6)).toBe(false);
    expect(sameCellValue(field("name"), undefined, null)).toBe(true);
  });
});
