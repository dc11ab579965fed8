import { expect, test, type Locator, type Page } from "@playwright/test";
import { ADMIN, USER, publishDemoSecurityModel, publishOpenSecurityModel, retireDefaultForm, signIn, trpcCall, uniqueName } from "./helpers";

/**
 * Published forms in the generated app: the admin publishes an opportunity form (two tabs, a
 * two-column section, a field shown only while the deal is not lost, an amount required once it
 * is won, a contact filtered by the chosen account, a collapsed notes section); the regular user
 * gets exactly that layout on the new-record and record pages, the conditions follow their
 * changes live, and the server refuses a direct save that breaks the required rule.
 */

const SHOTS = "/tmp";

// Named so that it sorts before the seeded default "opportunity_layout": of two default forms the first by name wins.
const FORM = {
  // Its own name (sorting before the seeded "opportunity_layout": of two default forms the first by name wins).
  name: uniqueName("opportunity_e2e_"),
  label: "Opportunity (e2e)",
  object: "opportunity",
  isDefault: true,
  tabs: [
    {
      id: "deal",
      label: "Deal",
      sections: [
        {
          id: "basics",
          type: "fields",
          label: "Basics",
          columns: 2,
          items: [
            { id: "i_name", type: "field", field: "name", label: "Deal name" },
            { id: "i_stage", type: "field", field: "stage" },
            { id: "i_account", type: "field", field: "account" },
            { id: "i_contact", type: "field", field: "contact", lookupFilter: { field: "account", equalsField: "account" } },
            { id: "i_amount", type: "field", field: "amount", requiredWhen: "stage = 'closed_won'", requiredMessage: "Enter the amount of a won deal" },
            { id: "i_probability", type: "field", field: "probability", visibleWhen: "stage <> 'closed_lost'", helpText: "Only while the deal is open or won" },
          ],
        },
      ],
    },
    {
      id: "more",
      label: "More",
      sections: [
        { id: "dates", type: "fields", label: "Dates", columns: 2, items: [{ id: "i_close", type: "field", field: "close_date", required: true, requiredMessage: "When will it close?" }] },
        {
          id: "notes",
          type: "fields",
          label: "Notes",
          columns: 2,
          collapsible: true,
          collapsed: true,
          items: [{ id: "i_notes", type: "field", field: "notes", span: 2, placeholder: "Next steps…" }],
        },
      ],
    },
  ],
};

/**
 * Specs share one database: the e2e form stops being a default afterwards, so the other specs
 * get the seeded opportunity form again.
 */
test.afterAll(async ({ browser }) => {
  await retireDefaultForm(browser, FORM.name);
  await publishDemoSecurityModel(browser);
});


async function box(locator: Locator) {
  const found = await locator.boundingBox();
  expect(found).not.toBeNull();
  return found!;
}

async function pickLookup(page: Page, label: string, search: string, option: string | RegExp) {
  const input = page.getByRole("combobox", { name: label });
  await input.click();
  await input.fill(search);
  await page.getByRole("option", { name: option }).first().click();
}

test("a published form: tabs, columns, live conditions, dependent lookup, and the server's re-check", async ({ browser }) => {
  test.setTimeout(180_000);
  // Every record is open to the user (the open model); the demo's comes back after the spec.
  await publishOpenSecurityModel(browser);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN, "/studio");
  const created = await trpcCall(admin, "metadata.create", { kind: "form", body: FORM }, "mutation");
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  const published = await trpcCall(admin, "metadata.publish", { kind: "form", name: FORM.name }, "mutation");
  expect(published.status, JSON.stringify(published.json)).toBe(200);
  // A contact with an account, for the dependent lookup.
  const contacts = await trpcCall(admin, "data.find", { object: "contact", filter: { field: "account", operator: "is_not_null" }, limit: 1 }, "query");
  const contact = contacts.json.result.data.json.records[0] as { name: string; account: { id: string; name: string } };
  await adminContext.close();

  const userContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await userContext.newPage();
  await signIn(page, USER, "/apps/crm/opportunity/new");

  // The layout: two tabs, the first one's section in two columns.
  await expect(page.getByRole("tab", { name: "Deal" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tab", { name: "More" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Basics" })).toBeVisible();
  const name = page.getByLabel("Deal name");
  const stage = page.getByLabel("Stage");
  const [nameBox, stageBox] = [await box(name), await box(stage)];
  expect(Math.abs(nameBox.y - stageBox.y)).toBeLessThan(4);
  expect(stageBox.x).toBeGreaterThan(nameBox.x + nameBox.width);

  // The conditional field follows the select.
  const probability = page.getByLabel("Probability");
  await expect(probability).toBeVisible();
  await stage.selectOption({ label: "Closed lost" });
  await expect(probability).toHaveCount(0);
  await stage.selectOption({ label: "Negotiation" });
  await expect(probability).toBeVisible();

  // The dependent lookup: nothing to offer before the account, then only its contacts.
  await page.getByRole("combobox", { name: "Primary contact" }).click();
  await expect(page.getByRole("listbox", { name: "Primary contact options" })).toContainText("Choose account first");
  await page.keyboard.press("Escape");
  await pickLookup(page, "Account", contact.account.name, contact.account.name);
  await expect(page.getByRole("combobox", { name: "Account" })).toHaveValue(contact.account.name);
  await page.getByRole("combobox", { name: "Primary contact" }).click();
  const options = page.getByRole("listbox", { name: "Primary contact options" }).getByRole("option");
  await expect(options.filter({ hasText: contact.name })).toHaveCount(1);
  const offered = await options.allTextContents();
  const ofAccount = await page.request.get(
    `/api/trpc/data.count?input=${encodeURIComponent(JSON.stringify({ json: { object: "contact", filter: { field: "account", operator: "=", value: contact.account.id } } }))}`,
  );
  const expectedCount = (await ofAccount.json()).result.data.json as number;
  expect(offered.length).toBe(Math.min(expectedCount, 10));
  await options.filter({ hasText: contact.name }).click();
  await expect(page.getByRole("combobox", { name: "Primary contact" })).toHaveValue(contact.name);

  // The conditional required rule and its message.
  await name.fill("Form runtime deal");
  await stage.selectOption({ label: "Closed won" });
  await expect(page.getByTestId("form-field-amount")).toContainText("*");
  await page.screenshot({ path: `${SHOTS}/formrt-new-desktop.png`, fullPage: true });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("form-field-amount")).toContainText("Enter the amount of a won deal");
  // The other tab's required field is invalid too: its tab is marked.
  await expect(page.getByRole("tab", { name: "More" }).getByTestId("tab-error-marker")).toBeVisible();
  await page.getByLabel("Amount", { exact: true }).fill("12000");
  await page.getByRole("button", { name: "Save" }).click();
  // The only invalid field left is on the second tab: the form switches to it.
  await expect(page.getByRole("tab", { name: "More" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByText("When will it close?")).toBeVisible();
  await expect(page.getByLabel("Close date")).toBeFocused();
  await page.getByLabel("Close date").fill("2027-03-31");
  // The collapsed notes section opens.
  const notesToggle = page.getByRole("button", { name: "Notes" });
  await expect(notesToggle).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByPlaceholder("Next steps…")).toBeHidden();
  await notesToggle.click();
  await expect(notesToggle).toHaveAttribute("aria-expanded", "true");
  await page.getByPlaceholder("Next steps…").fill("Signed at the kick-off.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: "Form runtime deal" })).toBeVisible();
  const recordId = new URL(page.url()).pathname.split("/").pop()!;

  // The record page follows the form too (read view), then edits through it.
  await expect(page.getByRole("tab", { name: "Deal" })).toBeVisible();
  await expect(page.getByTestId("field-amount")).toContainText("12,000");
  await expect(page.getByTestId("field-contact")).toContainText(contact.name);
  await page.getByRole("tab", { name: "More" }).click();
  await expect(page.getByTestId("field-close_date")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/formrt-record-read.png`, fullPage: true });
  await page.getByRole("button", { name: "Edit" }).click();
  await expect(page.getByLabel("Probability")).toBeVisible();
  await page.getByLabel("Stage").selectOption({ label: "Closed lost" });
  await expect(page.getByLabel("Probability")).toHaveCount(0);
  // Changing the account empties the contact that belonged to the old one.
  await page.getByRole("button", { name: "Clear Account" }).click();
  await expect(page.getByRole("combobox", { name: "Primary contact" })).toHaveValue("");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(page.getByTestId("field-stage")).toContainText("Closed lost");
  await expect(page.getByTestId("field-probability")).toHaveCount(0);

  // A direct save through the form that breaks its required rule is refused with the field path.
  const refused = await trpcCall(page, "data.update", { object: "opportunity", id: recordId, form: FORM.name, values: { stage: "closed_won", amount: null } }, "mutation");
  expect(refused.status).toBe(400);
  expect(refused.json.error.json.data.issues).toEqual([{ path: ["amount"], message: "Enter the amount of a won deal" }]);
  const unknown = await trpcCall(page, "data.update", { object: "opportunity", id: recordId, form: "no_such_form", values: { stage: "closed_won" } }, "mutation");
  expect(unknown.status).toBe(400);
  expect(unknown.json.error.json.data.issues[0].path).toEqual(["form"]);

  // On a phone every section is one column.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/apps/crm/opportunity/new");
  const [mobileName, mobileStage] = [await box(page.getByLabel("Deal name")), await box(page.getByLabel("Stage"))];
  expect(Math.abs(mobileName.x - mobileStage.x)).toBeLessThan(2);
  expect(mobileStage.y).toBeGreaterThan(mobileName.y + mobileName.height);
  await page.screenshot({ path: `${SHOTS}/formrt-new-mobile.png`, fullPage: true });
  await userContext.close();
});

test("the seeded account form lists the account's contacts and opportunities", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, USER, "/apps/crm/account");
  const found = await trpcCall(page, "data.find", { object: "opportunity", filter: { field: "account", operator: "is_not_null" }, limit: 1 }, "query");
  const opportunity = found.json.result.data.json.records[0] as { name: string; account: { id: string; name: string } };
  await page.goto(`/apps/crm/account/${opportunity.account.id}`);
  await expect(page.getByRole("heading", { name: opportunity.account.name })).toBeVisible();
  await page.getByRole("tab", { name: "Related" }).click();
  const related = page.getByTestId("related-opportunity");
  await expect(related.getByRole("link", { name: /View all \(\d+\)/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Contacts" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/formrt-account-related.png`, fullPage: true });
  // "View all" opens the child list filtered to this account.
  await related.getByRole("link", { name: /View all/ }).click();
  await expect(page).toHaveURL(/\/apps\/crm\/opportunity\?filter=/);
  expect(JSON.parse(new URL(page.url()).searchParams.get("filter")!)).toEqual([
    { field: "account", operator: "=", value: opportunity.account.id, display: opportunity.account.name },
  ]);
  await page.goBack();
  await page.getByRole("tab", { name: "Related" }).click();
  // The child's link opens it.
  const link = related.getByRole("row").nth(1).getByRole("link").first();
  const childName = (await link.textContent())!.trim();
  await link.click();
  await expect(page.getByRole("heading", { name: childName })).toBeVisible();
  await context.close();
});
