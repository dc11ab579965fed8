import { expect, test, type Locator } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { createPublished, uniqueName } from "./support/own-data";

/**
 * A checkbox or switch in a row of a two-column form lines up with the input box beside it (a
 * text input's middle, a textarea's first line), not with the row's foot: beside a textarea it
 * used to sit at the textarea's bottom, far from its neighbour's label and box.
 */

const SHOTS = process.env.E2E_SCREENSHOTS ?? "test-results";

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error("not visible");
  return found;
}

test("a checkbox beside a textarea and a switch beside a text input line up with their boxes", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, ADMIN, "/studio");
  const object = uniqueName(testInfo, "fa_trip");
  const app = uniqueName(testInfo, "fa_app");
  await createPublished(page, "object", {
    name: object,
    label: "Trip",
    pluralLabel: "Trips",
    nameField: "title",
    fields: [
      { id: "title", name: "title", label: "Title", type: "text", required: true },
      { id: "notes", name: "notes", label: "Notes", type: "textarea" },
      { id: "booked", name: "booked", label: "Booked", type: "boolean" },
      { id: "paid", name: "paid", label: "Paid", type: "boolean" },
    ],
  });
  await createPublished(page, "form", {
    name: `${object}_form`,
    label: "Trip form",
    object,
    isDefault: true,
    tabs: [{
      id: "tab_main",
      label: "Main",
      sections: [{
        id: "sec_main",
        type: "fields",
        label: "Trip",
        columns: 2,
        items: [
          { id: "i_notes", type: "field", field: "notes" },
          { id: "i_booked", type: "field", field: "booked" },
          { id: "i_title", type: "field", field: "title" },
          { id: "i_paid", type: "field", field: "paid", widget: "toggle" },
        ],
      }],
    }],
  });
  await createPublished(page, "app", { name: app, label: "Travel", navigation: [{ type: "object", object }] });

  await page.goto(`/apps/${app}/${object}/new`);
  const notes = await box(page.getByLabel("Notes"));
  const booked = await box(page.getByRole("checkbox", { name: "Booked" }));
  const title = await box(page.getByLabel("Title"));
  const paid = await box(page.getByRole("switch", { name: "Paid" }));
  await page.screenshot({ path: `${SHOTS}/form-checkbox-alignment.png` });

  const middle = (rect: { y: number; height: number }) => rect.y + rect.height / 2;
  // The textarea is much taller than one line: the checkbox is level with its first line.
  expect(notes.height).toBeGreaterThan(60);
  expect(Math.abs(middle(booked) - (notes.y + 18))).toBeLessThan(8);
  // The switch is level with the middle of the text input beside it.
  expect(Math.abs(middle(paid) - middle(title))).toBeLessThan(6);
});
