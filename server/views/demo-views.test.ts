import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_OBJECTS } from "@/server/seed/demo-crm";
import { DEMO_VIEWS } from "@/server/seed/demo-views";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

/** The demo CRM's views publish against its objects, and each object lands on its default view. */
describe("demo views", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    for (const object of DEMO_OBJECTS) {
      await h.asAdmin.metadata.create({ kind: "object", body: object });
      await h.asAdmin.metadata.publish({ kind: "object", name: object.name });
    }
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("publish, and list default first for a user", async () => {
    for (const view of DEMO_VIEWS) {
      await h.asAdmin.metadata.create({ kind: "view", body: view });
      await h.asAdmin.metadata.publish({ kind: "view", name: view.name });
    }
    const opportunity = await h.asUser.views.forObject({ object: "opportunity" });
    expect(opportunity.shared.map((view) => [view.name, view.type])).toEqual([
      ["all_opportunities", "grid"],
      ["close_dates", "calendar"],
      ["pipeline", "kanban"],
    ]);
    const account = await h.asUser.views.forObject({ object: "account" });
    expect(account.shared.map((view) => view.groupBy)).toEqual(["industry"]);
  });
});
