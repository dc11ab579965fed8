import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
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
  await page.getByRole("button", { name: "Import selected tables" }).click();
  await expect(page.getByText(/Imported (part, supplier|supplier, part)/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Imported as part" })).toBeVisible();
  await page.screenshot({ path: "test-results/studio-datasource.png", fullPage: true });

  const found = await trpcCall(page, "data.find", { object: "part", orderBy: [{ field: "part_name", direction: "desc" }] }, "query");
  expect(found.status).toBe(200);
  const records = (found.json as { result: { data: { json: { records: { part_name: string; supplier_id: { name: string } }[] } } } }).result.data.json.records;
  expect(records.map((record) => [record.part_name, record.supplier_id.name])).toEqual([["M8 nut", "Nuts Ltd"], ["M8 bolt", "Bolt Co"]]);
  const write = await trpcCall(page, "data.create", { object: "part", values: { part_name: "Washer" } }, "mutation");
  expect(write.status).toBe(403);
});
