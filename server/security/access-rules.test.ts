import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createObjectQL, type ObjectQL, type SecurityContext } from "@/server/objectql/objectql";
import { ObjectQLError } from "@/server/objectql/errors";
import { Harness, defineObject } from "@/server/objectql/test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "@/server/objectql/test-support/test-databases";
import { securitySchema } from "@/spec/security";
import { userAccess } from "./access";
import { externalAccess } from "./external-access";
import { recordSecurity } from "./record-security";

/**
 * The access rules the permission matrix's fixture does not reach: sharing rules for a user, a
 * role alone, a role and its subordinates, and a group joined through a role; a three-level role
 * hierarchy; fields hidden because a formula or a roll-up reads a hidden field or an object the
 * user may not read; and the external-source variant of a user's access. Expectations are
 * written out by hand from the model below.
 */

const folderBase = {
  name: "folder", label: "Folder", pluralLabel: "Folders",
  fields: [{ id: "f1", name: "name", label: "Name", type: "text" as const, required: true }],
};
const folder = defineObject({
  ...folderBase,
  fields: [
    ...folderBase.fields,
    { id: "f2", name: "memo_count", label: "Memos", type: "rollup", childObject: "memo", childField: "folder", function: "count" },
    { id: "f3", name: "cost_total", label: "Cost", type: "rollup", childObject: "memo", childField: "folder", function: "sum", field: "cost" },
    { id: "f4", name: "vault_count", label: "Vaults", type: "rollup", childObject: "vault", childField: "folder", function: "count" },
  ],
});
const memo = defineObject({
  name: "memo", label: "Memo", pluralLabel: "Memos",
  fields: [
    { id: "m1", name: "name", label: "Name", type: "text", required: true },
    { id: "m2", name: "stage", label: "Stage", type: "select", options: ["a", "b", "c", "d", "e"].map((value) => ({ value, label: value })) },
    { id: "m3", name: "cost", label: "Cost", type: "number" },
    { id: "m4", name: "price", label: "Price", type: "number" },
    { id: "m5", name: "margin", label: "Margin", type: "formula", returnType: "number", expression: "price - cost" },
    { id: "m6", name: "list_price", label: "List price", type: "formula", returnType: "number", expression: "price * 2" },
    { id: "m7", name: "folder", label: "Folder", type: "lookup", reference: "folder" },
  ],
});
const vault = defineObject({
  name: "vault", label: "Vault", pluralLabel: "Vaults",
  fields: [
    { id: "v1", name: "name", label: "Name", type: "text", required: true },
    { id: "v2", name: "folder", label: "Folder", type: "lookup", reference: "folder" },
  ],
});

const crud = { create: true, read: true, edit: true, delete: true };
const MODEL = securitySchema.parse({
  profiles: [
    // Everyone: memos without their cost, no vaults.
    { name: "std", label: "Standard", objects: { folder: crud, memo: { ...crud, fields: { cost: "none" } } } },
    { name: "boss", label: "Boss", objects: { folder: crud, memo: crud, vault: { read: true } } },
  ],
  permissionSets: [],
  roles: [
    { name: "top", label: "Top" },
    { name: "mid", label: "Middle", parent: "top" },
    { name: "low", label: "Low", parent: "mid" },
  ],
  groups: [{ name: "g", label: "G", users: ["member"], roles: ["low"] }],
  orgWideDefaults: { memo: "private", vault: "private" },
  sharingRules: [
    { name: "a_to_loner", label: "a", object: "memo", criteria: { field: "stage", operator: "=", value: "a" }, sharedWith: { kind: "user", name: "loner" }, access: "read" },
    { name: "b_to_mid_down", label: "b", object: "memo", criteria: { field: "stage", operator: "=", value: "b" }, sharedWith: { kind: "role_and_subordinates", name: "mid" }, access: "read" },
    { name: "c_to_top", label: "c", object: "memo", criteria: { field: "stage", operator: "=", value: "c" }, sharedWith: { kind: "role", name: "top" }, access: "edit" },
    { name: "d_to_g", label: "d", object: "memo", criteria: { field: "stage", operator: "=", value: "d" }, sharedWith: { kind: "group", name: "g" }, access: "read" },
  ],
  assignments: {
    owner: { profile: "std" },
    top: { profile: "boss", role: "top" },
    mid: { profile: "std", role: "mid" },
    low: { profile: "std", role: "low" },
    loner: { profile: "std" },
    member: { profile: "std" },
  },
});
type User = "owner" | "top" | "mid" | "low" | "loner" | "member";
const ctxOf = (user: User): SecurityContext => ({ kind: "user", userId: user, role: "user" });

describe("access rules beyond the permission matrix (sqlite)", () => {
  let test: TestDatabase;
  let h: Harness;
  let ql: ObjectQL;
  const memoIds = new Map<string, string>();

  beforeAll(async () => {
    test = await sqliteFactory.create();
    h = new Harness(test.db);
    await h.sync(defineObject(folderBase));
    await h.sync(memo);
    await h.sync(vault);
    await h.sync(folder);
    const box = await h.ql.insert(ctxOf("owner"), "folder", { name: "Box" });
    for (const stage of ["a", "b", "c", "d", "e"]) {
      memoIds.set(stage, (await h.ql.insert(ctxOf("owner"), "memo", { name: stage, stage, cost: 10, price: 25, folder: box.id })).id);
    }
    // A memo of the lowest role: its managers (mid, top) own it too.
    memoIds.set("low's", (await h.ql.insert(ctxOf("low"), "memo", { name: "low's", stage: "e", cost: 1, price: 2, folder: box.id })).id);
    await h.ql.insert(ctxOf("owner"), "vault", { name: "V", folder: box.id });
  });

  afterAll(async () => {
    await test?.cleanup();
  });

  // An engine per test: it keeps each user's compiled security, so a shared one would compute it in
  // the first test only, and mutation testing (per-test coverage) would credit that code to that
  // test alone and never run the test that checks it (docs/mutation-testing.md).
  beforeEach(() => {
    ql = createObjectQL({ db: test.db, registry: h.registry, accessFor: async (ctx) => userAccess(MODEL, "v1", ctx.userId) });
  });

  const names = async (user: User) => (await ql.find(ctxOf(user), { object: "memo", limit: 100 })).records.map((record) => String(record.name)).sort();

  it("shares by user, role, role and subordinates and group (members and roles); managers own their reports' records", async () => {
    expect(await names("owner")).toEqual(["a", "b", "c", "d", "e"]);
    expect(await names("loner")).toEqual(["a"]);
    expect(await names("member")).toEqual(["d"]);
    // role_and_subordinates "mid": mid and low, not top; role "top": top alone; group g by its role: low.
    expect(await names("mid")).toEqual(["b", "low's"]);
    expect(await names("low")).toEqual(["b", "d", "low's"]);
    expect(await names("top")).toEqual(["c", "low's"]);
  });

  it("refuses a bulk insert row that is no record with a BAD_REQUEST naming it under the model too (the field check passes it by), writing none", async () => {
    const before = await names("owner");
    const error = await ql.insertMany(ctxOf("owner"), "memo", [{ name: "x", stage: "a" }, null] as never).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ObjectQLError);
    expect((error as ObjectQLError).code).toBe("BAD_REQUEST");
    expect((error as ObjectQLError).issues).toEqual([{ path: [1], message: "Record values for object 'memo' must be an object" }]);
    expect(await names("owner")).toEqual(before);
  });

  it("lets managers delete and edit their reports' records, and shared recipients only what the share grants", async () => {
    const refusal = async (promise: Promise<unknown>) => {
      const error = await promise.then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(ObjectQLError);
      return (error as ObjectQLError).code;
    };
    // c is shared with top for editing, b with mid for reading only; neither may be deleted by them.
    expect((await ql.update(ctxOf("top"), "memo", memoIds.get("c")!, { name: "c" })).id).toBe(memoIds.get("c"));
    expect(await refusal(ql.update(ctxOf("mid"), "memo", memoIds.get("b")!, { name: "b" }))).toBe("FORBIDDEN");
    expect(await refusal(ql.delete(ctxOf("top"), "memo", memoIds.get("c")!))).toBe("FORBIDDEN");
    expect(await refusal(ql.delete(ctxOf("loner"), "memo", memoIds.get("a")!))).toBe("FORBIDDEN");
    expect(await refusal(ql.delete(ctxOf("low"), "memo", memoIds.get("c")!))).toBe("NOT_FOUND");
    // A manager two levels up deletes the lowest role's memo.
    await ql.transaction(ctxOf("top"), async (tx) => {
      await tx.delete(ctxOf("top"), "memo", memoIds.get("low's")!);
      expect(await tx.findOne({ kind: "system" }, "memo", memoIds.get("low's")!)).toBeNull();
      throw new RollbackMarker();
    }).catch((error: unknown) => {
      if (!(error instanceof RollbackMarker)) throw error;
    });
    expect(await h.ql.findOne({ kind: "system" }, "memo", memoIds.get("low's")!)).not.toBeNull();
  });

  it("hides a formula or roll-up that reads a hidden field or an object the user may not read", async () => {
    const memoOf = async (user: User) => (await ql.findOne(ctxOf(user), "memo", memoIds.get("a")!))!;
    const folderOf = async (user: User) => (await ql.find(ctxOf(user), { object: "folder" })).records[0];
    // The boss sees everything, computed from everything.
    expect(await ql.findOne(ctxOf("top"), "memo", memoIds.get("a")!)).toBeNull();
    const bossMemo = (await ql.findOne(ctxOf("top"), "memo", memoIds.get("c")!))!;
    expect([bossMemo.cost, bossMemo.margin, bossMemo.list_price]).toEqual([10, 15, 50]);
    const bossFolder = await folderOf("top");
    expect([bossFolder.memo_count, bossFolder.cost_total, bossFolder.vault_count]).toEqual([6, 51, 1]);
    // Without cost: margin (price - cost) goes too, the list price stays.
    const owned = await memoOf("owner");
    expect(Object.keys(owned).filter((key) => ["cost", "margin", "list_price", "price"].includes(key)).sort()).toEqual(["list_price", "price"]);
    expect(owned.list_price).toBe(50);
    const refused = await ql.find(ctxOf("owner"), { object: "memo", select: ["margin"] }).then(() => null, (error: unknown) => error);
    expect((refused as ObjectQLError).code).toBe("BAD_REQUEST");
    // The folder's sum of hidden costs and its count of unreadable vaults go; the memo count stays.
    const seen = await folderOf("owner");
    expect([seen.memo_count, "cost_total" in seen, "vault_count" in seen]).toEqual([6, false, false]);
  });

  it("gives external objects all rows or owner-free sharing rules, keeping permissions and field access", () => {
    const access = userAccess(MODEL, "v1", "mid");
    const external = externalAccess(access);
    expect(external.key).toBe("v1:mid:external");
    expect(external.permissions("memo")).toEqual(access.permissions("memo"));
    expect(external.fieldAccess(memo, "cost")).toBe("none");
    expect(external.rowScope(folder, "read")).toEqual({ kind: "all" });
    const scope = external.rowScope(memo, "read");
    expect(scope.kind === "limited" && [scope.owners, scope.principals, scope.rules.map((rule) => rule.name)]).toEqual([[], [], ["b_to_mid_down"]]);
    expect(external.rowScope(memo, "delete")).toEqual({ kind: "limited", owners: [], rules: [], principals: [] });
  });
});

class RollbackMarker extends Error {}

/**
 * Fields hidden through lookups (a formula reading a hidden field of another object, of the same
 * object through a self-lookup, or of an object that looks back), masked definitions shared only
 * by users hiding the same fields, controlled-by-parent children of a parent the user may not
 * read, and how deep a chain of such children is followed.
 */
const teamBase = {
  name: "team", label: "Team", pluralLabel: "Teams",
  fields: [
    { id: "t1", name: "name", label: "Name", type: "text" as const, required: true },
    { id: "t2", name: "budget", label: "Budget", type: "number" as const },
  ],
};
const person = defineObject({
  name: "person", label: "Person", pluralLabel: "People",
  fields: [
    { id: "p1", name: "name", label: "Name", type: "text", required: true },
    { id: "p2", name: "salary", label: "Salary", type: "number" },
    { id: "p3", name: "double_pay", label: "Double pay", type: "formula", returnType: "number", expression: "salary * 2" },
    { id: "p4", name: "manager", label: "Manager", type: "lookup", reference: "person" },
    { id: "p5", name: "manager_name", label: "Manager name", type: "formula", returnType: "text", expression: "manager.name" },
    { id: "p6", name: "manager_pay", label: "Manager pay", type: "formula", returnType: "number", expression: "manager.double_pay" },
    { id: "p7", name: "team", label: "Team", type: "lookup", reference: "team" },
    { id: "p8", name: "team_name", label: "Team name", type: "formula", returnType: "text", expression: "team.name" },
    { id: "p9", name: "team_budget", label: "Team budget", type: "formula", returnType: "number", expression: "team.budget" },
    { id: "p10", name: "team_lead_pay", label: "Team lead pay", type: "formula", returnType: "number", expression: "team.lead_pay" },
  ],
});
const team = defineObject({
  ...teamBase,
  fields: [
    ...teamBase.fields,
    { id: "t3", name: "lead", label: "Lead", type: "lookup", reference: "person" },
    { id: "t4", name: "lead_name", label: "Lead name", type: "formula", returnType: "text", expression: "lead.name" },
    { id: "t5", name: "lead_pay", label: "Lead pay", type: "formula", returnType: "number", expression: "lead.double_pay" },
  ],
});
// Field names whose joined lists could collide ("ab" + "c" and "a" + "bc").
const probe = defineObject({
  name: "probe", label: "Probe", pluralLabel: "Probes",
  fields: ["a", "ab", "bc", "c"].map((name, index) => ({ id: `q${index}`, name, label: name, type: "text" as const })),
});
const sheet = defineObject({ name: "sheet", label: "Sheet", pluralLabel: "Sheets", fields: [{ id: "s1", name: "name", label: "Name", type: "text", required: true }] });
// Two objects under a sheet: cell is controlled by its sheet; tab is private, though it has the
// same master-detail field (only controlled-by-parent objects follow their master).
const underSheet = (name: string, label: string) => defineObject({
  name, label, pluralLabel: `${label}s`,
  fields: [
    { id: "c1", name: "name", label: "Name", type: "text", required: true },
    { id: "c2", name: "sheet", label: "Sheet", type: "master_detail", reference: "sheet" },
  ],
});
const cell = underSheet("cell", "Cell");
const tab = underSheet("tab", "Tab");
// level0 (private) <- level1 <- ... <- level6, each controlled by the one before.
const LEVELS = 7;
const levels = Array.from({ length: LEVELS }, (_, depth) => defineObject({
  name: `level${depth}`, label: `Level ${depth}`, pluralLabel: `Level ${depth}s`,
  fields: [
    { id: "n", name: "name", label: "Name", type: "text", required: true },
    ...(depth === 0 ? [] : [{ id: "up", name: "up", label: "Up", type: "master_detail" as const, reference: `level${depth - 1}` }]),
  ],
}));

const LOOKUP_MODEL = securitySchema.parse({
  profiles: [
    { name: "full", label: "Full", objects: Object.fromEntries([...["person", "team", "probe", "sheet", "cell", "tab"], ...levels.map((level) => level.name)].map((name) => [name, crud])) },
    { name: "staff", label: "Staff", objects: { person: { ...crud, fields: { salary: "none" } }, team: { ...crud, fields: { budget: "none" } } } },
    { name: "left", label: "Left", objects: { probe: { read: true, fields: { ab: "none", c: "none" } } } },
    { name: "right", label: "Right", objects: { probe: { read: true, fields: { a: "none", bc: "none" } } } },
    { name: "cells", label: "Cells only", objects: { cell: { read: true }, tab: { read: true } } },
  ],
  orgWideDefaults: {
    person: "public_read_write", team: "public_read_write", probe: "public_read_write",
    sheet: "private", cell: "controlled_by_parent", tab: "private",
    ...Object.fromEntries(levels.map((level, depth) => [level.name, depth === 0 ? "private" : "controlled_by_parent"])),
  },
  assignments: {
    boss: { profile: "full" }, staff1: { profile: "staff" }, staff2: { profile: "staff" },
    left: { profile: "left" }, right: { profile: "right" }, celler: { profile: "cells" },
  },
});
type LookupUser = "boss" | "staff1" | "staff2" | "left" | "right" | "celler";
const asUser = (user: LookupUser): SecurityContext => ({ kind: "user", userId: user, role: "user" });

describe("fields hidden through lookups, shared masked definitions, parent chains (sqlite)", () => {
  let test: TestDatabase;
  let h: Harness;
  let ql: ObjectQL;

  beforeAll(async () => {
    test = await sqliteFactory.create();
    h = new Harness(test.db);
    // person and team look each other up: each first without what needs the other.
    await h.sync(defineObject(teamBase));
    await h.sync({ ...person, fields: person.fields.filter((field) => field.name !== "team_lead_pay") });
    await h.sync(team);
    await h.sync(person);
    for (const object of [probe, sheet, cell, tab, ...levels]) await h.sync(object);
    const chief = await h.ql.insert(asUser("boss"), "person", { name: "Chief", salary: 100 });
    const crew = await h.ql.insert(asUser("boss"), "team", { name: "Crew", budget: 7, lead: chief.id });
    await h.ql.insert(asUser("boss"), "person", { name: "Pat", salary: 10, manager: chief.id, team: crew.id });
    await h.ql.insert(asUser("boss"), "probe", { a: "A", ab: "AB", bc: "BC", c: "C" });
    const own = await h.ql.insert(asUser("celler"), "sheet", { name: "Celler's" });
    await h.ql.insert(asUser("celler"), "cell", { name: "C1", sheet: own.id });
    const boss = await h.ql.insert(asUser("boss"), "sheet", { name: "Boss's" });
    await h.ql.insert(asUser("celler"), "tab", { name: "Celler's tab", sheet: boss.id });
    let up = (await h.ql.insert(asUser("boss"), "level0", { name: "L0" })).id;
    for (let depth = 1; depth < LEVELS; depth++) up = (await h.ql.insert(asUser("boss"), `level${depth}`, { name: `L${depth}`, up })).id;
  });

  afterAll(async () => {
    await test?.cleanup();
  });

  // Per test (see above): the engine keeps each user's compiled security.
  beforeEach(() => {
    ql = createObjectQL({ db: test.db, registry: h.registry, accessFor: async (ctx) => userAccess(LOOKUP_MODEL, "v1", ctx.userId) });
  });

  const fieldsOf = async (user: LookupUser, object: string) => {
    const { records } = await ql.find(asUser(user), { object, limit: 10 });
    return records.map((record) => Object.fromEntries(Object.entries(record).filter(([key]) => !["id", "owner_id", "created_at", "updated_at", "created_by", "updated_by"].includes(key))));
  };

  it("hides formulas that read a hidden field through a lookup, keeps those that read visible ones", async () => {
    const pat = (await fieldsOf("staff1", "person")).find((record) => record.name === "Pat")!;
    // Own salary hidden, so its double; the manager's double pay (self-lookup), the team's budget
    // and the team's lead pay (a formula of team reading person's hidden pay) likewise.
    expect(Object.keys(pat).sort()).toEqual(["manager", "manager_name", "name", "team", "team_name"]);
    expect([pat.manager_name, pat.team_name]).toEqual(["Chief", "Crew"]);
    expect(Object.keys((await fieldsOf("staff1", "team"))[0]).sort()).toEqual(["lead", "lead_name", "name"]);
  });

  it("keeps every formula for a user who sees every field, across objects that look each other up", async () => {
    // person is resolved first, then team through person's formulas (and person again through team's).
    const pat = (await fieldsOf("boss", "person")).find((record) => record.name === "Pat")!;
    expect([pat.double_pay, pat.manager_name, pat.manager_pay, pat.team_name, pat.team_budget, pat.team_lead_pay]).toEqual([20, "Chief", 200, "Crew", 7, 200]);
    const [crew] = await fieldsOf("boss", "team");
    expect([crew.lead_name, crew.lead_pay]).toEqual(["Chief", 200]);
  });

  it("shares a masked definition between users hiding the same fields only", async () => {
    const viewOf = (user: LookupUser, object: string) =>
      recordSecurity(userAccess(LOOKUP_MODEL, "v1", user), (name) => h.registry.get(name), "sqlite", () => new Date()).visibleObject(object)!;
    expect(viewOf("staff1", "person")).toBe(viewOf("staff2", "person"));
    expect(viewOf("boss", "person")).toBe(h.registry.get("person"));
    // Another user's different mask for the same object does not replace the first one.
    const left = viewOf("left", "probe");
    const right = viewOf("right", "probe");
    expect(viewOf("left", "probe")).toBe(left);
    expect(left.fields.map((field) => field.name)).toEqual(["a", "bc"]);
    expect(right.fields.map((field) => field.name)).toEqual(["ab", "c"]);
    // Without its name field (the first text field, a) a record is named by its id.
    expect([left.nameField, right.nameField]).toEqual([probe.nameField, "id"]);
    // Through the engine: each sees their own fields, whoever read first.
    expect(await fieldsOf("left", "probe")).toEqual([{ a: "A", bc: "BC" }]);
    expect(await fieldsOf("right", "probe")).toEqual([{ ab: "AB", c: "C" }]);
  });

  it("shows no child of a parent the user may not read, not even under parents they own", async () => {
    expect(await h.ql.count({ kind: "system" }, { object: "cell" })).toBe(1);
    expect(await fieldsOf("celler", "cell")).toEqual([]);
    // A private object follows its owner, whatever its master-detail field points at.
    expect((await fieldsOf("celler", "tab")).map((record) => record.name)).toEqual(["Celler's tab"]);
  });

  it("follows a chain of controlled-by-parent objects five levels up, no further", async () => {
    const names = async (user: LookupUser, depth: number) => (await fieldsOf(user, `level${depth}`)).map((record) => record.name);
    for (let depth = 0; depth < LEVELS - 1; depth++) expect(await names("boss", depth), `level${depth}`).toEqual([`L${depth}`]);
    expect(await names("boss", LEVELS - 1)).toEqual([]);
    expect(await h.ql.count({ kind: "system" }, { object: `level${LEVELS - 1}` })).toBe(1);
  });

  it("names the sharing rule whose criteria no longer compile against its object", () => {
    const access = userAccess(MODEL, "v1", "loner");
    const memoWithoutStage = { ...memo, fields: memo.fields.filter((field) => field.name !== "stage") };
    const security = recordSecurity(access, (name) => (name === "memo" ? memoWithoutStage : undefined), "sqlite", () => new Date());
    let error: unknown;
    try {
      security.rowPredicate("memo", "t", "read");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ObjectQLError);
    expect((error as ObjectQLError).path).toEqual(["sharingRules", "a_to_loner", "criteria", "field"]);
  });
});
