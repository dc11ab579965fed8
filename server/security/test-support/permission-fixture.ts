import type { DataDatabase } from "@/server/db/data-db";
import { createObjectQL, type ObjectQL, type SecurityContext } from "@/server/objectql/objectql";
import { Harness, defineObject } from "@/server/objectql/test-support/fixtures";
import { userAccess } from "../access";
import { securitySchema, type SecurityModel } from "@/spec/security";

/**
 * The permission test fixture: three related objects (line items controlled by their
 * opportunity) and a model with six users of different profiles, permission sets, roles,
 * groups and sharing rules. Used by the permission matrix and by access explain's tests.
 */

export const account = defineObject({
  name: "account", label: "Account", pluralLabel: "Accounts",
  fields: [
    { id: "a1", name: "name", label: "Name", type: "text", required: true },
    { id: "a2", name: "region", label: "Region", type: "select", options: [{ value: "north", label: "North" }, { value: "south", label: "South" }] },
    { id: "a3", name: "revenue", label: "Revenue", type: "number" },
  ],
});
export const opportunity = defineObject({
  name: "opportunity", label: "Opportunity", pluralLabel: "Opportunities",
  fields: [
    { id: "o1", name: "name", label: "Name", type: "text", required: true },
    { id: "o2", name: "amount", label: "Amount", type: "number" },
    { id: "o3", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }, { value: "lost", label: "Lost" }] },
    { id: "o4", name: "account", label: "Account", type: "lookup", reference: "account" },
    { id: "o5", name: "secret_note", label: "Secret note", type: "text" },
  ],
});
export const lineItem = defineObject({
  name: "line_item", label: "Line item", pluralLabel: "Line items",
  fields: [
    { id: "l1", name: "name", label: "Name", type: "text", required: true },
    { id: "l2", name: "quantity", label: "Quantity", type: "number" },
    { id: "l3", name: "opportunity", label: "Opportunity", type: "master_detail", reference: "opportunity" },
  ],
});

export const USERS = ["ceo", "mgr", "rep1", "rep2", "support", "auditor"] as const;
export type User = (typeof USERS)[number];
export const OBJECTS = ["account", "opportunity", "line_item"] as const;
export type ObjectName = (typeof OBJECTS)[number];

const crud = { create: true, read: true, edit: true, delete: true };
export const MODEL: SecurityModel = securitySchema.parse({
  profiles: [
    { name: "standard", label: "Standard", objects: { account: crud, opportunity: crud, line_item: crud } },
    // Read-only opportunities, no accounts at all, secret notes hidden; line items readable.
    { name: "restricted", label: "Restricted", objects: { opportunity: { read: true, fields: { secret_note: "none" } }, line_item: { read: true } } },
    // Accounts only, revenue hidden.
    { name: "support", label: "Support", objects: { account: { read: true, fields: { revenue: "none" } } } },
  ],
  permissionSets: [
    { name: "auditor", label: "Auditor", objects: { opportunity: { read: true, viewAll: true }, account: { read: true, fieldDefault: "read" } } },
  ],
  roles: [
    { name: "ceo", label: "CEO" },
    { name: "sales_manager", label: "Sales manager", parent: "ceo" },
    { name: "sales_rep", label: "Sales rep", parent: "sales_manager" },
    { name: "support_agent", label: "Support agent" },
  ],
  groups: [{ name: "big_deals", label: "Big deals", users: ["support"], roles: ["sales_rep"] }],
  orgWideDefaults: { account: "public_read", opportunity: "private", line_item: "controlled_by_parent" },
  sharingRules: [
    { name: "won_to_reps", label: "Won deals to reps", object: "opportunity", criteria: { field: "stage", operator: "=", value: "won" }, sharedWith: { kind: "role", name: "sales_rep" }, access: "read" },
    { name: "big_to_group", label: "Big deals", object: "opportunity", criteria: { field: "amount", operator: ">=", value: 5000 }, sharedWith: { kind: "group", name: "big_deals" }, access: "edit" },
  ],
  assignments: {
    ceo: { profile: "standard", role: "ceo" },
    mgr: { profile: "standard", role: "sales_manager" },
    rep1: { profile: "standard", role: "sales_rep" },
    rep2: { profile: "restricted", role: "sales_rep" },
    support: { profile: "support", role: "support_agent" },
    auditor: { profile: "standard", permissionSets: ["auditor"] },
  },
});

export const ctxOf = (user: User): SecurityContext => ({ kind: "user", userId: user, role: "user" });

/**
 * Syncs the three objects into `db` and inserts the fixture's records, each created by its
 * owner (the unrestricted harness engine records the creator as owner). Returns the harness
 * and an engine that enforces MODEL.
 */
export async function loadPermissionFixture(db: DataDatabase): Promise<{ h: Harness; ql: ObjectQL }> {
  const h = new Harness(db);
  for (const object of [account, opportunity, lineItem]) await h.sync(object);
  const access = new Map(USERS.map((user) => [user, userAccess(MODEL, "v1", user)]));
  const ql = createObjectQL({ db, registry: h.registry, accessFor: async (ctx) => access.get(ctx.userId as User) ?? null });
  const owners: User[] = ["ceo", "mgr", "rep1", "rep2", "auditor", "rep1"];
  const accounts: string[] = [];
  for (const [index, owner] of owners.entries()) {
    accounts.push((await h.ql.insert(ctxOf(owner), "account", { name: `Account ${index}`, region: index % 2 ? "south" : "north", revenue: 1000 * (index + 1) })).id);
  }
  const stages = ["open", "won", "lost"];
  const opportunities: string[] = [];
  for (let index = 0; index < 18; index++) {
    opportunities.push((await h.ql.insert(ctxOf(owners[index % owners.length]), "opportunity", {
      name: `Deal ${index}`, amount: index * 700, stage: stages[index % 3], account: accounts[index % accounts.length], secret_note: `secret-${index}`,
    })).id);
  }
  for (let index = 0; index < 24; index++) {
    await h.ql.insert(ctxOf(owners[index % owners.length]), "line_item", { name: `Item ${index}`, quantity: index, opportunity: opportunities[(index * 5) % opportunities.length] });
  }
  return { h, ql };
}
