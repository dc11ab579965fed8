import { expect, test, type Page } from "@playwright/test";
import { ADMIN, USER, publishDemoSecurityModel, publishOpenSecurityModel, signIn } from "./helpers";

const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

/** Every checkbox and select of the permission matrix, in order: what "restores the matrix exactly" compares. */
async function matrixState(page: Page) {
  const matrix = page.getByTestId("permission-matrix");
  return matrix.evaluate((table) =>
    Array.from(table.querySelectorAll("input, select")).map((control) =>
      control instanceof HTMLInputElement ? `${control.getAttribute("aria-label")}=${control.checked}` : `${control.getAttribute("aria-label")}=${(control as HTMLSelectElement).value}`,
    ),
  );
}

async function openTab(page: Page, name: string) {
  await page.getByRole("tab", { name }).click();
  await expect(page.getByRole("tab", { name })).toHaveAttribute("aria-selected", "true");
}

/**
 * The security designer end to end: the admin builds a profile with object and field
 * permissions, a role hierarchy, an org-wide default, a sharing rule with criteria and a user
 * assignment, undoes and redoes matrix edits, publishes, reloads and finds everything again.
 */
// This spec edits and publishes the security model: it starts from an empty one and puts the demo's back.
test.beforeAll(async ({ browser }) => publishOpenSecurityModel(browser));
test.afterAll(async ({ browser }) => publishDemoSecurityModel(browser));

test("admin edits the security model, publishes it, and it is all still there after a reload", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN, "/studio");
  await page.getByRole("link", { name: "Permissions" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/studio/security");
  await expect(page.getByRole("heading", { name: "Permissions and sharing" })).toBeVisible();

  // Profiles & permission sets: a new profile, Read + Edit on Account, Website read-only.
  await page.getByRole("button", { name: "New profile" }).click();
  const profileDialog = page.getByRole("dialog");
  await profileDialog.getByLabel("Label", { exact: true }).fill("Sales rep");
  await expect(profileDialog.getByLabel("API name")).toHaveValue("sales_rep");
  await profileDialog.getByRole("button", { name: "Create profile" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByLabel("Label", { exact: true })).toHaveValue("Sales rep");

  await page.getByRole("button", { name: "Field access on Account" }).click();
  const before = await matrixState(page);
  await page.getByRole("checkbox", { name: "Edit Account" }).check();
  // Edit needs Read: ticking it ticked Read too.
  await expect(page.getByRole("checkbox", { name: "Read Account" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Delete Account" })).not.toBeChecked();
  await page.getByRole("checkbox", { name: "Modify all Account" }).check();
  await expect(page.getByRole("checkbox", { name: "View all Account" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Delete Account" })).toBeChecked();
  // Unticking Edit unticks what needs it (Delete, Modify all) and keeps Read and View all.
  await page.getByRole("checkbox", { name: "Edit Account" }).uncheck();
  await expect(page.getByRole("checkbox", { name: "Modify all Account" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Delete Account" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "View all Account" })).toBeChecked();
  await page.getByRole("checkbox", { name: "View all Account" }).uncheck();
  await page.getByRole("checkbox", { name: "Edit Account" }).check();
  await page.getByLabel("Access to Website on Account").selectOption("read");
  const after = await matrixState(page);
  expect(after).toContain("Read Account=true");
  expect(after).toContain("Edit Account=true");
  expect(after).toContain("Access to Website on Account=read");
  await page.screenshot({ path: `${SHOTS}/perm-1-profiles.png`, fullPage: true });

  // Undo every matrix step, then redo them: the matrix is exactly as it was each time.
  const undo = page.getByRole("button", { name: "Undo", exact: true });
  const redo = page.getByRole("button", { name: "Redo", exact: true });
  for (let i = 0; i < 6; i++) await undo.click();
  await expect.poll(() => matrixState(page)).toEqual(before);
  await expect(page.getByRole("checkbox", { name: "Read Account" })).not.toBeChecked();
  // The keyboard shortcut redoes too (focus outside any text control).
  await page.getByRole("heading", { name: "Object permissions" }).click();
  await page.keyboard.press("Control+Shift+Z");
  await expect(page.getByRole("checkbox", { name: "Edit Account" })).toBeChecked();
  for (let i = 0; i < 5; i++) await redo.click();
  await expect(redo).toBeDisabled();
  await expect.poll(() => matrixState(page)).toEqual(after);

  // Roles: a manager and a report under it.
  await openTab(page, "Roles");
  for (const [label, parent] of [["Sales manager", ""], ["Sales rep", "Sales manager"]] as const) {
    await page.getByRole("button", { name: "New role" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Label", { exact: true }).fill(label);
    if (parent) await dialog.getByLabel("Reports to").selectOption({ label: parent });
    await dialog.getByRole("button", { name: "Create role" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
  }
  await expect(page.locator("#role-sales_rep-parent")).toHaveValue("sales_manager");
  // The report is listed under its manager.
  await expect(page.locator("[data-role]")).toHaveCount(2);
  await expect(page.locator("[data-role]").nth(0)).toHaveAttribute("data-role", "sales_manager");
  await page.screenshot({ path: `${SHOTS}/perm-2-roles.png`, fullPage: true });

  // Groups: a group with the demo user in it.
  await openTab(page, "Groups");
  await page.getByRole("button", { name: "New group" }).click();
  await page.getByRole("dialog").getByLabel("Label", { exact: true }).fill("EMEA");
  await page.getByRole("dialog").getByRole("button", { name: "Create group" }).click();
  await page.getByRole("group", { name: "Users in EMEA" }).getByLabel(/Uma User/).check();
  await page.getByRole("group", { name: "Roles in EMEA" }).getByLabel("Sales rep").check();
  await page.screenshot({ path: `${SHOTS}/perm-3-groups.png`, fullPage: true });

  // Sharing: Account becomes private; big opportunities are shared with the managers.
  await openTab(page, "Sharing");
  await page.getByLabel("Org-wide default of Account").selectOption("private");
  await page.getByRole("button", { name: "New sharing rule" }).click();
  const ruleDialog = page.getByRole("dialog");
  await ruleDialog.getByLabel("Label", { exact: true }).fill("Big deals");
  await ruleDialog.getByLabel("Object").selectOption({ label: "Opportunity" });
  await ruleDialog.getByLabel("Share with").selectOption("role_and_subordinates");
  await ruleDialog.getByLabel("Role and subordinates").selectOption({ label: "Sales manager" });
  await ruleDialog.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const rule = page.getByRole("listitem", { name: "Sharing rule Big deals" });
  await rule.getByRole("button", { name: "Add filter" }).click();
  await rule.getByLabel("Filter field").selectOption({ label: "Amount" });
  await rule.getByLabel("Operator").selectOption({ label: "greater than" });
  await rule.getByLabel("Value").fill("100000");
  await rule.getByRole("button", { name: "Apply filter" }).click();
  await expect(rule.getByTestId("filter-chip")).toHaveCount(1);
  await expect(rule.getByTestId("filter-chip")).toContainText("Amount greater than");
  await page.screenshot({ path: `${SHOTS}/perm-4-sharing.png`, fullPage: true });

  // Users: the demo user gets the profile and the role.
  await openTab(page, "Users");
  const row = page.locator(`tr[data-user="${USER.email}"]`);
  await row.getByLabel(/^Profile of/).selectOption("sales_rep");
  await row.getByLabel(/^Role of/).selectOption("sales_rep");
  await page.screenshot({ path: `${SHOTS}/perm-5-users.png`, fullPage: true });

  // Field history: track the opportunity stage.
  await openTab(page, "Field history");
  await page.getByRole("complementary", { name: "Objects" }).getByRole("button", { name: /Opportunity/ }).click();
  await page.getByLabel("Track Stage").check();
  await page.screenshot({ path: `${SHOTS}/perm-6-history.png`, fullPage: true });

  // Publish (the first save creates the document), then reload.
  await page.getByRole("button", { name: "Publish" }).first().click();
  const publishDialog = page.getByRole("dialog");
  await publishDialog.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText(/Published version \d+\./)).toBeVisible();
  await expect(page.getByText(/^Published v\d+/)).toBeVisible();

  await page.reload();
  await expect(page.getByText(/^Published v\d+/)).toBeVisible();
  await expect(page.getByLabel("Label", { exact: true })).toHaveValue("Sales rep");
  await page.getByRole("button", { name: "Field access on Account" }).click();
  await expect.poll(() => matrixState(page)).toEqual(after);

  await openTab(page, "Roles");
  await expect(page.locator("#role-sales_rep-parent")).toHaveValue("sales_manager");
  await openTab(page, "Groups");
  await expect(page.getByRole("group", { name: "Users in EMEA" }).getByLabel(/Uma User/)).toBeChecked();
  await openTab(page, "Sharing");
  await expect(page.getByLabel("Org-wide default of Account")).toHaveValue("private");
  const savedRule = page.getByRole("listitem", { name: "Sharing rule Big deals" });
  await expect(savedRule.getByLabel("Object")).toHaveValue("opportunity");
  await expect(savedRule.getByLabel("Role and subordinates")).toHaveValue("sales_manager");
  await expect(savedRule.getByTestId("filter-chip")).toContainText("Amount greater than");
  await openTab(page, "Users");
  const savedRow = page.locator(`tr[data-user="${USER.email}"]`);
  await expect(savedRow.getByLabel(/^Profile of/)).toHaveValue("sales_rep");
  await expect(savedRow.getByLabel(/^Role of/)).toHaveValue("sales_rep");
  await openTab(page, "Field history");
  await page.getByRole("complementary", { name: "Objects" }).getByRole("button", { name: /Opportunity/ }).click();
  await expect(page.getByLabel("Track Stage")).toBeChecked();
});

test("a cycle in the role hierarchy is refused with the server's message next to the role", async ({ page }) => {
  await signIn(page, ADMIN, "/studio/security");
  await openTab(page, "Roles");
  for (const label of ["Alpha", "Beta"]) {
    await page.getByRole("button", { name: "New role" }).click();
    await page.getByRole("dialog").getByLabel("Label", { exact: true }).fill(label);
    await page.getByRole("dialog").getByRole("button", { name: "Create role" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
  }
  await page.locator("#role-beta-parent").selectOption("alpha");
  await page.locator("#role-alpha-parent").selectOption("beta");
  await page.getByRole("button", { name: "Save draft" }).click();
  const alpha = page.locator('[data-role="alpha"]');
  await expect(alpha.getByRole("alert")).toContainText("would be its own manager");
  await expect(page.getByRole("tab", { name: /Roles/ }).getByLabel("has problems")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/perm-7-cycle.png`, fullPage: true });
  // Fixing it lets the save through.
  await page.locator("#role-alpha-parent").selectOption("");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
});
