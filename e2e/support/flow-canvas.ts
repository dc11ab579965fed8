import { expect, type Locator, type Page } from "@playwright/test";

/** Centre of a locator's box. */
export async function centre(locator: Locator) {
  const box = await locator.boundingBox();
  expect(box, "visible").not.toBeNull();
  return { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 };
}

/** Drags from one node's way out to another node's entry, with the mouse, as a person connects them. */
export async function connect(page: Page, from: Locator, to: Locator) {
  const start = await centre(from);
  const end = await centre(to);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 5, start.y + 10, { steps: 3 });
  await page.mouse.move(end.x, end.y, { steps: 15 });
  await page.mouse.up();
}

/**
 * From the Flows page: a new record-triggered flow through the "New flow" dialog (after save on
 * create unless told); returns its start node once the designer is open.
 */
export async function newRecordFlow(page: Page, flow: { label: string; name: string; object: string; when?: "before_save" | "after_save"; on?: string }) {
  await page.getByRole("button", { name: "New flow" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Label").fill(flow.label);
  await dialog.getByLabel("API name").fill(flow.name);
  await dialog.getByLabel("Object").selectOption(flow.object);
  await dialog.getByLabel("When").selectOption(flow.when ?? "after_save");
  await dialog.getByLabel("On").selectOption(flow.on ?? "create");
  await dialog.getByRole("button", { name: "Create flow" }).click();
  await expect(page).toHaveURL(new RegExp(`/studio/flows/${flow.name}$`));
  return page.getByRole("group", { name: `Start: ${flow.label}` });
}

/** Drags an element type from the palette onto the canvas, `dy` pixels below the start node's centre. */
export async function dropBelowStart(page: Page, start: Locator, type: string, dy: number) {
  const canvas = page.getByTestId("flow-canvas");
  const startBox = (await start.boundingBox())!;
  const canvasBox = (await canvas.boundingBox())!;
  await page.getByTestId(`palette-${type}`).dragTo(canvas, { targetPosition: { x: startBox.x - canvasBox.x + startBox.width / 2, y: startBox.y - canvasBox.y + dy } });
}
