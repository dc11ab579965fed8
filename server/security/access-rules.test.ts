import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createObjectQL, type ObjectQL, type SecurityContext } from "@/server/objectql/objectql";
import { ObjectQLError } from "@/server/objectql/errors";
import { Harness, defineObject } from "@/server/objectql/test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "@/server/objectql/test-support/test-databases";
import { securitySchema } from "@/spec/security";
import { userAccess } from "./access";
import { externalAccess } from "./external-access";

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
