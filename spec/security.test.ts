import { describe, expect, it } from "vitest";
import { securitySchema } from "./security";

function issues(input: unknown) {
  const result = securitySchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("security model schema", () => {
  it("fills defaults for an empty model", () => {
    const model = securitySchema.parse({});
    expect(model).toMatchObject({ name: "org", profiles: [], permissionSets: [], roles: [], orgWideDefaults: {}, sharingRules: [], assignments: {} });
  });

  it("needs read under every other permission, and edit under delete", () => {
    expect(issues({ profiles: [{ name: "p", label: "P", objects: { account: { edit: true } } }] })).toContainEqual({ path: "profiles.0.objects.account.edit", message: "'edit' needs 'read' on the same object" });
    expect(issues({ profiles: [{ name: "p", label: "P", objects: { account: { read: true, delete: true } } }] })).toContainEqual({ path: "profiles.0.objects.account.delete", message: "'delete' needs 'edit' on the same object" });
  });

  it("refuses unknown references and duplicate names, naming the path", () => {
    const found = issues({
      profiles: [{ name: "std", label: "Std" }, { name: "std", label: "Again" }],
      roles: [{ name: "rep", label: "Rep", parent: "nobody" }],
      groups: [{ name: "g", label: "G", roles: ["ghost"] }],
      sharingRules: [{ name: "r", label: "R", object: "account", criteria: { field: "x", operator: "=", value: 1 }, sharedWith: { kind: "group", name: "missing" } }],
      assignments: { u1: { profile: "nope", permissionSets: ["none"], role: "ghost" } },
      defaultProfile: "absent",
    });
    expect(found.map((issue) => issue.path)).toEqual(expect.arrayContaining([
      "profiles.1.name", "roles.0.parent", "groups.0.roles.0", "sharingRules.0.sharedWith.name",
      "assignments.u1.profile", "assignments.u1.permissionSets.0", "assignments.u1.role", "defaultProfile",
    ]));
  });

  it("tells each role of a cycle, and not the roles below it", () => {
    const found = issues({
      roles: [
        { name: "a", label: "A", parent: "b" },
        { name: "b", label: "B", parent: "a" },
        { name: "c", label: "C", parent: "a" },
      ],
    });
    expect(found).toEqual([
      { path: "roles.0.parent", message: "Role 'a' would be its own manager ('a' reports to 'b' reports to 'a')" },
      { path: "roles.1.parent", message: "Role 'b' would be its own manager ('b' reports to 'a' reports to 'b')" },
    ]);
  });
});
