import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

const ticket: ObjectInput = {
  name: "ticket",
  label: "Ticket",
  pluralLabel: "Tickets",
  fields: [
    { id: "t1", name: "subject", label: "Subject", type: "text", required: true },
    { id: "t2", name: "priority", label: "Priority", type: "select", options: [{ value: "high", label: "High" }, { value: "low", label: "Low" }] },
    { id: "t3", name: "cost", label: "Cost", type: "number" },
  ],
};

const comment: ObjectInput = {
  name: "comment",
  label: "Comment",
  pluralLabel: "Comments",
  fields: [
    { id: "c1", name: "body", label: "Body", type: "text", required: true },
    { id: "c2", name: "ticket", label: "Ticket", type: "master_detail", reference: "ticket" },
  ],
};

/** access.explain over the real services: the verdict matches what the user gets from data.*, with reasons. */
describe("access router (access.explain)", () => {
  let h: Harness;
  let high: string;
  let low: string;
  const comments: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    await h.asAdmin.metadata.create({ kind: "object", body: ticket });
    await h.asAdmin.metadata.publish({ kind: "object", name: "ticket" });
    high = (await h.asAdmin.data.create({ object: "ticket", values: { subject: "Server down", priority: "high", cost: 100 } })).id;
    low = (await h.asAdmin.data.create({ object: "ticket", values: { subject: "Typo", priority: "low", cost: 1 } })).id;
    await h.asAdmin.metadata.create({ kind: "object", body: comment });
    await h.asAdmin.metadata.publish({ kind: "object", name: "comment" });
    for (const ticket of [high, low]) comments[ticket] = (await h.asAdmin.data.create({ object: "comment", values: { body: "On it", ticket } })).id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("says the model is open before one is published", async () => {
    const open = await h.asAdmin.access.explain({ userId: h.user.id, object: "ticket", recordId: low });
    expect(open).toMatchObject({ read: true, edit: true, delete: true, user: { id: h.user.id, email: "user@test.local" } });
    expect(open.reasons[0]).toContain("No security model is published");
  });

  it("explains a private object with a sharing rule, in agreement with what the user gets", async () => {
    await h.asAdmin.metadata.create({
      kind: "security",
      body: {
        profiles: [{ name: "agent", label: "Agent", objects: { ticket: { read: true, edit: true, fields: { cost: "none" } }, comment: { read: true } } }],
        roles: [{ name: "support", label: "Support" }],
        orgWideDefaults: { ticket: "private", comment: "controlled_by_parent" },
        sharingRules: [{ name: "urgent", label: "Urgent tickets", object: "ticket", criteria: { field: "priority", operator: "=", value: "high" }, sharedWith: { kind: "role", name: "support" }, access: "read" }],
        assignments: { [h.user.id]: { profile: "agent", role: "support" } },
      },
    });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org" });
    await h.services.security.ensureFresh(true);

    const shared = await h.asAdmin.access.explain({ userId: "user@test.local", object: "ticket", recordId: high });
    expect(shared).toMatchObject({ read: true, edit: false, delete: false });
    expect(shared.reasons).toEqual(expect.arrayContaining([
      "Profile 'Agent' grants Read, Edit on Ticket",
      "Org-wide default for Ticket is Private",
      "Sharing rule 'Urgent tickets' matches (priority = high) and shares with role Support (read)",
    ]));
    expect(shared.fields).toEqual([
      expect.objectContaining({ name: "subject", access: "read" }),
      expect.objectContaining({ name: "priority", access: "read" }),
      { name: "cost", label: "Cost", access: "none", reason: "Field 'cost' is hidden by every profile and permission set the user has" },
    ]);
    expect((await h.asUser.data.get({ object: "ticket", id: high })).subject).toBe("Server down");

    const hidden = await h.asAdmin.access.explain({ userId: h.user.id, object: "ticket", recordId: low });
    expect(hidden.read).toBe(false);
    expect(hidden.reasons).toContain("Sharing rule 'Urgent tickets' (priority = high) shares with role Support (read), but the record does not match");
    await refused(h.asUser.data.get({ object: "ticket", id: low }), "NOT_FOUND");

    // A comment is as visible as its ticket: the router loads the master record and asks which rules match it.
    const onHigh = await h.asAdmin.access.explain({ userId: h.user.id, object: "comment", recordId: comments[high] });
    expect(onHigh).toMatchObject({ read: true, edit: false });
    expect(onHigh.reasons[onHigh.reasons.indexOf("Org-wide default for Comment is Controlled by parent: its records are as visible and editable as their ticket record") + 1])
      .toBe("The user may read its master Ticket 'Server down':");
    expect(onHigh.reasons).toContain("  Sharing rule 'Urgent tickets' matches (priority = high) and shares with role Support (read)");
    expect((await h.asUser.data.get({ object: "comment", id: comments[high] })).id).toBe(comments[high]);
    expect((await h.asAdmin.access.explain({ userId: h.user.id, object: "comment", recordId: comments[low] })).read).toBe(false);
    await refused(h.asUser.data.get({ object: "comment", id: comments[low] }), "NOT_FOUND");

    // The admin themselves: never restricted.
    expect((await h.asAdmin.access.explain({ userId: h.admin.id, object: "ticket", recordId: low })).read).toBe(true);
  });

  it("is for admins only, and names the input it cannot find", async () => {
    await refused(h.asUser.access.explain({ userId: h.user.id, object: "ticket", recordId: high }), "FORBIDDEN");
    const user = await refused(h.asAdmin.access.explain({ userId: "ghost", object: "ticket", recordId: high }), "NOT_FOUND");
    expect(user.cause).toMatchObject({ issues: [{ path: ["userId"] }] });
    const object = await refused(h.asAdmin.access.explain({ userId: h.user.id, object: "nothing", recordId: high }), "NOT_FOUND");
    expect(object.cause).toMatchObject({ issues: [{ path: ["object"] }] });
    const record = await refused(h.asAdmin.access.explain({ userId: h.user.id, object: "ticket", recordId: "missing" }), "NOT_FOUND");
    expect(record.cause).toMatchObject({ issues: [{ path: ["recordId"] }] });
    await refused(h.asAdmin.access.explain({ userId: h.user.id, object: "Bad name!", recordId: high }), "BAD_REQUEST");
  });
});
