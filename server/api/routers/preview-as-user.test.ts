import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

const deal: ObjectInput = {
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "name", label: "Name", type: "text", required: true },
    { id: "d2", name: "amount", label: "Amount", type: "number" },
    { id: "d3", name: "margin", label: "Margin", type: "number" },
  ],
};

/**
 * The designers' "preview as user": an admin's reads with `asUser` run with that user's
 * permissions (hidden fields, invisible records); nobody else may ask for it.
 */
describe("data reads as another user (asUser)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    await h.asAdmin.metadata.create({ kind: "object", body: deal });
    await h.asAdmin.metadata.publish({ kind: "object", name: "deal" });
    await h.asAdmin.metadata.create({
      kind: "security",
      body: {
        profiles: [{ name: "standard", label: "Standard", objects: { deal: { read: true, edit: true, create: true, fields: { margin: "none" } } } }],
        defaultProfile: "standard",
        orgWideDefaults: { deal: "private" },
      },
    });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org" });
    await h.services.security.ensureFresh(true);
    await h.asAdmin.data.create({ object: "deal", values: { name: "Admin's", amount: 5, margin: 1 } });
    await h.asUser.data.create({ object: "deal", values: { name: "User's", amount: 7 } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("describe, find, get, count and aggregate answer as the previewed user", async () => {
    const described = await h.asAdmin.data.describe({ object: "deal", asUser: h.user.id });
    expect(described.fields.map((field) => field.name)).toEqual(["name", "amount"]);

    const own = await h.asAdmin.data.find({ object: "deal", asUser: h.user.id, withTotal: true });
    expect(own.records.map((record) => record.name)).toEqual(["User's"]);
    expect(own.total).toBe(1);
    expect(Object.keys(own.records[0]!)).not.toContain("margin");

    const all = await h.asAdmin.data.find({ object: "deal" });
    expect(all.records).toHaveLength(2);
    const adminsRecord = all.records.find((record) => record.name === "Admin's")!;
    await refused(h.asAdmin.data.get({ object: "deal", id: String(adminsRecord.id), asUser: h.user.id }), "NOT_FOUND");

    expect(await h.asAdmin.data.count({ object: "deal", asUser: h.user.id })).toBe(1);
    const sums = await h.asAdmin.data.aggregate({ object: "deal", asUser: h.user.id, aggregate: [{ function: "sum", field: "amount", alias: "total" }] });
    expect(sums.rows[0]).toMatchObject({ total: 7 });
  });

  it("is refused to non-admins and names an unknown user", async () => {
    await refused(h.asUser.data.find({ object: "deal", asUser: h.admin.id }), "FORBIDDEN");
    await refused(h.asUser.data.describe({ object: "deal", asUser: h.admin.id }), "FORBIDDEN");
    await refused(h.asAdmin.data.find({ object: "deal", asUser: "nobody" }), "NOT_FOUND");
  });

  it("a user naming themselves reads as usual", async () => {
    const own = await h.asUser.data.find({ object: "deal", asUser: h.user.id });
    expect(own.records).toHaveLength(1);
  });
});
