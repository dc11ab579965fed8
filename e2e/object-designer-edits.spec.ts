import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { createPublished, createRecords, dragTo, findRecords, publishedBody, publishInDesigner, uniqueName } from "./support/own-data";

/**
 * The object designer's edits beyond adding fields, each published and then seen at work: fields
 * reordered by dragging and removed (the publish asks before dropping the column), a default
 * value, unique and min/max on fields, an index made unique, and a validation rule edited,
 * switched off and removed. Records are written through the studio's data viewer, so every
 * refusal is read where the admin sees it.
 */

type Field = { name: string; label: string; unique?: boolean; min?: number; max?: number; defaultValue?: unknown };
type ObjectBody = { fields: Field[]; indexes: { fields: string[]; unique: boolean }[]; validationRules: { name: string; expression: string; message: string; active: boolean }[] };

async function openDesigner(page: Page, name: string) {
  await page.goto(`/studio/objects/${name}`);
  await expect(page.getByRole("heading", { level: 1, name: "Parcel" })).toBeVisible();
}

/** The field labels in the designer's list, top to bottom (read from each row's drag handle). */
async function fieldLabels(page: Page) {
  const handles = page.getByRole("table", { name: "Fields" }).getByRole("button", { name: /^Drag to reorder / });
  return (await handles.evaluateAll((buttons) => buttons.map((button) => button.getAttribute("aria-label")!))).map((label) => label.replace("Drag to reorder ", ""));
}

/** Creates a record in the data viewer's dialog; returns the dialog (still open when refused). */
async function createInViewer(page: Page, name: string, values: Record<string, string>) {
  await page.goto(`/studio/objects/${name}/data`);
  await page.getByRole("link", { name: "New record" }).click();
  const dialog = page.getByRole("dialog", { name: "New Parcel" });
  for (const [label, value] of Object.entries(values)) await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByRole("button", { name: "Save" }).click();
  return dialog;
}

async function expectSaved(page: Page) {
  await expect(page.getByRole("dialog")).toHaveCount(0);
}

test("fields reordered and removed, default, unique, min/max, a unique index and rule edits: published and enforced", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const name = uniqueName(testInfo, "od_parcel");
  await signIn(page, ADMIN, "/studio");
  await createPublished(page, "object", {
    name,
    label: "Parcel",
    pluralLabel: "Parcels",
    nameField: "title",
    fields: [
      { id: "title", name: "title", label: "Title", type: "text", required: true },
      { id: "code", name: "code", label: "Code", type: "text" },
      { id: "weight", name: "weight", label: "Weight", type: "number" },
      { id: "carrier", name: "carrier", label: "Carrier", type: "text" },
      { id: "legacy", name: "legacy", label: "Legacy ref", type: "text" },
    ],
    validationRules: [{ name: "light_enough", expression: "weight <= 50", message: "Too heavy for a parcel", errorField: "weight" }],
  });
  await createRecords(page, name, [{ title: "First", code: "A-1", weight: 5, carrier: "Post", legacy: "old-1" }]);

  await openDesigner(page, name);
  expect(await fieldLabels(page)).toEqual(["Title", "Code", "Weight", "Carrier", "Legacy ref"]);

  // Reorder by dragging: Carrier up above Code.
  await dragTo(page, page.getByRole("button", { name: "Drag to reorder Carrier" }), page.getByRole("button", { name: "Drag to reorder Code" }), -6);
  await expect.poll(() => fieldLabels(page)).toEqual(["Title", "Carrier", "Code", "Weight", "Legacy ref"]);

  // Remove a field: the designer offers to undo, and the publish plan asks before dropping data.
  await page.getByRole("button", { name: "Remove field Legacy ref" }).click();
  await expect(page.getByText("Removed field Legacy ref.")).toBeVisible();
  await expect.poll(() => fieldLabels(page)).toEqual(["Title", "Carrier", "Code", "Weight"]);

  // Unique code.
  await page.getByRole("button", { name: "Edit field Code" }).click();
  let dialog = page.getByRole("dialog", { name: "Edit field Code" });
  await dialog.getByLabel("Unique").check();
  await dialog.getByRole("button", { name: "Save field" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // Weight between 1 and 100 (the rule below narrows it further).
  await page.getByRole("button", { name: "Edit field Weight" }).click();
  dialog = page.getByRole("dialog", { name: "Edit field Weight" });
  await dialog.getByLabel("Minimum").fill("1");
  await dialog.getByLabel("Maximum").fill("100");
  await dialog.getByRole("button", { name: "Save field" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // A default carrier for new records.
  await page.getByRole("button", { name: "Edit field Carrier" }).click();
  dialog = page.getByRole("dialog", { name: "Edit field Carrier" });
  await dialog.getByLabel("Default value").fill("Courier");
  await dialog.getByRole("button", { name: "Save field" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // An index on carrier + weight, made unique.
  await page.getByRole("tab", { name: "Settings" }).click();
  await expect(page.getByText("No indexes.")).toBeVisible();
  await page.getByRole("button", { name: "Add index" }).click();
  await expect(page.getByText("Index 1", { exact: true })).toBeVisible();
  // The new index starts with the first field; swap it for Carrier, then add Weight.
  await page.getByLabel("Add field to index 1").selectOption({ label: "Carrier" });
  await page.getByRole("button", { name: "Remove Title from index 1" }).click();
  await page.getByLabel("Add field to index 1").selectOption({ label: "Weight" });
  await page.getByLabel("Unique (index 1)").check();
  await page.screenshot({ path: testInfo.outputPath("object-designer-index.png"), fullPage: true });

  // Edit the rule: a new condition and message.
  await page.getByRole("tab", { name: /Rules/ }).click();
  await page.getByRole("button", { name: "Edit rule light_enough" }).click();
  const ruleDialog = page.getByRole("dialog");
  await expect(ruleDialog.getByLabel("Condition")).toHaveValue("weight <= 50");
  await ruleDialog.getByLabel("Condition").fill("weight <= 20");
  await ruleDialog.getByLabel("Error message").fill("Parcels weigh at most 20");
  await ruleDialog.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("rule-row")).toContainText("weight <= 20");
  await expect(page.getByTestId("rule-row")).toContainText("Parcels weigh at most 20");
  await page.screenshot({ path: testInfo.outputPath("object-designer-rules.png"), fullPage: true });

  // Publishing drops the removed column: the plan says so and the button asks for it.
  await page.getByRole("button", { name: "Publish", exact: true }).first().click();
  const publishDialog = page.getByRole("dialog");
  await expect(publishDialog.getByRole("list", { name: "Planned changes" })).toContainText(/legacy/i);
  await expect(publishDialog.getByText("Some changes delete data that cannot be recovered.")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("object-designer-publish-plan.png"), fullPage: true });
  await publishDialog.getByRole("button", { name: "Publish and delete data" }).click();
  await expect(page.getByText(/Published version 2\./)).toBeVisible();

  const published = await publishedBody<ObjectBody>(page, "object", name);
  expect(published.fields.map((field) => field.name)).toEqual(["title", "carrier", "code", "weight"]);
  expect(published.fields.find((field) => field.name === "code")).toMatchObject({ unique: true });
  expect(published.fields.find((field) => field.name === "weight")).toMatchObject({ min: 1, max: 100 });
  expect(published.fields.find((field) => field.name === "carrier")).toMatchObject({ defaultValue: "Courier" });
  expect(published.indexes).toEqual([expect.objectContaining({ fields: ["carrier", "weight"], unique: true })]);
  expect(published.validationRules).toEqual([expect.objectContaining({ name: "light_enough", expression: "weight <= 20", message: "Parcels weigh at most 20", active: true })]);

  // The form follows the new field order, and the removed field is gone with its data.
  await page.goto(`/studio/objects/${name}/data`);
  await page.getByRole("link", { name: "New record" }).click();
  await expect(page.getByRole("dialog", { name: "New Parcel" }).getByLabel("Weight")).toBeVisible();
  const formLabels = await page.getByRole("dialog", { name: "New Parcel" }).locator("label").allInnerTexts();
  const order = ["Title", "Carrier", "Code", "Weight"].map((label) => formLabels.findIndex((text) => text.startsWith(label)));
  expect(order, JSON.stringify(formLabels)).not.toContain(-1);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(formLabels.some((text) => text.startsWith("Legacy"))).toBe(false);
  // The default is filled in on the new record's form.
  await expect(page.getByRole("dialog", { name: "New Parcel" }).getByLabel("Carrier")).toHaveValue("Courier");
  expect((await findRecords(page, name))[0]).not.toHaveProperty("legacy");

  // The edited rule: 30 passed the old rule (<= 50) but not the new one; its message shows.
  let form = await createInViewer(page, name, { Title: "Heavy", Code: "B-1", Weight: "30" });
  await expect(form.getByText("Parcels weigh at most 20")).toBeVisible();
  // Min/max: below the minimum.
  await form.getByLabel("Weight").fill("0");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("must be at least 1")).toBeVisible();
  // Within both: saved, with the default carrier.
  await form.getByLabel("Weight").fill("12");
  await form.getByRole("button", { name: "Save" }).click();
  await expectSaved(page);
  expect((await findRecords(page, name, { field: "code", operator: "=", value: "B-1" }))[0]).toMatchObject({ weight: 12, carrier: "Courier" });

  // Unique code: a second B-1 is refused.
  form = await createInViewer(page, name, { Title: "Twin", Code: "B-1", Weight: "3" });
  await expect(form.getByText("must be unique", { exact: true })).toBeVisible();
  // The unique index on carrier + weight: Courier/12 exists already.
  await form.getByLabel("Code").fill("B-2");
  await form.getByLabel("Weight").fill("12");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("must be unique together with 'weight'")).toBeVisible();
  await form.getByLabel("Weight").fill("13");
  await form.getByRole("button", { name: "Save" }).click();
  await expectSaved(page);
  expect(await findRecords(page, name)).toHaveLength(3);

  // The rule switched off, published: 30 is accepted now.
  await openDesigner(page, name);
  await page.getByRole("tab", { name: /Rules/ }).click();
  await page.getByLabel("Active (light_enough)").uncheck();
  await expect(page.getByTestId("rule-row")).toContainText("Inactive");
  await publishInDesigner(page);
  form = await createInViewer(page, name, { Title: "Heavy", Code: "C-1", Weight: "30" });
  await expectSaved(page);

  // Removed altogether, published: the published object has no rules.
  await openDesigner(page, name);
  await page.getByRole("tab", { name: /Rules/ }).click();
  await page.getByRole("button", { name: "Remove rule light_enough" }).click();
  await expect(page.getByText("No validation rules.")).toBeVisible();
  await publishInDesigner(page);
  expect((await publishedBody<ObjectBody>(page, "object", name)).validationRules).toEqual([]);
});
