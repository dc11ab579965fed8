import { describe, expect, it } from "vitest";
import { fieldSchema } from "@/spec/object";
import { displayField, formatFieldValue, showsNumber } from "./field-value";

describe("formatFieldValue", () => {
  it("formats computed fields as the type they produce", () => {
    const weighted = fieldSchema.parse({ id: "w", name: "weighted", label: "Weighted", type: "formula", expression: "amount / 2", returnType: "currency" });
    expect(displayField(weighted).type).toBe("currency");
    expect(formatFieldValue(weighted, 500)).toBe("$500.00");
    const count = fieldSchema.parse({ id: "c", name: "deals", label: "Deals", type: "rollup", childObject: "deal", childField: "account", function: "count" });
    expect(formatFieldValue(count, 12)).toBe("12");
    const flag = fieldSchema.parse({ id: "f", name: "big", label: "Big", type: "formula", expression: "amount > 10", returnType: "boolean" });
    expect(displayField(flag).type).toBe("boolean");
    // One display definition per field definition (a grid asks per cell); stored fields are their own.
    expect(displayField(weighted)).toBe(displayField(weighted));
    const amount = fieldSchema.parse({ id: "a", name: "amount", label: "Amount", type: "currency" });
    expect(displayField(amount)).toBe(amount);
  });

  it("formats stored fields by their own type", () => {
    const amount = fieldSchema.parse({ id: "a", name: "amount", label: "Amount", type: "currency", currencyCode: "EUR" });
    expect(formatFieldValue(amount, 1234.5)).toMatch(/1,234\.50/);
    expect(formatFieldValue(amount, null)).toBe("");
  });

  it("says which fields show numbers (right-aligned in the grid, header and cells alike)", () => {
    const field = (definition: Record<string, unknown>) => fieldSchema.parse({ id: "x", name: "x", label: "X", ...definition });
    expect(showsNumber(field({ type: "currency" }))).toBe(true);
    expect(showsNumber(field({ type: "percent" }))).toBe(true);
    expect(showsNumber(field({ type: "date" }))).toBe(false);
    expect(showsNumber(field({ type: "formula", expression: "amount * 2", returnType: "number" }))).toBe(true);
    expect(showsNumber(field({ type: "formula", expression: "\"a\"", returnType: "text" }))).toBe(false);
    expect(showsNumber(field({ type: "rollup", childObject: "deal", childField: "account", function: "count" }))).toBe(true);
  });
});
