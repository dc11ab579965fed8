import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn, trpcCall } from "./helpers";

test("an admin attaches a SQLite data source, imports two tables and reads their rows", async ({ page }) => {
  const file = join(mkdtempSync(join(tmpdir(), "objectstudio-e2e-ds-")), "warehouse.db");
  const setup = new Database(file);
  setup.exec(`
    create table supplier (id integer primary key, supplier_name varchar(80) not null);
    create table part (id integer primary key, part_name varchar(80) not null, supplier_id integer references supplier(id));
    insert into supplier values (1, 'Bolt Co'), (2, 'Nuts Ltd');
    insert into part values (10, 'M8 bolt', 1), (11, 'M8 nut', 2);
  `);
  setup.close();

  await signIn(page, ADMIN, "/studio");
  await page.getByRole("link", { name: "Data sources" }).click();
  await expect(page).toHaveURL(/\/studio\/datasources$/);
  await page.screenshot({ path: "test-results/studio-datasources.png", fullPage: true });
  await page.getByRole("button", { name: "New data source" }).click();
  await page.getByLabel("Label").fill("Warehouse");
  await page.getByLabel("Driver").selectOption("sqlite");
  await page.getByLabel("URL").fill(`file:${file}`);
  await page.getByRole("button", { name: "Create data source" }).click();
  await expect(page).toHaveURL(/\/studio\/datasources\/warehouse$/);

  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Published v1")).toBeVisible();
  await page.getByRole("button", { name: "Introspect" }).click();
  await page.getByLabel("Import supplier").check();
  await page.getByLabel("Import part").check();
  // The admin names the object the table becomes (the suggestion is the table's name).
  await expect(page.getByLabel("Object API name for part")).toHaveValue("part");
  await page.getByLabel("Object API name for part").fill("component");
  await page.getByLabel("Object label for part").fill("Component");
  await page.screenshot({ path: "/tmp/ds-import-rename.png", fullPage: true });
  await page.getByRole("button", { name: "Import selected tables" }).click();
  await expect(page.getByText(/Imported (component, supplier|supplier, component)/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Imported as component" })).toBeVisible();
  await page.screenshot({ path: "test-results/studio-datasource.png", fullPage: true });

  const found = await trpcCall(page, "data.find", { object: "component", orderBy: [{ field: "part_name", direction: "desc" }] }, "query");
  expect(found.status).toBe(200);
  const records = (found.json as { result: { data: { json: { records: { part_name: string; supplier_id: { name: string } }[] } } } }).result.data.json.records;
  expect(records.map((record) => [record.part_name, record.supplier_id.name])).toEqual([["M8 nut", "Nuts Ltd"], ["M8 bolt", "Bolt Co"]]);
  const write = await trpcCall(page, "data.create", { object: "component", values: { part_name: "Washer" } }, "mutation");
  expect(write.status).toBe(403);
});

/** A SQLite file with a `depot_item` table holding the given item names. */
function depotDatabase(dir: string, file: string, items: string[]): string {
  const path = join(dir, file);
  const setup = new Database(path);
  setup.exec("create table depot_item (id integer primary key, item_name varchar(80) not null)");
  const insert = setup.prepare("insert into depot_item (item_name) values (?)");
  for (const item of items) insert.run(item);
  setup.close();
  return `file:${path}`;
}

async function count(page: Page, object: string): Promise<number> {
  const response = await trpcCall(page, "data.count", { object }, "query");
  expect(response.status).toBe(200);
  return (response.json as { result: { data: { json: number } } }).result.data.json;
}

test("an admin edits a data source's settings, then deletes it together with its objects", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "objectstudio-e2e-depot-"));
  const oldUrl = depotDatabase(dir, "old.db", ["Crate", "Pallet"]);
  const newUrl = depotDatabase(dir, "new.db", ["Crate", "Pallet", "Drum"]);
  await signIn(page, ADMIN, "/studio/datasources");
  // Attached and imported beforehand (the first test does this through the pages).
  expect((await trpcCall(page, "metadata.create", { kind: "datasource", body: { name: "depot", label: "Depot", driver: "sqlite", url: oldUrl } }, "mutation")).status).toBe(200);
  expect((await trpcCall(page, "metadata.publish", { kind: "datasource", name: "depot" }, "mutation")).status).toBe(200);
  expect((await trpcCall(page, "datasources.importObjects", { datasource: "depot", tables: ["depot_item"] }, "mutation")).status).toBe(200);
  expect(await count(page, "depot_item")).toBe(2);

  await page.goto("/studio/datasources");
  const main = page.getByRole("main");
  await main.getByRole("link", { name: "Depot" }).click();
  await expect(page).toHaveURL(/\/studio\/datasources\/depot$/);
  await expect(main.getByRole("link", { name: "Depot item" })).toBeVisible();

  // Edit: a new label and another database. Saved as a draft; the published one keeps serving.
  await page.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: "Edit data source" });
  await expect(edit.getByLabel("URL")).toHaveValue(oldUrl);
  await edit.getByLabel("Label").fill("");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByText("is required")).toBeVisible();
  await edit.getByLabel("Label").fill("Depot (new)");
  await expect(edit.getByText("is required")).toBeHidden();
  await edit.getByLabel("URL").fill(newUrl);
  await page.screenshot({ path: "/tmp/ds-edit-dialog.png", fullPage: true });
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole("heading", { name: "Depot (new)" })).toBeVisible();
  await expect(page.getByText(/These settings are a draft/)).toBeVisible();
  await expect(page.getByText(newUrl)).toBeVisible();
  await page.screenshot({ path: "/tmp/ds-edit-draft.png", fullPage: true });
  expect(await count(page, "depot_item")).toBe(2);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Published v2")).toBeVisible();
  await expect(page.getByText(/These settings are a draft/)).toBeHidden();
  expect(await count(page, "depot_item")).toBe(3);

  // An unreachable database is refused at publish; the published settings stay and keep serving.
  await page.getByRole("button", { name: "Edit" }).click();
  await edit.getByLabel("URL").fill(`file:${join(dir, "missing.db")}`);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText(/Cannot publish data source 'depot': cannot connect/)).toBeVisible();
  await page.screenshot({ path: "/tmp/ds-edit-refused.png", fullPage: true });
  expect(await count(page, "depot_item")).toBe(3);
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByText(newUrl)).toBeVisible();
  await expect(page.getByText(/Cannot publish data source/)).toBeHidden();
  await expect(page.getByRole("button", { name: "Publish" })).toBeHidden();

  // Delete: the dialog names the imported object and asks to delete it too.
  await page.getByRole("button", { name: "Delete" }).click();
  const remove = page.getByRole("dialog", { name: "Delete data source Depot (new)?" });
  await expect(remove.getByText("Depot item (depot_item)")).toBeVisible();
  await expect(remove.getByRole("button", { name: "Delete data source" })).toBeDisabled();
  await page.screenshot({ path: "/tmp/ds-delete-dialog.png", fullPage: true });
  await remove.getByLabel(/Also delete this object/).check();
  await remove.getByRole("button", { name: "Delete data source" }).click();
  await expect(page).toHaveURL(/\/studio\/datasources$/);
  // The list has loaded (other data sources, or none) before checking what it lacks.
  await expect(main.getByRole("table", { name: "Data sources" }).or(main.getByText("No data sources yet"))).toBeVisible();
  await expect(page.getByRole("link", { name: /Depot/ })).toHaveCount(0); // neither in the list nor in the studio's navigation
  await page.screenshot({ path: "/tmp/ds-after-delete.png", fullPage: true });
  expect((await trpcCall(page, "data.describe", { object: "depot_item" }, "query")).status).toBe(404);
  expect((await trpcCall(page, "metadata.get", { kind: "datasource", name: "depot" }, "query")).status).toBe(404);
});
