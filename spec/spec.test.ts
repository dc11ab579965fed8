import { describe, expect, it } from "vitest";
import { appSchema, FIELD_TYPES, fieldSchema, findQuerySchema, filterDepth, objectSchema, nameFieldOf, type Filter } from "@/spec";

function pathsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) {
  return result.error?.issues.map((issue) => issue.path.join(".")) ?? [];
}

const minimalField: Record<string, Record<string, unknown>> = {
  select: { options: [{ value: "a", label: "A" }] },
  multiselect: { options: [{ value: "a", label: "A" }] },
  lookup: { reference: "account" },
  master_detail: { reference: "account" },
  formula: { expression: "1 + 1", returnType: "number" },
  rollup: { childObject: "task", childField: "project", function: "count" },
};

describe("object and field schemas", () => {
  it("accepts every field type with its defaults", () => {
    for (const type of FIELD_TYPES) {
      const result = fieldSchema.safeParse({ id: `f_${type}`, name: `f_${type}`, label: type, type, ...minimalField[type] });
      expect(result.success, `${type}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
    const text = fieldSchema.parse({ id: "t", name: "title", label: "Title", type: "text" });
    expect(text).toMatchObject({ required: false, unique: false, maxLength: 255 });
    const currency = fieldSchema.parse({ id: "c", name: "amount", label: "Amount", type: "currency" });
    expect(currency).toMatchObject({ scale: 2, currencyCode: "USD" });
    const master = fieldSchema.parse({ id: "m", name: "parent", label: "Parent", type: "master_detail", reference: "account" });
    expect(master.required).toBe(true);
  });

  it("refuses bad identifiers, reserved and system names, with the path", () => {
    const result = objectSchema.safeParse({
      name: "Account Table",
      label: "Account",
      pluralLabel: "Accounts",
      fields: [
        { id: "a", name: "id", label: "Id", type: "text" },
        { id: "b", name: "select", label: "Select", type: "text" },
        { id: "c", name: "x'; drop table users; --", label: "Evil", type: "text" },
      ],
    });
    expect(result.success).toBe(false);
    expect(pathsOf(result)).toEqual(expect.arrayContaining(["name", "fields.0.name", "fields.1.name", "fields.2.name"]));
    expect(result.error?.issues.find((issue) => issue.path.join(".") === "fields.0.name")?.message).toMatch(/system field/);
  });

  it("refuses an unknown field type and a select without options", () => {
    const result = objectSchema.safeParse({
      name: "deal", label: "Deal", pluralLabel: "Deals",
      fields: [
        { id: "a", name: "amount", label: "Amount", type: "money" },
        { id: "b", name: "stage", label: "Stage", type: "select", options: [] },
      ],
    });
    expect(pathsOf(result)).toEqual(expect.arrayContaining(["fields.0.type", "fields.1.options"]));
  });

  it("refuses duplicate names, duplicate options and references to missing fields", () => {
    const result = objectSchema.safeParse({
      name: "deal",
      label: "Deal",
      pluralLabel: "Deals",
      nameField: "missing",
      fields: [
        { id: "c", name: "title", label: "Title", type: "text" },
        { id: "d", name: "title", label: "Title again", type: "text" },
        { id: "e", name: "kind", label: "Kind", type: "select", options: [{ value: "x", label: "X" }, { value: "x", label: "Y" }] },
      ],
      indexes: [{ fields: ["nope"] }],
    });
    expect(result.success).toBe(false);
    expect(pathsOf(result)).toEqual(
      expect.arrayContaining(["fields.1.name", "fields.2.options.1.value", "nameField", "indexes.0.fields.0"]),
    );
  });

  it("picks the name field", () => {
    const object = objectSchema.parse({
      name: "deal", label: "Deal", pluralLabel: "Deals",
      fields: [{ id: "a", name: "amount", label: "Amount", type: "number" }, { id: "b", name: "title", label: "Title", type: "text" }],
    });
    expect(nameFieldOf(object)).toBe("title");
    expect(nameFieldOf({ ...object, nameField: "amount" })).toBe("amount");
    expect(nameFieldOf({ ...object, fields: [] })).toBe("id");
  });
});

describe("app schema", () => {
  it("validates navigation entries", () => {
    expect(appSchema.safeParse({ name: "crm", label: "CRM", navigation: [{ type: "object", object: "account" }] }).success).toBe(true);
    const bad = appSchema.safeParse({ name: "crm", label: "CRM", navigation: [{ type: "url", label: "X", url: "javascript:alert(1)" }] });
    expect(pathsOf(bad)).toEqual(["navigation.0.url"]);
  });
});

describe("query schema", () => {
  it("parses nested filters and applies defaults", () => {
    const query = findQuerySchema.parse({
      object: "task",
      filter: { or: [{ field: "status", operator: "in", value: ["open", "in_progress"] }, { not: { field: "done", operator: "is_null" } }] },
    });
    expect(query.limit).toBe(50);
    expect(query.offset).toBe(0);
    expect(filterDepth(query.filter!)).toBe(3);
  });

  it("refuses unknown operators, extra keys and huge limits", () => {
    expect(pathsOf(findQuerySchema.safeParse({ object: "t", limit: 5000 }))).toEqual(["limit"]);
    expect(findQuerySchema.safeParse({ object: "t", filter: { field: "a", operator: "LIKE", value: "x" } }).success).toBe(false);
    expect(findQuerySchema.safeParse({ object: "t", filter: { field: "a", operator: "=", value: 1, sql: "1=1" } }).success).toBe(false);
  });

  it("measures depth so the engine can refuse deep recursion", () => {
    let filter: Filter = { field: "a", operator: "=", value: 1 };
    for (let i = 0; i < 20; i++) filter = { not: filter };
    expect(filterDepth(filter)).toBe(21);
  });
});
