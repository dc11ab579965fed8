import { describe, expect, it } from "vitest";
import { defineObject } from "@/server/objectql/test-support/fixtures";
import { securitySchema } from "@/spec/security";
import { securityModelIssues } from "./model-check";

const account = defineObject({
  name: "account", label: "Account", pluralLabel: "Accounts",
  fields: [
    { id: "a1", name: "name", label: "Name", type: "text" },
    { id: "a2", name: "owner_company", label: "Parent", type: "lookup", reference: "account" },
  ],
});

describe("securityModelIssues", () => {
  it("names unknown objects and fields, bad criteria and impossible defaults, with their paths", () => {
    const item = defineObject({
      name: "item", label: "Item", pluralLabel: "Items",
      fields: [
        { id: "i1", name: "name", label: "Name", type: "text" },
        { id: "i2", name: "account", label: "Account", type: "master_detail", reference: "account" },
      ],
    });
    const u = { kind: "user", name: "u" } as const;
    const model = securitySchema.parse({
      profiles: [{ name: "p", label: "P", objects: { account: { read: true, fields: { nope: "none", name: "read" } }, ghost: { read: true } } }],
      permissionSets: [{ name: "s", label: "S", objects: { item: { read: true, fields: { gone: "read" } }, phantom: { read: true } } }],
      // item has a master-detail field, account none.
      orgWideDefaults: { account: "controlled_by_parent", item: "controlled_by_parent", spook: "private" },
      sharingRules: [
        { name: "dotted", label: "D", object: "account", criteria: { field: "owner_company.name", operator: "=", value: "x" }, sharedWith: u },
        { name: "typed", label: "T", object: "account", criteria: { field: "name", operator: ">", value: true }, sharedWith: u },
        {
          name: "nested", label: "N", object: "account", sharedWith: u,
          criteria: { and: [{ field: "name", operator: "=", value: "a" }, { or: [{ field: "name", operator: "=", value: "b" }, { not: { field: "owner_company.name", operator: "=", value: "c" } }] }] },
        },
        { name: "ghostly", label: "G", object: "wraith", criteria: { field: "name", operator: "=", value: "a" }, sharedWith: u },
        { name: "unknown", label: "U", object: "item", criteria: { field: "colour", operator: "=", value: "a" }, sharedWith: u },
      ],
      trackedFields: { account: ["missing", "name"], banshee: ["x"] },
    });
    const dotted = "Sharing rule criteria may only use fields of 'account' itself (not 'owner_company.name')";
    expect(securityModelIssues(model, [account, item])).toEqual([
      { path: ["profiles", 0, "objects", "account", "fields", "nope"], message: "Unknown field 'nope' on object 'account'" },
      { path: ["profiles", 0, "objects", "ghost"], message: "Unknown object 'ghost' (publish it first)" },
      { path: ["permissionSets", 0, "objects", "item", "fields", "gone"], message: "Unknown field 'gone' on object 'item'" },
      { path: ["permissionSets", 0, "objects", "phantom"], message: "Unknown object 'phantom' (publish it first)" },
      { path: ["orgWideDefaults", "account"], message: "Object 'account' has no master-detail field, so it cannot be controlled by a parent" },
      { path: ["orgWideDefaults", "spook"], message: "Unknown object 'spook' (publish it first)" },
      { path: ["sharingRules", 0, "criteria", "field"], message: dotted },
      { path: ["sharingRules", 1, "criteria", "value"], message: "Filter value for field 'name' (text) on object 'account' must be a string (got true)" },
      { path: ["sharingRules", 2, "criteria", "and", 1, "or", 1, "not", "field"], message: dotted },
      { path: ["sharingRules", 3, "object"], message: "Unknown object 'wraith' (publish it first)" },
      { path: ["sharingRules", 4, "criteria", "field"], message: "Unknown field 'colour' on object 'item'" },
      { path: ["trackedFields", "account", 0], message: "Unknown field 'missing' on object 'account'" },
      { path: ["trackedFields", "banshee"], message: "Unknown object 'banshee' (publish it first)" },
    ]);
  });

  it("accepts a model that fits the objects", () => {
    const model = securitySchema.parse({
      profiles: [{ name: "p", label: "P", objects: { account: { read: true, fields: { name: "read" } } } }],
      orgWideDefaults: { account: "private" },
      sharingRules: [{ name: "r", label: "R", object: "account", criteria: { field: "name", operator: "starts_with", value: "A" }, sharedWith: { kind: "user", name: "u" } }],
    });
    expect(securityModelIssues(model, [account])).toEqual([]);
  });
});
