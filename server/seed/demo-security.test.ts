import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { recordsApi } from "@/server/api/rest/records-api";
import { serveRest, type RestHandler } from "@/server/api/rest/rest-route";
import { seedDemoCrm } from "@/server/seed/seed";
import { DEMO_TEAM } from "@/server/seed/demo-crm";
import { DEMO_SHARED_STAGE } from "@/server/seed/demo-security";
import { seedDemo, type DemoEmail, type SeededDemo } from "@/server/seed/test-support/seeded-demo";
import { createHarness, sqliteTestDatabase } from "@/test/services-harness";
import { refused } from "@/test/trpc-assertions";

/**
 * The demo's security model, as a fresh start seeds it, for every demo user and every way in
 * (tRPC lists, counts, aggregates, exports, single records, writes; REST with an API key): each
 * answer is compared with what the model says, written here in plain code from the owners and
 * stages of the records (an oracle independent of the engine).
 */

type Row = { id: string; owner_id: string; stage?: string; amount?: number | null; name: string };

const UMA: DemoEmail = "user@objectstudio.local";
const RITA: DemoEmail = "rep@objectstudio.local";
const MAX: DemoEmail = "manager@objectstudio.local";
const TEAM: DemoEmail[] = [UMA, RITA, MAX];

describe("the demo's security model", () => {
  let demo: SeededDemo;
  let opportunities: Row[];
  let accounts: Row[];
  const idOf = (email: DemoEmail) => demo.users[email].id;
  const isManager = (email: DemoEmail) => email === DEMO_TEAM.manager;
  /** The user owns the record, or manages (role above) its owner. */
  const ownsOrManages = (email: DemoEmail, row: Row) =>
    row.owner_id === idOf(email) || (isManager(email) && DEMO_TEAM.reps.some((rep) => idOf(rep) === row.owner_id));
  const canReadOpportunity = (email: DemoEmail, row: Row) => ownsOrManages(email, row) || row.stage === DEMO_SHARED_STAGE;
  const visibleOpportunities = (email: DemoEmail) => opportunities.filter((row) => canReadOpportunity(email, row));
  const ids = (rows: { id: string }[]) => rows.map((row) => row.id).sort();

  beforeAll(async () => {
    demo = await seedDemo(sqliteTestDatabase());
    const admin = demo.as("admin@objectstudio.local");
    opportunities = (await admin.data.find({ object: "opportunity", limit: 1000 })).records as unknown as Row[];
    accounts = (await admin.data.find({ object: "account", limit: 1000 })).records as unknown as Row[];
  }, 120_000);
  afterAll(async () => {
    await demo?.close();
  });

  it("spreads the records over the sales team, each owner with accounts and opportunities", () => {
    expect(opportunities).toHaveLength(240);
    expect(accounts).toHaveLength(60);
    for (const email of TEAM) {
      expect(accounts.filter((row) => row.owner_id === idOf(email)).length).toBeGreaterThanOrEqual(12);
      expect(opportunities.filter((row) => row.owner_id === idOf(email)).length).toBeGreaterThan(20);
    }
    // The README's table of demo users says these numbers.
    const owned = (email: DemoEmail, rows: Row[]) => rows.filter((row) => row.owner_id === idOf(email)).length;
    expect(TEAM.map((email) => owned(email, accounts))).toEqual([24, 24, 12]);
    expect(TEAM.map((email) => owned(email, opportunities))).toEqual([82, 106, 52]);
    expect(TEAM.map((email) => visibleOpportunities(email).length)).toEqual([112, 126, 240]);
    // Each rep has won deals of a colleague to be shared, and private ones to be kept from them.
    for (const email of DEMO_TEAM.reps) {
      const others = opportunities.filter((row) => row.owner_id !== idOf(email));
      expect(others.some((row) => row.stage === DEMO_SHARED_STAGE)).toBe(true);
      expect(others.some((row) => row.stage !== DEMO_SHARED_STAGE)).toBe(true);
    }
  });

  it("shows each user exactly their own opportunities, their reports', and the won deals: in lists, counts, aggregates and exports", async () => {
    for (const email of TEAM) {
      const user = demo.as(email);
      const expected = visibleOpportunities(email);
      const found = await user.data.find({ object: "opportunity", limit: 1000, withTotal: true });
      expect(ids(found.records), email).toEqual(ids(expected));
      expect(found.total).toBe(expected.length);
      expect(await user.data.count({ object: "opportunity" })).toBe(expected.length);
      // A search and a filter see only those rows too.
      expect(await user.data.count({ object: "opportunity", filter: { field: "stage", operator: "!=", value: DEMO_SHARED_STAGE } })).toBe(
        expected.filter((row) => row.stage !== DEMO_SHARED_STAGE).length,
      );
      const byStage = await user.data.aggregate({
        object: "opportunity",
        groupBy: [{ field: "stage" }],
        aggregate: [{ function: "count", alias: "deals" }, { function: "sum", field: "amount", alias: "total" }],
      });
      const oracle = new Map<string, { deals: number; total: number }>();
      for (const row of expected) {
        const group = oracle.get(row.stage!) ?? { deals: 0, total: 0 };
        oracle.set(row.stage!, { deals: group.deals + 1, total: group.total + (row.amount ?? 0) });
      }
      expect(byStage.rows.map((row) => [row.stage, row.deals])).toEqual([...oracle].sort(([a], [b]) => a.localeCompare(b)).map(([stage, group]) => [stage, group.deals]));
      for (const row of byStage.rows) expect(row.total as number).toBeCloseTo(oracle.get(row.stage as string)!.total, 2);
      // Through a lookup: the accounts' deal counts come only from visible deals.
      const byAccount = await user.data.aggregate({ object: "opportunity", groupBy: [{ field: "account.name" }], aggregate: [{ function: "count", alias: "deals" }] });
      expect(byAccount.rows.reduce((sum, row) => sum + (row.deals as number), 0)).toBe(expected.length);

      const exported = await user.data.export({ object: "opportunity" });
      expect(exported.rows).toBe(expected.length);
      const exportedIds = exported.csv.trim().split("\r\n").slice(1).map((line) => line.split(",")[0]!);
      expect(exportedIds.sort()).toEqual(ids(expected));
    }
    // The manager sees every rep's deals: here, all of them.
    expect(visibleOpportunities(MAX)).toHaveLength(opportunities.length);
  });

  it("answers a colleague's private opportunity as not found, and their shared won deal as read only", async () => {
    const uma = demo.as(UMA);
    const rita = idOf(RITA);
    const hidden = opportunities.find((row) => row.owner_id === rita && row.stage !== DEMO_SHARED_STAGE)!;
    await refused(uma.data.get({ object: "opportunity", id: hidden.id }), "NOT_FOUND");
    await refused(uma.data.update({ object: "opportunity", id: hidden.id, values: { name: "Taken over" } }), "NOT_FOUND");
    await refused(uma.data.delete({ object: "opportunity", id: hidden.id }), "NOT_FOUND");
    await refused(uma.data.recordAccess({ object: "opportunity", id: hidden.id }), "NOT_FOUND");
    // Not through a name search or an id filter either.
    expect(await uma.data.count({ object: "opportunity", search: hidden.name })).toBe(0);
    expect(await uma.data.count({ object: "opportunity", filter: { field: "id", operator: "=", value: hidden.id } })).toBe(0);

    const shared = opportunities.find((row) => row.owner_id === rita && row.stage === DEMO_SHARED_STAGE)!;
    expect((await uma.data.get({ object: "opportunity", id: shared.id })).name).toBe(shared.name);
    expect(await uma.data.recordAccess({ object: "opportunity", id: shared.id })).toMatchObject({ read: true, edit: false, delete: false });
    await refused(uma.data.update({ object: "opportunity", id: shared.id, values: { name: "Taken over" } }), "FORBIDDEN");
    await refused(uma.data.delete({ object: "opportunity", id: shared.id }), "FORBIDDEN");

    // Her own she edits; the manager edits it too, the other rep cannot see it.
    const mine = opportunities.find((row) => row.owner_id === idOf(UMA) && row.stage !== DEMO_SHARED_STAGE)!;
    await uma.data.update({ object: "opportunity", id: mine.id, values: { probability: 42 } });
    await demo.as(MAX).data.update({ object: "opportunity", id: mine.id, values: { probability: 43 } });
    await refused(demo.as(RITA).data.get({ object: "opportunity", id: mine.id }), "NOT_FOUND");
  });

  it("lets every rep read every account but not its annual revenue, anywhere; the manager sees it", async () => {
    const uma = demo.as(UMA);
    const described = await uma.data.describe({ object: "account" });
    expect(described.fields.map((field) => field.name)).not.toContain("annual_revenue");
    expect(described.access).toMatchObject({ create: true, edit: true, delete: false, export: true });
    const found = await uma.data.find({ object: "account", limit: 1000, withTotal: true });
    expect(found.total).toBe(60);
    for (const record of found.records) expect(record).not.toHaveProperty("annual_revenue");
    const unknown = (call: Promise<unknown>) => refused(call, "BAD_REQUEST").then((error) => expect(error.message).toContain("annual_revenue"));
    await unknown(uma.data.find({ object: "account", select: ["name", "annual_revenue"] }));
    await unknown(uma.data.find({ object: "account", filter: { field: "annual_revenue", operator: ">", value: 0 } }));
    await unknown(uma.data.find({ object: "account", orderBy: [{ field: "annual_revenue", direction: "desc" }] }));
    await unknown(uma.data.count({ object: "account", filter: { field: "annual_revenue", operator: "is_not_null" } }));
    await unknown(uma.data.aggregate({ object: "account", aggregate: [{ function: "sum", field: "annual_revenue", alias: "revenue" }] }));
    await unknown(uma.data.aggregate({ object: "account", groupBy: [{ field: "annual_revenue" }], aggregate: [{ function: "count", alias: "n" }] }));
    // Not through a lookup from the opportunity either.
    await unknown(uma.data.find({ object: "opportunity", select: ["name", "account.annual_revenue"] }));
    await unknown(uma.data.aggregate({ object: "opportunity", aggregate: [{ function: "max", field: "account.annual_revenue", alias: "biggest" }] }));
    const exported = await uma.data.export({ object: "account" });
    expect(exported.rows).toBe(60);
    expect(exported.csv.split("\r\n")[0]!.split(",")).not.toContain("annual_revenue");
    // The account views offered to her leave the column out.
    const views = await uma.views.forObject({ object: "account" });
    for (const view of views.shared) expect(view.columns?.map((column) => column.field) ?? []).not.toContain("annual_revenue");

    const manager = demo.as(MAX);
    expect((await manager.data.describe({ object: "account" })).fields.map((field) => field.name)).toContain("annual_revenue");
    const [sum] = (await manager.data.aggregate({ object: "account", aggregate: [{ function: "sum", field: "annual_revenue", alias: "revenue" }] })).rows;
    expect(sum!.revenue).toBeGreaterThan(0);
    expect((await manager.data.export({ object: "account" })).csv.split("\r\n")[0]!.split(",")).toContain("annual_revenue");
  });

  it("lets an account's owner and their manager edit it, nobody else; only the manager deletes", async () => {
    const uma = demo.as(UMA);
    const ritas = accounts.find((row) => row.owner_id === idOf(RITA))!;
    const umas = accounts.find((row) => row.owner_id === idOf(UMA))!;
    const maxs = accounts.find((row) => row.owner_id === idOf(MAX))!;
    expect(await uma.data.recordAccess({ object: "account", id: ritas.id })).toMatchObject({ read: true, edit: false, delete: false });
    await refused(uma.data.update({ object: "account", id: ritas.id, values: { employees: 1 } }), "FORBIDDEN");
    await refused(uma.data.update({ object: "account", id: maxs.id, values: { employees: 1 } }), "FORBIDDEN");
    expect((await uma.data.update({ object: "account", id: umas.id, values: { employees: 77 } })).employees).toBe(77);
    // A hidden field cannot be written, even on her own account.
    // A hidden field is an unknown name to its writer too: the refusal does not reveal it exists.
    expect((await refused(uma.data.update({ object: "account", id: umas.id, values: { annual_revenue: 1 } }), "BAD_REQUEST")).message).toContain("Unknown field 'annual_revenue'");
    await refused(uma.data.delete({ object: "account", id: umas.id }), "FORBIDDEN");

    const manager = demo.as(MAX);
    expect((await manager.data.update({ object: "account", id: ritas.id, values: { annual_revenue: 5_000_000 } })).annual_revenue).toBe(5_000_000);
    // A new account is its creator's: Uma creates one, edits it; the manager deletes it.
    const created = await uma.data.create({ object: "account", values: { name: "Uma's new account" } });
    expect(created.owner_id).toBe(idOf(UMA));
    await uma.data.update({ object: "account", id: created.id, values: { phone: "+1 555 0000" } });
    await refused(demo.as(RITA).data.update({ object: "account", id: created.id, values: { phone: "+1 555 9999" } }), "FORBIDDEN");
    await manager.data.delete({ object: "account", id: created.id });
  });

  it("lets everyone read and edit every contact, and delete their own (the manager: his reps' too)", async () => {
    const contacts = (await demo.as("admin@objectstudio.local").data.find({ object: "contact", limit: 1000 })).records as unknown as Row[];
    const ritas = contacts.find((row) => row.owner_id === idOf(RITA))!;
    const umas = contacts.find((row) => row.owner_id === idOf(UMA))!;
    const uma = demo.as(UMA);
    expect(await uma.data.count({ object: "contact" })).toBe(contacts.length);
    expect(await uma.data.recordAccess({ object: "contact", id: umas.id })).toMatchObject({ read: true, edit: true, delete: true });
    expect(await uma.data.recordAccess({ object: "contact", id: ritas.id })).toMatchObject({ read: true, edit: true, delete: false });
    expect(await demo.as(MAX).data.recordAccess({ object: "contact", id: ritas.id })).toMatchObject({ read: true, edit: true, delete: true });
    expect((await uma.data.update({ object: "contact", id: ritas.id, values: { title: "Buyer" } })).title).toBe("Buyer");
    await refused(uma.data.delete({ object: "contact", id: ritas.id }), "FORBIDDEN");
  });

  it("gives a user added later the Sales rep profile and no role, and an object added later to nobody", async () => {
    const row = await demo.services.platformDb.user.create({ data: { email: "newcomer@objectstudio.local", name: "Nia Newcomer", role: "user", passwordHash: "not a hash" } });
    const newcomer = createCaller({ user: { id: row.id, email: row.email, name: row.name, role: "user" }, services: demo.services });
    expect(await newcomer.data.count({ object: "opportunity" })).toBe(0);
    expect(await newcomer.data.count({ object: "account" })).toBe(accounts.length);
    expect((await newcomer.data.describe({ object: "account" })).fields.map((field) => field.name)).not.toContain("annual_revenue");

    const adminId = idOf("admin@objectstudio.local");
    const project = { name: "project", label: "Project", pluralLabel: "Projects", nameField: "title", fields: [{ id: "prj_title", name: "title", label: "Title", type: "text" }] };
    await demo.services.metadata.create("object", project, adminId);
    await demo.services.metadata.publish("object", "project", {}, adminId);
    await refused(demo.as(UMA).data.find({ object: "project" }), "FORBIDDEN");
    await refused(demo.as(MAX).data.create({ object: "project", values: { title: "Bridge" } }), "FORBIDDEN");
    expect(await demo.as("admin@objectstudio.local").data.count({ object: "project" })).toBe(0);
  });

  it("serves the same over REST with the user's API key: rows, totals, aggregates and the hidden field", async () => {
    const { key } = await demo.as(UMA).apiKeys.create({ name: "Demo check" });
    const call = <P>(handler: RestHandler<P>, params: P, path: string, init: RequestInit = {}) =>
      serveRest(demo.services, handler, new Request(`http://localhost${path}`, { ...init, headers: { authorization: `Bearer ${key}` } }), params);
    const expected = visibleOpportunities(UMA);

    const list = await call(recordsApi.list, { object: "opportunity" }, "/api/v1/objects/opportunity/records?limit=1000&total=true");
    expect(list.status).toBe(200);
    const page = await list.json();
    expect(page.total).toBe(expected.length);
    expect(ids(page.records)).toEqual(ids(expected));

    const hidden = opportunities.find((row) => !canReadOpportunity(UMA, row))!;
    const one = await call(recordsApi.get, { object: "opportunity", id: hidden.id }, `/api/v1/objects/opportunity/records/${hidden.id}`);
    expect(one.status).toBe(404);
    const patched = await call(recordsApi.update, { object: "opportunity", id: hidden.id }, `/api/v1/objects/opportunity/records/${hidden.id}`, {
      method: "PATCH", body: JSON.stringify({ name: "Taken over" }),
    });
    expect(patched.status).toBe(404);

    const query = (body: unknown) => call(recordsApi.query, {}, "/api/v1/query", { method: "POST", body: JSON.stringify(body) });
    const counted = await query({ object: "opportunity", aggregate: [{ function: "count", alias: "deals" }] });
    expect((await counted.json()).rows).toEqual([{ deals: expected.length }]);
    const revenue = await query({ object: "account", aggregate: [{ function: "sum", field: "annual_revenue", alias: "revenue" }] });
    expect(revenue.status).toBe(400);
    expect(JSON.stringify(await revenue.json())).toContain("annual_revenue");
    const selected = await call(recordsApi.list, { object: "account" }, "/api/v1/objects/account/records?select=name,annual_revenue");
    expect(selected.status).toBe(400);
    const accountsPage = await (await call(recordsApi.list, { object: "account" }, "/api/v1/objects/account/records?limit=1000&total=true")).json();
    expect(accountsPage.total).toBe(60);
    for (const record of accountsPage.records) expect(record).not.toHaveProperty("annual_revenue");
    const ritas = accounts.find((row) => row.owner_id === idOf(RITA))!;
    const forbidden = await call(recordsApi.update, { object: "account", id: ritas.id }, `/api/v1/objects/account/records/${ritas.id}`, {
      method: "PATCH", body: JSON.stringify({ employees: 2 }),
    });
    expect(forbidden.status).toBe(403);
  });

  it("is seeded once: a second seed changes nothing", async () => {
    const before = await demo.services.metadata.get("security", "org");
    expect(before.publishedVersion).toBe(1);
    expect(await seedDemoCrm(demo.services)).toBe(false);
    expect((await demo.services.metadata.get("security", "org")).publishedVersion).toBe(1);
  });
});

describe("the demo on a database that already has users", () => {
  it("gets the CRM, owned by the first admin, and no security model (nobody loses access)", async () => {
    const h = await createHarness(sqliteTestDatabase());
    try {
      expect(await seedDemoCrm(h.services)).toBe(true);
      expect(await h.services.metadata.list("security")).toEqual([]);
      const owners = await h.asAdmin.data.aggregate({ object: "opportunity", groupBy: [{ field: "owner_id" }], aggregate: [{ function: "count", alias: "n" }] });
      expect(owners.rows).toEqual([{ owner_id: h.admin.id, n: 240 }]);
      expect(await h.asUser.data.count({ object: "opportunity" })).toBe(240);
    } finally {
      await h.close();
    }
  }, 120_000);
});
