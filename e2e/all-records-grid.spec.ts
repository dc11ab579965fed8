import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { createPublished, createRecords, uniqueName } from "./support/own-data";

/**
 * An object whose only published view is a kanban board still has a grid of every record: the
 * view menu offers "All <plural>", with the grid's search (and so its filters, export and bulk
 * actions). Before, publishing only a board left no way to the grid until an admin made one.
 * The board's column of records without a value is named by its field ("No state").
 */

const SHOTS = process.env.E2E_SCREENSHOTS ?? "test-results";

test("a board-only object keeps its All <plural> grid, searchable, in the view menu", async ({ page }, testInfo) => {
  await signIn(page, ADMIN, "/studio");
  const object = uniqueName(testInfo, "ag_task");
  const app = uniqueName(testInfo, "ag_app");
  await createPublished(page, "object", {
    name: object,
    label: "Task",
    pluralLabel: "Tasks",
    nameField: "title",
    fields: [
      { id: "title", name: "title", label: "Title", type: "text", required: true },
      { id: "state", name: "state", label: "State", type: "select", options: [{ value: "todo", label: "To do" }, { value: "done", label: "Done" }] },
    ],
  });
  await createRecords(page, object, [
    { title: "Water plants", state: "todo" },
    { title: "Book flights", state: "todo" },
    { title: "Pay invoice", state: "done" },
    { title: "Learn Welsh" },
  ]);
  await createPublished(page, "view", { name: `${object}_board`, label: "Task board", object, type: "kanban", isDefault: true, kanban: { groupField: "state" } });
  await createPublished(page, "app", { name: app, label: "Errands", navigation: [{ type: "object", object }] });

  // The tab opens on the board, its default view.
  await page.goto(`/apps/${app}/${object}`);
  await expect(page.getByRole("button", { name: "View: Task board" })).toBeVisible();
  await expect(page.getByTestId("kanban-board")).toBeVisible();
  // Records without a state have a column named by the field.
  await expect(page.locator('[data-testid="kanban-column"][data-column]')).toHaveCount(3);
  await expect(page.getByTestId("kanban-column").filter({ hasText: "No state" }).getByTestId("kanban-card")).toHaveText(["Learn Welsh"]);

  // The menu offers the grid of every record besides the board.
  await page.getByRole("button", { name: "View: Task board" }).click();
  await expect(page.getByRole("menuitem", { name: /Task board/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/all-records-menu.png` });
  await page.getByRole("menuitem", { name: /All tasks/ }).click();
  await expect(page).toHaveURL(/[?&]view=_all\b/);
  await expect(page.getByRole("button", { name: "View: All tasks" })).toBeVisible();
  const grid = page.getByTestId("record-grid");
  await expect(grid).toBeVisible();
  await expect(grid.getByRole("row").filter({ hasText: /Water plants|Book flights|Pay invoice/ })).toHaveCount(3);

  // It is the full grid: its search narrows the rows.
  await page.getByRole("searchbox").fill("flights");
  await expect(grid.getByRole("row").filter({ hasText: /Water plants|Book flights|Pay invoice/ })).toHaveCount(1);
  await expect(grid.getByRole("row", { name: /Book flights/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/all-records-grid.png` });

  // A reload keeps it; Back returns to the board.
  await page.reload();
  await expect(page.getByRole("button", { name: "View: All tasks" })).toBeVisible();
  await expect(grid).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("kanban-board")).toBeVisible();
});
