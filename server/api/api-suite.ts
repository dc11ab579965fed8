import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { appRouter } from "@/server/api/root";
import { refused } from "@/test/trpc-assertions";
import { createHarness, type Harness, type TestDatabase } from "@/test/services-harness";


const project: ObjectInput = {
  name: "project",
  label: "Project",
  pluralLabel: "Projects",
  fields: [{ id: "p1", name: "title", label: "Title", type: "text", required: true }],
};
const task: ObjectInput = {
  name: "task",
  label: "Task",
  pluralLabel: "Tasks",
  fields: [
    { id: "t1", name: "subject", label: "Subject", type: "text", required: true },
    { id: "t2", name: "estimate", label: "Estimate", type: "number", scale: 1 },
    {
      id: "t3", name: "status", label: "Status", type: "select",
      options: [{ value: "open", label: "Open" }, { value: "done", label: "Done" }],
    },
    { id: "t4", name: "project", label: "Project", type: "lookup", reference: "project" },
  ],
};

/**
 * The API contract, end to end through the tRPC routers on a real database: access control on
 * every procedure, the metadata life cycle, record CRUD, and refusal of bad input.
 */
export function runApiSuite(label: string, makeDatabase: () => Promise<TestDatabase> | TestDatabase) {
  describe(`API (${label})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(await makeDatabase());
    }, 60_000);
    afterAll(async () => {
      await h?.close();
    });

    it("refuses every procedure without a session, and every metadata procedure to a non-admin", async () => {
      const procedures = Object.keys(appRouter._def.procedures);
      expect(procedures.length).toBeGreaterThan(15);
      const call = (caller: Harness["anonymous"], path: string) => {
        const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
        return (fn as (input: unknown) => Promise<unknown>)({});
      };
      for (const path of procedures) {
        const error = await refused(call(h.anonymous, path), "UNAUTHORIZED");
        expect(getHTTPStatusCodeFromError(error)).toBe(401);
        if (path.startsWith("metadata.") || path.startsWith("datasources.")) await refused(call(h.asUser, path), "FORBIDDEN");
      }
    });

    it("creates, publishes and versions objects; users then work with records", async () => {
      await h.asAdmin.metadata.create({ kind: "object", body: project });
      await h.asAdmin.metadata.publish({ kind: "object", name: "project" });
      const created = await h.asAdmin.metadata.create({ kind: "object", body: task });
      expect(created.draftRevision).toBe(1);
      expect(created.publishedVersion).toBeNull();
      const preview = await h.asAdmin.metadata.previewPublish({ kind: "object", name: "task" });
      expect(preview.plan?.steps[0]?.kind).toBe("create_table");
      const published = await h.asAdmin.metadata.publish({ kind: "object", name: "task" });
      expect(published.version).toBe(1);

      const apollo = await h.asUser.data.create({ object: "project", values: { title: "Apollo" } });
      const record = await h.asUser.data.create({
        object: "task",
        values: { subject: "Write spec", estimate: 2.5, status: "open", project: apollo.id },
      });
      expect(record.project).toEqual({ id: apollo.id, name: "Apollo" });
      expect(record.created_by).toBe(h.user.id);

      const found = await h.asUser.data.find({
        object: "task",
        filter: { and: [{ field: "status", operator: "=", value: "open" }, { field: "estimate", operator: ">", value: 1 }] },
        withTotal: true,
      });
      expect(found.total).toBe(1);
      // The count is opt-in: a page asked for without it carries no total.
      expect(await h.asUser.data.find({ object: "task" })).not.toHaveProperty("total");
      expect(found.records[0]?.subject).toBe("Write spec");
      const summary = await h.asUser.data.aggregate({
        object: "task",
        groupBy: [{ field: "project.title" }],
        aggregate: [{ function: "count", alias: "n" }, { function: "sum", field: "estimate", alias: "estimate" }],
      });
      expect(summary.rows).toEqual([{ "project.title": "Apollo", n: 1, estimate: 2.5 }]);

      const updated = await h.asUser.data.update({ object: "task", id: record.id, values: { status: "done" }, expectedUpdatedAt: record.updated_at });
      expect(updated.status).toBe("done");
      // Optimistic concurrency: an update based on the stale version is refused and writes nothing.
      const stale = await refused(h.asUser.data.update({ object: "task", id: record.id, values: { status: "open" }, expectedUpdatedAt: record.updated_at }), "CONFLICT");
      expect(stale.message).toBe("This record was changed by someone else since you loaded it");
      expect(await h.asUser.data.count({ object: "task", filter: { field: "status", operator: "=", value: "open" } })).toBe(0);
      await h.asUser.data.delete({ object: "task", id: record.id });
      await refused(h.asUser.data.get({ object: "task", id: record.id }), "NOT_FOUND");

      // A second version: add a field, the history lists both.
      const detail = await h.asAdmin.metadata.get({ kind: "object", name: "task" });
      const body = { ...(detail.published as object), fields: [...task.fields, { id: "t5", name: "due", label: "Due", type: "date" }] };
      await h.asAdmin.metadata.saveDraft({ kind: "object", name: "task", body, baseRevision: detail.draftRevision });
      await h.asAdmin.metadata.publish({ kind: "object", name: "task" });
      const history = await h.asAdmin.metadata.history({ kind: "object", name: "task" });
      expect(history.map((entry) => entry.version)).toEqual([2, 1]);
      const v1 = await h.asAdmin.metadata.getVersion({ kind: "object", name: "task", version: 1 });
      expect("fields" in v1 && v1.fields.length).toBe(4);
    });

    it("publishes an app whose navigation names published objects, and lists it for users", async () => {
      await refused(
        h.asAdmin.metadata.create({ kind: "app", body: { name: "ops", label: "Ops", navigation: [{ type: "object", object: "nope" }] } })
          .then(() => h.asAdmin.metadata.publish({ kind: "app", name: "ops" })),
        "BAD_REQUEST",
      );
      const detail = await h.asAdmin.metadata.get({ kind: "app", name: "ops" });
      await h.asAdmin.metadata.saveDraft({
        kind: "app", name: "ops", baseRevision: detail.draftRevision,
        body: { name: "ops", label: "Ops", navigation: [{ type: "object", object: "task" }] },
      });
      await h.asAdmin.metadata.publish({ kind: "app", name: "ops" });
      expect((await h.asUser.apps.list()).map((app) => app.name)).toContain("ops");
      const app = await h.asUser.apps.get({ name: "ops" });
      expect(app.objects.map((object) => object.name)).toEqual(["task"]);
    });

    it("refuses malformed metadata with the field path", async () => {
      const error = await refused(
        h.asAdmin.metadata.create({
          kind: "object",
          body: { name: "Bad Name", label: "", pluralLabel: "X", fields: [{ id: "x", name: "amount", label: "A", type: "money" }] },
        }),
        "BAD_REQUEST",
      );
      const paths = (error.cause as { issues?: { path: unknown[] }[] }).issues?.map((issue) => issue.path.join("."));
      expect(paths).toEqual(expect.arrayContaining(["name", "label", "fields.0.type"]));
      expect(error.message).toMatch(/name/);
    });

    it("refuses a duplicate object name as a conflict", async () => {
      const error = await refused(h.asAdmin.metadata.create({ kind: "object", body: project }), "CONFLICT");
      expect(error.message).toMatch(/already exists/);
    });

    it("refuses a stale draft save and keeps the other admin's draft", async () => {
      const detail = await h.asAdmin.metadata.get({ kind: "object", name: "project" });
      const body = { ...(detail.published as object), label: "Project (first admin)" };
      await h.asAdmin.metadata.saveDraft({ kind: "object", name: "project", body, baseRevision: detail.draftRevision });
      const stale = { ...(detail.published as object), label: "Project (second admin)" };
      const error = await refused(
        h.asAdmin.metadata.saveDraft({ kind: "object", name: "project", body: stale, baseRevision: detail.draftRevision }),
        "CONFLICT",
      );
      expect(error.message).toMatch(/changed by someone else/);
      const after = await h.asAdmin.metadata.get({ kind: "object", name: "project" });
      expect(after.draft?.label).toBe("Project (first admin)");
      await h.asAdmin.metadata.discardDraft({ kind: "object", name: "project" });
    });

    it("refuses an unknown filter field, a wrong value type and a bad select value, naming them", async () => {
      let error = await refused(
        h.asUser.data.find({ object: "task", filter: { field: "nonexistent", operator: "=", value: 1 } }),
        "BAD_REQUEST",
      );
      expect(error.message).toMatch(/nonexistent/);
      error = await refused(h.asUser.data.create({ object: "task", values: { subject: "x", estimate: "lots" } }), "BAD_REQUEST");
      expect(error.message).toMatch(/estimate/);
      error = await refused(h.asUser.data.create({ object: "task", values: { subject: "x", status: "maybe" } }), "BAD_REQUEST");
      expect(error.message).toMatch(/open/);
      await refused(h.asUser.data.find({ object: "no_such_object" }), "NOT_FOUND");
      await refused(h.asUser.data.find({ object: "task", limit: 100000 }), "BAD_REQUEST");
    });

    it("stores SQL-looking values verbatim and refuses SQL-looking names, harming nothing", async () => {
      const evil = "'); DROP TABLE obj_task; --";
      const record = await h.asUser.data.create({ object: "task", values: { subject: evil } });
      expect((await h.asUser.data.get({ object: "task", id: record.id })).subject).toBe(evil);
      const found = await h.asUser.data.find({ object: "task", filter: { field: "subject", operator: "contains", value: "DROP TABLE" } });
      expect(found.records.map((row) => row.id)).toContain(record.id);
      await refused(h.asUser.data.find({ object: "task; drop table obj_task" }), "BAD_REQUEST");
      await refused(
        h.asUser.data.find({ object: "task", orderBy: [{ field: "subject; drop table obj_task", direction: "asc" }] }),
        "BAD_REQUEST",
      );
      await refused(
        h.asAdmin.metadata.create({
          kind: "object",
          body: { name: "x; drop table obj_task", label: "X", pluralLabel: "X", fields: [] },
        }),
        "BAD_REQUEST",
      );
      const rows = await sql<{ n: number }>`select count(*) as n from obj_task`.execute(h.services.dataDb.kysely);
      expect(Number(rows.rows[0]?.n)).toBeGreaterThan(0);
    });

    it("refuses a destructive publish unless confirmed, keeping the data", async () => {
      const detail = await h.asAdmin.metadata.get({ kind: "object", name: "task" });
      const published = detail.published as { fields: { name: string }[] };
      const body = { ...published, fields: published.fields.filter((field) => field.name !== "estimate") };
      await h.asAdmin.metadata.saveDraft({ kind: "object", name: "task", body, baseRevision: detail.draftRevision });
      const kept = await h.asUser.data.create({ object: "task", values: { subject: "keep me", estimate: 3 } });
      const error = await refused(h.asAdmin.metadata.publish({ kind: "object", name: "task" }), "PRECONDITION_FAILED");
      expect(error.message).toMatch(/estimate/);
      expect((await h.asUser.data.get({ object: "task", id: kept.id })).estimate).toBe(3);
      await h.asAdmin.metadata.publish({ kind: "object", name: "task", confirmDestructive: true });
      expect((await h.asUser.data.get({ object: "task", id: kept.id })).estimate).toBeUndefined();
    });
  });
}
