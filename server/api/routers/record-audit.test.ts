import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { securitySchema } from "@/spec/security";
import { createCaller } from "@/server/api/root";
import type { CurrentUser } from "@/server/auth/options";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

const queue: ObjectInput = {
  name: "queue",
  label: "Queue",
  pluralLabel: "Queues",
  fields: [{ id: "q1", name: "title", label: "Title", type: "text", required: true }],
};

const ticket: ObjectInput = {
  name: "ticket",
  label: "Ticket",
  pluralLabel: "Tickets",
  fields: [
    { id: "k1", name: "subject", label: "Subject", type: "text", required: true },
    { id: "k2", name: "points", label: "Points", type: "number" },
    { id: "k3", name: "secret", label: "Secret", type: "text" },
    { id: "k4", name: "queue", label: "Queue", type: "lookup", reference: "queue" },
  ],
};

/** The record audit trail through tRPC: admins' audit procedures, and data.history as users may see it. */
describe("record audit router", () => {
  let h: Harness;
  let other: ReturnType<typeof createCaller>;
  let mine: string;
  let adminsOwn: string;
  let hidden: string;
  let queues: { helpdesk: string; hidden: string };

  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    await h.asAdmin.metadata.create({ kind: "object", body: queue });
    await h.asAdmin.metadata.publish({ kind: "object", name: "queue" });
    await h.asAdmin.metadata.create({ kind: "object", body: ticket });
    await h.asAdmin.metadata.publish({ kind: "object", name: "ticket" });
    // Staff edit their own tickets (private), never see `secret`; every field of ticket is tracked.
    const model = securitySchema.parse({
      profiles: [{ name: "staff", label: "Staff", objects: { ticket: { create: true, read: true, edit: true, fields: { secret: "none" } }, queue: { create: true, read: true, edit: true } } }],
      defaultProfile: "staff",
      orgWideDefaults: { ticket: "private", queue: "private" },
      trackedFields: { ticket: ["subject", "points", "secret", "queue"] },
    });
    await h.asAdmin.metadata.create({ kind: "security", body: model });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org", note: "track tickets" });
    const otherRow = await h.services.platformDb.user.create({ data: { email: "other@test.local", name: "Other", role: "user" } });
    const otherUser: CurrentUser = { id: otherRow.id, email: otherRow.email, name: otherRow.name, role: "user" };
    other = createCaller({ user: otherUser, services: h.services });

    // Queues: one the user created (theirs to read), one only the admin can see (private).
    const helpdesk = (await h.asUser.data.create({ object: "queue", values: { title: "Helpdesk" } })).id;
    hidden = (await h.asAdmin.data.create({ object: "queue", values: { title: "Hidden queue" } })).id;
    mine = (await h.asUser.data.create({ object: "ticket", values: { subject: "Printer", points: 1, queue: helpdesk } })).id;
    await h.asAdmin.data.update({ object: "ticket", id: mine, values: { queue: hidden } });
    queues = { helpdesk, hidden };
    await h.asUser.data.update({ object: "ticket", id: mine, values: { subject: "Printer on fire", points: 3 } });
    await h.asAdmin.data.update({ object: "ticket", id: mine, values: { secret: "root cause" } });
    adminsOwn = (await h.asAdmin.data.create({ object: "ticket", values: { subject: "Admin's own" } })).id;
    await h.asAdmin.data.update({ object: "ticket", id: adminsOwn, values: { points: 8 } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("shows a user the history of a record they can read, without the fields they cannot", async () => {
    const { rows, more } = await h.asUser.data.history({ object: "ticket", id: mine });
    expect(more).toBe(false);
    // Newest first (one update's fields in reverse order of writing), the "Created." row last.
    expect(rows.map((row) => [row.field, row.oldValue, row.newValue, row.actor?.email])).toEqual([
      ["points", 1, 3, "user@test.local"],
      ["subject", "Printer", "Printer on fire", "user@test.local"],
      // A lookup is named as the reader sees the related record: the hidden queue stays an id.
      ["queue", { id: queues.helpdesk, name: "Helpdesk" }, { id: queues.hidden, name: null }, "admin@test.local"],
      [null, null, null, "user@test.local"],
    ]);
    // The admin sees the secret's change too.
    const all = await h.asAdmin.data.history({ object: "ticket", id: mine });
    expect(all.rows.map((row) => row.field)).toContain("secret");
    expect(all.rows.find((row) => row.field === "queue")?.newValue).toEqual({ id: hidden, name: "Hidden queue" });
  });

  it("refuses the history of records the user cannot read, as if they did not exist", async () => {
    await refused(h.asUser.data.history({ object: "ticket", id: adminsOwn }), "NOT_FOUND");
    await refused(other.data.history({ object: "ticket", id: mine }), "NOT_FOUND");
    await refused(h.asUser.data.history({ object: "ticket", id: "no-such-record" }), "NOT_FOUND");
    await refused(h.anonymous.data.history({ object: "ticket", id: mine }), "UNAUTHORIZED");
    const bad = await refused(h.asUser.data.history({ object: "Not An Identifier", id: mine }), "BAD_REQUEST");
    expect(bad.message).toContain("object");
  });

  it("refuses the audit procedures to signed-out users and non-admins", async () => {
    for (const caller of [h.asUser, other]) {
      await refused(caller.recordAudit.fieldHistory({}), "FORBIDDEN");
      await refused(caller.recordAudit.recordEvents({}), "FORBIDDEN");
      await refused(caller.recordAudit.metadataChanges({}), "FORBIDDEN");
      await refused(caller.recordAudit.metadataChange({ kind: "object", name: "ticket", version: 1 }), "FORBIDDEN");
      await refused(caller.recordAudit.exportFieldHistory({}), "FORBIDDEN");
      await refused(caller.recordAudit.exportRecordEvents({}), "FORBIDDEN");
      await refused(caller.recordAudit.exportMetadataChanges({}), "FORBIDDEN");
    }
    await refused(h.anonymous.recordAudit.fieldHistory({}), "UNAUTHORIZED");
  });

  it("lists, filters and exports the field history and record events for admins", async () => {
    const all = await h.asAdmin.recordAudit.fieldHistory({ object: "ticket" });
    expect(all.total).toBe(7); // 2 Created. + queue, points, subject, secret + admin's points
    const byUser = await h.asAdmin.recordAudit.fieldHistory({ user: "user@test", field: "subject" });
    expect(byUser.rows.map((row) => [row.recordId, row.oldValue, row.newValue])).toEqual([[mine, "Printer", "Printer on fire"]]);
    const paged = await h.asAdmin.recordAudit.fieldHistory({ recordId: mine, page: 2, pageSize: 2 });
    expect([paged.total, paged.rows.length]).toEqual([5, 2]);

    const events = await h.asAdmin.recordAudit.recordEvents({ kind: "create" });
    expect(events.rows.filter((row) => row.object === "ticket").map((row) => row.recordId).sort()).toEqual([mine, adminsOwn].sort());

    const exported = await h.asAdmin.recordAudit.exportFieldHistory({ field: "subject" });
    expect(exported).toMatchObject({ rows: 1, total: 1, capped: false, limit: 10_000 });
    expect(exported.fileName).toMatch(/^field-history-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, line] = exported.csv.trim().split("\r\n");
    expect(header).toBe("time,object,record_id,field,old_value,new_value,user,user_id");
    expect(line).toContain(`ticket,${mine},subject,Printer,Printer on fire,user@test.local,${h.user.id}`);
    expect((await h.asAdmin.recordAudit.exportRecordEvents({})).csv).toContain(",create,");
  });

  it("answers bad filters with a 4xx naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ from: "yesterday" }, "from"],
      [{ from: "2026-02-01", to: "2026-01-01" }, "to"],
      [{ pageSize: 5000 }, "pageSize"],
      [{ object: "1bad name" }, "object"],
      [{ field: "" }, "field"],
      [{ recordId: "x".repeat(101) }, "recordId"],
    ];
    for (const [input, path] of cases) {
      const error = await refused(h.asAdmin.recordAudit.fieldHistory(input as never), "BAD_REQUEST");
      expect(error.message).toContain(path);
    }
    await refused(h.asAdmin.recordAudit.recordEvents({ kind: "update" } as never), "BAD_REQUEST");
    await refused(h.asAdmin.recordAudit.metadataChanges({ kind: "no_such_kind" } as never), "BAD_REQUEST");
    await refused(h.asAdmin.recordAudit.metadataChange({ kind: "object", name: "ticket", version: 99 }), "NOT_FOUND");
  });

  it("lists metadata changes across documents, with who, the note, a studio link and what changed", async () => {
    const { rows, total } = await h.asAdmin.recordAudit.metadataChanges({});
    expect(total).toBe(3);
    expect(rows.map((row) => [row.kind, row.name, row.version, row.actor?.email, row.href])).toEqual([
      ["security", "org", 1, "admin@test.local", "/studio/security"],
      ["object", "ticket", 1, "admin@test.local", "/studio/objects/ticket"],
      ["object", "queue", 1, "admin@test.local", "/studio/objects/queue"],
    ]);
    expect(rows[0].note).toBe("track tickets");
    expect((await h.asAdmin.recordAudit.metadataChanges({ kind: "object", name: "tick" })).total).toBe(1);
    expect((await h.asAdmin.recordAudit.metadataChanges({ user: "nobody" })).total).toBe(0);
    const change = await h.asAdmin.recordAudit.metadataChange({ kind: "object", name: "ticket", version: 1 });
    expect(change.first).toBe(true);
    expect(change.changes.map((entry) => entry.path)).toContain("label");
    expect((await h.asAdmin.recordAudit.exportMetadataChanges({ kind: "security" })).csv).toContain("security,org,1,admin@test.local,track tickets");
  });
});
