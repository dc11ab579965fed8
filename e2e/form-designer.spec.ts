import { expect, test, type Locator, type Page } from "@playwright/test";
import { ADMIN, USER, publishDemoSecurityModel, publishOpenSecurityModel, retireDefaultForm, signIn, trpcCall } from "./helpers";

/**
 * The form designer: the admin creates an opportunity form, lays it out with real mouse drags
 * (palette -> two-column section, a second tab, a drop on a tab header), makes probability
 * visible only in negotiation with the condition builder, marks amount required, checks the
 * Monaco editor's validation, undoes and redoes, moves a field with the keyboard only, looks at
 * the live preview (desktop, mobile, as another user), and publishes. The regular user then
 * gets that layout in the CRM app, with probability following the stage select. Finally the admin
 * publishes a renamed tab, compares the two versions in History and restores version 1.
 *
 * The designer autosaves the draft ~2 s after the last edit: the header's save status says where
 * the draft stands, and "Save draft" is only needed to see why a broken document is refused.
 */

test.describe.configure({ mode: "serial" });

const SHOTS = "/tmp";
// Sorts before the seeded default "opportunity_layout": of two default forms the first by name wins.
const FORM_NAME = "deal_designer";

// Specs share one database: later specs get the seeded opportunity form again.
test.afterAll(async ({ browser }) => {
  await retireDefaultForm(browser, FORM_NAME);
  await publishDemoSecurityModel(browser);
});

/** A real pointer drag: press on `from`, move in steps to `to`, release (dnd-kit's pointer sensor needs the moves). */
async function drag(page: Page, from: Locator, to: Locator, { offsetX = 0, offsetY = 0 } = {}) {
  const start = await from.boundingBox();
  if (!start) throw new Error("drag source is not visible");
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(start.x + start.width / 2 + 8, start.y + start.height / 2 + 8, { steps: 4 });
  const end = await to.boundingBox();
  if (!end) throw new Error("drop target is not visible");
  const [x, y] = [end.x + end.width / 2 + offsetX, end.y + end.height / 2 + offsetY];
  await page.mouse.move(x, y, { steps: 15 });
  // The drop place under the pointer lights up once dnd-kit has taken in the last move; the
  // live region then says what is dropped where.
  await expect.poll(() => page.evaluate(([px, py]) => document.elementsFromPoint(px!, py!).some((element) => element.closest("[data-testid=form-canvas]") && element.classList.contains("bg-brand-50")), [x, y])).toBe(true);
  await page.mouse.up();
  await expect(dndAnnouncement(page).filter({ hasText: /^Dropped / })).toHaveCount(1);
}

/** dnd-kit's live region: what a screen reader hears about the drag under way. */
const dndAnnouncement = (page: Page) => page.locator('[id^="DndLiveRegion-"]');

/** The canvas as a user sees it: tabs, then the open tab's sections and cards in order. */
async function canvasState(page: Page) {
  return page.getByTestId("form-canvas").evaluate((canvas) => {
    const tabs = [...canvas.querySelectorAll("[role=tab]")].map((tab) => `${tab.textContent}${tab.getAttribute("aria-selected") === "true" ? "*" : ""}`);
    const sections = [...canvas.querySelectorAll("section")].map((section) => ({
      label: section.getAttribute("aria-label"),
      cards: [...section.querySelectorAll("[data-testid^=canvas-item-]")].map((card) => (card as HTMLElement).innerText.replace(/\s+/g, " ").trim()),
    }));
    return { tabs, sections };
  });
}

type DraftBody = { tabs: { label: string; sections: { items: { field: string }[] }[] }[] };

/** The form's draft as the server holds it (what autosave wrote). */
async function serverDraft(page: Page): Promise<DraftBody> {
  const detail = await trpcCall(page, "metadata.get", { kind: "form", name: FORM_NAME }, "query");
  return detail.json.result.data.json.draft as DraftBody;
}

const cardsOf = (page: Page, sectionLabel: string) =>
  page.getByRole("region", { name: "Form canvas" }).getByRole("region", { name: `Section ${sectionLabel}` }).locator("[data-testid^=canvas-item-]");

test("the admin designs, checks, previews and publishes an opportunity form", async ({ browser }) => {
  test.setTimeout(240_000);
  // Every record is open to the user (the open model); the demo's comes back after the spec.
  await publishOpenSecurityModel(browser);
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
  await signIn(page, ADMIN, "/studio/forms");

  // The list groups forms by object; "New form" creates one for opportunity.
  await expect(page.getByRole("heading", { name: "Forms", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: /Opportunity/ })).toBeVisible();
  await page.getByRole("button", { name: "New form" }).click();
  const dialog = page.getByRole("dialog", { name: "New form" });
  // An object's first form is its default unless the admin clears the box (contact has no form;
  // opportunity has the demo's).
  await dialog.getByLabel("Object", { exact: true }).selectOption("contact");
  await expect(dialog.getByLabel("Default form of the object")).toBeChecked();
  await expect(dialog.getByText("(its first form)")).toBeVisible();
  await dialog.getByLabel("Object", { exact: true }).selectOption("opportunity");
  await expect(dialog.getByLabel("Default form of the object")).not.toBeChecked();
  await dialog.getByLabel("Label", { exact: true }).fill("Deal designer");
  await expect(dialog.getByLabel("API name")).toHaveValue(FORM_NAME);
  await dialog.getByLabel("Default form of the object").check();
  await dialog.getByRole("button", { name: "Create form" }).click();
  await expect(page).toHaveURL(new RegExp(`/studio/forms/${FORM_NAME}$`));
  await expect(page.getByRole("heading", { name: "Deal designer" })).toBeVisible();

  const saveStatus = page.getByTestId("save-status");
  const palette = page.getByRole("complementary", { name: "Palette" });
  const canvas = page.getByRole("region", { name: "Form canvas" });
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const detailsZone = canvas.getByRole("region", { name: "Section Details" }).locator("[data-testid^=zone-]");

  // Palette search, then two fields dragged into the two-column section.
  await palette.getByLabel("Search fields").fill("stag");
  await expect(palette.getByRole("list", { name: "Fields not on the form" }).getByRole("listitem")).toHaveCount(1);
  await palette.getByLabel("Search fields").fill("");
  await drag(page, palette.getByRole("button", { name: "Drag Opportunity name onto the form" }), detailsZone);
  await expect(cardsOf(page, "Details")).toHaveCount(1);
  await drag(page, palette.getByRole("button", { name: "Drag Stage onto the form" }), detailsZone);
  await expect(cardsOf(page, "Details")).toHaveCount(2);
  await expect(palette.getByRole("button", { name: "Drag Stage onto the form" })).toHaveCount(0);
  // Autosave: the draft on the server follows a moment after the edits, without "Save draft".
  await expect(saveStatus).toHaveText("All changes saved");
  await expect(page.getByRole("button", { name: "Save draft" })).toBeDisabled();
  expect((await serverDraft(page)).tabs[0]!.sections[0]!.items.map((item) => item.field)).toEqual(["name", "stage"]);
  // Side by side: a two-column grid.
  const [nameCard, stageCard] = [await cardsOf(page, "Details").nth(0).boundingBox(), await cardsOf(page, "Details").nth(1).boundingBox()];
  expect(Math.abs(nameCard!.y - stageCard!.y)).toBeLessThan(3);
  expect(stageCard!.x).toBeGreaterThan(nameCard!.x + nameCard!.width - 1);

  // A second tab from the palette, dropped on the tab strip; a field dropped into its section.
  await drag(page, palette.getByRole("button", { name: "Drag Tab onto the form" }), canvas.getByRole("tablist", { name: "Form tabs" }), { offsetX: 200 });
  await expect(canvas.getByRole("tab", { name: "Tab Tab 2" })).toHaveAttribute("aria-selected", "true");
  await inspector.getByLabel("Tab label").fill("Forecast");
  await expect(canvas.getByRole("tab", { name: "Tab Forecast" })).toBeVisible();
  await drag(page, palette.getByRole("button", { name: "Drag Probability onto the form" }), canvas.getByText("Drop fields here"));
  await expect(canvas.getByTestId("canvas-item-probability")).toBeVisible();
  // Dropping on a tab header puts the field in that tab.
  await canvas.getByRole("tab", { name: "Tab Details" }).click();
  await drag(page, palette.getByRole("button", { name: "Drag Amount onto the form" }), canvas.getByRole("tab", { name: "Tab Forecast" }));
  await expect(canvas.getByRole("tab", { name: "Tab Forecast" })).toHaveAttribute("aria-selected", "true");
  await expect(canvas.getByTestId("canvas-item-amount")).toBeVisible();
  await expect(canvas.locator("[data-testid^=canvas-item-]")).toHaveCount(2);

  // Amount required (inspector); probability visible only in negotiation (condition builder).
  await canvas.getByRole("button", { name: "Field Amount", exact: true }).click();
  await inspector.getByLabel("Required", { exact: true }).check();
  await expect(canvas.getByTestId("canvas-item-amount")).toContainText("Required");
  await canvas.getByRole("button", { name: "Field Probability", exact: true }).click();
  const visibleWhen = inspector.getByRole("group", { name: "Visible when", exact: true });
  // With no rule, each condition says what that means for this (optional) field.
  await expect(visibleWhen.getByText("Always visible. Add a rule to show it only when the rule holds.")).toBeVisible();
  await expect(inspector.getByRole("group", { name: "Required when", exact: true }).getByText("Never: the field is optional. Add a rule to require it only when the rule holds.")).toBeVisible();
  await visibleWhen.getByRole("button", { name: "Add rule" }).click();
  await visibleWhen.getByLabel("Visible when rule 1 field").selectOption("stage");
  await visibleWhen.getByLabel("Visible when rule 1 value").selectOption("negotiation");
  await expect(visibleWhen.getByTestId(/visibleWhen-expression$/)).toHaveText('stage = "negotiation"');
  await expect(visibleWhen.getByText("Valid condition")).toBeVisible();
  await expect(canvas.getByTestId("canvas-item-probability")).toContainText("Conditional");
  await page.screenshot({ path: `${SHOTS}/formdz-designer.png` });

  // The code editor (Monaco, bundled): a broken expression shows its error, and saving is refused
  // with the problem on the field's card.
  await visibleWhen.getByRole("button", { name: "Code" }).click();
  const editor = visibleWhen.getByTestId("condition-code-editor");
  // Monaco is a chunk of several MB; on a loaded CI machine its parse alone can pass 10 s.
  await expect(editor.locator(".monaco-editor")).toBeVisible({ timeout: 30_000 });
  await editor.locator(".view-lines").click();
  await page.keyboard.press("End");
  await page.keyboard.type(" AND bogus = 1");
  await expect(visibleWhen.getByRole("alert")).toContainText("This condition does not compile: Unknown field 'bogus'");
  await expect(editor.locator(".squiggly-error").first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/formdz-monaco-error.png` });
  // Autosave does not send a broken document; "Save draft" lists the problems.
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("list", { name: "Problems" })).toContainText("tabs.1.sections.0.items.0.visibleWhen");
  await expect(canvas.getByTestId("canvas-item-probability")).toContainText("visibleWhen: Unknown field 'bogus'");
  await expect(saveStatus).toContainText("Not saved: tabs.1.sections.0.items.0.visibleWhen: ");
  expect(JSON.stringify(await serverDraft(page))).not.toContain("bogus");
  // Field-name completion: typing "sta" offers stage.
  await editor.locator(".view-lines").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("sta");
  await page.keyboard.press("Control+Space");
  await expect(page.locator(".suggest-widget").getByText("stage", { exact: true })).toBeVisible();
  await page.keyboard.press("Enter");
  await page.keyboard.type(' = "negotiation"');
  await expect(visibleWhen.getByText("Valid condition")).toBeVisible();
  await expect(visibleWhen.getByTestId(/visibleWhen-expression$/)).toHaveText('stage = "negotiation"');
  // Fixed: the next autosave goes through and the problems go away by themselves.
  await expect(saveStatus).toHaveText("All changes saved");
  await expect(page.getByRole("list", { name: "Problems" })).toHaveCount(0);
  await expect(canvas.getByTestId("canvas-item-probability")).not.toContainText("visibleWhen:");

  // Undo/redo restores the canvas exactly.
  await canvas.getByRole("tab", { name: "Tab Details" }).click();
  const beforeRemove = await canvasState(page);
  await canvas.getByRole("button", { name: "Field Stage", exact: true }).click();
  await page.keyboard.press("Delete");
  await expect(canvas.getByTestId("canvas-item-stage")).toHaveCount(0);
  await canvas.getByRole("button", { name: "Make Opportunity name wider" }).click();
  const afterEdits = await canvasState(page);
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");
  expect(await canvasState(page)).toEqual(beforeRemove);
  await expect(canvas.getByRole("button", { name: "Field Stage", exact: true })).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.press("Control+Shift+z");
  await page.keyboard.press("Control+y");
  expect(await canvasState(page)).toEqual(afterEdits);
  // The redone state is autosaved as the draft...
  await expect(saveStatus).toHaveText("All changes saved");
  expect((await serverDraft(page)).tabs[0]!.sections[0]!.items.map((item) => item.field)).toEqual(["name"]);
  // ...and undoing after that autosave is an edit against it: dirty again, then saved in turn.
  await page.getByRole("button", { name: "Undo" }).click();
  await page.getByRole("button", { name: "Undo" }).click();
  expect(await canvasState(page)).toEqual(beforeRemove);
  await expect(saveStatus).toHaveText("Unsaved edits");
  await expect(page.getByRole("button", { name: "Save draft" })).toBeEnabled();
  await expect(saveStatus).toHaveText("All changes saved");
  expect((await serverDraft(page)).tabs[0]!.sections[0]!.items.map((item) => item.field)).toEqual(["name", "stage"]);

  // Keyboard only: pick the name card up with Space, move it right past stage, drop it.
  const order = async () => cardsOf(page, "Details").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-testid")));
  expect(await order()).toEqual(["canvas-item-name", "canvas-item-stage"]);
  await canvas.getByRole("button", { name: "Drag field Opportunity name" }).focus();
  await page.keyboard.press("Space");
  // Picked up, then at once over its own place: either says the drag has begun.
  await expect(dndAnnouncement(page).filter({ hasText: /^(Picked up field Opportunity name\.|field Opportunity name is over the place of field Opportunity name )/ })).toHaveCount(1);
  await page.keyboard.press("ArrowRight");
  await expect(dndAnnouncement(page).filter({ hasText: /^field Opportunity name is over the place of field Stage / })).toHaveCount(1);
  await page.keyboard.press("Space");
  await expect.poll(order).toEqual(["canvas-item-stage", "canvas-item-name"]);
  // And back with the arrow-key shortcut on the selected card.
  await canvas.getByRole("button", { name: "Field Opportunity name", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("ArrowLeft");
  await expect.poll(order).toEqual(["canvas-item-name", "canvas-item-stage"]);

  // Live preview: the app's renderer with the draft; probability follows the stage.
  await page.getByRole("tab", { name: "Preview" }).click();
  const preview = page.getByTestId("preview-frame");
  await expect(preview.getByRole("tab", { name: "Details" })).toBeVisible();
  await expect(preview.getByLabel("Stage")).toBeVisible();
  await preview.getByLabel("Stage").selectOption({ label: "Negotiation" });
  await preview.getByRole("tab", { name: "Forecast" }).click();
  await expect(preview.getByLabel("Probability")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/formdz-preview.png` });
  await preview.getByRole("tab", { name: "Details" }).click();
  await preview.getByLabel("Stage").selectOption({ label: "Closed lost" });
  await preview.getByRole("tab", { name: "Forecast" }).click();
  await expect(preview.getByLabel("Probability")).toHaveCount(0);
  // A real record, at phone width, as the regular user.
  const records = await trpcCall(page, "data.find", { object: "opportunity", limit: 1 }, "query");
  const record = records.json.result.data.json.records[0] as { id: string; name: string };
  await page.getByLabel("Record", { exact: true }).selectOption(record.id);
  await preview.getByRole("tab", { name: "Details" }).click();
  await expect(preview.getByLabel("Opportunity name")).toHaveValue(record.name);
  await page.getByRole("radio", { name: "Mobile" }).click();
  await expect(preview).toHaveAttribute("data-layout", "mobile");
  expect((await preview.boundingBox())!.width).toBeLessThanOrEqual(392);
  const users = await trpcCall(page, "users.list", undefined, "query");
  const regular = (users.json.result.data.json as { id: string; email: string }[]).find((user) => user.email === USER.email)!;
  await page.getByLabel("Preview as user").selectOption(regular.id);
  await expect(preview.getByLabel("Stage")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/formdz-preview-mobile.png` });
  await page.getByRole("tab", { name: "Design" }).click();

  // Publish.
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText(/Published version 1/)).toBeVisible();
  const published = await trpcCall(page, "metadata.get", { kind: "form", name: FORM_NAME }, "query");
  const body = published.json.result.data.json.published as { tabs: { label: string; sections: { columns: number; items: { field: string; required: boolean; visibleWhen?: string }[] }[] }[] };
  expect(body.tabs.map((tab) => tab.label)).toEqual(["Details", "Forecast"]);
  expect(body.tabs[0]!.sections[0]!.columns).toBe(2);
  expect(body.tabs[0]!.sections[0]!.items.map((item) => item.field)).toEqual(["name", "stage"]);
  expect(body.tabs[1]!.sections[0]!.items.map((item) => [item.field, item.required, item.visibleWhen ?? null])).toEqual([
    ["probability", false, 'stage = "negotiation"'],
    ["amount", true, null],
  ]);
  await page.screenshot({ path: `${SHOTS}/formdz-published.png` });
  // The list shows it under its object, as the default form, published.
  await page.goto("/studio/forms");
  const row = page.getByRole("region", { name: /Opportunity/ }).getByRole("listitem").filter({ hasText: "Deal designer" });
  await expect(row).toContainText("Default");
  await expect(row).toContainText("Published v1");
  await page.screenshot({ path: `${SHOTS}/formdz-list.png` });
  expect(consoleErrors.filter((text) => /monaco|Content Security Policy|worker/i.test(text))).toEqual([]);
  await context.close();
});

test("the user gets the published layout and the conditional field follows the select", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, USER, "/apps/crm/opportunity/new");
  await expect(page.getByRole("tab", { name: "Details" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tab", { name: "Forecast" })).toBeVisible();
  const [name, stage] = [await page.getByLabel("Opportunity name").boundingBox(), await page.getByLabel("Stage").boundingBox()];
  expect(Math.abs(name!.y - stage!.y)).toBeLessThan(4);
  expect(stage!.x).toBeGreaterThan(name!.x + name!.width);

  await page.getByRole("tab", { name: "Forecast" }).click();
  await expect(page.getByLabel("Amount")).toBeVisible();
  await expect(page.getByLabel("Probability")).toHaveCount(0);
  await page.getByRole("tab", { name: "Details" }).click();
  await page.getByLabel("Stage").selectOption({ label: "Negotiation" });
  await page.getByRole("tab", { name: "Forecast" }).click();
  await expect(page.getByLabel("Probability")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/formdz-app.png`, fullPage: true });
  await page.getByRole("tab", { name: "Details" }).click();
  await page.getByLabel("Stage").selectOption({ label: "Proposal" });
  await page.getByRole("tab", { name: "Forecast" }).click();
  await expect(page.getByLabel("Probability")).toHaveCount(0);
  await context.close();
});

test("the admin compares two published versions in History and restores version 1", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, ADMIN, `/studio/forms/${FORM_NAME}`);
  await expect(page.getByRole("heading", { name: "Deal designer" })).toBeVisible();
  const canvas = page.getByRole("region", { name: "Form canvas" });
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const publish = async (version: number) => {
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByText(`Published version ${version}.`)).toBeVisible();
  };

  // Version 2: the Forecast tab renamed to Pipeline (autosaved, then published).
  await canvas.getByRole("tab", { name: "Tab Forecast" }).click();
  await inspector.getByLabel("Tab label").fill("Pipeline");
  await expect(canvas.getByRole("tab", { name: "Tab Pipeline" })).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveText("All changes saved");
  await publish(2);

  // History: version 2 (live) compared with version 1 reads as the label change.
  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.getByRole("tab", { name: "History" })).toHaveAttribute("aria-selected", "true");
  const versions = page.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("listitem")).toHaveCount(2);
  await expect(versions.getByRole("button", { name: "View version 2" })).toHaveAttribute("aria-current", "true");
  await expect(versions.getByRole("button", { name: "View version 2" })).toContainText("Live");
  const changes = page.getByRole("list", { name: "Changes from version 1 to version 2" });
  await expect(changes.getByRole("listitem")).toHaveCount(1);
  await expect(changes).toHaveText('Tab "Forecast": label "Forecast" → "Pipeline"');
  await page.screenshot({ path: `${SHOTS}/formhist-history.png` });

  // Restore version 1 as the draft: the designer goes back to Design with version 1's tabs.
  await versions.getByRole("button", { name: "View version 1" }).click();
  await expect(page.getByText("The first version: it created the form.")).toBeVisible();
  await page.getByRole("button", { name: "Restore this version" }).click();
  await page.getByRole("alertdialog", { name: "Restore version 1?" }).getByRole("button", { name: "Restore as draft" }).click();
  await expect(page.getByText("Restored version 1 as the draft. Review it, then publish to make it live.")).toBeVisible();
  await expect(page.getByRole("tab", { name: "Design" })).toHaveAttribute("aria-selected", "true");
  await expect(canvas.getByRole("tab", { name: "Tab Forecast" })).toBeVisible();
  await expect(canvas.getByRole("tab", { name: "Tab Pipeline" })).toHaveCount(0);
  expect((await serverDraft(page)).tabs.map((tab) => tab.label)).toEqual(["Details", "Forecast"]);

  // Published as version 3: live content is version 1's again.
  await publish(3);
  await expect(page.getByText("Published v3")).toBeVisible();
  await expect(canvas.getByRole("tab", { name: "Tab Forecast" })).toBeVisible();
  const detail = await trpcCall(page, "metadata.get", { kind: "form", name: FORM_NAME }, "query");
  const live = detail.json.result.data.json as { publishedVersion: number; published: DraftBody };
  expect(live.publishedVersion).toBe(3);
  expect(live.published.tabs.map((tab) => tab.label)).toEqual(["Details", "Forecast"]);
  expect(live.published.tabs[1]!.sections[0]!.items.map((item) => item.field)).toEqual(["probability", "amount"]);
  await page.getByRole("tab", { name: "History" }).click();
  await expect(versions.getByRole("listitem")).toHaveCount(3);
  await expect(page.getByRole("list", { name: "Changes from version 2 to version 3" })).toHaveText('Tab "Pipeline": label "Pipeline" → "Forecast"');
  await context.close();
});
