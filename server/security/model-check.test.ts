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
  it("names unknown objects and fields, bad criteria and impossible defaults", () => {
    const model = securitySchema.parse({
      profiles: [{ name: "p", label: "P", objects: { account: { read: true, fields: { nope: "none" } }, ghost: { read: true } } }],
      orgWideDefaults: { account: "controlled_by_parent" },
      sharingRules: [
        { name: "dotted", label: "D", object: "account", criteria: { field: "owner_company.name", operator: "=", value: "x" }, sharedWith: { kind: "user", name: "u" } },
        { name: "typed", label: "T", object: "account", criteria: { field: "name", operator: ">", value: true }, sharedWith: { kind: "user", name: "u" } },
      ],
      trackedFields: { account: ["missing"] },
    });
    const issues = securityModelIssues(model, [account]);
    expect(issues.map((issue) => issue.path.join("."))).toEqual(expect.arrayContaining([
      "profiles.0.objects.account.fields.nope",
      "profiles.0.objects.ghost",
      "orgWideDefaults.account",
      "sharingRules.0.criteria.field",
      "trackedFields.account.0",
    ]));
    expect(issues.find((issue) => issue.path[0] === "sharingRules" && issue.path[1] === 1)).toBeDefined();
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
