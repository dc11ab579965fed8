import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo, type SeededDemo } from "@/server/seed/test-support/seeded-demo";
import { sqliteTestDatabase } from "@/test/services-harness";

/**
 * The demo CRM's views, seeded as on a first start (so they publish against its objects and
 * its security model): each object lands on its default view, and a view's columns follow what
 * the reader may see (a rep's account view has no annual revenue, the manager's has).
 */
describe("demo views", () => {
  let demo: SeededDemo;
  beforeAll(async () => {
    demo = await seedDemo(sqliteTestDatabase());
  }, 120_000);
  afterAll(async () => {
    await demo?.close();
  });

  it("list default first for a user", async () => {
    const opportunity = await demo.as("user@objectstudio.local").views.forObject({ object: "opportunity" });
    expect(opportunity.shared.map((view) => [view.name, view.type])).toEqual([
      ["all_opportunities", "grid"],
      ["close_dates", "calendar"],
      ["pipeline", "kanban"],
    ]);
    const account = await demo.as("user@objectstudio.local").views.forObject({ object: "account" });
    expect(account.shared.map((view) => view.groupBy)).toEqual(["industry"]);
  });

  it("leave out the columns of fields the reader may not see", async () => {
    const columnsFor = async (email: "user@objectstudio.local" | "manager@objectstudio.local" | "admin@objectstudio.local") =>
      (await demo.as(email).views.forObject({ object: "account" })).shared[0]!.columns!.map((column) => column.field);
    expect(await columnsFor("user@objectstudio.local")).toEqual(["name", "industry", "employees", "website"]);
    expect(await columnsFor("manager@objectstudio.local")).toEqual(["name", "industry", "annual_revenue", "employees", "website"]);
    expect(await columnsFor("admin@objectstudio.local")).toEqual(["name", "industry", "annual_revenue", "employees", "website"]);
  });
});
