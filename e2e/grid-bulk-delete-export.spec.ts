import { readFile } from "node:fs/promises";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { createPublished, createRecords, findRecords, uniqueName } from "./support/own-data";

/**
 * The generated grid's bulk delete (select rows, confirm, the rows and the count go) and its
 * CSV export (the file holds the rows the grid shows, in its order, with the values its columns
 * show), on an object and app of the test's own.
 */

type Own = { object: string; app: string; ids: Map<string, string> };

const ITEMS = [
  { title: "Blue box", size: 4, colour: "blue" },
  { title: "Black bag", size: 9, colour: "black" },
  { title: "Red cup", size: 1, colour: "red" },
  { title: "Blue bottle", size: 6, colour: "blue" },
  { title: "Red rug", size: 12, colour: "red" },
  { title: "Black belt", size: 2, colour: "black" },
];

async function ownItems(page: Page, testInfo: TestInfo): Promise<Own> {
  const object = uniqueName(testInfo, "gb_item");
  const app = uniqueName(testInfo, "gb_app");
  await createPublished(page, "object", {
    name: object,
    label: "Item",
    pluralLabel: "Items",
    nameField: "title",
    fields: [
      { id: "title", name: "title", label: "Title", type: "text", required: true },
      { id: "size", name: "size", label: "Size", type: "number" },
      { id: "colour", name: "colour", label: "Colour", type: "select", options: ["blue", "black", "red"].map((value) => ({ value, label: value[0]!.toUpperCase() + value.slice(1) })) },
    ],
  });
  // The grid shows title and size, largest first; delete and export are the default bulk actions.
  await createPublished(page, "view", {
    name: `${object}_list`, label: "All items", object, type: "grid", isDefault: true,
    columns: [{ field: "title" }, { field: "size" }], sort: [{ field: "size", direction: "desc" }],
  });
  const ids = await createRecords(page, object, ITEMS);
  await createPublished(page, "app", { name: app, label: "Inventory", navigation: [{ type: "object", object }] });
  return { object, app, ids: new Map(ITEMS.map((item, index) => [item.title, ids[index]!])) };
}

async function openGrid(page: Page, own: Own, total: number) {
  await page.goto(`/apps/${own.app}/${own.object}`);
  await expect(page.getByTestId("grid-total")).toHaveText(`${total} ${total === 1 ? "record" : "records"}`);
  await expect(page.locator('[data-testid="record-grid"][data-hydrated]')).toBeVisible();
}

/** What the grid shows: one [title, size] per row, top to bottom. */
async function visibleRows(page: Page) {
  return page.getByTestId("record-row").evaluateAll((rows) =>
    rows.map((row) => [row.querySelector('td[data-field="title"]')!.textContent!.trim(), row.querySelector('td[data-field="size"]')!.textContent!.trim()]),
  );
}

/** Parses the export (RFC 4180 CSV, no quoted newlines in this data) into header + rows. */
function parseCsv(text: string) {
  const lines = text.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
  const split = (line: string) => (line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []).slice(0, -1).map((cell) => cell.replace(/,$/, "").replace(/^"(.*)"$/, "$1").replace(/""/g, '"'));
  const header = split(lines[0]!);
  return { header, rows: lines.slice(1).map((line) => Object.fromEntries(split(line).map((cell, index) => [header[index]!, cell]))) };
}

test("select rows, delete them after confirming: they are gone and the count follows", async ({ page }, testInfo) => {
  await signIn(page, ADMIN, "/studio");
  const own = await ownItems(page, testInfo);
  await openGrid(page, own, 6);

  await page.getByRole("checkbox", { name: "Select Blue box" }).check();
  await page.getByRole("checkbox", { name: "Select Red rug" }).check();
  const bulk = page.getByTestId("bulk-actions");
  await expect(bulk).toContainText("2 selected");
  await bulk.getByRole("button", { name: "Delete selected" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("Delete 2 records?");
  await page.screenshot({ path: testInfo.outputPath("grid-bulk-delete-confirm.png") });

  // Cancelling keeps everything.
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await expect(page.getByTestId("grid-total")).toHaveText("6 records");
  await expect(bulk).toContainText("2 selected");

  await bulk.getByRole("button", { name: "Delete selected" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("grid-total")).toHaveText("4 records");
  await expect(page.getByTestId("record-row")).toHaveCount(4);
  await expect(page.getByTestId("record-row").filter({ hasText: "Blue box" })).toHaveCount(0);
  await expect(page.getByTestId("record-row").filter({ hasText: "Red rug" })).toHaveCount(0);
  await expect(bulk).toHaveCount(0);
  const left = (await findRecords(page, own.object)).map((record) => record.id);
  expect(left).toHaveLength(4);
  expect(left).not.toContain(own.ids.get("Blue box"));
  expect(left).not.toContain(own.ids.get("Red rug"));

  // Select all, then delete one fewer: unticking a row leaves it.
  await page.getByRole("checkbox", { name: "Select all rows" }).check();
  await expect(bulk).toContainText("4 selected");
  await page.getByRole("checkbox", { name: "Select Black belt" }).uncheck();
  await expect(bulk).toContainText("3 selected");
  await bulk.getByRole("button", { name: "Delete selected" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Delete 3 records?");
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("grid-total")).toHaveText("1 record");
  await expect(page.getByTestId("record-row")).toHaveText([/Black belt/]);
  expect((await findRecords(page, own.object)).map((record) => record.title)).toEqual(["Black belt"]);
  // The count survives a reload: it is the server's.
  await openGrid(page, own, 1);
});

test("Export CSV downloads the rows the grid shows, in its order, with its columns' values", async ({ page }, testInfo) => {
  await signIn(page, ADMIN, "/studio");
  const own = await ownItems(page, testInfo);
  await openGrid(page, own, 6);

  // Narrow the grid with a search: the blue and black things, largest first.
  const search = page.getByRole("searchbox", { name: "Search" });
  await search.fill("bl");
  await search.press("Enter");
  await expect(page.getByTestId("grid-total")).toHaveText("4 records");
  const shown = await visibleRows(page);
  expect(shown).toEqual([["Black bag", "9"], ["Blue bottle", "6"], ["Blue box", "4"], ["Black belt", "2"]]);

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${own.object}-${new Date().toISOString().slice(0, 10)}.csv`);
  const csv = parseCsv(await readFile((await file.path())!, "utf8"));
  // The grid's columns are in the file (with the record id and the object's other readable fields).
  expect(csv.header).toEqual(expect.arrayContaining(["id", "title", "size"]));
  expect(csv.rows.map((row) => [row.title, row.size])).toEqual(shown);
  expect(csv.rows.map((row) => row.id)).toEqual(shown.map(([title]) => own.ids.get(title!)));

  // Export selected: only the ticked rows.
  await page.getByRole("checkbox", { name: "Select Blue bottle" }).check();
  await page.getByRole("checkbox", { name: "Select Black belt" }).check();
  const selectedDownload = page.waitForEvent("download");
  await page.getByTestId("bulk-actions").getByRole("button", { name: "Export selected" }).click();
  const selected = parseCsv(await readFile((await (await selectedDownload).path())!, "utf8"));
  expect(selected.rows.map((row) => [row.title, row.size])).toEqual([["Blue bottle", "6"], ["Black belt", "2"]]);
  await page.screenshot({ path: testInfo.outputPath("grid-export.png") });
});
