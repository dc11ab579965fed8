import { expect, type Page, type TestInfo } from "@playwright/test";
import { trpcCall } from "../helpers";

/**
 * Each spec that uses these works on objects, apps and views of its own, named with a suffix
 * unique to the worker and the moment (`uniqueName`), so specs pass in any order, in parallel,
 * and never count the demo's shared records.
 */

/** A metadata name (lowercase, digits, underscores) no other run or worker uses: `prefix_w0_lx3k9a`. */
export function uniqueName(testInfo: TestInfo, prefix: string) {
  return `${prefix}_w${testInfo.workerIndex}_${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** A tRPC call that must succeed; returns its result's JSON. */
export async function trpcOk<T = unknown>(page: Page, path: string, input: unknown, kind: "query" | "mutation"): Promise<T> {
  const answer = await trpcCall(page, path, input, kind);
  expect(answer.status, `${path}: ${JSON.stringify(answer.json)}`).toBe(200);
  return answer.json.result.data.json as T;
}

/** Creates a metadata document (object, app, view) and publishes it, as the admin `page` signed in. */
export async function createPublished(page: Page, kind: "object" | "app" | "view" | "form", body: { name: string } & Record<string, unknown>) {
  await trpcOk(page, "metadata.create", { kind, body }, "mutation");
  await trpcOk(page, "metadata.publish", { kind, name: body.name }, "mutation");
}

/** The document the designer works on: the draft if there is one, else the published version. */
export async function currentBody<T = Record<string, unknown>>(page: Page, kind: "object" | "app" | "view", name: string): Promise<T> {
  const detail = await trpcOk<{ draft: T | null; published: T | null }>(page, "metadata.get", { kind, name }, "query");
  return (detail.draft ?? detail.published)!;
}

/** The published version of a document. */
export async function publishedBody<T = Record<string, unknown>>(page: Page, kind: "object" | "app" | "view", name: string): Promise<T> {
  const detail = await trpcOk<{ published: T | null }>(page, "metadata.get", { kind, name }, "query");
  expect(detail.published, `${kind} ${name} is published`).not.toBeNull();
  return detail.published!;
}

/** Creates records in one `data.createMany` call; returns their ids in order. */
export async function createRecords(page: Page, object: string, records: Record<string, unknown>[]) {
  const result = await trpcOk<{ ids: string[] }>(page, "data.createMany", { object, records }, "mutation");
  return result.ids;
}

/** Every record of `object` the page's user may read (up to 1000), as the API returns them. */
export async function findRecords(page: Page, object: string, filter?: unknown) {
  const result = await trpcOk<{ records: Record<string, unknown>[] }>(page, "data.find", { object, limit: 1000, ...(filter ? { filter } : {}) }, "query");
  return result.records;
}

/** Publishes the document open in a studio designer through its Publish button and dialog. */
export async function publishInDesigner(page: Page) {
  const dialog = page.getByRole("dialog");
  // Clicked again if its dialog did not open: under CI's load one click once opened nothing (the
  // page showed the draft saved and the button enabled; cause not found) and the test timed out.
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.getByRole("button", { name: "Publish", exact: true }).first().click({ timeout: 5000 });
    await expect(dialog).toBeVisible({ timeout: 5000 });
  }).toPass({ timeout: 60_000 });
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText(/Published version \d+\./)).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
}

type Boxed = { boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null> };

/** A box that reads the same two frames apart: sortable rows slide into place with a CSS
 * transition after a drop, and a box read mid-slide sends the next drag to the wrong row. */
async function settledBox(page: Page, element: Boxed) {
  let previous = await element.boundingBox();
  for (let attempt = 0; attempt < 100; attempt++) {
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const current = await element.boundingBox();
    if (previous && current && previous.x === current.x && previous.y === current.y && previous.height === current.height) return current;
    previous = current;
  }
  throw new Error("drag source or target did not stop moving (or is not visible)");
}

/**
 * A real pointer drag for dnd-kit lists: press on `from`'s centre, move past the activation
 * distance, glide onto `to` (plus `offsetY`), release once the pointer is there.
 */
export async function dragTo(page: Page, from: Boxed, to: Boxed, offsetY = 0) {
  const start = await settledBox(page, from);
  const end = await settledBox(page, to);
  const x = start.x + start.width / 2;
  await page.mouse.move(x, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, start.y + start.height / 2 + (end.y > start.y ? 8 : -8), { steps: 4 });
  await page.mouse.move(x, end.y + end.height / 2 + offsetY, { steps: 20 });
  await page.mouse.up();
}
