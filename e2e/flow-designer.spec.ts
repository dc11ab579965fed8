import { expect, test, type Page } from "@playwright/test";
import { ADMIN, USER, publishDemoSecurityModel, publishOpenSecurityModel, signIn } from "./helpers";
import { connect } from "./support/flow-canvas";
import { createPublished, findRecords, trpcOk, uniqueName } from "./support/own-data";

/**
 * The flow designer end to end: the admin builds a record-triggered after-save flow by dragging
 * elements from the palette and connecting their handles, fills in the inspector (a formula
 * typo is flagged as typed), tries to publish with a stray element (refused: the node is
 * outlined red with the message), deletes it and publishes; the user saves a deal in the app and
 * the flow's task appears; the Runs tab shows the run and its steps.
 */
// The user works with objects of this spec under the open model; the demo's comes back afterwards.
test.beforeAll(async ({ browser }) => publishOpenSecurityModel(browser));
test.afterAll(async ({ browser }) => publishDemoSecurityModel(browser));

const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

function node(page: Page, name: string) {
  return page.getByRole("group", { name });
}

test("build a record-triggered flow by dragging, publish it, and see it run on a user's save", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signIn(admin, ADMIN, "/studio");
  const [deal, task, app, flow] = [uniqueName(testInfo, "deal"), uniqueName(testInfo, "task"), uniqueName(testInfo, "sales"), uniqueName(testInfo, "follow_up")];
  await createPublished(admin, "object", {
    name: deal, label: "Deal", pluralLabel: "Deals", nameField: "name",
    fields: [{ id: "d_name", name: "name", label: "Deal name", type: "text", required: true }],
  });
  await createPublished(admin, "object", {
    name: task, label: "Task", pluralLabel: "Tasks", nameField: "name",
    fields: [
      { id: "t_name", name: "name", label: "Subject", type: "text", required: true },
      { id: "t_deal", name: "deal", label: "Deal", type: "lookup", reference: deal },
    ],
  });
  await createPublished(admin, "app", { name: app, label: "Flow sales", navigation: [{ type: "object", object: deal }, { type: "object", object: task }] });

  // New flow: record-triggered, after save, on create.
  await admin.goto("/studio");
  await admin.getByRole("navigation").getByRole("link", { name: "Flows" }).click();
  await expect(admin.getByRole("heading", { name: "Flows" })).toBeVisible();
  await admin.getByRole("button", { name: "New flow" }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByLabel("Label").fill("Follow up new deals");
  await dialog.getByLabel("API name").fill(flow);
  await dialog.getByLabel("Object").selectOption(deal);
  await dialog.getByLabel("When").selectOption("after_save");
  await dialog.getByLabel("On").selectOption("create");
  await dialog.getByRole("button", { name: "Create flow" }).click();
  await expect(admin).toHaveURL(new RegExp(`/studio/flows/${flow}$`));
  const start = node(admin, "Start: Follow up new deals");
  await expect(start).toContainText(`After save: ${deal} created`);

  // Drag a Create record element below the start, and a Custom error beside it (left unconnected).
  const canvas = admin.getByTestId("flow-canvas");
  const startBox = (await start.boundingBox())!;
  const canvasBox = (await canvas.boundingBox())!;
  await admin.getByTestId("palette-create_record").dragTo(canvas, { targetPosition: { x: startBox.x - canvasBox.x + startBox.width / 2, y: startBox.y - canvasBox.y + 200 } });
  const create = node(admin, "Create record: Create record 1");
  await expect(create).toBeVisible();
  await admin.getByTestId("palette-custom_error").dragTo(canvas, { targetPosition: { x: startBox.x - canvasBox.x + startBox.width / 2 - 300, y: startBox.y - canvasBox.y + 200 } });
  const stray = node(admin, "Custom error: Custom error 1");
  await expect(stray).toBeVisible();

  // Connect the start's way out to the create element's entry.
  await connect(admin, start.getByTestId("handle-next"), create.locator(".react-flow__handle-top"));
  await expect(admin.locator(".react-flow__edge")).toHaveCount(1);
  // Auto-layout puts the create element under the start; zoom to fit shows everything.
  await admin.getByRole("button", { name: "Auto-layout" }).click();
  await admin.getByRole("button", { name: "Zoom to fit" }).click();
  await expect.poll(async () => (await create.boundingBox())!.y - (await start.boundingBox())!.y).toBeGreaterThan(40);
  for (const shown of [start, create, stray]) await expect(shown).toBeInViewport();
  // Arrow keys nudge the selected node; nudges in a row undo as one step.
  await create.click();
  const before = (await create.boundingBox())!;
  await admin.keyboard.press("ArrowRight");
  await admin.keyboard.press("ArrowRight");
  await expect.poll(async () => (await create.boundingBox())!.x).toBeGreaterThan(before.x + 5);
  await admin.keyboard.press("Control+z");
  await expect.poll(async () => (await create.boundingBox())!.x).toBeCloseTo(before.x, 0);

  // The inspector of the create element: the task object, its subject (a typo first) and its deal.
  await create.click();
  const inspector = admin.getByRole("complementary", { name: "Inspector" });
  await inspector.getByLabel("Object", { exact: true }).selectOption(task);
  await inspector.getByRole("button", { name: "Add field value" }).click();
  await inspector.getByLabel("Field 1", { exact: true }).selectOption("name");
  await inspector.getByLabel("Value 1", { exact: true }).fill('"Follow up: " & record.nam');
  await expect(inspector.getByRole("alert")).toContainText("nam");
  await inspector.getByLabel("Value 1", { exact: true }).fill('"Follow up: " & record.name');
  await expect(inspector.getByRole("alert")).toHaveCount(0);
  await inspector.getByRole("button", { name: "Add field value" }).click();
  await inspector.getByLabel("Field 2", { exact: true }).selectOption("deal");
  await inspector.getByLabel("Value 2", { exact: true }).fill("record");
  await expect(inspector.getByRole("alert")).toHaveCount(0);
  await expect(create.getByTestId("node-summary")).toHaveText(`${task}: 2 fields`);
  await stray.click();
  await inspector.getByLabel("Message").fill("Never reached");
  await admin.screenshot({ path: `${SHOTS}/flow-designer-built.png` });

  // Publishing refuses the stray element: its node is outlined red with the reason.
  await admin.getByRole("button", { name: "Publish", exact: true }).first().click();
  await expect(stray).toHaveAttribute("data-problems", "true");
  await expect(stray.getByTestId("node-problem")).toContainText("cannot be reached from the start");
  await expect(create).not.toHaveAttribute("data-problems", "true");
  await expect(admin.getByRole("list", { name: "Problems" })).toContainText("Custom error 1");
  await admin.screenshot({ path: `${SHOTS}/flow-designer-refused.png` });

  // Fix: select the stray node and delete it with the keyboard; the red and the problem list go.
  await stray.click();
  await admin.keyboard.press("Delete");
  await expect(stray).toHaveCount(0);
  await expect(admin.getByRole("list", { name: "Problems" })).toHaveCount(0);
  // Undo brings it back (and its problem), redo deletes it again.
  await admin.keyboard.press("Control+z");
  await expect(stray).toHaveAttribute("data-problems", "true");
  await admin.keyboard.press("Control+Shift+z");
  await expect(stray).toHaveCount(0);
  // Copy and paste the create element: a copy appears selected, and Delete removes it again.
  const nodes = admin.getByTestId("flow-node");
  await expect(nodes).toHaveCount(2);
  await create.click();
  await admin.keyboard.press("Control+c");
  await admin.keyboard.press("Control+v");
  await expect(nodes).toHaveCount(3);
  await admin.keyboard.press("Delete");
  await expect(nodes).toHaveCount(2);
  await admin.getByRole("button", { name: "Publish", exact: true }).first().click();
  await admin.getByRole("dialog").getByRole("button", { name: "Publish", exact: true }).click();
  await expect(admin.getByText(/Published version 1\./)).toBeVisible();
  const published = await trpcOk<{ published: { edges: unknown[]; elements: { id: string; values: unknown[] }[] } }>(admin, "metadata.get", { kind: "flow", name: flow }, "query");
  expect(published.published.edges).toEqual([{ source: "start", handle: "next", target: "create_record_1" }]);
  expect(published.published.elements.map((element) => element.id)).toEqual(["create_record_1"]);

  // The user saves a deal in the app; the flow creates its task (after the save commits, in the queue).
  const user = await (await browser.newContext()).newPage();
  await signIn(user, USER, `/apps/${app}/${deal}/new`);
  await user.getByLabel("Deal name").fill("Acme renewal");
  await user.getByRole("button", { name: "Save" }).click();
  await expect(user.getByRole("heading", { name: "Acme renewal" })).toBeVisible();
  const [savedDeal] = await findRecords(admin, deal, { field: "name", operator: "=", value: "Acme renewal" });
  await expect.poll(async () => (await findRecords(user, task)).map((record) => [record.name, record.deal]), { timeout: 20_000 })
    .toEqual([["Follow up: Acme renewal", expect.objectContaining({ id: savedDeal!.id })]]);
  await user.goto(`/apps/${app}/${task}`);
  await expect(user.getByText("Follow up: Acme renewal")).toBeVisible();
  await user.screenshot({ path: `${SHOTS}/flow-designer-task.png` });

  // Runs: the run, finished, and its step log.
  await admin.getByRole("tab", { name: "Runs" }).click();
  const row = admin.getByTestId("run-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("finished");
  await row.getByRole("button").click();
  const step = admin.getByTestId("run-step");
  await expect(step).toHaveCount(1);
  await expect(step).toContainText("create_record_1");
  await expect(step).toContainText("next");
  await admin.screenshot({ path: `${SHOTS}/flow-designer-runs.png` });
});
