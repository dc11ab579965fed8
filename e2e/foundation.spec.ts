import { expect, test } from "@playwright/test";
import { ADMIN, USER, publishDemoSecurityModel, signIn, uniqueName } from "./helpers";

/**
 * The foundation slice end to end, as people do it: the admin designs an object with a text,
 * number, select and lookup field, publishes it, puts it in a new app and (the demo's security
 * model gives users only the objects their profile names) lets the Sales rep profile work with
 * it; the regular user creates a record, finds it in the grid, edits it, filters for it and
 * deletes it.
 */
// Starts from the demo's model (it grants on its Sales rep profile) and puts it back afterwards.
test.beforeAll(async ({ browser }) => publishDemoSecurityModel(browser));
test.afterAll(async ({ browser }) => publishDemoSecurityModel(browser));

test("admin designs and publishes an object; a user works with its records", async ({ browser }) => {
  test.setTimeout(180_000);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN, "/studio");
  await expect(admin).toHaveURL((url) => url.pathname === "/studio");

  // Create the object. The API name follows the label; the spec then gives it (and the app) a
  // name of its own, so it never meets another spec's object.
  const [project, delivery] = [uniqueName("project_"), uniqueName("delivery_")];
  await admin.getByRole("button", { name: "New object" }).click();
  const createDialog = admin.getByRole("dialog");
  await createDialog.getByLabel("Label", { exact: true }).fill("Project");
  await expect(createDialog.getByLabel("API name")).toHaveValue("project");
  await createDialog.getByLabel("API name").fill(project);
  await createDialog.getByRole("button", { name: "Create object" }).click();
  await expect(admin).toHaveURL((url) => url.pathname === `/studio/objects/${project}`);

  // Fields: text (required), number, select with two options, lookup to account.
  async function addField(type: string, label: string, settings?: () => Promise<void>) {
    await admin.getByRole("button", { name: "Add field" }).first().click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByLabel("Field type").selectOption(type);
    await dialog.getByLabel("Field label").fill(label);
    if (settings) await settings();
    await dialog.getByRole("button", { name: "Add field" }).click();
    await expect(admin.getByRole("dialog")).toHaveCount(0);
    await expect(admin.getByRole("button", { name: `Edit field ${label}` })).toBeVisible();
  }
  await addField("text", "Title", async () => {
    await admin.getByRole("dialog").getByLabel("Required").check();
  });
  await addField("number", "Budget");
  await addField("select", "Status", async () => {
    const dialog = admin.getByRole("dialog");
    await dialog.getByLabel("Option label 1").fill("Planned");
    await dialog.getByRole("button", { name: "Add option" }).click();
    await dialog.getByLabel("Option label 2").fill("Active");
  });
  await addField("lookup", "Client", async () => {
    await admin.getByRole("dialog").getByLabel("Related object").selectOption("account");
  });

  // Publish.
  await admin.getByRole("button", { name: "Publish" }).first().click();
  const publishDialog = admin.getByRole("dialog");
  await expect(publishDialog.getByText(/Create table/i)).toBeVisible();
  await publishDialog.getByRole("button", { name: "Publish" }).click();
  await expect(admin.getByText("Published version 1.")).toBeVisible();
  await admin.screenshot({ path: "test-results/studio-object-designer.png", fullPage: true });

  // An app that shows it.
  await admin.goto("/studio");
  await admin.getByRole("button", { name: "New app" }).click();
  const appDialog = admin.getByRole("dialog");
  await appDialog.getByLabel("Label", { exact: true }).fill("Delivery");
  await expect(appDialog.getByLabel("API name")).toHaveValue("delivery");
  await appDialog.getByLabel("API name").fill(delivery);
  await appDialog.getByRole("button", { name: "Create app" }).click();
  await expect(admin).toHaveURL((url) => url.pathname === `/studio/apps/${delivery}`);
  await admin.getByLabel("Object to add").selectOption(project);
  await admin.getByRole("button", { name: "Add to navigation" }).click();
  await admin.getByRole("button", { name: "Publish" }).first().click();
  await admin.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await expect(admin.getByText("Published version 1.")).toBeVisible();

  // Until a profile grants it, the users may not open the new object: the Sales rep profile (the
  // demo user's) gets Create, Read, Edit and Delete on it.
  await admin.goto("/studio/security");
  await admin.getByRole("region", { name: "Profiles" }).getByRole("button", { name: /Sales rep/ }).click();
  for (const permission of ["Create", "Edit", "Delete"]) await admin.getByRole("checkbox", { name: `${permission} Project`, exact: true }).check();
  await expect(admin.getByRole("checkbox", { name: "Read Project", exact: true })).toBeChecked();
  await admin.getByRole("button", { name: "Publish" }).first().click();
  await admin.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await expect(admin.getByText(/Published version \d+\./)).toBeVisible();
  await adminContext.close();

  // The regular user.
  const userContext = await browser.newContext();
  const page = await userContext.newPage();
  await signIn(page, USER, `/apps/${delivery}/${project}`);
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  await page.getByRole("link", { name: "New record" }).click();
  await expect(page.getByRole("heading", { name: "New Project" })).toBeVisible();

  // Client-side validation from field metadata: the title is required.
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Required")).toBeVisible();

  await page.getByLabel("Title").fill("Bridge renovation");
  await page.getByLabel("Budget").fill("125000");
  await page.getByLabel("Status").selectOption({ label: "Planned" });
  await page.getByLabel("Client").fill("Acme");
  await page.getByRole("listbox", { name: "Client options" }).getByRole("option").first().click();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: "Bridge renovation" })).toBeVisible();
  await expect(page.getByTestId("field-client")).toContainText("Acme");

  // Seen in the grid.
  await page.getByRole("link", { name: "Projects" }).first().click();
  const row = page.getByTestId("record-row").filter({ hasText: "Bridge renovation" });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Planned");

  // Edit it.
  await row.getByRole("link", { name: "Bridge renovation" }).click();
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Status").selectOption({ label: "Active" });
  await page.getByLabel("Budget").fill("150000");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(page.getByTestId("field-status")).toContainText("Active");

  // A second record, so the filter has something to leave out.
  await page.getByRole("link", { name: "Projects" }).first().click();
  await page.getByRole("link", { name: "New record" }).click();
  await expect(page.getByRole("heading", { name: "New Project" })).toBeVisible();
  await page.getByLabel("Title").fill("Harbour survey");
  await page.getByLabel("Status").selectOption({ label: "Planned" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: "Harbour survey" })).toBeVisible();

  // Filter for it.
  await page.getByRole("link", { name: "Projects" }).first().click();
  await expect(page.getByTestId("grid-total")).toHaveText("2 records");
  await page.getByRole("button", { name: "Add filter" }).click();
  await page.getByLabel("Filter field").selectOption({ label: "Status" });
  await page.getByLabel("Operator").selectOption("=");
  await page.getByLabel("Value").selectOption({ label: "Active" });
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(page.getByTestId("filter-chip")).toHaveText(/Status equals Active/);
  await expect(page.getByTestId("grid-total")).toHaveText("1 record");
  await expect(page.getByTestId("record-row")).toHaveCount(1);
  await expect(page.getByTestId("record-row")).toContainText("Bridge renovation");
  await page.screenshot({ path: "test-results/app-filtered-grid.png", fullPage: true });

  // Delete it.
  await page.getByTestId("record-row").getByRole("link", { name: "Bridge renovation" }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/apps/${delivery}/${project}`);
  await expect(page.getByTestId("record-row").filter({ hasText: "Bridge renovation" })).toHaveCount(0);
  await expect(page.getByTestId("record-row").filter({ hasText: "Harbour survey" })).toBeVisible();
  await userContext.close();
});
