import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { ObjectInput } from "@/spec";
import { createCaller } from "@/server/api/root";
import type { Services } from "@/server/services";
import { refused } from "@/test/trpc-assertions";
import { createTwoProcesses, type Harness, type TestDatabase, type TwoProcesses } from "@/test/services-harness";
import { PUBLISHED_CHANGE_TABLE } from "./published-changes";

const deal: ObjectInput = {
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [{ id: "d1", name: "title", label: "Title", type: "text", required: true }],
};
const amount = { id: "d2", name: "amount", label: "Amount", type: "number", scale: 2 } as const;

/**
 * Two processes over one database: A (the harness) publishes; B (a second set of services, as a
 * second web process has) must see each publish at its very next request, which starts with
 * `publishedChanges.ensureCurrent()` (getServices); nothing else tells B.
 */
export function runPublishedChangesSuite(label: string, makeDatabase: () => Promise<TestDatabase> | TestDatabase) {
  describe(`published metadata across processes (${label})`, () => {
    let processes: TwoProcesses;
    let a: Harness;
    let b: Services;
    let bAsUser: ReturnType<typeof createCaller>;
    const nextRequestToB = () => b.publishedChanges.ensureCurrent();
    const counter = async (services: Services) =>
      Number((await sql<{ counter: number }>`select counter from ${sql.id(PUBLISHED_CHANGE_TABLE)} where id = 1`.execute(services.dataDb.kysely)).rows[0]!.counter);

    beforeAll(async () => {
      processes = await createTwoProcesses(makeDatabase);
      ({ a, b } = processes);
      bAsUser = createCaller({ user: a.user, services: b });
    }, 60_000);
    afterAll(() => processes?.close());

    it("a new object and a new field published in A are known to B at its next request", async () => {
      await a.asAdmin.metadata.create({ kind: "object", body: deal });
      await a.asAdmin.metadata.publish({ kind: "object", name: "deal" });
      await nextRequestToB();
      expect((await bAsUser.data.create({ object: "deal", values: { title: "First" } })).title).toBe("First");

      const detail = await a.asAdmin.metadata.get({ kind: "object", name: "deal" });
      await a.asAdmin.metadata.saveDraft({ kind: "object", name: "deal", baseRevision: detail.draftRevision, body: { ...deal, fields: [...deal.fields, amount] } });
      await a.asAdmin.metadata.publish({ kind: "object", name: "deal" });
      await nextRequestToB();
      const created = await bAsUser.data.create({ object: "deal", values: { title: "Second", amount: 12.5 } });
      expect(created.amount).toBe(12.5);
    });

    it("a field removed in A is refused by B, never written", async () => {
      const detail = await a.asAdmin.metadata.get({ kind: "object", name: "deal" });
      await a.asAdmin.metadata.saveDraft({ kind: "object", name: "deal", baseRevision: detail.draftRevision, body: deal });
      await a.asAdmin.metadata.publish({ kind: "object", name: "deal", confirmDestructive: true });
      await nextRequestToB();
      const error = await refused(bAsUser.data.create({ object: "deal", values: { title: "Third", amount: 1 } }), "BAD_REQUEST");
      expect(JSON.stringify(error.cause ?? error.message)).toMatch(/amount/);
      await refused(bAsUser.data.find({ object: "deal", select: ["amount"] }), "BAD_REQUEST");
      expect(await a.asAdmin.data.count({ object: "deal" })).toBe(2);
    });

    it("a permission published in A is enforced by B at its next request", async () => {
      expect(await bAsUser.data.count({ object: "deal" })).toBe(2);
      await a.asAdmin.metadata.create({
        kind: "security",
        body: { profiles: [{ name: "none", label: "No access" }], defaultProfile: "none" },
      });
      await a.asAdmin.metadata.publish({ kind: "security", name: "org" });
      await nextRequestToB();
      await refused(bAsUser.data.count({ object: "deal" }), "FORBIDDEN");
      await refused(bAsUser.data.create({ object: "deal", values: { title: "Refused" } }), "FORBIDDEN");
    });

    it("drafts and reads do not move the counter; each publish does, in its own transaction", async () => {
      const before = await counter(a.services);
      const detail = await a.asAdmin.metadata.get({ kind: "security", name: "org" });
      await a.asAdmin.metadata.saveDraft({ kind: "security", name: "org", baseRevision: detail.draftRevision, body: { ...(detail.published as object), enforced: false } });
      await a.asAdmin.metadata.list({ kind: "object" });
      expect(await counter(a.services)).toBe(before);
      const definition = b.registry.get("deal");
      await a.asAdmin.metadata.publish({ kind: "security", name: "org" });
      expect(await counter(a.services)).toBeGreaterThan(before);
      await nextRequestToB();
      expect(b.publishedChanges.appliedCounter).toBe(await counter(a.services));
      // The objects did not change: B keeps their definitions (and the plans compiled for them).
      expect(b.registry.get("deal")).toBe(definition);
      expect(await bAsUser.data.count({ object: "deal" })).toBe(2);
    });
  });
}
