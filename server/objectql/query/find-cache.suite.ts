import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userAccess } from "@/server/security/access";
import { securitySchema, type SecurityModel } from "@/spec/security";
import type { FindQueryInput } from "@/spec/query";
import { createObjectQL, type ObjectQL, type SecurityContext } from "../objectql";
import { Harness, defineObject, systemCtx, withFields } from "../test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "../test-support/test-databases";

/**
 * The engine keeps what it compiles for a find or a read by id (plans, prepared statements, the
 * plan choice's inputs) across calls. A plan kept past a change would return what the change
 * took away, so each test runs a query, changes one thing the plan was compiled from (the user,
 * the published security model, the published object, the clock), runs the same query again
 * and checks the answer follows the change.
 */

const note = defineObject({
  name: "note",
  label: "Note",
  pluralLabel: "Notes",
  fields: [
    { id: "n1", name: "title", label: "Title", type: "text", required: true },
    { id: "n2", name: "secret", label: "Secret", type: "number" },
    { id: "n3", name: "due", label: "Due", type: "date" },
  ],
  indexes: [{ fields: ["due"] }],
});

const crud = { create: true, read: true, edit: true, delete: true };

function model(noteDefault: "private" | "public_read", noteFields: Record<string, "none" | "read" | "edit"> = {}): SecurityModel {
  return securitySchema.parse({
    profiles: [{ name: "std", label: "Standard", objects: { note: { ...crud, fields: noteFields } } }],
    permissionSets: [],
    roles: [],
    groups: [],
    orgWideDefaults: { note: noteDefault },
    sharingRules: [],
    assignments: { ann: { profile: "std" }, bob: { profile: "std" } },
  });
}

const as = (userId: string): SecurityContext => ({ kind: "user", userId, role: "user" });

const BY_TITLE: FindQueryInput = { object: "note", select: ["title", "secret"], orderBy: [{ field: "title", direction: "asc" }], limit: 10 };

export function defineFindCacheSuite(factory: DatabaseFactory): void {
  describe(`compiled find plans follow every change (${factory.dialect})`, () => {
    let test: TestDatabase;
    let h: Harness;
    // The published security model as the engine's accessFor sees it: a version and the model.
    let published: { version: string; model: SecurityModel };
    let ql: ObjectQL;
    let now: Date;

    beforeEach(async () => {
      test = await factory.create();
      h = new Harness(test.db);
      await h.sync(note);
      published = { version: "v1", model: model("private") };
      now = new Date("2026-03-10T12:00:00Z");
      ql = createObjectQL({ db: test.db, registry: h.registry, clock: () => now, accessFor: async (ctx) => userAccess(published.model, published.version, ctx.userId) });
      await ql.insert(as("ann"), "note", { title: "ann 1", secret: 1, due: "2026-03-10" });
      await ql.insert(as("ann"), "note", { title: "ann 2", secret: 2, due: "2026-03-11" });
      await ql.insert(as("bob"), "note", { title: "bob 1", secret: 3, due: "2026-03-10" });
    });
    afterEach(async () => {
      await test.cleanup();
    });

    const titles = async (ctx: SecurityContext, query: FindQueryInput = BY_TITLE) => (await ql.find(ctx, query)).records.map((record) => record.title);

    it("does not reuse one user's plan for another", async () => {
      // Twice each, interleaved: the second run of each comes from the cache.
      for (let round = 0; round < 2; round++) {
        expect(await titles(as("ann"))).toEqual(["ann 1", "ann 2"]);
        expect(await titles(as("bob"))).toEqual(["bob 1"]);
      }
      const [annFirst] = (await ql.find(as("ann"), BY_TITLE)).records;
      expect(await ql.findOne(as("bob"), "note", String(annFirst.id))).toBeNull();
      expect((await ql.findOne(as("ann"), "note", String(annFirst.id)))?.title).toBe("ann 1");
    });

    it("applies a newly published security model on the next call: rows and fields", async () => {
      const [annFirst] = (await ql.find(as("ann"), BY_TITLE)).records;
      expect(await titles(as("bob"))).toEqual(["bob 1"]);
      expect(await ql.findOne(as("bob"), "note", String(annFirst.id))).toBeNull();

      published = { version: "v2", model: model("public_read") };
      expect(await titles(as("bob"))).toEqual(["ann 1", "ann 2", "bob 1"]);
      expect((await ql.findOne(as("bob"), "note", String(annFirst.id)))?.title).toBe("ann 1");

      // The secret field hidden: selecting it is refused, and a whole record leaves it out.
      published = { version: "v3", model: model("public_read", { secret: "none" }) };
      await expect(ql.find(as("bob"), BY_TITLE)).rejects.toMatchObject({ code: "BAD_REQUEST" });
      expect(await titles(as("bob"), { ...BY_TITLE, select: ["title"] })).toEqual(["ann 1", "ann 2", "bob 1"]);
      const record = await ql.findOne(as("bob"), "note", String(annFirst.id));
      expect(record?.title).toBe("ann 1");
      expect(record && "secret" in record).toBe(false);
    });

    it("compiles anew for a newly published object definition", async () => {
      const whole: FindQueryInput = { object: "note", orderBy: [{ field: "title", direction: "asc" }] };
      const before = (await ql.find(systemCtx, whole)).records[0];
      expect(Object.keys(before)).not.toContain("mood");
      const id = String(before.id);
      expect(Object.keys((await ql.findOne(systemCtx, "note", id))!)).not.toContain("mood");

      // A field added (a new column), then the secret removed (its column dropped).
      await h.sync(withFields(note, (fields) => [...fields, { id: "n4", name: "mood", label: "Mood", type: "text" }]));
      const added = (await ql.find(systemCtx, whole)).records[0];
      expect(added).toMatchObject({ id, title: "ann 1", secret: 1, mood: null });
      expect((await ql.findOne(systemCtx, "note", id))!).toMatchObject({ secret: 1, mood: null });

      await h.sync(withFields(note, (fields) => [...fields.filter((field) => field.name !== "secret"), { id: "n4", name: "mood", label: "Mood", type: "text" }]), { confirmDestructive: true });
      const removed = (await ql.find(systemCtx, whole)).records[0];
      expect(Object.keys(removed)).not.toContain("secret");
      expect(Object.keys((await ql.findOne(systemCtx, "note", id))!)).not.toContain("secret");
      await expect(ql.find(systemCtx, { ...whole, select: ["secret"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("pages on with a cursor after a publish without mixing plans", async () => {
      const paged: FindQueryInput = { object: "note", select: ["title"], orderBy: [{ field: "title", direction: "asc" }], limit: 1 };
      const first = await ql.find(systemCtx, paged);
      expect(first.records.map((record) => record.title)).toEqual(["ann 1"]);
      await h.sync(withFields(note, (fields) => [...fields, { id: "n4", name: "mood", label: "Mood", type: "text" }]));
      const second = await ql.find(systemCtx, { ...paged, cursor: first.nextCursor });
      const third = await ql.find(systemCtx, { ...paged, cursor: second.nextCursor });
      expect([...second.records, ...third.records].map((record) => record.title)).toEqual(["ann 2", "bob 1"]);
      expect(third.nextCursor).toBeUndefined();
    });

    it("does not keep a plan that binds the clock (relative dates)", async () => {
      const today: FindQueryInput = { object: "note", select: ["title"], filter: { field: "due", operator: "=", value: "TODAY" }, orderBy: [{ field: "title", direction: "asc" }] };
      expect(await titles(systemCtx, today)).toEqual(["ann 1", "bob 1"]);
      expect(await titles(systemCtx, today)).toEqual(["ann 1", "bob 1"]);
      now = new Date("2026-03-11T12:00:00Z");
      expect(await titles(systemCtx, today)).toEqual(["ann 2"]);
    });
  });
}
