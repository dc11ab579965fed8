import { expect, test } from "@playwright/test";
import { ADMIN, USER, publishDemoSecurityModel, publishOpenSecurityModel, signIn, trpcCall } from "./helpers";
import { createPublished, createRecords, publishInDesigner, trpcOk, uniqueName } from "./support/own-data";
import { connect, dropBelowStart, newRecordFlow } from "./support/flow-canvas";

/**
 * The send email element end to end (no SMTP configured, so the outbox): the admin drags a Send
 * email element onto a record-triggered flow, connects it, fills its merge fields in the
 * inspector, publishes; a user saves a record; the admin opens the studio's Outbox and reads the
 * message with the merge fields filled in. A regular user is refused the outbox.
 */
test.beforeAll(async ({ browser }) => publishOpenSecurityModel(browser));
test.afterAll(async ({ browser }) => publishDemoSecurityModel(browser));

const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

test("a send email element's message lands in the outbox with its merge fields filled in", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signIn(admin, ADMIN, "/studio");
  const [contact, flow] = [uniqueName(testInfo, "contact"), uniqueName(testInfo, "welcome")];
  await createPublished(admin, "object", {
    name: contact, label: "Contact", pluralLabel: "Contacts", nameField: "name",
    fields: [
      { id: "c_name", name: "name", label: "Name", type: "text", required: true },
      { id: "c_email", name: "email", label: "Email", type: "email" },
    ],
  });

  await admin.goto("/studio/flows");
  const start = await newRecordFlow(admin, { label: "Welcome contacts", name: flow, object: contact });

  // Drag Send email from the palette under the start and connect them.
  await dropBelowStart(admin, start, "send_email", 200);
  const mail = admin.getByRole("group", { name: "Send email: Send email 1" });
  await expect(mail).toBeVisible();
  await connect(admin, start.getByTestId("handle-next"), mail.locator(".react-flow__handle-top"));
  await expect(admin.locator(".react-flow__edge")).toHaveCount(1);

  // The inspector: a merge field typo is flagged as typed, then the real fields.
  await mail.click();
  const inspector = admin.getByRole("complementary", { name: "Inspector" });
  await inspector.getByLabel("To", { exact: true }).fill("{!record.emial}");
  await expect(inspector.getByRole("alert").first()).toContainText("emial");
  await inspector.getByLabel("To", { exact: true }).fill("{!record.email}");
  await inspector.getByLabel("Cc", { exact: true }).fill("sales@example.com");
  await inspector.getByLabel("Subject", { exact: true }).fill("Welcome, {!record.name}");
  await inspector.getByLabel("Body", { exact: true }).fill("Hello {!record.name},\nwe will write to {!record.email}.");
  await expect(inspector.getByRole("alert")).toHaveCount(0);
  await expect(mail.getByTestId("node-summary")).toHaveText("To {!record.email}: Welcome, {!record.name}");
  await admin.screenshot({ path: `${SHOTS}/flow-elements-send-email.png` });
  await publishInDesigner(admin);

  // A user saves a contact: the after-save run files the message.
  const user = await (await browser.newContext()).newPage();
  await signIn(user, USER, "/apps");
  await createRecords(user, contact, [{ name: "Grace Hopper", email: "grace@example.com" }]);

  // The admin opens the outbox from the flows list and reads the message.
  await admin.goto("/studio/flows");
  await admin.getByRole("link", { name: "Outbox" }).click();
  await expect(admin).toHaveURL(/\/studio\/outbox$/);
  const item = admin.getByRole("list", { name: "Messages" }).getByRole("button", { name: /Welcome, Grace Hopper/ });
  await expect.poll(async () => {
    await admin.getByRole("button", { name: "Refresh" }).click();
    return item.count();
  }, { timeout: 20_000 }).toBe(1);
  await item.click();
  const message = admin.getByTestId("outbox-message");
  await expect(message.getByRole("heading", { name: "Welcome, Grace Hopper" })).toBeVisible();
  await expect(message.getByTestId("outbox-to")).toHaveText("grace@example.com");
  await expect(message).toContainText("sales@example.com");
  await expect(message.getByTestId("outbox-body")).toHaveText("Hello Grace Hopper,\nwe will write to grace@example.com.");
  await expect(message.getByRole("link", { name: flow })).toBeVisible();
  await admin.screenshot({ path: `${SHOTS}/flow-elements-outbox.png` });

  // A regular user is refused the outbox: the page and the API.
  const page = await user.goto("/studio/outbox");
  expect(page!.status()).toBe(403);
  expect((await trpcCall(user, "flows.outbox", {}, "query")).status).toBe(403);
});

test("a script and an HTTP callout built in the designer: the script's output is kept, the callout to loopback is refused onto its fault path", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signIn(admin, ADMIN, "/studio");
  const flow = uniqueName(testInfo, "outside");
  // The flow's variables and a fault handler come from the API; the two new elements from the palette.
  await trpcOk(admin, "metadata.create", {
    kind: "flow",
    body: {
      name: flow, label: "Outside world", start: { type: "autolaunched" },
      variables: [{ name: "n", type: "number", input: true }, { name: "doubled", type: "number", output: true }, { name: "problem", type: "text", output: true }],
      elements: [{ id: "note_fault", label: "Note the fault", type: "assignment", position: { x: 300, y: 500 }, assignments: [{ target: "problem", value: "fault_message" }] }],
      edges: [],
    },
  }, "mutation");
  await admin.goto(`/studio/flows/${flow}`);
  const start = admin.getByRole("group", { name: "Start: Outside world" });
  const canvas = admin.getByTestId("flow-canvas");
  const startBox = (await start.boundingBox())!;
  const canvasBox = (await canvas.boundingBox())!;
  const below = (dy: number, dx = 0) => ({ x: startBox.x - canvasBox.x + startBox.width / 2 + dx, y: startBox.y - canvasBox.y + dy });
  await admin.getByTestId("palette-script").dragTo(canvas, { targetPosition: below(170, -200) });
  await admin.getByTestId("palette-http_callout").dragTo(canvas, { targetPosition: below(360, 100) });
  const script = admin.getByRole("group", { name: "Script: Script 1" });
  const callout = admin.getByRole("group", { name: "HTTP callout: HTTP callout 1" });
  const noteFault = admin.getByRole("group", { name: "Assignment: Note the fault" });
  await expect(callout).toBeVisible();
  await admin.getByRole("button", { name: "Zoom to fit" }).click();
  // Zoom to fit animates: connect once the nodes have stopped moving.
  let last = "";
  await expect.poll(async () => {
    const now = JSON.stringify(await callout.boundingBox());
    const still = now === last;
    last = now;
    return still;
  }, { intervals: [200] }).toBe(true);
  const edges = admin.locator(".react-flow__edge");
  await connect(admin, start.getByTestId("handle-next"), script.locator(".react-flow__handle-top"));
  await expect(edges).toHaveCount(1);
  await connect(admin, script.getByTestId("handle-next"), callout.locator(".react-flow__handle-top"));
  await expect(edges).toHaveCount(2);
  await connect(admin, callout.getByTestId("handle-fault"), noteFault.locator(".react-flow__handle-top"));
  await expect(edges).toHaveCount(3);

  const inspector = admin.getByRole("complementary", { name: "Inspector" });
  await script.click();
  await inspector.getByLabel("JavaScript").fill("console.log('doubling', input.n);\nreturn { doubled: input.n * 2 };");
  await inspector.getByRole("checkbox", { name: "n (number)", exact: true }).check();
  await inspector.getByRole("button", { name: "Add output" }).click();
  await inspector.getByLabel("Key 1", { exact: true }).fill("doubled");
  await inspector.getByLabel("Into 1", { exact: true }).selectOption("doubled");
  await expect(script.getByTestId("node-summary")).toHaveText("2 line script, 1 output");

  await callout.click();
  await inspector.getByLabel("Method").selectOption("POST");
  await inspector.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:9/hook?n={!n}");
  await inspector.getByLabel("Body", { exact: true }).selectOption("json");
  await inspector.getByLabel("Body template").fill('{"n": "{!n}"}');
  await expect(inspector.getByRole("alert").first()).toContainText("merge field is inside a JSON string");
  await inspector.getByLabel("Body template").fill('{"n": {!n}}');
  await inspector.getByRole("button", { name: "Add header" }).click();
  await inspector.getByLabel("Header 1 name").fill("X-Source");
  await inspector.getByLabel("Header 1 value").fill("flow {!n}");
  await expect(callout.getByTestId("node-summary")).toHaveText("POST http://127.0.0.1:9/hook?n={!n}");
  await admin.screenshot({ path: `${SHOTS}/flow-elements-callout.png` });
  await publishInDesigner(admin);

  const run = await trpcOk<{ status: string; outputs: { doubled: number; problem: string } }>(admin, "flows.run", { flow, inputs: { n: 21 } }, "mutation");
  expect(run.status).toBe("finished");
  expect(run.outputs.doubled).toBe(42);
  expect(run.outputs.problem).toMatch(/calls to address 127\.0\.0\.1 are refused: it is a loopback address/);
});
