import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteTestDatabase } from "@/test/services-harness";
import { seedDemo, type SeededDemo } from "./test-support/seeded-demo";

/** The demo CRM's flows, published by the seed, doing their jobs for the demo users. */
describe("demo flows", () => {
  let demo: SeededDemo;

  beforeAll(async () => {
    demo = await seedDemo(sqliteTestDatabase());
  }, 120_000);
  afterAll(async () => {
    await demo?.close();
  });

  it("are published, and a rep who wins a deal sees it closed today at 100%, its account active", async () => {
    const admin = demo.as("admin@objectstudio.local");
    expect((await admin.metadata.list({ kind: "flow" })).map((flow) => [flow.name, flow.publishedVersion])).toEqual([
      ["convert_lead", 1], ["opportunity_close", 1], ["pipeline_for_stage", 1], ["won_account_active", 1],
    ]);
    const uma = demo.as("user@objectstudio.local");
    const open = (await uma.data.find({ object: "opportunity", filter: { and: [{ field: "stage", operator: "=", value: "negotiation" }, { field: "account", operator: "is_not_null" }] }, limit: 1 })).records[0]!;
    const accountId = (open.account as { id: string }).id;
    await admin.data.update({ object: "account", id: accountId, values: { active: false } });
    const won = await uma.data.update({ object: "opportunity", id: String(open.id), values: { stage: "closed_won", close_date: null } });
    expect(won.probability).toBe(100);
    expect(won.close_date).toBe(new Date().toISOString().slice(0, 10));
    await demo.services.flows.drain();
    expect((await admin.data.get({ object: "account", id: accountId }))!.active).toBe(true);
    const lost = await uma.data.update({ object: "opportunity", id: String(open.id), values: { stage: "closed_lost" } });
    expect(lost.probability).toBe(0);
  });

  it("converts a rep's lead through its screens: account, contact and opportunity created as the rep, the lead marked", async () => {
    const uma = demo.as("user@objectstudio.local");
    const lead = (await uma.data.find({ object: "lead", filter: { field: "status", operator: "=", value: "new" }, limit: 1 })).records[0]!;
    const run = await uma.flows.screenStart({ flow: "convert_lead", recordId: String(lead.id) });
    expect(run.screen).toMatchObject({ element: "details", nextLabel: "Convert", canGoBack: false, values: { account_name: lead.company, contact_name: lead.name, create_deal: true } });
    expect(run.screen!.text).toBe(`Convert ${lead.name} of ${lead.company} into an account and a contact, and an opportunity if you like.`);
    const done = await uma.flows.screenSubmit({
      runId: run.runId, element: "details", action: "next",
      values: { account_name: "Converted Co", contact_name: String(lead.name), create_deal: true, deal_name: "", deal_amount: 5000, deal_close: "2027-01-15" },
    });
    expect(done.screen).toMatchObject({ element: "done", nextLabel: "Done", canGoBack: false });
    expect(done.screen!.text).toBe(`${lead.name} is converted: account Converted Co and contact ${lead.name} were created. Opportunity: Converted Co.`);
    const marked = (await uma.data.get({ object: "lead", id: String(lead.id) }))!;
    expect(marked).toMatchObject({ status: "converted", converted_account: { name: "Converted Co" }, converted_contact: { name: lead.name } });
    const deal = (await uma.data.find({ object: "opportunity", filter: { field: "name", operator: "=", value: "Converted Co" } })).records[0]!;
    // The before-save flow ran on the opportunity the screen flow created; the rep owns all three.
    expect(deal).toMatchObject({ amount: 5000, close_date: "2027-01-15", stage: "prospecting", account: { name: "Converted Co" } });
    expect(deal.owner_id).toBe(marked.owner_id);
    expect(await uma.flows.screenSubmit({ runId: run.runId, element: "done", action: "next" })).toMatchObject({ status: "finished" });
    // Started again on the converted lead, it says so and creates nothing.
    const again = await uma.flows.screenStart({ flow: "convert_lead", recordId: String(lead.id) });
    expect(again.screen).toMatchObject({ element: "was_converted", fields: [] });
  });

  it("the pipeline flow totals only the deals its caller may see", async () => {
    const stageTotals = async (email: Parameters<SeededDemo["as"]>[0]) => {
      const caller = demo.as(email);
      const deals = (await caller.data.find({ object: "opportunity", filter: { field: "stage", operator: "=", value: "proposal" }, limit: 1000 })).records;
      const run = await caller.flows.run({ flow: "pipeline_for_stage", inputs: { stage: "proposal" } });
      return { run: run.outputs, expected: { count: deals.length, total: deals.reduce((sum, deal) => sum + Number(deal.amount ?? 0), 0) } };
    };
    const uma = await stageTotals("user@objectstudio.local");
    const ada = await stageTotals("admin@objectstudio.local");
    expect(uma.run).toEqual(uma.expected);
    expect(ada.run).toEqual(ada.expected);
    // Uma sees part of the pipeline, the admin all of it.
    expect(uma.expected.count).toBeGreaterThan(0);
    expect(uma.expected.count).toBeLessThan(ada.expected.count);
  });
});
