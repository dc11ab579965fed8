import { expect, test, type Locator, type Page } from "@playwright/test";
import { ADMIN, USER, signIn, trpcCall } from "./helpers";

/**
 * The view designer: an admin designs a kanban and a grid view of opportunities with the mouse
 * and keyboard, watches the live preview on real records, undoes and redoes, and publishes;
 * the user then finds the views in the CRM app. The designer autosaves its draft ~2 s after the
 * last edit, and its History compares and restores published versions.
 */

test.describe.configure({ mode: "serial" });

/** A real pointer drag: press on `from`, move in steps to `to`, release. */
async function drag(page: Page, from: Locator, to: Locator, { offsetY = 0 } = {}) {
  // Away from the scroll container's edges, so dnd-kit's auto-scroll does not move the list mid-drag.
  await from.evaluate((element) => element.scrollIntoView({ block: "center" }));
  const start = await from.boundingBox();
  const end = await to.boundingBox();
  if (!start || !end) throw new Error("drag target is not visible");
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2 + 6, { steps: 3 });
  const y = end.y + end.height / 2 + offsetY;
  await page.mouse.move(end.x + end.width / 2, y, { steps: 15 });
  // The picked-up row follows the pointer: once it is under it, dnd-kit has taken in the last
  // move (and knows the row it is over), so the drop lands there.
  await expect.poll(async () => {
    const box = await from.boundingBox();
    return box ? Math.abs(box.y + box.height / 2 - y) : Infinity;
  }).toBeLessThan(2);
  await page.mouse.up();
}

async function countOf(page: Page, filter: unknown) {
  const response = await trpcCall(page, "data.count", { object: "opportunity", filter }, "query");
  expect(response.status).toBe(200);
  return response.json.result.data.json as number;
}

async function draftOf(page: Page, name: string) {
  const response = await trpcCall(page, "metadata.get", { kind: "view", name }, "query");
  expect(response.status).toBe(200);
  const detail = response.json.result.data.json as { draft: Record<string, unknown> | null; published: Record<string, unknown> | null };
  return (detail.draft ?? detail.published)!;
}

async function createView(page: Page, label: string, type: "Grid" | "Kanban" | "Calendar") {
  await page.goto("/studio/views");
  await page.getByRole("button", { name: "New view" }).click();
  const dialog = page.getByRole("dialog", { name: "New view" });
  await dialog.getByLabel("Object").selectOption("opportunity");
  await dialog.getByLabel("Label").fill(label);
  await dialog.getByRole("radio", { name: type }).click();
  await dialog.getByRole("button", { name: "Create view" }).click();
  await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
}

async function publish(page: Page, version = 1) {
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText(`Published version ${version}.`)).toBeVisible();
  await expect(page.getByTestId("view-status")).toContainText(`Published v${version}`);
}

/** Autosave has caught up: the header says so and nothing is left to save by hand. */
async function expectAutosaved(page: Page) {
  await expect(page.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Save draft" })).toBeDisabled();
}

const kanbanColumn = (page: Page, label: string) => page.getByTestId("view-preview").getByRole("listitem", { name: label, exact: true });

test("the admin designs a kanban board with the filter builder, undoes, redoes and publishes", async ({ page }) => {
  // A long walk through the designer (about 23 s alone; under CI's load it once ran past the default 60 s).
  test.setTimeout(150_000);
  await signIn(page, ADMIN, "/studio/views");
  await createView(page, "Deals board", "Kanban");
  await expect(page).toHaveURL(/\/studio\/views\/deals_board$/);
  await expect(page.getByLabel("Group cards by")).toHaveValue("stage");

  // Reorder the board's columns by dragging the option chips: Negotiation to the top.
  const chips = page.getByTestId("kanban-column-chip");
  await expect(chips).toHaveCount(6);
  await drag(page, page.getByRole("button", { name: "Drag to reorder column Negotiation" }), chips.first(), { offsetY: -4 });
  await expect(chips.first()).toHaveAttribute("data-value", "negotiation");
  await expect(page.getByTestId("view-preview").getByTestId("kanban-column").first().getByRole("heading")).toHaveText("Negotiation");
  // …and Closed lost above Closed won.
  await drag(page, page.getByRole("button", { name: "Drag to reorder column Closed lost" }), page.getByRole("button", { name: "Drag to reorder column Closed won" }), { offsetY: -4 });
  await expect(chips.nth(4)).toHaveAttribute("data-value", "closed_lost");

  await page.getByLabel("Show Amount on cards").check();
  await page.getByLabel("Show Close date on cards").check();
  // The undo menu names fields by their labels, not their API names.
  await expect(page.getByRole("button", { name: "Undo" })).toHaveAttribute("title", "Undo: Show Close date on cards (Ctrl+Z)");

  // The unfiltered preview counts every prospecting deal.
  const prospectingAll = await countOf(page, { field: "stage", operator: "=", value: "prospecting" });
  await expect(kanbanColumn(page, "Prospecting").getByTestId("kanban-count")).toHaveAttribute("aria-label", `${prospectingAll} cards`);

  // Filter: amount > 10000 OR stage in [proposal, negotiation].
  const filter = page.getByRole("region", { name: "Filter" });
  await filter.getByRole("button", { name: "Add condition" }).click();
  const first = filter.getByTestId("filter-condition").nth(0);
  await first.getByLabel("Field").selectOption("amount");
  await first.getByLabel("Operator").selectOption(">");
  await first.getByLabel("Value").fill("10000");
  await filter.getByRole("button", { name: "Add condition" }).first().click();
  const second = filter.getByTestId("filter-condition").nth(1);
  await second.getByLabel("Field").selectOption("stage");
  await second.getByLabel("Operator").selectOption("in");
  await second.getByRole("button", { name: "Proposal", exact: true }).click();
  await second.getByRole("button", { name: "Negotiation", exact: true }).click();
  await expect(second.getByRole("button", { name: "Negotiation", exact: true })).toHaveAttribute("aria-pressed", "true");
  await filter.getByLabel("Combine conditions", { exact: true }).selectOption("or");

  const expectedFilter = { or: [{ field: "amount", operator: ">", value: 10000 }, { field: "stage", operator: "in", value: ["proposal", "negotiation"] }] };
  const prospectingFiltered = await countOf(page, { and: [{ field: "stage", operator: "=", value: "prospecting" }, expectedFilter] });
  const negotiationAll = await countOf(page, { field: "stage", operator: "=", value: "negotiation" });
  expect(prospectingFiltered).toBeLessThan(prospectingAll);
  await expect(kanbanColumn(page, "Prospecting").getByTestId("kanban-count")).toHaveAttribute("aria-label", `${prospectingFiltered} cards`);
  await expect(kanbanColumn(page, "Negotiation").getByTestId("kanban-count")).toHaveAttribute("aria-label", `${negotiationAll} cards`);
  // Cards show the chosen fields.
  await expect(kanbanColumn(page, "Negotiation").getByTestId("kanban-card").first()).toContainText("$");

  await page.screenshot({ path: "/tmp/viewdz-kanban.png", fullPage: false });

  // No Save click needed: the draft is autosaved a moment after the last edit.
  await expectAutosaved(page);
  const saved = await draftOf(page, "deals_board");
  expect(saved.filter).toStrictEqual(expectedFilter);
  expect(saved.kanban).toMatchObject({
    groupField: "stage",
    columnOrder: ["negotiation", "prospecting", "qualification", "proposal", "closed_lost", "closed_won"],
    cardFields: ["amount", "close_date"],
  });

  // Undo with the keyboard: the four filter steps (amount > 10000, + proposal, + negotiation, OR)…
  await page.getByRole("heading", { level: 1 }).click();
  const undos = 4;
  for (let i = 0; i < undos; i++) await page.keyboard.press("Control+z");
  await expect(filter.getByText("No conditions: every record matches.")).toBeVisible();
  // Undoing after the autosave is an edit against the saved draft: it is unsaved until autosaved again.
  await expect(page.getByTestId("save-status")).toHaveText(/Unsaved edits|Saving…|All changes saved/);
  await expect(kanbanColumn(page, "Prospecting").getByTestId("kanban-count")).toHaveAttribute("aria-label", `${prospectingAll} cards`);
  // Two more undos take back the card fields.
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");
  await expect(page.getByLabel("Show Amount on cards")).not.toBeChecked();
  // …and the undone state is what gets autosaved.
  await expectAutosaved(page);
  const undone = await draftOf(page, "deals_board");
  expect(undone.filter).toBeUndefined();
  expect(undone.kanban).toMatchObject({ cardFields: [] });
  for (let i = 0; i < undos + 2; i++) await page.keyboard.press("Control+Shift+z");
  await expect(page.getByLabel("Show Amount on cards")).toBeChecked();
  await expect(filter.getByTestId("filter-condition")).toHaveCount(2);
  await expect(filter.getByLabel("Combine conditions", { exact: true })).toHaveValue("or");
  await expect(kanbanColumn(page, "Prospecting").getByTestId("kanban-count")).toHaveAttribute("aria-label", `${prospectingFiltered} cards`);
  // Redo restores exactly the document saved before the undos, and autosaves it.
  await expectAutosaved(page);
  expect(await draftOf(page, "deals_board")).toStrictEqual(saved);

  await publish(page);
  const published = await draftOf(page, "deals_board");
  expect(published.filter).toStrictEqual(expectedFilter);
});

test("a broken setting is refused with the problem on its control", async ({ page }) => {
  await signIn(page, ADMIN, "/studio/views/deals_board");
  await expect(page.getByRole("heading", { level: 1, name: "Deals board" })).toBeVisible();
  await page.getByLabel("Label", { exact: true }).fill("");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("region", { name: /^View/ }).getByRole("alert")).toHaveText("is required");
  await expect(page.getByRole("list", { name: "Problems" })).toContainText("Label: is required");
  // Autosave leaves a half-typed document alone, and says why.
  await expect(page.getByTestId("save-status")).toHaveText("Not saved: label: is required", { timeout: 15_000 });
  await page.getByLabel("Label", { exact: true }).fill("Deals board");
  // Back to the saved document: nothing to save.
  await expect(page.getByTestId("save-status")).not.toContainText(/Unsaved|Not saved/);
  await expect(page.getByRole("button", { name: "Save draft" })).toBeDisabled();
});

test("the server's publish check shows on the filter condition it names", async ({ page }) => {
  await signIn(page, ADMIN, "/studio/views");
  const created = await trpcCall(page, "metadata.create", {
    kind: "view",
    body: { name: "bad_filter", label: "Bad filter", object: "opportunity", columns: [{ field: "name" }], filter: { or: [{ field: "amount", operator: ">", value: 5 }, { field: "stage", operator: "contains", value: "pro" }] } },
  }, "mutation");
  expect(created.status).toBe(200);
  await page.goto("/studio/views/bad_filter");
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(dialog.getByText(/Cannot publish view 'bad_filter'/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  const stage = page.getByRole("group", { name: "Condition on Stage" });
  await expect(stage.getByRole("alert")).toContainText("operator: 'contains' does not apply to 'stage'");
  // Choosing a fitting operator and value clears it on the next publish.
  await stage.getByLabel("Operator").selectOption("=");
  await stage.getByLabel("Value").selectOption("proposal");
  await publish(page);
});

test("the admin designs a grid view: columns by mouse and keyboard, a pinned column, calendar and mobile previews", async ({ page }) => {
  await signIn(page, ADMIN, "/studio/views");
  await createView(page, "Big deals", "Grid");
  const columns = page.getByTestId("view-column");
  const order = async () => columns.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-field")));
  expect(await order()).toEqual(["name", "number", "account", "contact", "stage", "amount"]);

  // Drag Amount to the top with the mouse.
  await drag(page, page.getByRole("button", { name: "Drag to reorder Amount" }), columns.first(), { offsetY: -6 });
  await expect.poll(order).toEqual(["amount", "name", "number", "account", "contact", "stage"]);

  // Select Stage and move it up twice with the arrow keys.
  await page.getByRole("listitem", { name: "Column Stage" }).focus();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect.poll(order).toEqual(["amount", "name", "number", "stage", "account", "contact"]);
  // Move Contact with dnd-kit's keyboard drag: Space, ArrowUp, Space.
  await page.getByRole("button", { name: "Drag to reorder Primary contact" }).focus();
  // Each key waits for what a screen reader hears (dnd-kit's live region), so the next one is
  // only pressed once dnd-kit has taken in the last: picked up (then at once over its own
  // place), then over the Account row.
  const announced = page.locator('[id^="DndLiveRegion-"]');
  await page.keyboard.press("Space");
  await expect(announced.filter({ hasText: /^(Picked up draggable item contact\.|Draggable item contact was moved over droppable area contact\.)$/ })).toHaveCount(1);
  await page.keyboard.press("ArrowUp");
  await expect(announced.filter({ hasText: "Draggable item contact was moved over droppable area account." })).toHaveCount(1);
  await page.keyboard.press("Space");
  await expect.poll(order).toEqual(["amount", "name", "number", "stage", "contact", "account"]);
  // Delete hides the selected column.
  await page.getByRole("listitem", { name: "Column Number" }).focus();
  await page.keyboard.press("Delete");
  await expect.poll(order).toEqual(["amount", "name", "stage", "contact", "account"]);
  await expect(page.getByRole("button", { name: "Undo" })).toHaveAttribute("title", "Undo: Remove column Number (Ctrl+Z)");

  // Pin the name column left, set Amount's width.
  await page.getByRole("listitem", { name: "Column Opportunity name" }).click();
  await page.getByLabel("Pin Opportunity name").selectOption("left");
  await page.getByRole("listitem", { name: "Column Amount" }).click();
  await page.getByLabel("Width of Amount").fill("180");

  // Sort by amount, descending.
  await page.getByRole("button", { name: "Add sort" }).click();
  await page.getByLabel("Sort field 1").selectOption("amount");
  await page.getByLabel("Sort direction 1").selectOption("desc");

  // The preview grid shows the columns in the designed order.
  const preview = page.getByTestId("view-preview");
  await expect(preview.getByRole("columnheader").filter({ hasText: "Amount" }).first()).toBeVisible();
  await page.getByRole("region", { name: /^Columns/ }).evaluate((element) => element.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: "/tmp/viewdz-grid.png" });

  await page.getByRole("radio", { name: "Mobile width" }).click();
  await expect(preview).toHaveAttribute("data-width", "mobile");
  await page.screenshot({ path: "/tmp/viewdz-mobile.png" });
  await page.getByRole("radio", { name: "Desktop width" }).click();

  await publish(page);
  const saved = await draftOf(page, "big_deals");
  expect(saved.columns).toEqual([
    { field: "amount", width: 180 },
    { field: "name", pinned: "left" },
    { field: "stage" },
    { field: "contact" },
    { field: "account" },
  ]);
  expect(saved.sort).toEqual([{ field: "amount", direction: "desc" }]);

  // A calendar of the same view keeps the grid's columns for switching back.
  await page.getByRole("radio", { name: "Calendar" }).click();
  await expect(page.getByLabel("Start date field")).toHaveValue("close_date");
  await page.screenshot({ path: "/tmp/viewdz-calendar.png" });
  await page.getByRole("radio", { name: "Grid" }).click();
  expect(await order()).toEqual(["amount", "name", "stage", "contact", "account"]);
  // Undoing both switches is exactly the published view again (autosaved in between or not).
  await page.getByRole("heading", { level: 1 }).click();
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");
  await expect(page.getByRole("radio", { name: "Grid" })).toHaveAttribute("aria-checked", "true");
  await expectAutosaved(page);
  expect(await draftOf(page, "big_deals")).toStrictEqual(saved);
});

test("preview as the user reads the records as that user", async ({ page }) => {
  await signIn(page, ADMIN, "/studio/views/big_deals");
  const preview = page.getByTestId("view-preview");
  await expect(preview.getByRole("columnheader").filter({ hasText: "Amount" }).first()).toBeVisible();
  const asUser = page.waitForRequest((request) => request.url().includes("data.describe") && decodeURIComponent(request.url()).includes('"asUser"'));
  await page.getByLabel("Preview as").selectOption({ label: "Uma User (user@objectstudio.local)" });
  await asUser;
  await expect(preview.getByRole("columnheader").filter({ hasText: "Amount" }).first()).toBeVisible();
  await expect(preview.getByRole("link", { name: /–/ }).first()).toBeVisible();
});

test("the user finds the published views in the CRM app", async ({ page }) => {
  await signIn(page, USER, "/apps/crm/opportunity");
  const views = await trpcCall(page, "views.forObject", { object: "opportunity" }, "query");
  expect(views.status).toBe(200);
  expect(JSON.stringify(views.json)).toContain("deals_board");
  expect(JSON.stringify(views.json)).toContain("big_deals");

  // The app's view switcher offers both; the kanban has the designed column order and filter.
  await page.getByRole("button", { name: /^View: / }).click();
  await expect(page.getByRole("menuitem", { name: /Big deals/ })).toBeVisible();
  await page.getByRole("menuitem", { name: /Deals board/ }).click();
  const columns = page.getByTestId("kanban-column");
  await expect(columns.first().getByRole("heading")).toHaveText("Negotiation");
  const prospecting = await countOf(page, {
    and: [
      { field: "stage", operator: "=", value: "prospecting" },
      { or: [{ field: "amount", operator: ">", value: 10000 }, { field: "stage", operator: "in", value: ["proposal", "negotiation"] }] },
    ],
  });
  await expect(page.getByRole("listitem", { name: "Prospecting", exact: true }).getByTestId("kanban-count")).toHaveAttribute("aria-label", `${prospecting} cards`);
  await page.screenshot({ path: "/tmp/viewdz-user-kanban.png" });

  // The studio's list groups the views by object.
  await page.context().clearCookies();
  await signIn(page, ADMIN, "/studio/views");
  const opportunityViews = page.getByRole("region", { name: "Views of Opportunity" });
  await expect(opportunityViews.getByRole("link", { name: /Deals board/ })).toBeVisible();
  await expect(opportunityViews.getByRole("link", { name: /Big deals/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Views of Account" }).getByRole("link", { name: /Accounts by industry/ })).toBeVisible();
  await page.screenshot({ path: "/tmp/viewdz-list.png" });
});

test("the admin compares published versions in History and restores version 1", async ({ page }) => {
  await signIn(page, ADMIN, "/studio/views/deals_board");
  await expect(page.getByRole("heading", { level: 1, name: "Deals board" })).toBeVisible();

  // Version 2: a new label and a hidden column, autosaved, then published.
  await page.getByLabel("Label", { exact: true }).fill("Deals pipeline");
  await page.getByRole("button", { name: "Hide column Closed lost" }).click();
  await expectAutosaved(page);
  await publish(page, 2);

  await page.getByRole("tab", { name: "History" }).click();
  const versions = page.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("listitem")).toHaveCount(2);
  await expect(versions.getByRole("listitem").first()).toContainText("Version 2");
  await expect(versions.getByRole("listitem").first()).toContainText("Live");
  const changes = page.getByRole("list", { name: "Changes from version 1 to version 2" });
  await expect(changes).toContainText('Label "Deals board" → "Deals pipeline"');
  await expect(changes).toContainText("closed_lost");
  await page.screenshot({ path: "/tmp/viewhist-history.png" });

  // Restore version 1: the designer shows its content as the draft, then publishes it.
  await versions.getByRole("button", { name: "View version 1" }).click();
  await page.getByRole("button", { name: "Restore this version" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Restore as draft" }).click();
  await expect(page.getByText("Restored version 1 as the draft.")).toBeVisible();
  await expect(page.getByRole("tab", { name: "Design" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("Label", { exact: true })).toHaveValue("Deals board");
  await expect(page.getByRole("heading", { level: 1, name: "Deals board" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Hide column Closed lost" })).toBeVisible();
  await publish(page, 3);
  await expect(page.getByLabel("Label", { exact: true })).toHaveValue("Deals board");

  const versionBody = async (version: number) =>
    (await trpcCall(page, "metadata.getVersion", { kind: "view", name: "deals_board", version }, "query")).json.result.data.json;
  const version1 = await versionBody(1);
  expect(version1.label).toBe("Deals board");
  expect(await versionBody(3)).toStrictEqual(version1);
  await page.getByRole("tab", { name: "History" }).click();
  await expect(versions.getByRole("listitem")).toHaveCount(3);
  await page.getByLabel("Changes from", { exact: true }).selectOption("1");
  await expect(page.getByText("The two are identical.")).toBeVisible();
});
