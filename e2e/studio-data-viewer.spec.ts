import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { createPublished, createRecords, findRecords, trpcOk, uniqueName } from "./support/own-data";

/**
 * The studio's data viewer (/studio/objects/<name>/data): the admin reaches it from the object
 * designer, browses and searches the published object's records, creates one and edits one in
 * its dialog; the API then holds what the screen showed. An object never published has no table:
 * the page says so instead of a grid.
 */

test("the admin browses, searches, creates and edits an object's records in the studio's data viewer", async ({ page }, testInfo) => {
  const name = uniqueName(testInfo, "dv_crate");
  await signIn(page, ADMIN, "/studio");
  await createPublished(page, "object", {
    name,
    label: "Crate",
    pluralLabel: "Crates",
    nameField: "title",
    fields: [
      { id: "title", name: "title", label: "Title", type: "text", required: true },
      { id: "quantity", name: "quantity", label: "Quantity", type: "number" },
      { id: "state", name: "state", label: "State", type: "select", options: [{ value: "packed", label: "Packed" }, { value: "shipped", label: "Shipped" }] },
    ],
  });
  await createRecords(page, name, [
    { title: "Apples", quantity: 12, state: "packed" },
    { title: "Bananas", quantity: 30, state: "shipped" },
    { title: "Cherries", quantity: 7, state: "packed" },
  ]);

  // From the object designer's header to its data.
  await page.goto(`/studio/objects/${name}`);
  await expect(page.getByRole("heading", { level: 1, name: "Crate" })).toBeVisible();
  await page.getByRole("link", { name: "View data" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/studio/objects/${name}/data`);
  await expect(page.getByRole("heading", { level: 1, name: "Crates data" })).toBeVisible();
  await expect(page.getByText(`Published records of ${name}.`)).toBeVisible();

  const rows = page.getByTestId("record-row");
  await expect(page.getByTestId("grid-total")).toHaveText("3 records");
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: "Bananas" })).toContainText("30");
  await expect(rows.filter({ hasText: "Bananas" })).toContainText("Shipped");
  await page.screenshot({ path: testInfo.outputPath("studio-data-viewer.png"), fullPage: true });

  // Search narrows the grid to the matching record.
  const search = page.getByRole("searchbox", { name: "Search" });
  await search.fill("cherr");
  await search.press("Enter");
  await expect(page.getByTestId("grid-total")).toHaveText("1 record");
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("Cherries");
  await search.fill("");
  await search.press("Enter");
  await expect(page.getByTestId("grid-total")).toHaveText("3 records");

  // New record, in a dialog over the grid.
  await page.getByRole("link", { name: "New record" }).click();
  const createDialog = page.getByRole("dialog", { name: "New Crate" });
  await expect(createDialog).toBeVisible();
  await createDialog.getByLabel("Title").fill("Dates");
  await createDialog.getByLabel("Quantity").fill("44");
  await createDialog.getByLabel("State").selectOption({ label: "Shipped" });
  await createDialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page).not.toHaveURL(/record=/);
  await expect(page.getByTestId("grid-total")).toHaveText("4 records");
  await expect(rows.filter({ hasText: "Dates" })).toContainText("44");
  const created = (await findRecords(page, name, { field: "title", operator: "=", value: "Dates" }))[0];
  expect(created).toMatchObject({ title: "Dates", quantity: 44, state: "shipped" });

  // Open a record from its link: the edit dialog, with the URL naming the record.
  await rows.filter({ hasText: "Apples" }).getByRole("link", { name: "Apples" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit Crate" });
  await expect(editDialog.getByLabel("Title")).toHaveValue("Apples");
  await expect(page).toHaveURL(/[?&]record=/);
  await editDialog.getByLabel("Quantity").fill("13");
  await editDialog.getByLabel("State").selectOption({ label: "Shipped" });
  await page.screenshot({ path: testInfo.outputPath("studio-data-viewer-edit.png"), fullPage: true });
  await editDialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const apples = rows.filter({ hasText: "Apples" });
  await expect(apples).toContainText("13");
  await expect(apples).toContainText("Shipped");
  await expect(page.getByTestId("grid-total")).toHaveText("4 records");
  const edited = (await findRecords(page, name, { field: "title", operator: "=", value: "Apples" }))[0];
  expect(edited).toMatchObject({ quantity: 13, state: "shipped" });

  // Cancel leaves the record as it was.
  await apples.getByRole("link", { name: "Apples" }).click();
  await page.getByRole("dialog", { name: "Edit Crate" }).getByLabel("Quantity").fill("999");
  await page.getByRole("dialog", { name: "Edit Crate" }).getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(apples).toContainText("13");
  expect((await findRecords(page, name, { field: "title", operator: "=", value: "Apples" }))[0]).toMatchObject({ quantity: 13 });
});

test("an object that was never published has no data to show yet", async ({ page }, testInfo) => {
  const name = uniqueName(testInfo, "dv_draft");
  await signIn(page, ADMIN, "/studio");
  await trpcOk(page, "metadata.create", { kind: "object", body: { name, label: "Draft thing", pluralLabel: "Draft things", fields: [{ id: "title", name: "title", label: "Title", type: "text" }] } }, "mutation");
  await page.goto(`/studio/objects/${name}`);
  await expect(page.getByRole("heading", { level: 1, name: "Draft thing" })).toBeVisible();
  // No table yet, so the designer offers no data link…
  await expect(page.getByRole("link", { name: "View data" })).toHaveCount(0);
  // …and the page itself explains why.
  await page.goto(`/studio/objects/${name}/data`);
  await expect(page.getByText("No data to show")).toBeVisible();
  await expect(page.getByText("Publish the object to create its table.")).toBeVisible();
  await expect(page.getByTestId("record-grid")).toHaveCount(0);
  await page.getByRole("link", { name: "Back to the object designer" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/studio/objects/${name}`);
});
