import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { ADMIN, publishDemoSecurityModel, publishOpenSecurityModel, signIn } from "./helpers";

const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

/**
 * The audit trail end to end: the admin tracks the opportunity's Stage in the security model
 * and publishes, changes a record's stage in the generated app, and finds the old and new values
 * in the record's History section, in the studio's record history (and its CSV export), and the
 * publish itself in the metadata changes.
 */
// This spec edits and publishes the security model: it starts from an empty one and puts the demo's back.
test.beforeAll(async ({ browser }) => publishOpenSecurityModel(browser));
test.afterAll(async ({ browser }) => publishDemoSecurityModel(browser));

test("a tracked field's change shows in the record's history, the studio's record history and its CSV export", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN, "/studio/security");
  await expect(page.getByRole("heading", { name: "Permissions and sharing" })).toBeVisible();
  await page.getByRole("tab", { name: "Field history" }).click();
  await page.getByRole("complementary", { name: "Objects" }).getByRole("button", { name: /Opportunity/ }).click();
  await page.getByLabel("Track Stage").check();
  await page.getByRole("button", { name: "Publish" }).first().click();
  const publishDialog = page.getByRole("dialog");
  await publishDialog.getByLabel("Version note").fill("Track opportunity stage");
  await publishDialog.getByRole("button", { name: "Publish" }).click();
  // The model has versions from before (the seed's, the empty one this spec starts from).
  const published = page.getByText(/Published version \d+\./);
  await expect(published).toBeVisible();
  const version = Number((await published.textContent())!.match(/\d+/)![0]);

  // A new opportunity in the generated app, then its stage changed.
  await page.goto("/apps/crm/opportunity/new");
  await page.getByLabel("Opportunity name").fill("Audit trail deal");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: "Audit trail deal" })).toBeVisible();
  const recordUrl = page.url();
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Stage").selectOption({ label: "Negotiation" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  // The record's History section: the change, and the creation.
  const history = page.getByTestId("record-history");
  const change = history.getByTestId("history-row").filter({ hasText: "Stage" });
  await expect(change).toContainText("Prospecting");
  await expect(change).toContainText("Negotiation");
  await expect(change).toContainText("Ada Admin");
  await expect(history.getByTestId("history-row").filter({ hasText: "Created." })).toBeVisible();
  await history.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/audit-1-record-history-section.png`, fullPage: true });
  const recordId = new URL(recordUrl).pathname.split("/").pop()!;

  // The studio's record history, filtered to the field.
  await page.goto("/studio");
  // The sidebar's object list comes from a client query: once it shows, the page is hydrated.
  await expect(page.getByRole("navigation").getByRole("link", { name: "Opportunity" })).toBeVisible();
  await page.getByRole("link", { name: "Record history" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/studio/audit/records");
  // This record's changes only: other specs change stages too.
  await page.getByLabel("Field").fill("stage");
  await page.getByLabel("Record id").fill(recordId);
  await page.getByRole("button", { name: "Apply" }).click();
  const row = page.getByTestId("field-history-row").filter({ hasText: recordId.slice(0, 8) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Opportunity");
  await expect(row).toContainText("prospecting");
  await expect(row).toContainText("negotiation");
  await expect(row).toContainText(ADMIN.email);
  await expect(page.getByTestId("audit-range")).toHaveText("1–1 of 1");
  await page.screenshot({ path: `${SHOTS}/audit-2-studio-record-history.png`, fullPage: true });

  // Export CSV: the filtered rows as a file.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^field-history-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("time,object,record_id,field,old_value,new_value,user,user_id");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`opportunity,${recordId},stage,prospecting,negotiation,${ADMIN.email}`);

  // Created and deleted records.
  await page.getByLabel("Show").selectOption("events");
  await page.getByLabel("Record id").fill(recordId);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("record-event-row")).toHaveCount(1);
  await expect(page.getByTestId("record-event-row")).toContainText("Created");
  await page.screenshot({ path: `${SHOTS}/audit-3-studio-record-events.png`, fullPage: true });

  // Bad input is answered next to the field, not with a crash.
  await page.getByLabel("From").fill("2026-02-01");
  await page.getByLabel("To").fill("2026-01-01");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("must not be before 'from'")).toBeVisible();

  // Metadata changes: the security model's publish, with its note and what changed.
  await page.getByRole("link", { name: "Metadata changes" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/studio/audit/metadata");
  const publish = page.getByTestId("metadata-change-row").filter({ hasText: "Track opportunity stage" });
  await expect(publish).toContainText("Security");
  await expect(publish).toContainText(`v${version}`);
  await expect(publish).toContainText(ADMIN.email);
  await expect(publish.getByRole("link", { name: "org" })).toHaveAttribute("href", "/studio/security");

  // A second publish of the model: its row shows what changed against the one before.
  await page.getByRole("link", { name: "Permissions" }).click();
  await page.getByRole("tab", { name: "Field history" }).click();
  await page.getByRole("complementary", { name: "Objects" }).getByRole("button", { name: /Opportunity/ }).click();
  await page.getByLabel("Track Amount").check();
  await page.getByRole("button", { name: "Publish" }).first().click();
  await page.getByRole("dialog").getByLabel("Version note").fill("Track the amount too");
  await page.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText(`Published version ${version + 1}.`)).toBeVisible();
  await page.getByRole("link", { name: "Metadata changes" }).click();
  const second = page.getByTestId("metadata-change-row").filter({ hasText: "Track the amount too" });
  await expect(second).toContainText(`v${version + 1}`);
  await second.getByRole("button", { name: "Show changes" }).click();
  const changes = page.getByRole("table", { name: `Changes in version ${version + 1}` });
  await expect(changes).toContainText("trackedFields.opportunity[1]");
  await expect(changes).toContainText("amount");
  await page.screenshot({ path: `${SHOTS}/audit-4-metadata-changes.png`, fullPage: true });
});
