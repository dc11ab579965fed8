import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { MAX_AGGREGATE_LIMIT, MAX_EXPAND_DEPTH } from "@/spec/query";
import { describeError } from "@/server/api/trpc";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

/**
 * The query features of `data.*` end to end through tRPC on SQLite (the engine itself runs the
 * conformance suite on every driver): opt-in totals, honest aggregate paging, nested related
 * lists, search through lookups, and 4xx answers naming the path of a bad query.
 */

/** person <- ticket.assignee, ticket <- activity.ticket */
const object = (name: string, label: string, pluralLabel: string, fields: ObjectInput["fields"]): ObjectInput => ({ name, label, pluralLabel, fields });
const person = object("person", "Person", "People", [{ id: "p1", name: "full_name", label: "Full name", type: "text", required: true }]);
const ticket = object("ticket", "Ticket", "Tickets", [
  { id: "t1", name: "subject", label: "Subject", type: "text", required: true },
  { id: "t2", name: "assignee", label: "Assignee", type: "lookup", reference: "person" },
]);
const activity = object("activity", "Activity", "Activities", [
  { id: "a1", name: "note", label: "Note", type: "text", required: true },
  { id: "a2", name: "ticket", label: "Ticket", type: "lookup", reference: "ticket" },
]);

describe("data.* query features (SQLite)", () => {
  let h: Harness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    for (const body of [person, ticket, activity]) {
      await h.asAdmin.metadata.create({ kind: "object", body });
      await h.asAdmin.metadata.publish({ kind: "object", name: body.name });
    }
    for (const name of ["Ada Lovelace", "Grace Hopper"]) ids[name] = (await h.asAdmin.data.create({ object: "person", values: { full_name: name } })).id;
    const tickets: [string, string | null][] = [["Printer jam", "Ada Lovelace"], ["VPN down", "Grace Hopper"], ["New laptop", "Ada Lovelace"], ["Ada's badge", null]];
    for (const [subject, assignee] of tickets) {
      ids[subject] = (await h.asAdmin.data.create({ object: "ticket", values: { subject, assignee: assignee ? ids[assignee] : null } })).id;
    }
    for (const [note, subject] of [["Called", "Printer jam"], ["Replaced toner", "Printer jam"], ["Ordered", "New laptop"]]) {
      await h.asAdmin.data.create({ object: "activity", values: { note, ticket: ids[subject] } });
    }
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("counts the total only when asked (withTotal)", async () => {
    const page = await h.asAdmin.data.find({ object: "ticket", limit: 2 });
    expect(page.records).toHaveLength(2);
    expect(page).not.toHaveProperty("total");
    const counted = await h.asAdmin.data.find({ object: "ticket", limit: 2, withTotal: true });
    expect(counted.total).toBe(4);
    expect(counted.records).toEqual(page.records);
    expect((await h.asAdmin.data.find({ object: "ticket", search: "ada", withTotal: true })).total).toBe(3);
  });

  it("finds records through the names their lookups refer to", async () => {
    const found = await h.asAdmin.data.find({ object: "ticket", search: "ada", orderBy: [{ field: "subject", direction: "asc" }] });
    // Two tickets assigned to Ada, and one that names her in its own subject.
    expect(found.records.map((record) => record.subject)).toEqual(["Ada's badge", "New laptop", "Printer jam"]);
    expect(await h.asAdmin.data.count({ object: "ticket", search: "HOPPER" })).toBe(1);
  });

  it("pages aggregate groups honestly: truncated and nextOffset when groups are left out", async () => {
    const query = { object: "ticket", groupBy: [{ field: "subject" }], aggregate: [{ function: "count" as const, alias: "n" }] };
    const first = await h.asAdmin.data.aggregate({ ...query, limit: 3 });
    expect(first).toMatchObject({ truncated: true, nextOffset: 3 });
    expect(first.rows).toHaveLength(3);
    const rest = await h.asAdmin.data.aggregate({ ...query, limit: 3, offset: first.nextOffset });
    expect(rest).toEqual({ rows: [{ subject: "VPN down", n: 1 }], truncated: false });
    const error = await refused(h.asAdmin.data.aggregate({ ...query, limit: MAX_AGGREGATE_LIMIT + 1 }), "BAD_REQUEST");
    expect(describeError(error).issues).toEqual([{ path: ["limit"], message: `must be at most ${MAX_AGGREGATE_LIMIT}` }]);
  });

  it("loads nested related lists and refuses them nested too deeply with a 400 naming the path", async () => {
    const { records } = await h.asAdmin.data.find({
      object: "person",
      select: ["full_name"],
      orderBy: [{ field: "full_name", direction: "asc" }],
      expand: [{ relation: "ticket", select: ["subject"], orderBy: [{ field: "subject", direction: "asc" }], expand: [{ relation: "activity.ticket", select: ["note"], orderBy: [{ field: "note", direction: "asc" }] }] }],
    });
    const shape = records.map((record) => [
      record.full_name,
      (record.ticket as Record<string, unknown>[]).map((child) => [child.subject, (child["activity.ticket"] as Record<string, unknown>[]).map((grandchild) => grandchild.note)]),
    ]);
    expect(shape).toEqual([
      ["Ada Lovelace", [["New laptop", ["Ordered"]], ["Printer jam", ["Called", "Replaced toner"]]]],
      ["Grace Hopper", [["VPN down", []]]],
    ]);

    let expand: Record<string, unknown>[] = [{ relation: "activity" }];
    for (let level = 0; level < MAX_EXPAND_DEPTH; level++) expand = [{ relation: "ticket", expand }];
    const tooDeep = await refused(h.asAdmin.data.find({ object: "person", expand } as never), "BAD_REQUEST");
    expect(getHTTPStatusCodeFromError(tooDeep)).toBe(400);
    const { message, issues } = describeError(tooDeep);
    expect(message).toMatch(/expand\.0\.expand\.0\.expand\.0\.expand: expand may be nested at most 3 levels deep/);
    expect(issues?.[0]?.path).toEqual(["expand", 0, "expand", 0, "expand", 0, "expand"]);

    const unknown = await refused(h.asAdmin.data.find({ object: "person", expand: [{ relation: "ticket", expand: [{ relation: "activity.nope" }] }] }), "BAD_REQUEST");
    expect(describeError(unknown).issues?.[0]?.path).toEqual(["expand", 0, "expand", 0, "relation"]);
    expect(unknown.message).toMatch(/'nope' is not a lookup of object 'activity' to 'ticket'/);
  });
});
