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
