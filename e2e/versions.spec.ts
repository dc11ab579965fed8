import { expect, test, type Page } from "@playwright/test";
import { ADMIN, publishDemoSecurityModel, signIn, trpcCall, uniqueName } from "./helpers";

const SHOTS = "/tmp";

/** Creates and publishes an object through the API (the designer flows are tested elsewhere). */
async function publishedObject(page: Page, name: string, label: string) {
  const body = {
    name, label, pluralLabel: `${label}s`,
    fields: [
      { id: "f_title", name: "title", label: "Title", type: "text" },
      { id: "f_code", name: "code", label: "Code", type: "text" },
    ],
  };
  expect((await trpcCall(page, "metadata.create", { kind: "object", body }, "mutation")).status).toBe(200);
  expect((await trpcCall(page, "metadata.publish", { kind: "object", name }, "mutation")).status).toBe(200);
}

async function draftOf(page: Page, name: string) {
  const response = await trpcCall(page, "metadata.get", { kind: "object", name }, "query");
  const detail = response.json.result.data.json as { draft: { fields: { id: string; label: string; name: string }[] } | null; draftRevision: number };
  return detail;
}

async function editFieldLabel(page: Page, current: string, next: string) {
  await page.getByRole("button", { name: `Edit field ${current}` }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Field label").fill(next);
  await dialog.getByRole("button", { name: "Save field" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
}

async function addTextField(page: Page, label: string) {
  await page.getByRole("button", { name: "Add field" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Field type").selectOption("text");
  await dialog.getByLabel("Field label").fill(label);
  await dialog.getByRole("button", { name: "Add field" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
}

/**
 * The admin publishes an object twice, reads what changed in its History, restores version 1
 * as the draft and publishes it: the live object is version 1 again, recorded as a restore.
 */
test("history shows readable changes between versions and restores an old version", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN, "/studio");
  const milestone = uniqueName("milestone_");
  await publishedObject(page, milestone, "Milestone");
  await page.goto(`/studio/objects/${milestone}`);

  // Version 2: a renamed field label and a new field, autosaved as the admin works.
  await editFieldLabel(page, "Title", "Heading");
  await addTextField(page, "Owner");
  await expect(page.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 15_000 });
  await page.getByRole("button", { name: "Publish" }).first().click();
  await page.getByRole("dialog").getByLabel("Version note").fill("Heading and owner");
  await page.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Published version 2.")).toBeVisible();

  await page.getByRole("tab", { name: "History" }).click();
  const versions = page.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("listitem")).toHaveCount(2);
  await expect(versions.getByRole("listitem").first()).toContainText("Version 2");
  await expect(versions.getByRole("listitem").first()).toContainText("Live");
  await expect(versions.getByRole("listitem").first()).toContainText("Ada Admin");
  await expect(versions.getByRole("listitem").first()).toContainText("Heading and owner");
  const changes = page.getByRole("list", { name: "Changes from version 1 to version 2" });
  await expect(changes).toContainText('Field "Title": label "Title" → "Heading"');
  await expect(changes).toContainText('Added field "Owner" (text)');
  await expect(changes.getByRole("listitem")).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/versions-1-history.png`, fullPage: true });

  // The raw view lists JSON paths.
  await page.getByLabel("Raw JSON paths").check();
  await expect(page.getByRole("table", { name: "Raw changes" })).toContainText("fields[0].label");
  await page.getByLabel("Raw JSON paths").uncheck();

  // Restore version 1: it becomes the draft, reviewed in the designer.
  await versions.getByRole("button", { name: "View version 1" }).click();
  await page.getByRole("button", { name: "Restore this version" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Restore as draft" }).click();
  await expect(page.getByText("Restored version 1 as the draft.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit field Title" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit field Owner" })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/versions-2-restored.png`, fullPage: true });

  // Publishing it drops the Owner column: the normal publish checks still apply.
  await page.getByRole("button", { name: "Publish" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("list", { name: "Planned changes" })).toContainText(/owner/i);
  await page.screenshot({ path: `${SHOTS}/versions-3-publish-restored.png`, fullPage: true });
  await dialog.getByRole("button", { name: /^Publish/ }).click();
  await expect(page.getByText("Published version 3.")).toBeVisible();

  // Version 3 is version 1 again, and says so.
  await page.getByRole("tab", { name: "History" }).click();
  await expect(versions.getByRole("listitem").first()).toContainText("Restored version 1");
  await page.getByLabel("Changes from", { exact: true }).selectOption("1");
  await expect(page.getByText("The two are identical.")).toBeVisible();
  const v1 = (await trpcCall(page, "metadata.getVersion", { kind: "object", name: milestone, version: 1 }, "query")).json.result.data.json;
  const v3 = (await trpcCall(page, "metadata.getVersion", { kind: "object", name: milestone, version: 3 }, "query")).json.result.data.json;
  expect(v3).toEqual(v1);
  await page.screenshot({ path: `${SHOTS}/versions-4-identical.png`, fullPage: true });
});

/**
 * Two admins edit the same object. The second save meets the first one's draft: the conflict
 * dialog shows both sides' changes; "Merge" keeps both, "Keep mine" keeps the chosen one, "Take
 * theirs" sets mine aside where they can be restored. Nothing is lost.
 */
test("two admins editing one object: merge, keep mine, take theirs, and restore after a reload", async ({ browser }) => {
  test.setTimeout(150_000);
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await signIn(first, ADMIN, "/studio");
  const plan = uniqueName("project_plan_");
  await publishedObject(first, plan, "Plan");
  await signIn(second, ADMIN, `/studio/objects/${plan}`);
  await first.goto(`/studio/objects/${plan}`);
  await expect(second.getByRole("button", { name: "Edit field Title" })).toBeVisible();

  // Different fields: the merge keeps both edits.
  await editFieldLabel(first, "Title", "Headline");
  await expect(first.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 15_000 });
  await addTextField(second, "Owner");
  const conflict = second.getByRole("dialog", { name: "Someone else saved this draft" });
  await expect(conflict).toBeVisible({ timeout: 15_000 });
  await expect(conflict.getByRole("list", { name: "Their saved changes" })).toContainText('Field "Title": label "Title" → "Headline"');
  await expect(conflict.getByRole("list", { name: "Your unsaved edits" })).toContainText('Added field "Owner" (text)');
  await second.screenshot({ path: `${SHOTS}/versions-5-conflict-merge.png`, fullPage: true });
  await conflict.getByRole("button", { name: "Merge" }).click();
  await expect(second.getByText("Merged your edits with theirs and saved.")).toBeVisible();
  await expect(second.getByRole("button", { name: "Edit field Headline" })).toBeVisible();
  let saved = await draftOf(second, plan);
  expect(saved.draft!.fields.map((field) => field.label)).toEqual(["Headline", "Code", "Owner"]);

  // The same field: no merge; "Keep mine" saves the second admin's label.
  await first.reload();
  await editFieldLabel(first, "Code", "Reference");
  await expect(first.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 15_000 });
  await editFieldLabel(second, "Code", "Identifier");
  await expect(conflict).toBeVisible({ timeout: 15_000 });
  await expect(conflict.getByRole("button", { name: "Merge" })).toHaveCount(0);
  await expect(conflict.getByRole("list", { name: "Their saved changes" })).toContainText('Field "Code": label "Code" → "Reference"');
  await second.screenshot({ path: `${SHOTS}/versions-6-conflict-keep-mine.png`, fullPage: true });
  await conflict.getByRole("button", { name: "Keep mine (overwrite)" }).click();
  await expect(second.getByText("Saved your version over theirs.")).toBeVisible();
  saved = await draftOf(second, plan);
  expect(saved.draft!.fields.map((field) => field.label)).toEqual(["Headline", "Identifier", "Owner"]);

  // "Take theirs": the second admin's edit is set aside and can be brought back.
  await first.reload();
  await editFieldLabel(first, "Owner", "Lead");
  await expect(first.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 15_000 });
  await editFieldLabel(second, "Owner", "Manager");
  await expect(conflict).toBeVisible({ timeout: 15_000 });
  await conflict.getByRole("button", { name: "Take theirs" }).click();
  await expect(second.getByRole("button", { name: "Edit field Lead" })).toBeVisible();
  const setAside = second.getByRole("group", { name: "Set-aside edits" });
  await expect(setAside).toBeVisible();
  await second.screenshot({ path: `${SHOTS}/versions-7-set-aside.png`, fullPage: true });
  await setAside.getByRole("button", { name: "Restore my edits" }).click();
  // Both changed the Owner label: the conflict dialog comes back, mine is in the designer.
  await expect(conflict).toBeVisible();
  await expect(second.getByRole("button", { name: "Edit field Manager", includeHidden: true })).toBeAttached();
  await expect(conflict).toContainText('You both changed the same thing (field "Owner" › label)');
  await conflict.getByRole("button", { name: "Keep mine (overwrite)" }).click();
  await expect(second.getByText("Saved your version over theirs.")).toBeVisible();
  expect((await draftOf(second, plan)).draft!.fields.map((field) => field.label)).toEqual(["Headline", "Identifier", "Manager"]);

  // Unsaved edits survive a reload: with the server out of reach, the edit is not saved…
  const saveDraft = "**/api/trpc/*metadata.saveDraft*";
  await second.route(saveDraft, (route) => route.abort("connectionrefused"));
  await addTextField(second, "Budget note");
  await expect(second.getByTestId("save-status")).toContainText("Not saved", { timeout: 15_000 });
  await second.screenshot({ path: `${SHOTS}/versions-8-not-saved.png`, fullPage: true });
  await second.unroute(saveDraft);
  // …the browser is reloaded, and the designer offers the edit back.
  await second.reload();
  const recovery = second.getByRole("group", { name: "Unsaved edits found" });
  await expect(recovery).toBeVisible();
  await expect(second.getByRole("button", { name: "Edit field Budget note" })).toHaveCount(0);
  await second.screenshot({ path: `${SHOTS}/versions-9-recovery.png`, fullPage: true });
  await recovery.getByRole("button", { name: "Restore unsaved edits" }).click();
  await expect(second.getByRole("button", { name: "Edit field Budget note" })).toBeVisible();
  await expect(second.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 15_000 });
  expect((await draftOf(second, plan)).draft!.fields.map((field) => field.label)).toContain("Budget note");
});

/** The app designer has the same History: versions of the app, compared with the current draft. */
test("the app designer's History compares a version with the current draft", async ({ page }) => {
  await signIn(page, ADMIN, "/studio/apps/crm");
  await page.locator("#app-label").fill("Sales CRM 2");
  await expect(page.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 15_000 });
  await page.getByRole("tab", { name: "History" }).click();
  const versions = page.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("listitem").first()).toContainText("Live");
  await page.getByLabel("Changes from", { exact: true }).selectOption("draft");
  await expect(page.getByRole("list", { name: /Changes from current draft/ })).toContainText('Label "Sales CRM 2" → "Sales CRM"');
  await page.screenshot({ path: `${SHOTS}/versions-10-app-history.png`, fullPage: true });
  // The demo app is shared with other specs: drop the draft again.
  expect((await trpcCall(page, "metadata.discardDraft", { kind: "app", name: "crm" }, "mutation")).status).toBe(200);
});

/** The security designer lists the model's published versions in its History tab. */
test("the security designer's History lists the published versions", async ({ browser, page }) => {
  // Whatever the specs before did to the model, the demo's is published (again): the live version.
  await publishDemoSecurityModel(browser);
  await signIn(page, ADMIN, "/studio");
  await page.goto("/studio/security");
  await page.getByRole("tab", { name: "History", exact: true }).click();
  const versions = page.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("listitem").first()).toContainText("Live");
  await expect(page.getByRole("button", { name: "Restore this version" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/versions-11-security-history.png`, fullPage: true });
});
