import { expect, test, type Browser, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { ADMIN, USER, filterFieldChoices, publishDemoSecurityModel, publishOpenSecurityModel, signIn, trpcCall } from "./helpers";

const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

async function openTab(page: Page, name: string) {
  await page.getByRole("tab", { name }).click();
  await expect(page.getByRole("tab", { name })).toHaveAttribute("aria-selected", "true");
}

async function signedIn(browser: Browser, who: { email: string; password: string }, path: string) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, who, path);
  return { context, page };
}

type Account = { id: string; name: string; owner_id: string };
type Person = { id: string; email: string; name: string };

async function accountsWhere(page: Page, filter: unknown, limit = 1000): Promise<Account[]> {
  const answer = await trpcCall(page, "data.find", { object: "account", filter, limit, orderBy: [{ field: "name", direction: "asc" }] }, "query");
  expect(answer.status).toBe(200);
  return answer.json.result.data.json.records;
}

/**
 * Row- and field-level security as the admin sets it up and the user lives with it: the admin
 * gives the demo user a profile that reads and edits accounts without seeing their annual revenue
 * (website read only, no export), makes accounts private and shares the technology ones with the
 * user's role, and publishes. The user's grid, form, filters and toolbar follow; the admin's
 * access explain says why one account is visible and another is not.
 */
// This spec edits and publishes the security model: it starts from an empty one and puts the demo's back.
test.beforeAll(async ({ browser }) => publishOpenSecurityModel(browser));
test.afterAll(async ({ browser }) => publishDemoSecurityModel(browser));

test("the admin restricts accounts and a field; the user's app follows; access explain says why", async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await signedIn(browser, ADMIN, "/studio/security");
  const { page } = admin;
  await expect(page.getByRole("heading", { name: "Permissions and sharing" })).toBeVisible();

  // A profile: Read + Edit on Account; Annual revenue hidden, Website read only; no Export.
  await page.getByRole("button", { name: "New profile" }).click();
  const profileDialog = page.getByRole("dialog");
  await profileDialog.getByLabel("Label", { exact: true }).fill("Account reader");
  await profileDialog.getByRole("button", { name: "Create profile" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Edit Account" }).check();
  await expect(page.getByRole("checkbox", { name: "Read Account" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Export Account" })).not.toBeChecked();
  await page.getByRole("button", { name: "Field access on Account" }).click();
  await page.getByLabel("Access to Annual revenue on Account").selectOption("none");
  await page.getByLabel("Access to Website on Account").selectOption("read");
  await page.screenshot({ path: `${SHOTS}/acc-1-profile.png`, fullPage: true });

  // A role for the user.
  await openTab(page, "Roles");
  await page.getByRole("button", { name: "New role" }).click();
  await page.getByRole("dialog").getByLabel("Label", { exact: true }).fill("Account rep");
  await page.getByRole("dialog").getByRole("button", { name: "Create role" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // Accounts private; technology accounts shared with the role (read and edit).
  await openTab(page, "Sharing");
  await page.getByLabel("Org-wide default of Account").selectOption("private");
  await page.getByRole("button", { name: "New sharing rule" }).click();
  const ruleDialog = page.getByRole("dialog");
  await ruleDialog.getByLabel("Label", { exact: true }).fill("Tech accounts");
  await ruleDialog.getByLabel("Object").selectOption({ label: "Account" });
  await ruleDialog.getByLabel("Share with").selectOption("role");
  await ruleDialog.getByLabel("Role", { exact: true }).selectOption({ label: "Account rep" });
  await ruleDialog.getByLabel("Access").selectOption("edit");
  await ruleDialog.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const rule = page.getByRole("listitem", { name: "Sharing rule Tech accounts" });
  await rule.getByRole("button", { name: "Add filter" }).click();
  await rule.getByLabel("Filter field").selectOption({ label: "Industry" });
  await rule.getByLabel("Value").selectOption({ label: "Technology" });
  await rule.getByRole("button", { name: "Apply filter" }).click();
  await expect(rule.getByTestId("filter-chip")).toContainText("Industry");

  // The demo user gets the profile and the role; publish.
  await openTab(page, "Users");
  const row = page.locator(`tr[data-user="${USER.email}"]`);
  await row.getByLabel(/^Profile of/).selectOption("account_reader");
  await row.getByLabel(/^Role of/).selectOption("account_rep");
  await page.getByLabel("Enforce record access").check();
  await page.getByRole("button", { name: "Publish" }).first().click();
  await page.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText(/Published version \d+\./)).toBeVisible();

  // What the user should see: the technology accounts (the rule) and her own (the demo's accounts
  // are spread over its sales team). `tech` and `other` are someone else's, shared or not.
  const users = await trpcCall(page, "users.list", undefined, "query");
  const people = new Map((users.json.result.data.json as Person[]).map((person) => [person.id, person]));
  const uma = [...people.values()].find((person) => person.email === USER.email)!.id;
  const isTech = { field: "industry", operator: "=", value: "technology" };
  const notUmas = { field: "owner_id", operator: "!=", value: uma };
  const visible = await accountsWhere(page, { or: [isTech, { field: "owner_id", operator: "=", value: uma }] });
  const tech = await accountsWhere(page, { and: [isTech, notUmas] });
  const other = await accountsWhere(page, { and: [{ field: "industry", operator: "!=", value: "technology" }, notUmas] }, 1);
  expect(tech.length).toBeGreaterThan(0);
  expect(visible.length).toBeLessThan(60);
  const techOwner = people.get(tech[0].owner_id)!;
  const otherOwner = people.get(other[0].owner_id)!;

  // ---- The user. ----
  const user = await signedIn(browser, USER, "/apps/crm/account");
  const u = user.page;
  await expect(u.getByRole("heading", { name: "Accounts" })).toBeVisible();
  // Objects the profile gives nothing on are not in the navigation, and their pages say so.
  const nav = u.getByRole("navigation", { name: "Sales CRM navigation" });
  await expect(nav.getByRole("link", { name: "Accounts" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Contacts" })).toHaveCount(0);
  await expect(u.getByTestId("grid-total")).toHaveText(`${visible.length} ${visible.length === 1 ? "record" : "records"}`);
  await expect(u.getByRole("columnheader", { name: "Industry" })).toBeVisible();
  await expect(u.getByRole("columnheader", { name: "Annual revenue" })).toHaveCount(0);
  // No export permission, no create permission, no delete permission: no such buttons, no row checkboxes.
  await expect(u.getByRole("button", { name: "Export CSV" })).toHaveCount(0);
  await expect(u.getByRole("link", { name: "New record" })).toHaveCount(0);
  await expect(u.getByRole("checkbox", { name: "Select all rows" })).toHaveCount(0);
  await u.screenshot({ path: `${SHOTS}/acc-2-user-grid.png`, fullPage: true });
  // The filter builder offers only fields the user may read.
  const fieldOptions = await filterFieldChoices(u);
  expect(fieldOptions).toContain("Industry");
  expect(fieldOptions).not.toContain("Annual revenue");
  // The server refuses the export (and the hidden field) whatever the page does.
  expect((await trpcCall(u, "data.export", { object: "account" }, "mutation")).status).toBe(403);
  const hiddenFilter = await trpcCall(u, "data.find", { object: "account", filter: { field: "annual_revenue", operator: "is_not_null" } }, "query");
  expect(hiddenFilter.status).toBe(400);
  await u.goto("/apps/crm/contact");
  await expect(u.getByRole("heading", { name: "No access" })).toBeVisible();
  await u.goto("/apps/crm/account");
  // Another account is simply not there.
  await u.goto(`/apps/crm/account/${other[0].id}`);
  await expect(u.getByText(/No account record/)).toBeVisible();

  // A shared account: its page and form leave out the hidden field; Website is read only.
  await u.goto(`/apps/crm/account/${tech[0].id}`);
  await expect(u.getByRole("heading", { name: tech[0].name })).toBeVisible();
  await expect(u.getByTestId("field-industry")).toBeVisible();
  await expect(u.getByTestId("field-annual_revenue")).toHaveCount(0);
  await expect(u.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await u.getByRole("button", { name: "Edit" }).click();
  const form = u.getByRole("form", { name: "Edit Account" });
  await expect(form.getByLabel("Phone")).toBeEditable();
  await expect(form.getByLabel("Website")).toBeDisabled();
  await expect(form.getByTestId("read-only-hint")).toHaveCount(1);
  await expect(form.getByLabel("Annual revenue")).toHaveCount(0);
  await u.screenshot({ path: `${SHOTS}/acc-3-user-form.png`, fullPage: true });
  await form.getByLabel("Phone").fill("+1 555 9999");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(u.getByText("Saved.")).toBeVisible();
  await expect(u.getByTestId("field-phone")).toContainText("+1 555 9999");

  // Sharing: the user neither owns nor manages the record, so they only look.
  await u.getByRole("button", { name: "Sharing" }).click();
  const sharing = u.getByRole("dialog");
  await expect(sharing).toContainText(`Owner: ${techOwner.name}`);
  await expect(sharing).toContainText("Only the owner");
  await expect(sharing.getByRole("button", { name: "Share" })).toHaveCount(0);
  await u.screenshot({ path: `${SHOTS}/acc-4-user-sharing.png`, fullPage: true });
  await sharing.getByRole("button", { name: "Close" }).first().click();

  // ---- The admin: the account made over to the user, and access explain. ----
  await page.goto(`/apps/crm/account/${other[0].id}`);
  await expect(page.getByRole("button", { name: "Export CSV" })).toHaveCount(0); // record page: no grid
  await page.getByRole("button", { name: "Sharing" }).click();
  const adminSharing = page.getByRole("dialog");
  await adminSharing.getByLabel("User's email").fill("nobody@objectstudio.local");
  await adminSharing.getByRole("button", { name: "Share" }).click();
  await expect(adminSharing.getByText("No user 'nobody@objectstudio.local'")).toBeVisible();
  await adminSharing.getByLabel("User's email").fill(USER.email);
  await adminSharing.getByRole("button", { name: "Share" }).click();
  await expect(adminSharing.getByRole("list", { name: "Manual shares" })).toContainText("Uma User");
  await page.screenshot({ path: `${SHOTS}/acc-5-admin-sharing.png`, fullPage: true });
  // Shared read only: the user now sees that account, without Edit.
  await u.goto(`/apps/crm/account/${other[0].id}`);
  await expect(u.getByRole("heading", { name: other[0].name })).toBeVisible();
  await expect(u.getByRole("button", { name: "Sharing" })).toBeVisible();
  await expect(u.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await adminSharing.getByRole("button", { name: /Remove share with Uma User/ }).click();
  await expect(adminSharing.getByText("Not shared with anyone by hand.")).toBeVisible();
  // Made over to the user: they own it now (and may edit it), and the record's History says so.
  await adminSharing.getByLabel("New owner (email)").fill(USER.email);
  await adminSharing.getByRole("button", { name: "Change owner" }).click();
  await expect(adminSharing.getByText("Uma User now owns this record.")).toBeVisible();
  await expect(adminSharing).toContainText(`Owner: Uma User (${USER.email})`);
  await adminSharing.getByRole("button", { name: "Close" }).first().click();
  const transfer = page.getByTestId("record-history").getByTestId("history-row").first();
  await expect(transfer).toContainText("Owner");
  await expect(transfer.locator("td").nth(3)).toHaveText(otherOwner.name);
  await expect(transfer.locator("td").nth(4)).toHaveText("Uma User");
  await page.screenshot({ path: `${SHOTS}/acc-5b-owner-history.png`, fullPage: true });
  await u.reload();
  await expect(u.getByRole("button", { name: "Edit" })).toBeVisible();
  // ... and back to its owner (the access explain below expects the account hidden from the user).
  await page.getByRole("button", { name: "Sharing" }).click();
  await page.getByRole("dialog").getByLabel("New owner (email)").fill(otherOwner.email);
  await page.getByRole("dialog").getByRole("button", { name: "Change owner" }).click();
  await expect(page.getByRole("dialog").getByText(`${otherOwner.name} now owns this record.`)).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).first().click();
  await expect(page.getByTestId("record-history").getByTestId("history-row")).toHaveCount(2);

  // The admin's grid has Export CSV, with every column and every account (other specs may have added some).
  const accounts = await trpcCall(page, "data.count", { object: "account" }, "query");
  expect(accounts.status).toBe(200);
  await page.goto("/apps/crm/account");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const csv = readFileSync((await (await download).path())!, "utf8").trim().split("\r\n");
  expect(csv[0]).toContain("annual_revenue");
  expect(csv).toHaveLength((accounts.json.result.data.json as number) + 1);

  await page.goto("/studio/security");
  await openTab(page, "Access explain");
  await page.getByLabel("User", { exact: true }).selectOption({ label: `Uma User (${USER.email})` });
  await page.getByLabel("Object", { exact: true }).selectOption({ label: "Account" });
  await page.getByRole("searchbox", { name: "Record" }).fill(tech[0].name);
  await page.getByRole("list", { name: "Matching records" }).getByRole("button", { name: tech[0].name, exact: true }).click();
  await expect(page.getByTestId("verdict-read")).toHaveAttribute("data-allowed", "true");
  await expect(page.getByTestId("verdict-edit")).toHaveAttribute("data-allowed", "true");
  await expect(page.getByTestId("verdict-delete")).toHaveAttribute("data-allowed", "false");
  const reasons = page.getByTestId("explain-reasons");
  await expect(reasons).toContainText("Profile 'Account reader' grants Read, Edit on Account");
  await expect(reasons).toContainText("Org-wide default for Account is Private");
  await expect(reasons).toContainText("Sharing rule 'Tech accounts' matches (industry = technology) and shares with role Account rep (edit)");
  const fields = page.getByRole("table", { name: "Field access" });
  await expect(fields.locator('tr[data-field="annual_revenue"]')).toContainText("Hidden");
  await expect(fields.locator('tr[data-field="annual_revenue"]')).toContainText("hidden by every profile and permission set");
  await expect(fields.locator('tr[data-field="website"]')).toContainText("Read only");
  await page.screenshot({ path: `${SHOTS}/acc-6-explain-visible.png`, fullPage: true });

  await page.getByRole("searchbox", { name: "Record" }).fill(other[0].name);
  await page.getByRole("list", { name: "Matching records" }).getByRole("button", { name: other[0].name, exact: true }).click();
  await expect(page.getByTestId("verdict-read")).toHaveAttribute("data-allowed", "false");
  await expect(reasons).toContainText("but the record does not match");
  await expect(reasons).toContainText("So the user cannot see this record");
  await page.screenshot({ path: `${SHOTS}/acc-7-explain-hidden.png`, fullPage: true });

  await user.context.close();
  await admin.context.close();
});
