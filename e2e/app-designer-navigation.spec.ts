import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { createPublished, dragTo, publishedBody, publishInDesigner, trpcOk, uniqueName } from "./support/own-data";

/**
 * Navigation editing in the app designer: the admin adds an object and a link, renames a tab,
 * reorders by dragging, removes an item and publishes; the generated app's navigation follows,
 * in the new order, and its home opens the first object.
 */

/** The generated app's navigation entries, top to bottom. */
function navLabels(page: Page) {
  return page.getByRole("navigation", { name: /navigation$/ }).getByRole("listitem").allInnerTexts();
}

/** The designer's navigation rows, top to bottom, by the name on their drag handle. */
async function designerOrder(page: Page) {
  const handles = page.getByRole("list", { name: "Navigation items" }).getByRole("button", { name: /^Drag to reorder / });
  return (await handles.evaluateAll((buttons) => buttons.map((button) => button.getAttribute("aria-label")!))).map((label) => label.replace("Drag to reorder ", ""));
}

test("the admin adds, renames, reorders and removes navigation items; the published app follows", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const suffix = uniqueName(testInfo, "n");
  const boxes = `box_${suffix}`;
  const shelves = `shelf_${suffix}`;
  const labels = `label_${suffix}`;
  const app = `nav_${suffix}`;
  await signIn(page, ADMIN, "/studio");
  for (const [name, label, pluralLabel] of [[boxes, "Box", "Boxes"], [shelves, "Shelf", "Shelves"], [labels, "Tag", "Tags"]] as const) {
    await createPublished(page, "object", { name, label, pluralLabel, fields: [{ id: "title", name: "title", label: "Title", type: "text" }] });
  }
  await createPublished(page, "app", { name: app, label: "Storeroom", navigation: [{ type: "object", object: boxes }, { type: "object", object: labels }] });

  await page.goto(`/studio/apps/${app}`);
  await expect(page.getByRole("heading", { level: 1, name: "Storeroom" })).toBeVisible();
  expect(await designerOrder(page)).toEqual(["Box", "Tag"]);

  // Add an object and a link.
  await page.getByLabel("Object to add").selectOption(shelves);
  await page.getByRole("button", { name: "Add to navigation" }).click();
  await page.getByLabel("Link label").fill("Handbook");
  await page.getByLabel("Link URL").fill("/help/storeroom");
  await page.getByRole("button", { name: "Add link" }).click();
  await expect.poll(() => designerOrder(page)).toEqual(["Box", "Tag", "Shelf", "Handbook"]);
  // An object already in the navigation is not offered again.
  await expect(page.getByLabel("Object to add").locator(`option[value="${shelves}"]`)).toHaveCount(0);

  // Rename a tab: the shelves show as "Racks".
  await page.getByLabel("Tab label 3").fill("Racks");

  // Reorder by dragging: Racks to the top, then the link above the tags.
  await dragTo(page, page.getByRole("button", { name: "Drag to reorder Racks" }), page.getByRole("button", { name: "Drag to reorder Box" }), -6);
  await expect.poll(() => designerOrder(page)).toEqual(["Racks", "Box", "Tag", "Handbook"]);
  await dragTo(page, page.getByRole("button", { name: "Drag to reorder Handbook" }), page.getByRole("button", { name: "Drag to reorder Tag" }), -6);
  await expect.poll(() => designerOrder(page)).toEqual(["Racks", "Box", "Handbook", "Tag"]);

  // Remove the boxes.
  await page.getByRole("button", { name: "Remove Box from navigation" }).click();
  await expect.poll(() => designerOrder(page)).toEqual(["Racks", "Handbook", "Tag"]);
  // …and it is offered again to add.
  await expect(page.getByLabel("Object to add").locator(`option[value="${boxes}"]`)).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("app-designer-navigation.png"), fullPage: true });

  await publishInDesigner(page);
  const published = await publishedBody<{ navigation: unknown[] }>(page, "app", app);
  expect(published.navigation).toEqual([
    { type: "object", object: shelves, label: "Racks" },
    { type: "url", label: "Handbook", url: "/help/storeroom" },
    { type: "object", object: labels },
  ]);

  // The generated app: its home opens the first object, the navigation is in the new order.
  await page.goto(`/apps/${app}`);
  await expect(page).toHaveURL((url) => url.pathname === `/apps/${app}/${shelves}`);
  await expect.poll(() => navLabels(page)).toEqual(["Racks", "Handbook", "Tags"]);
  const nav = page.getByRole("navigation", { name: /navigation$/ });
  await expect(nav.getByRole("link", { name: "Racks" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Handbook" })).toHaveAttribute("href", "/help/storeroom");
  await expect(nav.getByRole("link", { name: "Boxes" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Tags" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/apps/${app}/${labels}`);
  await expect(nav.getByRole("link", { name: "Tags" })).toHaveAttribute("aria-current", "page");
  await page.screenshot({ path: testInfo.outputPath("app-navigation-generated.png") });

  // The app designer's draft is clean after the publish.
  const detail = await trpcOk<{ draft: unknown }>(page, "metadata.get", { kind: "app", name: app }, "query");
  expect(detail.draft).toBeNull();
});
