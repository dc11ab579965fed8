import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import type { SecurityModelInput } from "@/spec/security";
import { createCaller } from "@/server/api/root";
import type { CurrentUser } from "@/server/auth/options";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

const deal: ObjectInput = {
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "name", label: "Name", type: "text", required: true },
    { id: "d2", name: "amount", label: "Amount", type: "number" },
    { id: "d3", name: "margin", label: "Margin", type: "number" },
  ],
};

type Caller = ReturnType<typeof createCaller>;

/**
 * Manual sharing, ownership transfer, per-record access and export through the `data` router, under a published
 * private model: who may share, what a share opens, what is refused and how.
 */
describe("sharing router (data.share, unshare, shares, recordAccess, changeOwner, export)", () => {
  let h: Harness;
  let peer: CurrentUser;
  let manager: CurrentUser;
  let asPeer: Caller;
  let asManager: Caller;
  let dealId: string;

  async function addUser(email: string): Promise<CurrentUser> {
    const row = await h.services.platformDb.user.create({ data: { email, name: email.split("@")[0], role: "user", passwordHash: "x" } });
    return { id: row.id, email: row.email, name: row.name, role: "user" };
  }

  async function publishModel(model: SecurityModelInput) {
    const existing = await h.asAdmin.metadata.get({ kind: "security", name: "org" }).catch(() => null);
    if (existing) await h.asAdmin.metadata.saveDraft({ kind: "security", name: "org", body: model, baseRevision: existing.draftRevision });
    else await h.asAdmin.metadata.create({ kind: "security", body: model });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org" });
    await h.services.security.ensureFresh(true);
  }

  const model = (): SecurityModelInput => ({
    profiles: [
      { name: "standard", label: "Standard", objects: { deal: { create: true, read: true, edit: true, delete: true, fields: { margin: "none" } } } },
    ],
    permissionSets: [{ name: "exporter", label: "Exporter", objects: { deal: { read: true, export: true, fields: { margin: "none" } } } }],
    defaultProfile: "standard",
    roles: [{ name: "boss", label: "Boss" }, { name: "rep", label: "Rep", parent: "boss" }],
    groups: [{ name: "team", label: "Team", users: [peer.id] }],
    orgWideDefaults: { deal: "private" },
    assignments: {
      [h.user.id]: { profile: "standard", role: "rep" },
      [peer.id]: { profile: "standard", role: "rep" },
      [manager.id]: { profile: "standard", role: "boss", permissionSets: ["exporter"] },
    },
  });

  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    peer = await addUser("peer@test.local");
    manager = await addUser("manager@test.local");
    asPeer = createCaller({ user: peer, services: h.services });
    asManager = createCaller({ user: manager, services: h.services });
    await h.asAdmin.metadata.create({ kind: "object", body: deal });
    await h.asAdmin.metadata.publish({ kind: "object", name: "deal" });
    await publishModel(model());
    dealId = (await h.asUser.data.create({ object: "deal", values: { name: "Mine", amount: 10 } })).id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("the owner shares with a user: the user then reads (not edits) it; removing the share hides it again", async () => {
    await refused(asPeer.data.get({ object: "deal", id: dealId }), "NOT_FOUND");
    await h.asUser.data.share({ object: "deal", id: dealId, principal: { kind: "user", name: peer.email }, access: "read" });
    expect((await asPeer.data.get({ object: "deal", id: dealId })).name).toBe("Mine");
    await refused(asPeer.data.update({ object: "deal", id: dealId, values: { amount: 11 } }), "FORBIDDEN");
    // The record page asks what the user may do with this record (Edit and Delete show accordingly).
    expect(await asPeer.data.recordAccess({ object: "deal", id: dealId })).toEqual({ read: true, edit: false, delete: false });
    expect(await h.asUser.data.recordAccess({ object: "deal", id: dealId })).toEqual({ read: true, edit: true, delete: true });

    const listed = await h.asUser.data.shares({ object: "deal", id: dealId });
    expect(listed.canManage).toBe(true);
    expect(listed.owner).toMatchObject({ id: h.user.id, email: h.user.email });
    expect(listed.shares).toEqual([expect.objectContaining({ principal: `user:${peer.id}`, kind: "user", access: "read", label: `peer (${peer.email})` })]);
    // The peer sees the shares but may not change them.
    expect((await asPeer.data.shares({ object: "deal", id: dealId })).canManage).toBe(false);
    await refused(asPeer.data.share({ object: "deal", id: dealId, principal: { kind: "user", name: peer.id }, access: "edit" }), "FORBIDDEN");

    // Sharing again changes the level: now the peer edits.
    await h.asUser.data.share({ object: "deal", id: dealId, principal: { kind: "user", name: peer.id }, access: "edit" });
    expect((await h.asUser.data.shares({ object: "deal", id: dealId })).shares).toHaveLength(1);
    expect((await asPeer.data.update({ object: "deal", id: dealId, values: { amount: 11 } })).amount).toBe(11);
    expect(await asPeer.data.recordAccess({ object: "deal", id: dealId })).toEqual({ read: true, edit: true, delete: false });

    await h.asUser.data.unshare({ object: "deal", id: dealId, principal: { kind: "user", name: peer.id } });
    await refused(asPeer.data.get({ object: "deal", id: dealId }), "NOT_FOUND");
    await refused(asPeer.data.recordAccess({ object: "deal", id: dealId }), "NOT_FOUND");
    const again = await refused(h.asUser.data.unshare({ object: "deal", id: dealId, principal: { kind: "user", name: peer.id } }), "NOT_FOUND");
    expect(again.message).toContain("not shared");
  });

  it("shares with a group of the published model; a manager above the owner and an admin may share too", async () => {
    await asManager.data.share({ object: "deal", id: dealId, principal: { kind: "group", name: "team" }, access: "read" });
    expect((await asPeer.data.get({ object: "deal", id: dealId })).id).toBe(dealId);
    const listed = await h.asAdmin.data.shares({ object: "deal", id: dealId });
    expect(listed.shares.map((share) => [share.principal, share.label])).toEqual([["group:team", "Team"]]);
    await h.asAdmin.data.unshare({ object: "deal", id: dealId, principal: { kind: "group", name: "team" } });
    await refused(asPeer.data.get({ object: "deal", id: dealId }), "NOT_FOUND");
  });

  it("refuses bad input with a 4xx naming the field", async () => {
    const noUser = await refused(h.asUser.data.share({ object: "deal", id: dealId, principal: { kind: "user", name: "nobody@test.local" }, access: "read" }), "BAD_REQUEST");
    expect(noUser.cause).toMatchObject({ issues: [{ path: ["principal", "name"] }] });
    const noGroup = await refused(h.asUser.data.share({ object: "deal", id: dealId, principal: { kind: "group", name: "nope" }, access: "read" }), "BAD_REQUEST");
    expect(noGroup.message).toContain("No group 'nope'");
    const level = await refused(h.asUser.data.share({ object: "deal", id: dealId, principal: { kind: "user", name: peer.id }, access: "own" as "read" }), "BAD_REQUEST");
    expect(JSON.stringify(level.cause)).toContain("access");
    await refused(h.asUser.data.share({ object: "nothing", id: dealId, principal: { kind: "user", name: peer.id }, access: "read" }), "NOT_FOUND");
    await refused(h.asUser.data.shares({ object: "deal", id: "missing" }), "NOT_FOUND");
    const owner = await refused(h.asUser.data.changeOwner({ object: "deal", id: dealId, ownerId: "ghost" }), "BAD_REQUEST");
    expect(owner.cause).toMatchObject({ issues: [{ path: ["ownerId"] }] });
  });

  it("changes the owner: the new owner reads it, the old one (private) no longer does, the version moves on", async () => {
    const before = await h.asUser.data.get({ object: "deal", id: dealId });
    await refused(asPeer.data.changeOwner({ object: "deal", id: dealId, ownerId: peer.id }), "NOT_FOUND");
    const moved = await h.asUser.data.changeOwner({ object: "deal", id: dealId, ownerId: peer.email });
    expect(moved).toEqual({ id: dealId, owner: { id: peer.id, name: "peer" }, visible: false });
    const after = await asPeer.data.get({ object: "deal", id: dealId });
    expect(after.owner_id).toBe(peer.id);
    expect(after.updated_by).toBe(h.user.id);
    expect(Date.parse(String(after.updated_at))).toBeGreaterThan(Date.parse(String(before.updated_at)));
    await refused(h.asUser.data.get({ object: "deal", id: dealId }), "NOT_FOUND");
    // The manager (above both reps) gives it back.
    expect((await asManager.data.changeOwner({ object: "deal", id: dealId, ownerId: h.user.id })).visible).toBe(true);
    expect((await h.asUser.data.get({ object: "deal", id: dealId })).owner_id).toBe(h.user.id);
    // Both transfers are in the record's history (no field of deal is tracked), owners named, newest first.
    const { rows } = await h.asUser.data.history({ object: "deal", id: dealId });
    expect(rows.map((row) => [row.field, row.oldValue, row.newValue, row.actor?.id])).toEqual([
      ["owner_id", { id: peer.id, name: "peer" }, { id: h.user.id, name: h.user.name }, manager.id],
      ["owner_id", { id: h.user.id, name: h.user.name }, { id: peer.id, name: "peer" }, h.user.id],
    ]);
  });

  it("exports the visible records and readable fields as CSV, only with the Export permission", async () => {
    await asPeer.data.create({ object: "deal", values: { name: "Peer's, \"quoted\"", amount: 5 } });
    await refused(h.asUser.data.export({ object: "deal" }), "FORBIDDEN");
    const exported = await asManager.data.export({ object: "deal", orderBy: [{ field: "name", direction: "asc" }] });
    const lines = exported.csv.trim().split("\r\n");
    expect(lines[0]).toBe("id,name,amount");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("Mine");
    expect(lines[2]).toContain('"Peer\'s, ""quoted"""');
    expect(exported).toMatchObject({ rows: 2, truncated: false });
    const filtered = await asManager.data.export({ object: "deal", filter: { field: "amount", operator: ">", value: 6 } });
    expect(filtered.rows).toBe(1);
    const hidden = await refused(asManager.data.export({ object: "deal", filter: { field: "margin", operator: "is_null" } }), "BAD_REQUEST");
    expect(hidden.message).toContain("margin");
  });
});
