import { expect, test, type Page } from "@playwright/test";
import { ADMIN, USER, publishDemoSecurityModel, signIn } from "./helpers";
import { createRecords, publishInDesigner, trpcOk, uniqueName } from "./support/own-data";
import { connect, dropBelowStart } from "./support/flow-canvas";

/**
 * Screen flows as their users meet them, in Chromium:
 * - Uma, a sales rep, converts a lead of hers with the demo's "Convert lead" flow: the button on
 *   the lead's page, a screen whose fields are filled in from the lead, a required field left
 *   empty refused where it is, a reload that comes back to the same screen, then the account,
 *   contact and opportunity made and the lead marked converted, with links to them;
 * - an admin drags two screens onto a new screen flow, gives them fields in the inspector,
 *   publishes it and adds it to an app's navigation in the app designer; a user runs it from the
 *   tab, goes Back (what they typed is still there) and Next, and finishes.
 */

const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

test.beforeAll(async ({ browser }) => publishDemoSecurityModel(browser));

async function signedIn(browser: import("@playwright/test").Browser, who: { email: string; password: string }, path: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await signIn(page, who, path);
  return page;
}

test("a rep converts her lead into an account, a contact and an opportunity through the demo's screen flow", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const uma = await signedIn(browser, USER, "/apps/crm");
  const company = `Lumen ${uniqueName(testInfo, "co")}`;
  const [leadId] = await createRecords(uma, "lead", [{ name: "Grace Hopper", company, email: "grace@lumen.example", status: "working" }]);

  await uma.goto(`/apps/crm/lead/${leadId}`);
  await uma.getByRole("link", { name: "Convert lead" }).click();
  await expect(uma).toHaveURL(new RegExp(`/apps/crm/run-flow/convert_lead\\?record=${leadId}&run=`));
  const screen = uma.getByTestId("flow-screen");
  await expect(screen.getByRole("heading", { name: "What to create" })).toBeVisible();
  await expect(uma.getByRole("navigation", { name: "Breadcrumb" })).toHaveText(/Leads.*Grace Hopper.*Convert lead/);
  await expect(screen.getByTestId("screen-text")).toHaveText(`Convert Grace Hopper of ${company} into an account and a contact, and an opportunity if you like.`);
  // Filled in from the lead.
  await expect(screen.getByLabel("Account name")).toHaveValue(company);
  await expect(screen.getByLabel("Contact name")).toHaveValue("Grace Hopper");
  await expect(screen.getByLabel("Create an opportunity")).toBeChecked();
  await expect(screen.getByLabel("Opportunity name")).toHaveValue(`${company} – New business`);

  // A required field left empty is refused where it is; nothing is created.
  await screen.getByLabel("Account name").fill("");
  await screen.getByRole("button", { name: "Convert" }).click();
  await expect(screen.getByRole("alert").filter({ hasText: "Required" })).toBeVisible();
  await expect(screen.getByLabel("Account name")).toBeFocused();

  // A reload comes back to the same screen (the run lives on the server).
  await uma.reload();
  await expect(screen.getByRole("heading", { name: "What to create" })).toBeVisible();
  await expect(screen.getByLabel("Account name")).toHaveValue(company);

  await screen.getByLabel("Account name").fill(`${company} Inc`);
  await screen.getByLabel("Opportunity name").fill("");
  await screen.getByLabel("Amount").fill("12500");
  await screen.getByLabel("Close date").fill("2027-03-31");
  await uma.screenshot({ path: `${SHOTS}/screen-flow-convert-lead.png` });
  await screen.getByRole("button", { name: "Convert" }).click();

  await expect(screen.getByRole("heading", { name: "Converted" })).toBeVisible();
  await expect(screen.getByTestId("screen-text")).toHaveText(
    `Grace Hopper is converted: account ${company} Inc and contact Grace Hopper were created. Opportunity: ${company} Inc.`,
  );
  await expect(screen.getByRole("button", { name: "Back" })).toHaveCount(0);
  await uma.screenshot({ path: `${SHOTS}/screen-flow-converted.png` });
  await screen.getByRole("button", { name: "Done" }).click();
  await expect(uma.getByTestId("screen-flow-finished")).toContainText("Convert lead: done");
  await uma.getByRole("link", { name: "Back to the lead" }).click();

  // The lead's page shows it converted, linked to what was made.
  await expect(uma).toHaveURL(new RegExp(`/apps/crm/lead/${leadId}$`));
  await expect(uma.getByTestId("field-status")).toContainText("Converted");
  await expect(uma.getByTestId("field-converted_account")).toContainText(`${company} Inc`);
  await expect(uma.getByTestId("field-converted_contact")).toContainText("Grace Hopper");
  const deals = await trpcOk<{ records: Record<string, unknown>[] }>(uma, "data.find", { object: "opportunity", filter: { field: "name", operator: "=", value: `${company} Inc` } }, "query");
  expect(deals.records).toHaveLength(1);
  expect(deals.records[0]).toMatchObject({ amount: 12500, close_date: "2027-03-31", stage: "prospecting" });
});

test("an admin builds a two-screen flow, puts it in an app's navigation, and a user goes through it with Back and Next", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await signedIn(browser, ADMIN, "/studio");
  const [flow, app] = [uniqueName(testInfo, "check_in"), uniqueName(testInfo, "front_desk")];
  // The draft's variables come from the API; the screens are built on the canvas.
  await trpcOk(admin, "metadata.create", {
    kind: "flow",
    body: { name: flow, label: "Visitor check-in", start: { type: "screen" }, variables: [{ name: "visitor", type: "text" }, { name: "age", type: "number" }] },
  }, "mutation");
  await trpcOk(admin, "metadata.create", { kind: "app", body: { name: app, label: "Front desk", navigation: [] } }, "mutation");

  await admin.goto(`/studio/flows/${flow}`);
  const start = admin.getByRole("group", { name: "Start: Visitor check-in" });
  await expect(start).toBeVisible();
  const inspector = admin.getByRole("complementary", { name: "Inspector" });

  await dropBelowStart(admin, start, "screen", 180);
  const first = admin.getByRole("group", { name: "Screen: Screen 1" });
  await expect(first).toBeVisible();
  await connect(admin, start.getByTestId("handle-next"), first.locator(".react-flow__handle-top"));
  await first.click();
  await inspector.getByLabel("Label", { exact: true }).fill("Welcome");
  await inspector.getByLabel("Text", { exact: true }).fill("Welcome to the front desk.");
  await inspector.getByRole("button", { name: "Add field" }).click();
  await inspector.getByLabel("Field 1", { exact: true }).selectOption("visitor");
  await inspector.getByLabel("Label 1", { exact: true }).fill("Your name");
  await inspector.getByLabel("Required").check();

  const welcome = admin.getByRole("group", { name: "Screen: Welcome" });
  await dropBelowStart(admin, start, "screen", 420);
  const second = admin.getByRole("group", { name: "Screen: Screen 2" });
  await expect(second).toBeVisible();
  await connect(admin, welcome.getByTestId("handle-next"), second.locator(".react-flow__handle-top"));
  await expect(admin.locator(".react-flow__edge")).toHaveCount(2);
  await second.click();
  await inspector.getByLabel("Text", { exact: true }).fill("Hello {!visitr}");
  await expect(inspector.getByRole("alert").first()).toContainText("visitr");
  await inspector.getByLabel("Text", { exact: true }).fill("Hello {!visitor}, one more question.");
  await inspector.getByRole("button", { name: "Add field" }).click();
  await inspector.getByLabel("Field 1", { exact: true }).selectOption("age");
  await inspector.getByLabel("Label 1", { exact: true }).fill("Your age");
  await expect(second.getByTestId("node-summary")).toHaveText("Asks for Your age");
  await admin.screenshot({ path: `${SHOTS}/screen-flow-designer.png` });
  await publishInDesigner(admin);

  // The app designer offers the published screen flow as a tab.
  await admin.goto(`/studio/apps/${app}`);
  await admin.getByLabel("Screen flow to add").selectOption(flow);
  await admin.getByRole("button", { name: "Add flow" }).click();
  await expect(admin.getByRole("list", { name: "Navigation items" })).toContainText("Visitor check-in");
  await publishInDesigner(admin);

  // A user opens the app: its only tab is the flow.
  const user = await signedIn(browser, USER, `/apps/${app}`);
  await expect(user).toHaveURL(new RegExp(`/apps/${app}/run-flow/${flow}\\?run=`));
  await expect(user.getByRole("navigation", { name: "Front desk navigation" }).getByRole("link", { name: "Visitor check-in" })).toHaveAttribute("aria-current", "page");
  const screen = user.getByTestId("flow-screen");
  await expect(screen.getByRole("heading", { name: "Welcome" })).toBeVisible();
  await expect(screen.getByRole("button", { name: "Back" })).toHaveCount(0);
  await screen.getByRole("button", { name: "Next" }).click();
  await expect(screen.getByRole("alert").filter({ hasText: "Required" })).toBeVisible();
  await screen.getByLabel("Your name").fill("Ada");
  await screen.getByRole("button", { name: "Next" }).click();

  await expect(screen.getByTestId("screen-text")).toHaveText("Hello Ada, one more question.");
  await screen.getByLabel("Your age").fill("36");
  // Back: the first screen with what the user typed; the second one comes again on Next.
  await screen.getByRole("button", { name: "Back" }).click();
  await expect(screen.getByRole("heading", { name: "Welcome" })).toBeVisible();
  await expect(screen.getByLabel("Your name")).toHaveValue("Ada");
  await screen.getByLabel("Your name").fill("Ada L.");
  await screen.getByRole("button", { name: "Next" }).click();
  await expect(screen.getByTestId("screen-text")).toHaveText("Hello Ada L., one more question.");
  // What was typed on a screen left with Back is not kept (it was never submitted).
  await expect(screen.getByLabel("Your age")).toHaveValue("");
  await screen.getByLabel("Your age").fill("36");
  await user.screenshot({ path: `${SHOTS}/screen-flow-second-screen.png` });
  await screen.getByRole("button", { name: "Finish" }).click();
  await expect(user.getByTestId("screen-flow-finished")).toContainText("Visitor check-in: done");

  // The run is in the flow's history, with what was entered.
  const runs = await trpcOk<{ id: string; status: string; trigger: string }[]>(admin, "flows.runs", { flow }, "query");
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: "finished", trigger: "screen" });
  const detail = await trpcOk<{ steps: { element: string; type: string; outputs: Record<string, unknown> }[] }>(admin, "flows.runDetail", { id: runs[0]!.id }, "query");
  expect(detail.steps.map((step) => [step.element, step.type])).toEqual([["screen_1", "screen"], ["screen_2", "screen_back"], ["screen_1", "screen"], ["screen_2", "screen"]]);
  expect(detail.steps.at(-1)!.outputs).toEqual({ age: 36 });
});
