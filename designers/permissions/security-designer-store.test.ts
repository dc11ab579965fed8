import { describe, expect, it } from "vitest";
import { OBJECT_PERMISSIONS, securitySchema, type SecurityModel } from "@/spec/security";
import { permissionDependents, permissionRequirements, withPermission, emptyObjectAccess } from "./object-permissions";
import { SecurityCommandError, SecurityDesignerStore } from "./security-designer-store";

function model(input: Parameters<typeof securitySchema.parse>[0] = {}): SecurityModel {
  return securitySchema.parse(input);
}

function sales(): SecurityModel {
  return model({
    profiles: [{ name: "standard", label: "Standard user" }, { name: "sales", label: "Sales" }],
    permissionSets: [{ name: "exporter", label: "Exporter" }],
    defaultProfile: "standard",
    roles: [{ name: "ceo", label: "CEO" }, { name: "vp_sales", label: "VP Sales", parent: "ceo" }, { name: "rep", label: "Sales rep", parent: "vp_sales" }],
    groups: [{ name: "emea", label: "EMEA", roles: ["rep"] }],
    sharingRules: [{
      name: "big_deals", label: "Big deals", object: "opportunity",
      criteria: { field: "amount", operator: ">", value: 100000 }, sharedWith: { kind: "role_and_subordinates", name: "vp_sales" },
    }],
    assignments: { u1: { profile: "sales", permissionSets: ["exporter"], role: "rep" } },
  });
}

/** The document must always pass the schema the server validates with. */
function expectValid(store: SecurityDesignerStore) {
  const result = securitySchema.safeParse(store.document);
  expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
}

describe("object permission dependencies", () => {
  it("knows what each permission needs and what needs it", () => {
    expect(permissionRequirements("read")).toEqual([]);
    expect(permissionRequirements("edit")).toEqual(["read"]);
    expect(permissionRequirements("delete")).toEqual(["read", "edit"]);
    expect(permissionRequirements("modifyAll")).toEqual(["read", "edit", "delete", "viewAll"]);
    expect(permissionDependents("read")).toEqual(["create", "edit", "delete", "viewAll", "modifyAll", "export"]);
    expect(permissionDependents("edit")).toEqual(["delete", "modifyAll"]);
    expect(permissionDependents("export")).toEqual([]);
  });

  it("every combination reachable by ticking and unticking passes the schema", () => {
    // Walk every sequence of 3 toggles from nothing: the result is always a valid object access.
    const toggles = OBJECT_PERMISSIONS.flatMap((permission) => [[permission, true], [permission, false]] as const);
    for (const a of toggles) for (const b of toggles) for (const c of toggles) {
      let access = emptyObjectAccess();
      for (const [permission, value] of [a, b, c]) access = withPermission(access, permission, value);
      const doc = model({ profiles: [{ name: "p", label: "P", objects: { account: access } }] });
      expect(doc.profiles[0].objects.account).toEqual(access);
    }
  });
});

describe("SecurityDesignerStore: profiles and permission sets", () => {
  it("starts clean and creates a profile", () => {
    const store = new SecurityDesignerStore(model(), { baseRevision: 0 });
    expect(store.getSnapshot().dirty).toBe(false);
    store.addPermissionSet("profiles", { name: "sales", label: "Sales" });
    expect(store.document.profiles).toEqual([{ name: "sales", label: "Sales", objects: {} }]);
    expect(store.getSnapshot()).toMatchObject({ dirty: true, canUndo: true, undoLabel: "Add profile Sales" });
    expect(() => store.addPermissionSet("profiles", { name: "sales", label: "Again" })).toThrow(SecurityCommandError);
    expectValid(store);
  });

  it("ticking edit ticks read; unticking read unticks everything that needs it", () => {
    const store = new SecurityDesignerStore(sales());
    store.setObjectPermission("profiles", "sales", "account", "edit", true);
    expect(store.objectAccess("profiles", "sales", "account")).toMatchObject({ read: true, edit: true, create: false, delete: false });
    store.setObjectPermission("profiles", "sales", "account", "modifyAll", true);
    expect(store.objectAccess("profiles", "sales", "account")).toMatchObject({ read: true, edit: true, delete: true, viewAll: true, modifyAll: true });
    expectValid(store);
    store.setObjectPermission("profiles", "sales", "account", "edit", false);
    expect(store.objectAccess("profiles", "sales", "account")).toMatchObject({ read: true, edit: false, delete: false, viewAll: true, modifyAll: false });
    store.setObjectPermission("profiles", "sales", "account", "create", true);
    store.setObjectPermission("profiles", "sales", "account", "read", false);
    // Nothing granted and default field access: the entry is left out of the document.
    expect(store.document.profiles[1].objects).toEqual({});
    expectValid(store);
  });

  it("ticks a whole column in one step, with what each object needs", () => {
    const store = new SecurityDesignerStore(sales());
    store.setObjectPermission("profiles", "sales", "contact", "read", true);
    store.setPermissionOnObjects("profiles", "sales", ["account", "contact"], "edit", true);
    expect(store.historyLabels).toEqual(["Grant Read on contact", "Grant Edit on every object"]);
    for (const object of ["account", "contact"]) expect(store.objectAccess("profiles", "sales", object)).toMatchObject({ read: true, edit: true });
    store.setPermissionOnObjects("profiles", "sales", ["account", "contact"], "read", false);
    expect(store.document.profiles[1].objects).toEqual({});
    store.undo();
    expect(store.objectAccess("profiles", "sales", "contact")).toMatchObject({ read: true, edit: true });
    expectValid(store);
  });

  it("a tick that changes nothing is not a history entry", () => {
    const store = new SecurityDesignerStore(sales());
    expect(store.setObjectPermission("profiles", "sales", "account", "read", false)).toBe(false);
    store.setObjectPermission("profiles", "sales", "account", "read", true);
    expect(store.setObjectPermission("profiles", "sales", "account", "read", true)).toBe(false);
    expect(store.historyLabels).toEqual(["Grant Read on account"]);
  });

  it("sets the field default and per-field access, and goes back to the default", () => {
    const store = new SecurityDesignerStore(sales());
    store.setObjectPermission("permissionSets", "exporter", "contact", "read", true);
    store.setFieldDefault("permissionSets", "exporter", "contact", "read");
    store.setFieldAccess("permissionSets", "exporter", "contact", "email", "none");
    store.setFieldAccess("permissionSets", "exporter", "contact", "phone", "edit");
    expect(store.document.permissionSets[0].objects.contact).toMatchObject({ fieldDefault: "read", fields: { email: "none", phone: "edit" } });
    store.setFieldAccess("permissionSets", "exporter", "contact", "phone", null);
    expect(store.document.permissionSets[0].objects.contact.fields).toEqual({ email: "none" });
    expectValid(store);
  });

  it("renames a profile's label and refuses to delete one that is in use", () => {
    const store = new SecurityDesignerStore(sales());
    store.updatePermissionSet("profiles", "sales", { label: "Sales team" }, { coalesceKey: "label" });
    expect(store.document.profiles[1].label).toBe("Sales team");
    expect(() => store.removePermissionSet("profiles", "sales", (id) => (id === "u1" ? "Uma" : id))).toThrow("still used by user Uma");
    expect(() => store.removePermissionSet("profiles", "standard")).toThrow("the default profile");
    expect(() => store.removePermissionSet("permissionSets", "exporter")).toThrow(SecurityCommandError);
    store.clearAssignment("u1");
    store.removePermissionSet("profiles", "sales");
    store.removePermissionSet("permissionSets", "exporter");
    expect(store.document.profiles.map((p) => p.name)).toEqual(["standard"]);
    expectValid(store);
  });
});

describe("SecurityDesignerStore: roles, groups, sharing, users, history", () => {
  it("adds a role under a manager, re-parents it, and moves reports up when a role is deleted", () => {
    const store = new SecurityDesignerStore(sales());
    store.addRole({ name: "sdr", label: "SDR", parent: "rep" });
    store.updateRole("sdr", { parent: "vp_sales" });
    expect(store.document.roles.find((r) => r.name === "sdr")?.parent).toBe("vp_sales");
    store.updateRole("sdr", { parent: undefined });
    expect(store.document.roles.find((r) => r.name === "sdr")).toEqual({ name: "sdr", label: "SDR" });
    expect(() => store.removeRole("vp_sales")).toThrow("sharing rule 'Big deals'");
    expect(() => store.removeRole("rep")).toThrow(/user u1.*group 'EMEA'/);
    store.removeSharingRule("big_deals");
    store.removeRole("vp_sales");
    expect(store.document.roles.find((r) => r.name === "rep")?.parent).toBe("ceo");
    expectValid(store);
  });

  it("the schema refuses a cycle the store lets through, naming the role", () => {
    const store = new SecurityDesignerStore(sales());
    store.updateRole("ceo", { parent: "rep" });
    const result = securitySchema.safeParse(store.document);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain("roles.0.parent");
  });

  it("edits groups and refuses to delete one a rule shares with", () => {
    const store = new SecurityDesignerStore(sales());
    store.updateGroup("emea", { users: ["u1", "u2"], roles: ["rep", "ceo"] });
    expect(store.updateGroup("emea", { users: ["u1", "u2"] })).toBe(false);
    expect(store.document.groups[0]).toMatchObject({ users: ["u1", "u2"], roles: ["rep", "ceo"] });
    store.updateSharingRule("big_deals", { sharedWith: { kind: "group", name: "emea" } });
    expect(() => store.removeGroup("emea")).toThrow("sharing rule 'Big deals'");
    store.addGroup({ name: "apac", label: "APAC" });
    store.removeGroup("apac");
    expectValid(store);
  });

  it("sets org-wide defaults and edits sharing rules; a new object clears the criteria", () => {
    const store = new SecurityDesignerStore(sales());
    store.setOrgWideDefault("account", "private");
    expect(store.setOrgWideDefault("account", "private")).toBe(false);
    store.updateSharingRule("big_deals", { access: "edit", criteria: { and: [{ field: "stage", operator: "=", value: "proposal" }] } });
    expect(store.document.sharingRules[0]).toMatchObject({ access: "edit", criteria: { and: [{ field: "stage", operator: "=", value: "proposal" }] } });
    store.updateSharingRule("big_deals", { object: "account" });
    expect(store.document.sharingRules[0]).toMatchObject({ object: "account", criteria: { and: [] } });
    expect(store.document.orgWideDefaults).toEqual({ account: "private" });
    expectValid(store);
  });

  it("assigns users: a role first brings the default profile; a reset removes the assignment", () => {
    const store = new SecurityDesignerStore(sales());
    store.assignUser("u2", { role: "ceo" });
    expect(store.document.assignments.u2).toEqual({ profile: "standard", permissionSets: [], role: "ceo" });
    store.assignUser("u2", { profile: "sales", permissionSets: ["exporter"] });
    expect(store.assignUser("u2", { permissionSets: ["exporter"] })).toBe(false);
    store.assignUser("u2", { role: undefined });
    expect(store.document.assignments.u2).toEqual({ profile: "sales", permissionSets: ["exporter"] });
    store.clearAssignment("u2");
    expect(store.document.assignments.u2).toBeUndefined();
    store.setDefaultProfile("sales");
    store.setDefaultProfile(undefined);
    expect("defaultProfile" in store.document).toBe(false);
    expectValid(store);
    const empty = new SecurityDesignerStore(model());
    expect(() => empty.assignUser("u1", { role: "x" })).toThrow("Create a profile first");
  });

  it("tracks and untracks fields", () => {
    const store = new SecurityDesignerStore(sales());
    store.setFieldTracked("opportunity", "stage", true);
    store.setFieldTracked("opportunity", "amount", true);
    expect(store.setFieldTracked("opportunity", "amount", true)).toBe(false);
    expect(store.document.trackedFields).toEqual({ opportunity: ["stage", "amount"] });
    store.setFieldTracked("opportunity", "stage", false);
    store.setFieldTracked("opportunity", "amount", false);
    expect(store.document.trackedFields).toEqual({});
    expectValid(store);
  });

  it("undo and redo restore the matrix exactly, one step per command", () => {
    const store = new SecurityDesignerStore(sales());
    const start = store.document;
    store.setObjectPermission("profiles", "sales", "account", "edit", true);
    const afterEdit = store.document;
    store.setFieldAccess("profiles", "sales", "account", "website", "read");
    const afterField = store.document;
    store.setObjectPermission("profiles", "sales", "account", "read", false);
    store.undo();
    expect(store.document).toEqual(afterField);
    store.undo();
    expect(store.document).toEqual(afterEdit);
    store.undo();
    expect(store.document).toBe(start);
    expect(store.getSnapshot().dirty).toBe(false);
    store.redo();
    store.redo();
    expect(store.document).toEqual(afterField);
    expect(store.objectAccess("profiles", "sales", "account")).toMatchObject({ read: true, edit: true, fields: { website: "read" } });
  });
});
