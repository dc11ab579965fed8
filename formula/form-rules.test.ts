import { describe, expect, it } from "vitest";
import { objectSchema, type ObjectDef, type ObjectInput } from "@/spec/object";
import { formSchema, type FormDef, type FormInput } from "@/spec/form";
import { chooseForm, conditionHolds, formFieldStates, formMetadataIssues, formRuleIssues } from "./form-rules";

const account: ObjectDef = objectSchema.parse({
  name: "account",
  label: "Account",
  pluralLabel: "Accounts",
  fields: [{ id: "a1", name: "name", label: "Name", type: "text", required: true }],
} satisfies ObjectInput);

const deal: ObjectDef = objectSchema.parse({
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
    { id: "d5", name: "account", label: "Account", type: "lookup", reference: "account" },
    { id: "d6", name: "code", label: "Code", type: "text" },
    { id: "d7", name: "done", label: "Done", type: "boolean" },
  ],
} satisfies ObjectInput);

const objects = (name: string) => (name === "deal" ? deal : name === "account" ? account : undefined);

function form(overrides: Partial<FormInput> = {}, items: FormInput["tabs"][number]["sections"] = []): FormDef {
  return formSchema.parse({
    name: "deal_form",
    label: "Deal form",
    object: "deal",
    tabs: [
      {
        id: "t1",
        label: "Details",
        sections: items.length > 0 ? items : [
          {
            id: "s1",
            type: "fields",
            items: [
              { id: "i1", type: "field", field: "name" },
              { id: "i2", type: "field", field: "stage" },
              { id: "i3", type: "field", field: "amount", requiredWhen: "stage = 'won'", requiredMessage: "A won deal needs its amount" },
              { id: "i4", type: "field", field: "probability", visibleWhen: "stage <> 'lost'", required: true },
              { id: "i5", type: "field", field: "code", readOnly: true, defaultValue: "D-1" },
            ],
          },
        ],
      },
    ],
    ...overrides,
  } satisfies FormInput);
}

describe("form conditions", () => {
  it("evaluates conditions on the values; empty values are NULL; a lookup compares by id", () => {
    expect(conditionHolds("stage = 'won'", deal, { stage: "won" })).toBe(true);
    expect(conditionHolds("stage = 'won'", deal, { stage: "open" })).toBe(false);
    // NULL = 'won' is NULL, which does not hold.
    expect(conditionHolds("stage = 'won'", deal, { stage: "" })).toBe(false);
    expect(conditionHolds("amount > 1000", deal, { amount: 5000 })).toBe(true);
    expect(conditionHolds("account = 'acc1'", deal, { account: { id: "acc1", name: "Acme" } })).toBe(true);
    expect(conditionHolds(undefined, deal, {})).toBe(true);
    // A condition that does not compile never holds (publishing refuses it anyway).
    expect(conditionHolds("nope = 1", deal, { stage: "won" })).toBe(false);
  });

  it("shows, hides and requires fields live", () => {
    const f = form();
    const open = formFieldStates(f, deal, { stage: "open" });
    expect(open.get("probability")).toMatchObject({ visible: true, required: true });
    expect(open.get("amount")).toMatchObject({ visible: true, required: false });
    expect(open.get("name")).toMatchObject({ required: true }); // the field's own flag
    expect(open.get("code")).toMatchObject({ readOnly: true });

    const won = formFieldStates(f, deal, { stage: "won" });
    expect(won.get("amount")?.required).toBe(true);

    const lost = formFieldStates(f, deal, { stage: "lost" });
    // Hidden: not required either.
    expect(lost.get("probability")).toMatchObject({ visible: false, required: false });
  });

  it("hides a whole section by its condition, and leaves out fields the object (as the user sees it) lacks", () => {
    const f = form({}, [
      { id: "s1", type: "fields", visibleWhen: "stage = 'won'", items: [{ id: "i1", type: "field", field: "amount", required: true }] },
      { id: "s2", type: "fields", items: [{ id: "i2", type: "field", field: "code" }] },
    ]);
    expect(formFieldStates(f, deal, { stage: "open" }).get("amount")?.visible).toBe(false);
    expect(formFieldStates(f, deal, { stage: "won" }).get("amount")?.visible).toBe(true);
    const masked = { ...deal, fields: deal.fields.filter((field) => field.name !== "code") };
    expect(formFieldStates(f, masked, {}).has("code")).toBe(false);
  });
});

describe("formRuleIssues (the server's re-check)", () => {
  it("names the field path of a broken required rule, with the form's message", () => {
    const issues = formRuleIssues(form(), deal, { name: "Big", stage: "won", probability: 50, code: "D-1" });
    expect(issues).toEqual([{ path: ["amount"], message: "A won deal needs its amount" }]);
  });

  it("uses '<label> is required' without a message, and skips hidden fields", () => {
    expect(formRuleIssues(form(), deal, { name: "x", stage: "open" })).toEqual([{ path: ["probability"], message: "Probability is required" }]);
    expect(formRuleIssues(form(), deal, { name: "x", stage: "lost" })).toEqual([]);
  });

  it("refuses a change of a read-only field; on create only its default passes", () => {
    const previous = { name: "x", stage: "open", probability: 10, code: "D-7" };
    expect(formRuleIssues(form(), deal, { ...previous }, previous)).toEqual([]);
    expect(formRuleIssues(form(), deal, { ...previous, code: "HACK" }, previous)).toEqual([{ path: ["code"], message: "Code is read-only on this form" }]);
    expect(formRuleIssues(form(), deal, { name: "x", stage: "open", probability: 1, code: "D-1" })).toEqual([]);
    expect(formRuleIssues(form(), deal, { name: "x", stage: "open", probability: 1, code: "other" })).toEqual([{ path: ["code"], message: "Code is read-only on this form" }]);
  });

  it("never requires a boolean (false is a value)", () => {
    const f = form({}, [{ id: "s1", type: "fields", items: [{ id: "i1", type: "field", field: "done", required: true }] }]);
    expect(formRuleIssues(f, deal, { done: false })).toEqual([]);
  });
});

describe("formMetadataIssues", () => {
  it("accepts a sound form", () => {
    expect(formMetadataIssues(form(), deal, objects)).toEqual([]);
  });

  it("reports problems by the form's own paths", () => {
    const bad = form({ recordType: { field: "stage", value: "maybe" } }, [
      {
        id: "s1",
        type: "fields",
        columns: 1,
        items: [
          { id: "i1", type: "field", field: "missing" },
          { id: "i2", type: "field", field: "amount", widget: "toggle", span: 2 },
          { id: "i3", type: "field", field: "stage", visibleWhen: "amount + 1" },
          { id: "i4", type: "field", field: "account", lookupFilter: { field: "nope", equalsField: "ghost" } },
          { id: "i5", type: "field", field: "code", requiredWhen: "stage = " },
        ],
      },
      { id: "s2", type: "related", object: "account", lookupField: "name", columns: ["zzz"] },
    ]);
    const issues = formMetadataIssues(bad, deal, objects);
    const paths = issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual([
      "tabs.0.sections.0.items.0.field",
      "tabs.0.sections.0.items.1.widget",
      "tabs.0.sections.0.items.1.span",
      "tabs.0.sections.0.items.2.visibleWhen",
      "tabs.0.sections.0.items.3.lookupFilter.field",
      "tabs.0.sections.0.items.3.lookupFilter.equalsField",
      "tabs.0.sections.0.items.4.requiredWhen",
      "tabs.0.sections.1.lookupField",
      "tabs.0.sections.1.columns.0",
      "recordType.value",
    ]);
    expect(issues[3]!.message).toMatch(/must be true or false/);
    expect(formMetadataIssues(form({ object: "ghost" }), undefined, objects)).toEqual([{ path: ["object"], message: "object 'ghost' is not published" }]);
  });
});

describe("chooseForm", () => {
  const base = { object: "deal", tabs: [{ id: "t", label: "T", sections: [] }] } as const;
  const forms = [
    formSchema.parse({ ...base, name: "deal_default", label: "Default", isDefault: true }),
    formSchema.parse({ ...base, name: "deal_sales", label: "Sales", profiles: ["sales"] }),
    formSchema.parse({ ...base, name: "deal_won", label: "Won", recordType: { field: "stage", value: "won" } }),
    formSchema.parse({ ...base, name: "deal_won_support", label: "Won (support)", recordType: { field: "stage", value: "won" }, profiles: ["support"] }),
    formSchema.parse({ ...base, object: "account", name: "account_default", label: "Account", isDefault: true }),
  ];
  const pick = (profiles: string[], record?: Record<string, unknown>) => chooseForm(forms, "deal", profiles, record)?.name ?? null;

  it("picks by record type, then profile, then the default", () => {
    expect(pick([], { stage: "won" })).toBe("deal_won");
    expect(pick(["support"], { stage: "won" })).toBe("deal_won");
    expect(pick(["sales"], { stage: "open" })).toBe("deal_sales");
    expect(pick(["sales"])).toBe("deal_sales");
    expect(pick(["other"])).toBe("deal_default");
    expect(pick([], { stage: "lost" })).toBe("deal_default");
    expect(chooseForm(forms, "contact", [])).toBeNull();
    expect(chooseForm(forms, "account", [])?.name).toBe("account_default");
  });

  it("gives a record-type form with profiles only to those profiles", () => {
    const only = forms.filter((f) => f.name !== "deal_won");
    expect(chooseForm(only, "deal", ["support"], { stage: "won" })?.name).toBe("deal_won_support");
    expect(chooseForm(only, "deal", ["sales"], { stage: "won" })?.name).toBe("deal_sales");
  });
});
