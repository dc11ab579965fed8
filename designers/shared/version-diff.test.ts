import { describe, expect, it } from "vitest";
import { diffDocuments, redactSecrets } from "./version-diff";

const texts = (before: unknown, after: unknown) => diffDocuments(before, after).map((change) => change.text);

const opportunity = {
  name: "opportunity",
  label: "Opportunity",
  pluralLabel: "Opportunities",
  fields: [
    { id: "f1", name: "name", label: "Name", type: "text", required: true },
    { id: "f2", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }] },
    { id: "f3", name: "amount", label: "Amount", type: "currency" },
  ],
};

describe("diffDocuments (objects)", () => {
  it("says nothing for equal documents", () => {
    expect(texts(opportunity, structuredClone(opportunity))).toEqual([]);
  });

  it("words property changes of a field by its label", () => {
    const after = structuredClone(opportunity);
    after.fields[1]!.label = "Phase";
    after.fields[0]!.required = false;
    expect(texts(opportunity, after)).toEqual(['Field "Name": required on → off', 'Field "Stage": label "Stage" → "Phase"']);
  });

  it("treats a renamed field (same id) as one change, and an added field with its type", () => {
    const after = structuredClone(opportunity);
    after.fields[2] = { ...after.fields[2]!, name: "value" };
    after.fields.push({ id: "f4", name: "region", label: "Region", type: "select", options: [] } as never);
    expect(texts(opportunity, after)).toEqual(['Field "Amount": name "amount" → "value"', 'Added field "Region" (select)']);
  });

  it("reports removed fields, reordering, options and top-level properties", () => {
    const after = structuredClone(opportunity);
    after.label = "Deal";
    after.fields = [after.fields[1]!, after.fields[0]!];
    after.fields[0]!.options!.push({ value: "lost", label: "Lost" });
    expect(texts(opportunity, after)).toEqual([
      'Label "Opportunity" → "Deal"',
      'Moved field "Name" after "Stage"',
      'Removed field "Amount"',
      'Field "Stage": Added option "Lost"',
    ]);
  });

  it("describes a new document as created", () => {
    expect(texts(null, opportunity)).toEqual(["Created"]);
  });
});

describe("diffDocuments (forms, views, apps, security, data sources)", () => {
  const form = {
    name: "deal_form",
    label: "Deal",
    object: "opportunity",
    tabs: [
      { id: "t1", label: "Details", sections: [{ id: "s1", type: "fields", label: "Main", columns: 2, items: [{ id: "i1", field: "name" }, { id: "i2", field: "amount", label: "Amount" }] }] },
      { id: "t2", label: "More", sections: [{ id: "s2", type: "fields", label: "Money", columns: 1, items: [] }] },
    ],
  };

  it("nests form changes under tab and section, and a move between sections is one line", () => {
    const after = structuredClone(form);
    after.tabs[0]!.sections[0]!.columns = 3;
    const amount = after.tabs[0]!.sections[0]!.items.pop()!;
    after.tabs[1]!.sections[0]!.items.push({ ...amount, label: "Value" });
    expect(texts(form, after)).toEqual([
      'Tab "Details" › section "Main": columns 2 → 3',
      'Moved field "Amount" from "Main" to "Money"',
      'Tab "More" › section "Money" › field "Amount": label "Amount" → "Value"',
    ]);
  });

  it("matches view columns by field and app navigation by object", () => {
    const view = { name: "open_deals", label: "Open deals", object: "opportunity", columns: [{ field: "name" }, { field: "amount", label: "Amount", width: 120 }], sort: [] };
    const after = { ...view, columns: [{ field: "name", width: 200 }] };
    expect(texts(view, after)).toEqual(['Column "name": width set to 200', 'Removed column "Amount"']);
    const app = { name: "crm", label: "CRM", navigation: [{ type: "object", object: "account" }, { type: "url", label: "Help", url: "/help" }] };
    const appAfter = { ...app, navigation: [{ type: "url", label: "Help", url: "/help" }, { type: "object", object: "account", label: "Customers" }] };
    expect(texts(app, appAfter)).toEqual(['Moved navigation item "account" after "Help"', 'Navigation item "account": label set to "Customers"']);
  });

  it("words security changes by named element and lists membership changes", () => {
    const before = { name: "org", profiles: [{ name: "standard", label: "Standard", objects: { account: { read: true, edit: false } } }], groups: [{ name: "sales", label: "Sales", users: ["u1", "u2"] }] };
    const after = structuredClone(before);
    after.profiles[0]!.objects.account.edit = true;
    after.groups[0]!.users = ["u2", "u3"];
    expect(texts(before, after)).toEqual(['Profile "Standard": objects › account › edit off → on', 'Group "Sales": users: added "u3"; removed "u1"']);
  });

  it("never shows a data source password", () => {
    const before = { name: "erp", label: "ERP", driver: "postgres", url: "postgres://app:old-secret@db:5432/erp", password: "hunter2" };
    const after = { ...before, url: "postgres://app:new-secret@db:5432/erp?sslpassword=x", password: "swordfish" };
    const lines = texts(before, after).join("\n");
    expect(lines).not.toMatch(/secret|hunter2|swordfish|sslpassword=x/);
    expect(lines).toContain('Url "postgres://app:•••@db:5432/erp" → "postgres://app:•••@db:5432/erp?sslpassword=•••"');
    expect(lines).toContain("Password (hidden) → (hidden)");
    expect(JSON.stringify(redactSecrets(after))).not.toMatch(/secret|swordfish/);
  });

  it("falls back to JSON paths for lists without identities", () => {
    const before = { name: "v", rowActions: [{ type: "update", label: "Close", field: "stage", value: "won" }, { type: "update", label: "Lose", field: "stage", value: "lost" }] };
    const after = structuredClone(before);
    after.rowActions[1]!.label = "Drop";
    expect(texts(before, after)).toEqual(['Row actions › 1 › label "Lose" → "Drop"']);
  });
});
