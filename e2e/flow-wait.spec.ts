import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { connect, dropBelowStart, newRecordFlow } from "./support/flow-canvas";
import { createPublished, createRecords, findRecords, publishInDesigner, trpcOk, uniqueName } from "./support/own-data";

/**
 * The wait element end to end: the admin drags a Wait under the start of an after-save flow,
 * makes it wait until the saved deal's `wake` date-time, drags a Create record after it, and
 * publishes. A deal saved with `wake` a few seconds ahead: the Runs tab shows the run `waiting`
 * with its wake time, then `finished`, and the note is written only after the wait. A debug run
 * of it does not sleep: the wait's step says when it would wake and the run pauses after it.
 */
const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

test("a flow waits until a record's time, shows waiting in its runs, and goes on after", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signIn(admin, ADMIN, "/studio");
  const [deal, note, flow] = [uniqueName(testInfo, "deal"), uniqueName(testInfo, "note"), uniqueName(testInfo, "wait_then_note")];
  await createPublished(admin, "object", {
    name: deal, label: "Deal", pluralLabel: "Deals", nameField: "name",
    fields: [{ id: "d_name", name: "name", label: "Deal name", type: "text", required: true }, { id: "d_wake", name: "wake", label: "Wake", type: "datetime" }],
  });
  await createPublished(admin, "object", {
    name: note, label: "Note", pluralLabel: "Notes", nameField: "text",
    fields: [{ id: "n_text", name: "text", label: "Text", type: "text", required: true }],
  });

  await admin.goto("/studio/flows");
  const start = await newRecordFlow(admin, { label: "Wait then note", name: flow, object: deal });
  await dropBelowStart(admin, start, "wait", 180);
  const wait = admin.getByRole("group", { name: "Wait: Wait 1" });
  await expect(wait).toContainText("For 1 hours");
  await connect(admin, start.getByTestId("handle-next"), wait.locator(".react-flow__handle-top"));
  await expect(admin.locator(".react-flow__edge")).toHaveCount(1);

  // Until the deal's wake time: a number is refused as typed, the date-time field is accepted.
  await wait.click();
  const inspector = admin.getByRole("complementary", { name: "Inspector" });
  await inspector.getByLabel("Wait", { exact: true }).selectOption("until");
  await inspector.getByLabel("Until", { exact: true }).fill("record.wake");
  await expect(inspector.getByRole("alert")).toHaveCount(0);
  await expect(wait).toContainText("Until record.wake");

  await dropBelowStart(admin, start, "create_record", 360);
  const create = admin.getByRole("group", { name: "Create record: Create record 1" });
  await connect(admin, wait.getByTestId("handle-next"), create.locator(".react-flow__handle-top"));
  await expect(admin.locator(".react-flow__edge")).toHaveCount(2);
  await create.click();
  await inspector.getByLabel("Object", { exact: true }).selectOption(note);
  await inspector.getByRole("button", { name: "Add field value" }).click();
  await inspector.getByLabel("Field 1", { exact: true }).selectOption("text");
  await inspector.getByLabel("Value 1", { exact: true }).fill("'Waited for ' & record.name");
  await expect(inspector.getByRole("alert")).toHaveCount(0);
  await admin.screenshot({ path: `${SHOTS}/flow-wait-built.png` });
  await publishInDesigner(admin);

  // A deal that wakes its run 12 seconds after it is saved.
  const wake = new Date(Date.now() + 12_000);
  await createRecords(admin, deal, [{ name: "Acme", wake: wake.toISOString() }]);
  await admin.getByRole("tab", { name: "Runs" }).click();
  const row = admin.getByTestId("run-row");
  await expect.poll(async () => {
    await admin.getByRole("button", { name: "Refresh" }).click();
    return (await row.first().textContent()) ?? "";
  }, { timeout: 10_000 }).toContain("waiting");
  await expect(row.first().getByTestId("run-wake")).toContainText("until");
  expect(await findRecords(admin, note)).toEqual([]);
  await admin.screenshot({ path: `${SHOTS}/flow-wait-waiting.png` });

  // After the wake time (and the worker's second), the note is there and the run finished.
  await expect.poll(async () => (await findRecords(admin, note)).map((record) => record.text), { timeout: 40_000, intervals: [1_000] }).toEqual(["Waited for Acme"]);
  expect(Date.now()).toBeGreaterThanOrEqual(wake.getTime());
  await admin.getByRole("button", { name: "Refresh" }).click();
  await expect(row.first()).toContainText("finished");
  await row.first().getByRole("button").first().click();
  await expect(admin.getByTestId("run-step")).toHaveCount(2);
  await admin.screenshot({ path: `${SHOTS}/flow-wait-finished.png` });

  // Debugging does not sleep: the wait's step says when it would wake, the run pauses after it,
  // and Continue goes on at once.
  // (Acme's wake time is past now: a deal that wakes tomorrow; its own run waits meanwhile.)
  await createRecords(admin, deal, [{ name: "Later", wake: new Date(Date.now() + 86_400_000).toISOString() }]);
  await admin.getByRole("tab", { name: "Design" }).click();
  await admin.getByRole("button", { name: "Debug", exact: true }).click();
  const debug = admin.getByRole("dialog", { name: "Debug Wait then note" });
  await debug.getByRole("combobox").fill("Later");
  await debug.getByRole("option", { name: /Later/ }).click();
  await debug.getByRole("button", { name: "Start debugging" }).click();
  const status = admin.getByTestId("debug-status");
  await expect(status).toHaveText("Paused at Wait 1");
  await admin.keyboard.press("F8");
  await expect(status).toHaveText("Paused at Create record 1");
  await expect(admin.getByTestId("debug-step-wait")).toContainText("Would wait until");
  await admin.screenshot({ path: `${SHOTS}/flow-wait-debug.png` });
  await admin.keyboard.press("F8");
  await expect(status).toContainText(/finished|rolled back/i);
});

test("a flow waits for a platform event, and an event posted over the REST API with an admin's key wakes only the matching run", async ({ browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signIn(admin, ADMIN, "/studio");
  const [deal, note, flow] = [uniqueName(testInfo, "deal"), uniqueName(testInfo, "note"), uniqueName(testInfo, "await_approval")];
  await createPublished(admin, "object", {
    name: deal, label: "Deal", pluralLabel: "Deals", nameField: "name",
    fields: [{ id: "d_name", name: "name", label: "Deal name", type: "text", required: true }],
  });
  await createPublished(admin, "object", {
    name: note, label: "Note", pluralLabel: "Notes", nameField: "text",
    fields: [{ id: "n_text", name: "text", label: "Text", type: "text", required: true }],
  });
  await admin.goto("/studio/flows");
  const start = await newRecordFlow(admin, { label: "Await approval", name: flow, object: deal });
  // A text variable for the event's payload.
  await admin.getByRole("tab", { name: /^Variables/ }).click();
  await admin.getByRole("button", { name: "Add variable" }).click();
  await admin.getByLabel("Variable 1 name").fill("answer");
  await admin.getByRole("tab", { name: /^(Selection|Flow)$/ }).click();

  await dropBelowStart(admin, start, "wait", 180);
  const wait = admin.getByRole("group", { name: "Wait: Wait 1" });
  await connect(admin, start.getByTestId("handle-next"), wait.locator(".react-flow__handle-top"));
  await wait.click();
  const inspector = admin.getByRole("complementary", { name: "Inspector" });
  await inspector.getByLabel("Wait", { exact: true }).selectOption("event");
  await inspector.getByLabel("Event", { exact: true }).fill("deal_approved");
  await inspector.getByLabel("Key", { exact: true }).fill("{!record.name}");
  await inspector.getByLabel("Payload into", { exact: true }).selectOption("answer");
  await expect(inspector.getByRole("alert")).toHaveCount(0);
  await expect(wait).toContainText("For event deal_approved ({!record.name})");

  await dropBelowStart(admin, start, "create_record", 360);
  const create = admin.getByRole("group", { name: "Create record: Create record 1" });
  await connect(admin, wait.getByTestId("handle-next"), create.locator(".react-flow__handle-top"));
  await create.click();
  await inspector.getByLabel("Object", { exact: true }).selectOption(note);
  await inspector.getByRole("button", { name: "Add field value" }).click();
  await inspector.getByLabel("Field 1", { exact: true }).selectOption("text");
  await inspector.getByLabel("Value 1", { exact: true }).fill("record.name & ' approved: ' & answer");
  await expect(inspector.getByRole("alert")).toHaveCount(0);
  await admin.screenshot({ path: `${SHOTS}/flow-wait-event-built.png` });
  await publishInDesigner(admin);

  await createRecords(admin, deal, [{ name: "Acme" }, { name: "Globex" }]);
  await admin.getByRole("tab", { name: "Runs" }).click();
  const rows = admin.getByTestId("run-row");
  await expect.poll(async () => {
    await admin.getByRole("button", { name: "Refresh" }).click();
    return (await rows.allTextContents()).filter((text) => text.includes("waiting")).length;
  }, { timeout: 15_000 }).toBe(2);
  expect((await rows.getByTestId("run-event").allTextContents()).sort()).toEqual(["for event deal_approved (Acme)", "for event deal_approved (Globex)"]);

  // The event over HTTP, with an admin's API key: only Acme's run wakes.
  const key = await trpcOk<{ key: string }>(admin, "apiKeys.create", { name: uniqueName(testInfo, "events") }, "mutation");
  const posted = await request.post(`/api/v1/events/deal_approved`, { headers: { authorization: `Bearer ${key.key}` }, data: { key: "Acme", payload: { by: "Ada" } } });
  expect(posted.status()).toBe(200);
  expect(await posted.json()).toEqual({ woken: 1 });
  await expect.poll(async () => (await findRecords(admin, note)).map((record) => record.text), { timeout: 20_000, intervals: [500] }).toEqual(['Acme approved: {"by":"Ada"}']);
  await admin.getByRole("button", { name: "Refresh" }).click();
  await expect(rows.filter({ hasText: "finished" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "waiting" })).toHaveCount(1);
  await admin.screenshot({ path: `${SHOTS}/flow-wait-event-woken.png` });
});
