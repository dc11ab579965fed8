import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { createPublished, createRecords, findRecords, publishedBody, publishInDesigner, uniqueName } from "./support/own-data";

/**
 * The view designer's settings that runtime specs otherwise set through the API, set here with
 * the designer's controls and then seen at work in the generated app: a grid's group-by, row
 * actions (one removed, a "set a field" one added) and a bulk action; a kanban's column summary;
 * a calendar coloured by a select field's option colours. Each test has its own object and app.
 */

const RED = "#dc2626";
const GREEN = "#16a34a";

type Own = { object: string; app: string };

/** An object of jobs (title, stage with coloured options, hours, due date this month) in an app of its own. */
async function ownJobs(page: Page, testInfo: TestInfo): Promise<Own> {
  const object = uniqueName(testInfo, "vd_job");
  const app = uniqueName(testInfo, "vd_app");
  await createPublished(page, "object", {
    name: object,
    label: "Job",
    pluralLabel: "Jobs",
    nameField: "title",
    fields: [
      { id: "title", name: "title", label: "Title", type: "text", required: true },
      { id: "stage", name: "stage", label: "Stage", type: "select", options: [{ value: "todo", label: "To do", color: RED }, { value: "done", label: "Done", color: GREEN }] },
      { id: "hours", name: "hours", label: "Hours", type: "number" },
      { id: "due", name: "due", label: "Due", type: "date" },
    ],
  });
  // This month as the browser's calendar shows it (same machine, same time zone).
  const today = new Date();
  const month = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}`;
  await createRecords(page, object, [
    { title: "Paint fence", stage: "todo", hours: 3, due: `${month}-10` },
    { title: "Fix roof", stage: "todo", hours: 8, due: `${month}-12` },
    { title: "Mow lawn", stage: "done", hours: 1, due: `${month}-14` },
    { title: "Clean gutters", stage: "todo", hours: 2, due: `${month}-16` },
  ]);
  await createPublished(page, "app", { name: app, label: "Chores", navigation: [{ type: "object", object }] });
  return { object, app };
}

/** Creates a view of `object` in the studio's New view dialog and waits for its designer. */
async function newView(page: Page, object: string, label: string, name: string, type: "Grid" | "Kanban" | "Calendar") {
  await page.goto("/studio/views");
  await page.getByRole("button", { name: "New view" }).click();
  const dialog = page.getByRole("dialog", { name: "New view" });
  await dialog.getByLabel("Object").selectOption(object);
  await dialog.getByLabel("Label").fill(label);
  await dialog.getByLabel("API name").fill(name);
  await dialog.getByRole("radio", { name: type }).click();
  await dialog.getByRole("button", { name: "Create view" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/studio/views/${name}`);
  await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
}

async function stageOf(page: Page, object: string, title: string) {
  return (await findRecords(page, object, { field: "title", operator: "=", value: title }))[0]?.stage;
}

test("grid view: group-by, row actions and a bulk action set in the designer work in the app", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN, "/studio");
  const { object, app } = await ownJobs(page, testInfo);
  const view = `${object}_grid`;
  await newView(page, object, "Jobs by stage", view, "Grid");

  // Group rows by Stage; the preview shows a header per stage.
  await page.getByLabel("Group rows by").selectOption({ label: "Stage" });
  const preview = page.getByTestId("view-preview");
  await expect(preview.getByTestId("group-header")).toHaveCount(2);
  // The preview's grid scrolls inside the preview: the page itself does not overflow sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);

  // Row actions: drop Delete, add "Finish" (sets Stage to Done).
  const rowActions = page.getByRole("list", { name: "Row actions" });
  await expect(rowActions.getByRole("listitem")).toHaveCount(3);
  await page.getByRole("button", { name: "Remove row action 3" }).click();
  await expect(rowActions.getByRole("listitem")).toHaveCount(2);
  await page.getByRole("button", { name: "Set-a-field row action" }).click();
  await page.getByLabel("Row action 3 label").fill("Finish");
  await page.getByLabel("Row action 3 field").selectOption({ label: "Stage" });
  await page.getByLabel("Row action 3 value").selectOption({ label: "Done" });
  // …and moved to the top of the menu.
  await page.getByRole("button", { name: "Move row action 3 up" }).click();
  await page.getByRole("button", { name: "Move row action 2 up" }).click();

  // Bulk action "Reopen" sets Stage back to To do on the selected rows.
  await page.getByRole("button", { name: "Set-a-field bulk action" }).click();
  await page.getByLabel("Bulk action 3 label").fill("Reopen");
  await page.getByLabel("Bulk action 3 field").selectOption({ label: "Stage" });
  await page.getByLabel("Bulk action 3 value").selectOption({ label: "To do" });
  await page.getByText(/^Default view of Jobs$/).click();
  await page.screenshot({ path: testInfo.outputPath("view-designer-grid-actions.png"), fullPage: true });

  await publishInDesigner(page);
  const published = await publishedBody<Record<string, unknown>>(page, "view", view);
  expect(published).toMatchObject({
    groupBy: "stage",
    isDefault: true,
    rowActions: [{ type: "update", label: "Finish", field: "stage", value: "done" }, { type: "open" }, { type: "edit" }],
    bulkActions: [{ type: "delete" }, { type: "export" }, { type: "update", label: "Reopen", field: "stage", value: "todo" }],
  });

  // The app's list opens on this default view, grouped by stage.
  await page.goto(`/apps/${app}/${object}`);
  await expect(page.getByRole("button", { name: "View: Jobs by stage" })).toBeVisible();
  const groups = page.getByTestId("group-header");
  await expect(groups).toHaveCount(2);
  await expect(groups.filter({ hasText: "To do" }).getByTestId("group-count")).toHaveText("3");
  await expect(groups.filter({ hasText: "Done" }).getByTestId("group-count")).toHaveText("1");
  await expect(page.locator('[data-testid="record-grid"][data-hydrated]')).toBeVisible();

  // The row menu: Finish first, no Delete.
  await page.getByRole("button", { name: "Actions for Fix roof" }).click();
  const items = page.getByRole("menuitem");
  await expect(items).toHaveText(["Finish", "Open", "Edit"]);
  await page.screenshot({ path: testInfo.outputPath("app-grid-row-menu.png") });
  await page.getByRole("menuitem", { name: "Finish" }).click();
  await expect(groups.filter({ hasText: "Done" }).getByTestId("group-count")).toHaveText("2");
  await expect(groups.filter({ hasText: "To do" }).getByTestId("group-count")).toHaveText("2");
  expect(await stageOf(page, object, "Fix roof")).toBe("done");

  // The bulk action on two selected rows.
  await page.getByRole("checkbox", { name: "Select Fix roof" }).check();
  await page.getByRole("checkbox", { name: "Select Mow lawn" }).check();
  const bulk = page.getByTestId("bulk-actions");
  await expect(bulk).toContainText("2 selected");
  await bulk.getByRole("button", { name: "Reopen" }).click();
  await expect(bulk).toHaveCount(0);
  await expect(groups).toHaveCount(1);
  await expect(groups.getByTestId("group-count")).toHaveText("4");
  expect(await stageOf(page, object, "Fix roof")).toBe("todo");
  expect(await stageOf(page, object, "Mow lawn")).toBe("todo");
});

test("kanban view: a column summary set in the designer heads each column in the app", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN, "/studio");
  const { object, app } = await ownJobs(page, testInfo);
  const view = `${object}_board`;
  await newView(page, object, "Job board", view, "Kanban");
  await expect(page.getByLabel("Group cards by")).toHaveValue("stage");

  await page.getByLabel("Summary", { exact: true }).selectOption("sum");
  await page.getByLabel("Summary field").selectOption({ label: "Hours" });
  const previewColumn = (label: string) => page.getByTestId("view-preview").getByRole("listitem", { name: label, exact: true });
  await expect(previewColumn("To do").getByTestId("kanban-summary")).toHaveText("Sum of Hours: 13");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await page.screenshot({ path: testInfo.outputPath("view-designer-kanban-summary.png"), fullPage: true });
  await publishInDesigner(page);
  expect((await publishedBody<{ kanban: unknown }>(page, "view", view)).kanban).toMatchObject({ groupField: "stage", summary: { aggregate: "sum", field: "hours" } });

  await page.goto(`/apps/${app}/${object}?view=${view}`);
  const column = (label: string) => page.getByTestId("kanban-board").getByRole("listitem", { name: label, exact: true });
  await expect(column("To do").getByTestId("kanban-summary")).toHaveText("Sum of Hours: 13");
  await expect(column("Done").getByTestId("kanban-summary")).toHaveText("Sum of Hours: 1");
  await expect(column("To do").getByTestId("kanban-count")).toHaveAttribute("aria-label", "3 cards");

  // Switched to the maximum in the designer, the app follows once published.
  await page.goto(`/studio/views/${view}`);
  await page.getByLabel("Summary", { exact: true }).selectOption("max");
  await publishInDesigner(page);
  await page.goto(`/apps/${app}/${object}?view=${view}`);
  await expect(column("To do").getByTestId("kanban-summary")).toHaveText("Max of Hours: 8");
  await expect(column("Done").getByTestId("kanban-summary")).toHaveText("Max of Hours: 1");
  await page.screenshot({ path: testInfo.outputPath("app-kanban-summary.png") });
});

test("calendar view: entries coloured by a select field chosen in the designer", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN, "/studio");
  const { object, app } = await ownJobs(page, testInfo);
  const view = `${object}_calendar`;
  await newView(page, object, "Job calendar", view, "Calendar");
  await expect(page.getByLabel("Start date field")).toHaveValue("due");

  const entry = (scope: Page | ReturnType<Page["getByTestId"]>, title: string) => scope.getByTestId("calendar-entry").filter({ hasText: title }).locator("span").first();
  // No colour yet: the neutral tint.
  await expect(entry(page.getByTestId("view-preview"), "Mow lawn")).toHaveCSS("border-left-color", "rgb(100, 116, 139)");
  await page.getByLabel("Colour by").selectOption({ label: "Stage" });
  await expect(entry(page.getByTestId("view-preview"), "Mow lawn")).toHaveCSS("border-left-color", "rgb(22, 163, 74)");
  await page.screenshot({ path: testInfo.outputPath("view-designer-calendar-colour.png"), fullPage: true });
  await publishInDesigner(page);
  expect((await publishedBody<{ calendar: unknown }>(page, "view", view)).calendar).toMatchObject({ startField: "due", colorField: "stage" });

  await page.goto(`/apps/${app}/${object}?view=${view}`);
  await expect(page.getByTestId("calendar-view")).toBeVisible();
  await expect(entry(page, "Mow lawn")).toHaveCSS("border-left-color", "rgb(22, 163, 74)");
  await expect(entry(page, "Paint fence")).toHaveCSS("border-left-color", "rgb(220, 38, 38)");
  await expect(entry(page, "Fix roof")).toHaveCSS("border-left-color", "rgb(220, 38, 38)");
  await page.screenshot({ path: testInfo.outputPath("app-calendar-colour.png") });
});
