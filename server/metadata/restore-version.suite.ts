import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { refused } from "@/test/trpc-assertions";
import { createHarness, type Harness, type TestDatabase } from "@/test/services-harness";
import { listMetadataChanges } from "@/server/audit/metadata-changes";

const deal: ObjectInput = {
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "title", label: "Title", type: "text", required: true },
    { id: "d2", name: "amount", label: "Amount", type: "number", scale: 2 },
  ],
};

/** Rollback through the tRPC routers: history with publishers, restoreVersion, publish of the restored draft. */
export function runRestoreVersionSuite(label: string, makeDatabase: () => Promise<TestDatabase> | TestDatabase) {
  describe(`metadata versions and rollback (${label})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(await makeDatabase());
    }, 60_000);
    afterAll(async () => {
      await h?.close();
    });

    it("restores an old version as the draft, publishes it as a new version and records the rollback", async () => {
      await h.asAdmin.metadata.create({ kind: "object", body: deal });
      await h.asAdmin.metadata.publish({ kind: "object", name: "deal", note: "first" });
      const v1 = await h.asAdmin.metadata.getVersion({ kind: "object", name: "deal", version: 1 });

      let detail = await h.asAdmin.metadata.get({ kind: "object", name: "deal" });
      const renamed = { ...(detail.published as typeof deal), fields: [{ ...deal.fields[0]!, label: "Deal name" }, deal.fields[1]!] };
      await h.asAdmin.metadata.saveDraft({ kind: "object", name: "deal", body: renamed, baseRevision: detail.draftRevision });
      await h.asAdmin.metadata.publish({ kind: "object", name: "deal", note: "rename" });

      const history = await h.asAdmin.metadata.history({ kind: "object", name: "deal" });
      expect(history.map((entry) => [entry.version, entry.note, entry.current, entry.publishedBy?.name])).toEqual([
        [2, "rename", true, "Admin"],
        [1, "first", false, "Admin"],
      ]);

      // A stale base revision is refused and leaves the document as it was.
      detail = await h.asAdmin.metadata.get({ kind: "object", name: "deal" });
      const stale = await refused(
        h.asAdmin.metadata.restoreVersion({ kind: "object", name: "deal", version: 1, baseRevision: detail.draftRevision - 1 }),
        "CONFLICT",
      );
      expect(stale.message).toMatch(/changed by someone else/);
      expect((await h.asAdmin.metadata.get({ kind: "object", name: "deal" })).hasDraft).toBe(false);
      await refused(h.asAdmin.metadata.restoreVersion({ kind: "object", name: "deal", version: 9, baseRevision: detail.draftRevision }), "NOT_FOUND");
      await refused(h.asUser.metadata.restoreVersion({ kind: "object", name: "deal", version: 1, baseRevision: detail.draftRevision }), "FORBIDDEN");

      const restored = await h.asAdmin.metadata.restoreVersion({ kind: "object", name: "deal", version: 1, baseRevision: detail.draftRevision });
      expect(restored.hasDraft).toBe(true);
      expect(restored.draftRevision).toBe(detail.draftRevision + 1);
      expect(restored.draft).toEqual(v1);
      // The live version is untouched until the restored draft is published.
      expect(restored.published).not.toEqual(v1);

      const published = await h.asAdmin.metadata.publish({ kind: "object", name: "deal" });
      expect(published.version).toBe(3);
      expect(await h.asAdmin.metadata.getVersion({ kind: "object", name: "deal", version: 3 })).toEqual(v1);
      const after = await h.asAdmin.metadata.history({ kind: "object", name: "deal" });
      expect(after[0]).toMatchObject({ version: 3, note: "Restored version 1", current: true });
      const changes = await listMetadataChanges(h.services.platformDb, { kind: "object", name: "deal", page: 1, pageSize: 10 } as never);
      expect(changes.rows[0]).toMatchObject({ version: 3, note: "Restored version 1", actor: { name: "Admin" } });
    });

    it("still asks for confirmation when the restored version drops a column with data", async () => {
      const detail = await h.asAdmin.metadata.get({ kind: "object", name: "deal" });
      const withRegion = {
        ...(detail.published as typeof deal),
        fields: [...deal.fields, { id: "d3", name: "region", label: "Region", type: "text" }],
      };
      await h.asAdmin.metadata.saveDraft({ kind: "object", name: "deal", body: withRegion, baseRevision: detail.draftRevision });
      await h.asAdmin.metadata.publish({ kind: "object", name: "deal" });
      await h.asUser.data.create({ object: "deal", values: { title: "Big one", region: "North" } });

      const current = await h.asAdmin.metadata.get({ kind: "object", name: "deal" });
      await h.asAdmin.metadata.restoreVersion({ kind: "object", name: "deal", version: 1, baseRevision: current.draftRevision });
      await refused(h.asAdmin.metadata.publish({ kind: "object", name: "deal" }), "PRECONDITION_FAILED");
      const confirmed = await h.asAdmin.metadata.publish({ kind: "object", name: "deal", confirmDestructive: true });
      expect(confirmed.version).toBe(5);
    });

    it("refuses a version that no longer fits today's schema, naming the field path", async () => {
      const detail = await h.asAdmin.metadata.get({ kind: "object", name: "deal" });
      const document = await h.services.platformDb.metadataDocument.findUniqueOrThrow({ where: { kind_name: { kind: "object", name: "deal" } } });
      // Simulates a version written under older rules (a field type that no longer exists).
      await h.services.platformDb.metadataVersion.update({
        where: { documentId_version: { documentId: document.id, version: 2 } },
        data: { body: JSON.stringify({ ...deal, fields: [{ id: "d1", name: "title", label: "Title", type: "hologram" }] }) },
      });
      const error = await refused(
        h.asAdmin.metadata.restoreVersion({ kind: "object", name: "deal", version: 2, baseRevision: detail.draftRevision }),
        "BAD_REQUEST",
      );
      expect(error.message).toMatch(/Version 2 of 'deal' no longer fits today's object rules: fields\.0\.type/);
    });
  });
}
