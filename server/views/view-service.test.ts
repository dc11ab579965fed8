import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import type { ViewInput } from "@/spec/view";
import { createCaller } from "@/server/api/root";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

const STAGES = [{ value: "open", label: "Open" }, { value: "won", label: "Won" }, { value: "lost", label: "Lost" }];
const deal: ObjectInput = {
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "name", label: "Name", type: "text", required: true },
    { id: "d2", name: "stage", label: "Stage", type: "select", options: STAGES },
    { id: "d3", name: "amount", label: "Amount", type: "number" },
    { id: "d4", name: "margin", label: "Margin", type: "number" },
    { id: "d5", name: "close_date", label: "Close date", type: "date" },
  ],
};
const secret: ObjectInput = {
  name: "secret",
  label: "Secret",
  pluralLabel: "Secrets",
  fields: [{ id: "s1", name: "name", label: "Name", type: "text" }],
};

const sharedViews: ViewInput[] = [
  { name: "big_deals", label: "Big deals", object: "deal", filter: { field: "amount", operator: ">", value: 1000 }, columns: [{ field: "name" }, { field: "amount" }, { field: "margin" }] },
  { name: "all_deals", label: "All deals", object: "deal", isDefault: true, columns: [{ field: "name" }, { field: "margin", width: 120 }], sort: [{ field: "margin", direction: "desc" }, { field: "name", direction: "asc" }] },
  { name: "pipeline", label: "Pipeline", object: "deal", type: "kanban", kanban: { groupField: "stage", cardFields: ["amount", "margin"], summary: { aggregate: "sum", field: "margin" } } },
  // Filters on a field the user may not read: not a view for them at all.
  { name: "thin_margins", label: "Thin margins", object: "deal", filter: { field: "margin", operator: "<", value: 5 } },
];

/**
 * Views at run time through the tRPC callers: the shared (published) views of an object as each
 * user may see them, and personal views that only their owner can list, rename or delete.
 */
describe("views router", () => {
  let h: Harness;
  let asOther: ReturnType<typeof createCaller>;

  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    for (const object of [deal, secret]) {
      await h.asAdmin.metadata.create({ kind: "object", body: object });
      await h.asAdmin.metadata.publish({ kind: "object", name: object.name });
    }
    for (const view of sharedViews) {
      await h.asAdmin.metadata.create({ kind: "view", body: view });
      await h.asAdmin.metadata.publish({ kind: "view", name: view.name });
    }
    await h.asAdmin.metadata.create({
      kind: "security",
      body: {
        profiles: [{ name: "standard", label: "Standard", objects: { deal: { read: true, edit: true, create: true, fields: { margin: "none" } } } }],
        defaultProfile: "standard",
        orgWideDefaults: { deal: "public_read_write" },
      },
    });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org" });
    await h.services.security.ensureFresh(true);
    const other = await h.services.platformDb.user.create({ data: { email: "other@test.local", name: "Other", role: "user" } });
    asOther = createCaller({ user: { id: other.id, email: other.email, name: other.name, role: "user" }, services: h.services });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("lists the shared views default first, masked to the fields the user may read", async () => {
    const forAdmin = await h.asAdmin.views.forObject({ object: "deal" });
    expect(forAdmin.shared.map((view) => view.name)).toEqual(["all_deals", "big_deals", "pipeline", "thin_margins"]);
    expect(forAdmin.shared[0]!.columns.map((column) => column.field)).toEqual(["name", "margin"]);

    const forUser = await h.asUser.views.forObject({ object: "deal" });
    expect(forUser.shared.map((view) => view.name)).toEqual(["all_deals", "big_deals", "pipeline"]);
    const [all, big, pipeline] = forUser.shared;
    expect(all!.columns).toEqual([{ field: "name" }]);
    expect(all!.sort).toEqual([{ field: "name", direction: "asc" }]);
    expect(big!.columns.map((column) => column.field)).toEqual(["name", "amount"]);
    expect(pipeline!.kanban).toMatchObject({ groupField: "stage", cardFields: ["amount"] });
    expect(pipeline!.kanban!.summary).toBeUndefined();
    expect(forUser.mine).toEqual([]);
  });

  it("saves, lists, renames and deletes the user's own views", async () => {
    const saved = await h.asUser.views.save({
      object: "deal",
      view: { label: "My open deals", type: "grid", columns: [{ field: "name" }, { field: "stage" }], filter: { field: "stage", operator: "=", value: "open" }, sort: [{ field: "amount", direction: "desc" }] },
    });
    expect(saved).toMatchObject({ name: "my_my_open_deals", label: "My open deals", object: "deal", isDefault: false });
    const second = await h.asUser.views.save({ object: "deal", view: { label: "My open deals", type: "calendar", calendar: { startField: "close_date" } } });
    expect(second.name).toBe("my_my_open_deals_2");

    let listed = await h.asUser.views.forObject({ object: "deal" });
    expect(listed.mine.map((view) => [view.id, view.name, view.type])).toEqual([
      [saved.id, "my_my_open_deals", "grid"],
      [second.id, "my_my_open_deals_2", "calendar"],
    ]);
    expect(listed.mine[0]!.filter).toEqual({ field: "stage", operator: "=", value: "open" });

    // Saving over an own view keeps its name; the body is replaced.
    const replaced = await h.asUser.views.save({ object: "deal", id: saved.id, view: { label: "Open, by amount", columns: [{ field: "name" }, { field: "amount" }] } });
    expect(replaced).toMatchObject({ id: saved.id, name: "my_my_open_deals", label: "Open, by amount" });
    expect(replaced.columns.map((column) => column.field)).toEqual(["name", "amount"]);

    const renamed = await h.asUser.views.rename({ id: second.id, label: "Close dates" });
    expect(renamed).toMatchObject({ id: second.id, name: "my_my_open_deals_2", label: "Close dates", type: "calendar" });
    listed = await h.asUser.views.forObject({ object: "deal" });
    expect(listed.mine.map((view) => view.label)).toEqual(["Close dates", "Open, by amount"]);

    await h.asUser.views.delete({ id: second.id });
    listed = await h.asUser.views.forObject({ object: "deal" });
    expect(listed.mine.map((view) => view.id)).toEqual([saved.id]);
    await refused(h.asUser.views.delete({ id: second.id }), "NOT_FOUND");
  });

  it("never reaches another user's view", async () => {
    const mine = await h.asUser.views.save({ object: "deal", view: { label: "Only mine" } });
    expect((await asOther.views.forObject({ object: "deal" })).mine).toEqual([]);
    const renameError = await refused(asOther.views.rename({ id: mine.id, label: "Taken over" }), "NOT_FOUND");
    expect(renameError.message).toBe(`You have no view with id '${mine.id}'`);
    await refused(asOther.views.delete({ id: mine.id }), "NOT_FOUND");
    await refused(asOther.views.save({ object: "deal", id: mine.id, view: { label: "Overwritten" } }), "NOT_FOUND");
    // Untouched for its owner.
    const still = (await h.asUser.views.forObject({ object: "deal" })).mine.find((view) => view.id === mine.id);
    expect(still?.label).toBe("Only mine");
  });

  it("refuses an invalid body, naming its path", async () => {
    const schemaError = await refused(h.asUser.views.save({ object: "deal", view: { label: "Bad", type: "kanban" } }), "BAD_REQUEST");
    expect(schemaError.message).toContain("view.kanban: is required for a kanban view");
    expect(schemaError.cause).toMatchObject({ issues: [{ path: ["view", "kanban"] }] });

    const fieldError = await refused(
      h.asUser.views.save({ object: "deal", view: { label: "Bad", columns: [{ field: "name" }, { field: "nope" }], kanban: { groupField: "amount" } } }),
      "BAD_REQUEST",
    );
    expect(fieldError.cause).toMatchObject({
      issues: [
        { path: ["view", "columns", "1", "field"], message: "'deal' has no field 'nope'" },
        { path: ["view", "kanban", "groupField"], message: "'amount' is a number field; a kanban groups by a select field" },
      ],
    });

    // A field the user may not read is, for them, no field of the object.
    const hidden = await refused(h.asUser.views.save({ object: "deal", view: { label: "Margins", columns: [{ field: "margin" }] } }), "BAD_REQUEST");
    expect(hidden.cause).toMatchObject({ issues: [{ path: ["view", "columns", "0", "field"], message: "'deal' has no field 'margin'" }] });

    const otherObject = await refused(h.asUser.views.save({ object: "deal", view: { label: "X", object: "secret" } }), "BAD_REQUEST");
    expect(otherObject.cause).toMatchObject({ issues: [{ path: ["view", "object"] }] });
  });

  it("refuses objects the user may not read, and unknown ones", async () => {
    await refused(h.asUser.views.forObject({ object: "secret" }), "FORBIDDEN");
    await refused(h.asUser.views.save({ object: "secret", view: { label: "Peek" } }), "FORBIDDEN");
    await refused(h.asUser.views.forObject({ object: "nothing" }), "NOT_FOUND");
    // Admins read every object.
    expect((await h.asAdmin.views.forObject({ object: "secret" })).shared).toEqual([]);
  });
});
