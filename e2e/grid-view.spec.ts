import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn, trpcCall, uniqueName } from "./helpers";

/**
 * The generated grid with a list view: the view's pinned and sized columns and grouping; the
 * user resizes and reorders columns by dragging (kept across reloads), edits a cell in place,
 * updates two selected rows through the bulk action's dialog and scrolls a list of thousands of
 * records to its end.
 */

// Its own object, view and app (the demo CRM's navigation stays as seeded).
const OBJECT = uniqueName("e2e_ticket_");
const APP = uniqueName("ticket_desk_");
const RECORDS = 2400;
const STATUSES = ["open", "pending", "done"] as const;
const SHOTS = "/tmp";

const OBJECT_DEF = {
  name: OBJECT,
  label: "Ticket",
  pluralLabel: "Tickets",
  nameField: "title",
  fields: [
    { id: "tk_title", name: "title", label: "Title", type: "text", required: true },
    { id: "tk_status", name: "status", label: "Status", type: "select", options: STATUSES.map((value) => ({ value, label: value[0]!.toUpperCase() + value.slice(1) })) },
    { id: "tk_points", name: "points", label: "Points", type: "number" },
    { id: "tk_due", name: "due", label: "Due", type: "date" },
    { id: "tk_urgent", name: "urgent", label: "Urgent", type: "boolean" },
  ],
};

const VIEW = {
  name: `${OBJECT}_by_status`,
  label: "Tickets by status",
  object: OBJECT,
  type: "grid",
  isDefault: true,
  columns: [
    { field: "title", width: 260, pinned: "left" },
    { field: "status", width: 150, label: "State" },
    { field: "points", width: 120 },
    { field: "due", width: 150 },
    { field: "urgent", width: 110 },
  ],
  sort: [{ field: "title", direction: "asc" }],
  groupBy: "status",
  inlineEdit: true,
  bulkActions: [{ type: "delete" }, { type: "export" }, { type: "update", label: "Set status", field: "status" }],
};

function title(index: number) {
  return `Ticket ${String(index).padStart(4, "0")}`;
}

async function ok(result: Promise<{ status: number; json: unknown }>) {
  const answer = await result;
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json as { result: { data: { json: unknown } } };
}

/** Creates records with `data.createMany`, 500 per request (the page's cookies sign it). */
async function createRecords(page: Page, count: number) {
  for (let start = 0; start < count; start += 500) {
    const records = Array.from({ length: Math.min(500, count - start) }, (_, offset) => {
      const index = start + offset;
      return { title: title(index), status: STATUSES[index % 3], points: index % 13, due: `2026-0${(index % 9) + 1}-1${index % 10}`, urgent: index % 5 === 0 };
    });
    const response = await page.request.post("/api/trpc/data.createMany", { data: { json: { object: OBJECT, records } } });
    expect(response.status(), await response.text()).toBe(200);
  }
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await browser.newPage();
  await signIn(page, ADMIN, "/studio");
  await ok(trpcCall(page, "metadata.create", { kind: "object", body: OBJECT_DEF }, "mutation"));
  await ok(trpcCall(page, "metadata.publish", { kind: "object", name: OBJECT }, "mutation"));
  await ok(trpcCall(page, "metadata.create", { kind: "app", body: { name: APP, label: "Ticket desk", navigation: [{ type: "object", object: OBJECT }] } }, "mutation"));
  await ok(trpcCall(page, "metadata.publish", { kind: "app", name: APP }, "mutation"));
  await ok(trpcCall(page, "metadata.create", { kind: "view", body: VIEW }, "mutation"));
  await ok(trpcCall(page, "metadata.publish", { kind: "view", name: VIEW.name }, "mutation"));
  await createRecords(page, RECORDS);
  await page.close();
});

/** Opens the list; `records` is the total to expect (null: any, for tests that may follow the one deleting a record). */
async function openList(page: Page, records: number | null = RECORDS) {
  await page.goto(`/apps/${APP}/${OBJECT}`);
  await expect(page.getByTestId("grid-total")).toHaveText(records === null ? /^[1-9]\d* records$/ : `${records} records`);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  // Rows arrive in the HTML: wait until the grid is interactive before dragging or typing, and
  // until the reorderable header cells (loaded after hydration) have replaced the plain ones.
  await expect(page.locator('[data-testid="record-grid"][data-hydrated]')).toBeVisible();
  await expect(page.locator('thead th[aria-roledescription="sortable"]').first()).toBeVisible();
}

async function headerOrder(page: Page) {
  return page.locator("thead th[data-testid^='column-']").evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-testid")!.slice("column-".length)));
}

test("the view's pinned, sized columns and status groups render; the pinned column stays while scrolling sideways", async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 800 });
  await signIn(page, ADMIN, `/apps/${APP}/${OBJECT}`);
  await openList(page);
  expect(await headerOrder(page)).toEqual(["title", "status", "points", "due", "urgent"]);
  await expect(page.getByRole("columnheader", { name: "State" })).toBeVisible();
  expect(Math.round((await page.getByTestId("column-title").boundingBox())!.width)).toBe(260);
  expect(Math.round((await page.getByTestId("column-points").boundingBox())!.width)).toBe(120);

  // Groups: header rows with the value and count, records ordered by the group field first.
  const firstGroup = page.getByTestId("group-header").first();
  await expect(firstGroup).toContainText("Done");
  await expect(firstGroup.getByTestId("group-count")).toHaveText(String(RECORDS / 3));
  await expect(page.getByTestId("record-row").first()).toContainText(title(2));

  const scroller = page.getByTestId("grid-scroll");
  const titleCell = page.getByTestId("record-row").first().locator('td[data-field="title"]');
  const before = (await titleCell.boundingBox())!.x;
  await scroller.evaluate((element) => element.scrollTo({ left: 400 }));
  await expect.poll(() => scroller.evaluate((element) => element.scrollLeft)).toBeGreaterThan(100);
  expect(Math.round((await titleCell.boundingBox())!.x)).toBe(Math.round(before));
  expect((await page.getByTestId("record-row").first().locator('td[data-field="status"]').boundingBox())!.x).toBeLessThan(before + 260);
  await page.screenshot({ path: `${SHOTS}/grid-view-pinned.png` });
});

test("resizing a column by dragging its edge persists across a reload", async ({ page }) => {
  await signIn(page, ADMIN, `/apps/${APP}/${OBJECT}`);
  await openList(page);
  const handle = page.getByTestId("resize-points");
  await expect(handle).toBeVisible();
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++) await page.mouse.move(box.x + box.width / 2 + step * 10, box.y + box.height / 2);
  await page.mouse.up();
  await expect(page.getByTestId("column-points")).toHaveAttribute("data-width", "200");
  await page.reload();
  await openList(page);
  await expect(page.getByTestId("column-points")).toHaveAttribute("data-width", "200");
  expect(Math.round((await page.getByTestId("column-points").boundingBox())!.width)).toBe(200);
});

test("reordering columns by dragging a header (and with the keyboard) persists", async ({ page }) => {
  await signIn(page, ADMIN, `/apps/${APP}/${OBJECT}`);
  await openList(page);
  // Drag the Due header by its label until its middle is over the State header's middle.
  const due = (await page.getByTestId("column-due").boundingBox())!;
  const status = (await page.getByTestId("column-status").boundingBox())!;
  const startX = due.x + 30;
  const y = due.y + due.height / 2;
  const distance = status.x + status.width / 2 - (due.x + due.width / 2);
  await page.mouse.move(startX, y);
  await page.mouse.down();
  for (let step = 1; step <= 12; step++) await page.mouse.move(startX + (distance * step) / 12, y);
  await page.mouse.up();
  await expect.poll(() => headerOrder(page)).toEqual(["title", "due", "status", "points", "urgent"]);
  // Nothing was sorted by the drag.
  await expect(page.getByTestId("column-due")).toHaveAttribute("aria-sort", "none");

  // Keyboard: focus the Urgent header, pick it up with Space, move it left, drop it. Each key
  // waits for what a screen reader hears (dnd-kit's live region): the next key is only taken
  // once the last one has been.
  const announced = page.locator('[id^="DndLiveRegion-"]');
  await page.getByTestId("column-urgent").focus();
  await page.keyboard.press("Space");
  // (Picked up, then at once over its own place: either says the drag has begun.)
  await expect(announced.filter({ hasText: /^(Picked up draggable item urgent\.|Draggable item urgent was moved over droppable area urgent\.)$/ })).toHaveCount(1);
  await page.keyboard.press("ArrowLeft");
  await expect(announced.filter({ hasText: "Draggable item urgent was moved over droppable area points." })).toHaveCount(1);
  await page.keyboard.press("Space");
  await expect(announced.filter({ hasText: "Draggable item urgent was dropped over droppable area points" })).toHaveCount(1);
  await expect.poll(() => headerOrder(page)).toEqual(["title", "due", "status", "urgent", "points"]);

  await page.reload();
  await openList(page);
  expect(await headerOrder(page)).toEqual(["title", "due", "status", "urgent", "points"]);
  await page.screenshot({ path: `${SHOTS}/grid-view-reordered.png` });
});

test("a cell is edited in place: Enter saves (kept after a reload), Escape cancels", async ({ page }) => {
  await signIn(page, ADMIN, `/apps/${APP}/${OBJECT}`);
  await openList(page);
  const row = page.getByTestId("record-row").first();
  const id = await row.getAttribute("data-record-id");
  const points = page.locator(`[data-testid="record-row"][data-record-id="${id}"] td[data-field="points"]`);

  await points.dblclick();
  const editor = points.getByRole("spinbutton", { name: "Points" });
  await expect(editor).toBeFocused();
  await editor.fill("77");
  await page.screenshot({ path: `${SHOTS}/grid-view-editing.png` });
  await editor.press("Enter");
  await expect(points.getByTestId("cell-editor")).toHaveCount(0);
  await expect(points).toHaveText("77");

  // Escape leaves the value as it was.
  await points.click();
  await points.press("Enter");
  await points.getByRole("spinbutton", { name: "Points" }).fill("5");
  await page.keyboard.press("Escape");
  await expect(points).toHaveText("77");

  // A wrong value is refused at the cell and not saved.
  const titleCell = page.locator(`[data-testid="record-row"][data-record-id="${id}"] td[data-field="title"]`);
  await titleCell.click({ position: { x: 200, y: 10 } });
  await titleCell.press("Enter");
  await titleCell.getByRole("textbox", { name: "Title" }).fill("");
  await page.keyboard.press("Enter");
  await expect(titleCell.getByRole("alert")).toHaveText("Title is required");
  await page.keyboard.press("Escape");

  await page.reload();
  await openList(page);
  await expect(page.locator(`[data-testid="record-row"][data-record-id="${id}"] td[data-field="points"]`)).toHaveText("77");
  const saved = await ok(trpcCall(page, "data.get", { object: OBJECT, id }, "query"));
  expect((saved.result.data.json as { points: number }).points).toBe(77);
});

test("a bulk update sets the value asked in a dialog on the two selected rows", async ({ page }) => {
  await signIn(page, ADMIN, `/apps/${APP}/${OBJECT}`);
  await openList(page);
  const rows = page.getByTestId("record-row");
  const ids = [await rows.nth(1).getAttribute("data-record-id"), await rows.nth(2).getAttribute("data-record-id")];
  await rows.nth(1).getByRole("checkbox").check();
  await rows.nth(2).getByRole("checkbox").check();
  await expect(page.getByTestId("bulk-actions")).toContainText("2 selected");
  await page.getByTestId("bulk-actions").getByRole("button", { name: "Set status" }).click();
  const dialog = page.getByRole("dialog", { name: "Set status" });
  await expect(dialog).toContainText("Sets Status on 2 selected records");
  await dialog.getByLabel("Status").selectOption("pending");
  await page.screenshot({ path: `${SHOTS}/grid-view-bulk-dialog.png` });
  await dialog.getByRole("button", { name: "Update 2 records" }).click();
  await expect(dialog).toHaveCount(0);
  for (const id of ids) {
    const record = await ok(trpcCall(page, "data.get", { object: OBJECT, id }, "query"));
    expect((record.result.data.json as { status: string }).status).toBe("pending");
  }
  // They moved to the Pending group: the Done group has two fewer.
  await expect(page.getByTestId("group-header").first().getByTestId("group-count")).toHaveText(String(RECORDS / 3 - 2));
});

test("scrolling a list of thousands of records loads the later rows", async ({ page }) => {
  await signIn(page, ADMIN, `/apps/${APP}/${OBJECT}`);
  await openList(page);
  const scroller = page.getByTestId("grid-scroll");
  // Only the rows in view are in the page.
  expect(await page.getByTestId("record-row").count()).toBeLessThan(120);
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
  await expect(page.locator('[data-testid="record-row"][data-index]').first()).toBeVisible();
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  const last = page.locator(`[data-testid="record-row"][data-index="${RECORDS - 1}"]`);
  await expect(last).toBeVisible();
  // The last group (status "pending", by title) ends with the highest pending ticket.
  await expect(last).toContainText(title(RECORDS - 2));
  await page.screenshot({ path: `${SHOTS}/grid-view-scrolled-end.png` });
  // With the wheel, back up a little: rows are there (placeholders fill in).
  const box = (await scroller.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -3000);
  await expect(page.getByTestId("row-placeholder")).toHaveCount(0);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
});

test("a row's menu deletes the record after confirming, opens a record, and opens one for editing", async ({ page }) => {
  await signIn(page, ADMIN, `/apps/${APP}/${OBJECT}`);
  await openList(page);
  const row = page.getByTestId("record-row").first();
  const name = (await row.locator('td[data-field="title"]').textContent())!;
  await row.getByRole("button", { name: `Actions for ${name}` }).click();
  await expect(page.getByRole("menuitem", { name: "Open" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/grid-view-row-menu.png` });
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("grid-total")).toHaveText(`${RECORDS - 1} records`);
  await expect(page.getByTestId("record-row").filter({ hasText: name })).toHaveCount(0);

  const next = page.getByTestId("record-row").first();
  const nextName = (await next.locator('td[data-field="title"]').textContent())!;
  await next.getByRole("button", { name: `Actions for ${nextName}` }).click();
  await page.getByRole("menuitem", { name: "Open" }).click();
  await expect(page.getByRole("heading", { name: nextName })).toBeVisible();

  // "Edit" opens the record with its form ready to type in; the menu opens from the keyboard too.
  await page.goBack();
  const third = page.getByTestId("record-row").first();
  const thirdName = (await third.locator('td[data-field="title"]').textContent())!;
  await third.getByRole("button", { name: `Actions for ${thirdName}` }).focus();
  await page.keyboard.press("ArrowDown");
  await page.getByRole("menuitem", { name: "Edit" }).click();
  await expect(page).toHaveURL(/edit=1/);
  await expect(page.getByRole("button", { name: "Save" })).toBeVisible();
});

test("select all picks the loaded rows (a row unticked leaves it mixed); the name opens the record", async ({ page }) => {
  await signIn(page, ADMIN, `/apps/${APP}/${OBJECT}`);
  await openList(page, null);
  const selectAll = page.getByRole("checkbox", { name: "Select all rows" });
  await selectAll.check();
  const rows = page.getByTestId("record-row");
  await expect(rows.nth(0).getByRole("checkbox")).toBeChecked();
  await expect(rows.nth(5).getByRole("checkbox")).toBeChecked();
  // The first block (100 rows) is what is loaded so far.
  await expect(page.getByTestId("bulk-actions")).toContainText("100 selected");
  await rows.nth(1).getByRole("checkbox").uncheck();
  await expect(page.getByTestId("bulk-actions")).toContainText("99 selected");
  await expect(selectAll).not.toBeChecked();
  expect(await selectAll.evaluate((box) => (box as HTMLInputElement).indeterminate)).toBe(true);
  // Ticking it again selects every loaded row; unticking clears the selection.
  await selectAll.check();
  await expect(page.getByTestId("bulk-actions")).toContainText("100 selected");
  await selectAll.uncheck();
  await expect(page.getByTestId("bulk-actions")).toHaveCount(0);

  // The name is a real link (new tabs work) that opens the record in the app on a plain click.
  const first = rows.first();
  const name = (await first.locator('td[data-field="title"]').textContent())!;
  const link = first.getByRole("link", { name });
  expect(await link.getAttribute("href")).toBe(`/apps/${APP}/${OBJECT}/${encodeURIComponent((await first.getAttribute("data-record-id"))!)}`);
  await link.click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
});
