import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import type { FormInput } from "@/spec/form";
import { describeError } from "@/server/api/trpc";
import { seedDemoCrm } from "@/server/seed/seed";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

const company: ObjectInput = {
  name: "company",
  label: "Company",
  pluralLabel: "Companies",
  fields: [{ id: "c1", name: "name", label: "Name", type: "text", required: true }],
};
const deal: ObjectInput = {
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "name", label: "Name", type: "text", required: true },
    {
      id: "d2", name: "stage", label: "Stage", type: "select",
      options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }, { value: "lost", label: "Lost" }],
    },
    { id: "d3", name: "amount", label: "Amount", type: "currency" },
    { id: "d4", name: "probability", label: "Probability", type: "percent" },
    { id: "d5", name: "company", label: "Company", type: "lookup", reference: "company" },
    { id: "d6", name: "margin", label: "Margin", type: "number" },
    { id: "d7", name: "code", label: "Code", type: "text" },
  ],
};

const dealForm: FormInput = {
  name: "deal_form",
  label: "Deal form",
  object: "deal",
  isDefault: true,
  tabs: [
    {
      id: "t1",
      label: "Details",
      sections: [
        {
          id: "s1",
          type: "fields",
          items: [
            { id: "i1", type: "field", field: "name" },
            { id: "i2", type: "field", field: "stage" },
            { id: "i3", type: "field", field: "amount", requiredWhen: "stage = 'won'", requiredMessage: "A won deal needs its amount" },
            { id: "i4", type: "field", field: "probability", visibleWhen: "stage <> 'lost'", requiredWhen: "stage = 'open'" },
            // Required on this form, but the regular user may not read it (see the security model below).
            { id: "i5", type: "field", field: "margin", required: true },
            { id: "i6", type: "field", field: "code", readOnly: true },
          ],
        },
      ],
    },
  ],
};
const salesForm: FormInput = { ...dealForm, name: "deal_sales", label: "Sales deal form", isDefault: false, profiles: ["sales"] };
const companyForm: FormInput = {
  name: "company_form",
  label: "Company form",
  object: "company",
  tabs: [{ id: "t1", label: "Main", sections: [{ id: "s1", type: "fields", items: [{ id: "i1", type: "field", field: "name" }] }] }],
};

/** data.create / data.update with `form`: the published form's rules are enforced on the server. */
describe("form re-check on save", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    for (const object of [company, deal]) {
      await h.asAdmin.metadata.create({ kind: "object", body: object });
      await h.asAdmin.metadata.publish({ kind: "object", name: object.name });
    }
    for (const form of [dealForm, salesForm, companyForm]) {
      await h.asAdmin.metadata.create({ kind: "form", body: form });
      await h.asAdmin.metadata.publish({ kind: "form", name: form.name });
    }
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("refuses a create that breaks a conditional required rule, naming the field path and the form's message", async () => {
    const error = await refused(
      h.asAdmin.data.create({ object: "deal", form: "deal_form", values: { name: "Big", stage: "won", margin: 3 } }),
      "BAD_REQUEST",
    );
    expect(error.message).toMatch(/amount: A won deal needs its amount/);
    // What the browser gets: the issues by field path, shown next to the field.
    expect(describeError(error).issues).toEqual([{ path: ["amount"], message: "A won deal needs its amount" }]);
    const created = await h.asAdmin.data.create({ object: "deal", form: "deal_form", values: { name: "Big", stage: "won", amount: 1000, margin: 3 } });
    expect(created.amount).toBe(1000);
    // Without `form` the form's rules do not apply (the object's own still do).
    await h.asAdmin.data.create({ object: "deal", values: { name: "Raw", stage: "won" } });
  });

  it("checks an update against the stored record merged with the changes", async () => {
    const record = await h.asAdmin.data.create({ object: "deal", form: "deal_form", values: { name: "Mid", stage: "lost", margin: 2 } });
    // Reopening makes probability shown and required: the stored record has none.
    const error = await refused(h.asAdmin.data.update({ object: "deal", id: record.id, form: "deal_form", values: { stage: "open" } }), "BAD_REQUEST");
    expect(error.message).toMatch(/probability: Probability is required/);
    const updated = await h.asAdmin.data.update({ object: "deal", id: record.id, form: "deal_form", values: { stage: "open", probability: 40 } });
    expect(updated.stage).toBe("open");
    // A change that leaves the rules intact passes without resending the other fields.
    await h.asAdmin.data.update({ object: "deal", id: record.id, form: "deal_form", values: { name: "Mid (renamed)" } });
    // A read-only field on the form cannot be changed through it.
    const readOnly = await refused(h.asAdmin.data.update({ object: "deal", id: record.id, form: "deal_form", values: { code: "X" } }), "BAD_REQUEST");
    expect(readOnly.message).toMatch(/code: Code is read-only on this form/);
  });

  it("refuses an unknown form, or a form of another object, naming `form`", async () => {
    const unknown = await refused(h.asAdmin.data.create({ object: "deal", form: "nope", values: { name: "x" } }), "BAD_REQUEST");
    expect(unknown.message).toMatch(/Unknown form 'nope' \(form\)/);
    expect(describeError(unknown).issues).toEqual([{ path: ["form"], message: "no published form 'nope'" }]);
    const other = await refused(h.asAdmin.data.create({ object: "deal", form: "company_form", values: { name: "x" } }), "BAD_REQUEST");
    expect(other.message).toMatch(/is for 'company', not 'deal'/);
  });

  it("checks the form against the object as the user sees it, and gives each user their form", async () => {
    // No model yet: every user gets the default form.
    expect((await h.asUser.data.form({ object: "deal" }))?.name).toBe("deal_form");
    expect(await h.asUser.data.form({ object: "company" })).toBeNull();

    // The user's profile may not read `margin` (required on the form) and gets the sales form.
    const everything = { create: true, read: true, edit: true, delete: true };
    await h.asAdmin.metadata.create({
      kind: "security",
      body: {
        profiles: [
          { name: "sales", label: "Sales", objects: { company: everything, deal: { ...everything, fields: { margin: "none" } } } },
          { name: "standard", label: "Standard", objects: { company: everything, deal: everything } },
        ],
        defaultProfile: "standard",
        orgWideDefaults: {},
        assignments: { [h.user.id]: { profile: "sales" } },
      },
    });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org" });

    expect((await h.asUser.data.form({ object: "deal" }))?.name).toBe("deal_sales");
    // The admin (no assignment) has the default profile, which no form names: the default form.
    expect((await h.asAdmin.data.form({ object: "deal" }))?.name).toBe("deal_form");
    // An admin previews the user's form.
    expect((await h.asAdmin.data.form({ object: "deal", asUser: h.user.id }))?.name).toBe("deal_sales");

    // The user could not fill `margin`: its rule is not held against them; the others are.
    const created = await h.asUser.data.create({ object: "deal", form: "deal_sales", values: { name: "Mine", stage: "open", probability: 10 } });
    const error = await refused(h.asUser.data.update({ object: "deal", id: created.id, form: "deal_sales", values: { stage: "won" } }), "BAD_REQUEST");
    expect(error.message).toMatch(/amount: A won deal needs its amount/);
    expect(describeError(error).issues).toEqual([{ path: ["amount"], message: "A won deal needs its amount" }]);
    // The admin, who reads `margin`, is held to it.
    const adminError = await refused(h.asAdmin.data.create({ object: "deal", form: "deal_form", values: { name: "No margin", stage: "lost" } }), "BAD_REQUEST");
    expect(adminError.message).toMatch(/margin: Margin is required/);

    await refused(h.asUser.data.form({ object: "deal", id: "missing" }), "NOT_FOUND");
    await refused(h.asUser.data.form({ object: "deal", asUser: h.admin.id }), "FORBIDDEN");
  });
});

describe("demo forms", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("publish with the demo CRM (their checks pass) and are what users get", async () => {
    expect(await seedDemoCrm(h.services)).toBe(true);
    const opportunityForm = await h.asUser.data.form({ object: "opportunity" });
    expect(opportunityForm?.name).toBe("opportunity_layout");
    expect((await h.asUser.data.form({ object: "account" }))?.tabs.map((tab) => tab.label)).toEqual(["Details", "Related"]);
    const error = await refused(
      h.asUser.data.create({ object: "opportunity", form: "opportunity_layout", values: { name: "Won deal", stage: "closed_won" } }),
      "BAD_REQUEST",
    );
    expect(describeError(error).issues).toEqual([{ path: ["amount"], message: "A won deal needs its amount" }]);
  });
});
