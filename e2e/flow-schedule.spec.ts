import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { connect } from "./support/flow-canvas";
import { createPublished, findRecords, uniqueName } from "./support/own-data";

/**
 * A scheduled flow end to end: the admin creates a flow "On a schedule" (a typo in the cron is
 * refused with the reason), sees the next times it fires under the schedule, makes it write a
 * note each minute by dragging a Create record element, publishes it, and within the minute the
 * note is there and the Runs tab shows the scheduled run.
 */
const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

test("a flow on a schedule: cron checked as typed, next times shown, and it runs on its own", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const admin = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, timezoneId: "Europe/Berlin" })).newPage();
  await signIn(admin, ADMIN, "/studio");
  const [note, flow] = [uniqueName(testInfo, "note"), uniqueName(testInfo, "every_minute")];
  await createPublished(admin, "object", {
    name: note, label: "Note", pluralLabel: "Notes", nameField: "text",
    fields: [{ id: "n_text", name: "text", label: "Text", type: "text", required: true }],
  });

  await admin.goto("/studio/flows");
  await admin.getByRole("button", { name: "New flow" }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByLabel("Label").fill("Every minute");
  await dialog.getByLabel("API name").fill(flow);
  await dialog.getByLabel("Starts").selectOption("scheduled");
  await dialog.getByLabel("Schedule (cron)").fill("* * * *");
  await dialog.getByRole("button", { name: "Create flow" }).click();
  await expect(dialog).toContainText("must have 5 fields");
  await dialog.getByLabel("Schedule (cron)").fill("* * * * *");
  await dialog.getByRole("button", { name: "Create flow" }).click();
  await expect(admin).toHaveURL(new RegExp(`/studio/flows/${flow}$`));

  const start = admin.getByRole("group", { name: "Start: Every minute" });
  await expect(start).toContainText("Scheduled: * * * * * (Europe/Berlin)");
  await start.click();
  const inspector = admin.getByRole("complementary", { name: "Inspector" });
  // A wrong minute is named as typed; the next times show once it is right.
  await inspector.getByLabel("Schedule (cron)").fill("61 * * * *");
  await expect(inspector).toContainText("got value 61 expected range 0-59");
  await expect(inspector.getByTestId("schedule-next")).toHaveCount(0);
  await inspector.getByLabel("Schedule (cron)").fill("* * * * *");
  await expect(inspector.getByTestId("schedule-next")).toContainText("Next:");

  // A Create record element under the start writes a note.
  const canvas = admin.getByTestId("flow-canvas");
  const startBox = (await start.boundingBox())!;
  const canvasBox = (await canvas.boundingBox())!;
  await admin.getByTestId("palette-create_record").dragTo(canvas, { targetPosition: { x: startBox.x - canvasBox.x + startBox.width / 2, y: startBox.y - canvasBox.y + 200 } });
  const create = admin.getByRole("group", { name: "Create record: Create record 1" });
  await connect(admin, start.getByTestId("handle-next"), create.locator(".react-flow__handle-top"));
  await expect(admin.locator(".react-flow__edge")).toHaveCount(1);
  await create.click();
  await inspector.getByLabel("Object", { exact: true }).selectOption(note);
  await inspector.getByRole("button", { name: "Add field value" }).click();
  await inspector.getByLabel("Field 1", { exact: true }).selectOption("text");
  await inspector.getByLabel("Value 1", { exact: true }).fill('"Written on schedule"');
  await expect(inspector.getByRole("alert")).toHaveCount(0);
  await admin.screenshot({ path: `${SHOTS}/flow-schedule-built.png` });

  await admin.getByRole("button", { name: "Publish", exact: true }).first().click();
  await admin.getByRole("dialog").getByRole("button", { name: "Publish", exact: true }).click();
  await expect(admin.getByText(/Published version 1\./)).toBeVisible();

  // Within the next minute (and the worker's few seconds), the note is written.
  await expect.poll(async () => (await findRecords(admin, note)).map((record) => record.text), { timeout: 100_000, intervals: [2_000] })
    .toContain("Written on schedule");
  await admin.getByRole("tab", { name: "Runs" }).click();
  const row = admin.getByTestId("run-row").first();
  await expect(row).toContainText("finished");
  await expect(row).toContainText("scheduled");
  await expect(row).toContainText("the schedule");
  await admin.screenshot({ path: `${SHOTS}/flow-schedule-runs.png` });
});
