import { expect, test } from "@playwright/test";
import { ADMIN, USER, signIn, trpcCall } from "./helpers";
import { createPublished, findRecords, trpcOk, uniqueName } from "./support/own-data";

/**
 * A published flow that a later change of its object broke is flagged in the studio: the admin
 * publishes an after-save flow that stamps a field, removes that field in the object designer
 * and publishes the object; the sidebar's Flows entry counts the broken flow, its row in the
 * flow list says "Broken: 1 problem" (the problem shown on hover and as the row's description),
 * and the designer's banner names the element and the field, with a button that selects the
 * element. Regular users never get the list of problems from the API.
 */
test("a flow broken by removing a field it sets is flagged in the list, the sidebar and the designer", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signIn(admin, ADMIN, "/studio");
  const [object, flow] = [uniqueName(testInfo, "gadget"), uniqueName(testInfo, "stamp_gadgets")];
  await createPublished(admin, "object", {
    name: object, label: "Gadget", pluralLabel: "Gadgets", nameField: "title",
    fields: [
      { id: "g_title", name: "title", label: "Title", type: "text", required: true },
      { id: "g_stamp", name: "stamp", label: "Stamp", type: "text" },
    ],
  });
  await trpcOk(admin, "metadata.create", {
    kind: "flow",
    body: {
      name: flow, label: "Stamp gadgets",
      start: { type: "record", object, when: "after_save", on: "create", position: { x: 0, y: 0 } },
      elements: [{ id: "stamp_it", label: "Stamp it", type: "update_records", position: { x: 0, y: 160 }, record: "record", values: [{ field: "stamp", value: '"stamped"' }] }],
      edges: [{ source: "start", target: "stamp_it" }],
    },
  }, "mutation");
  await trpcOk(admin, "metadata.publish", { kind: "flow", name: flow }, "mutation");

  // Working: a new gadget is stamped, and the flow is not flagged.
  await trpcOk(admin, "data.create", { object, values: { title: "First" } }, "mutation");
  await expect.poll(async () => (await findRecords(admin, object))[0]?.stamp, { timeout: 30_000 }).toBe("stamped");
  const before = await trpcOk<{ flow: string }[]>(admin, "flows.problems", {}, "query");
  expect(before.map((problem) => problem.flow)).not.toContain(flow);

  // The admin removes the field in the object designer and publishes (dropping its data).
  await admin.goto(`/studio/objects/${object}`);
  await admin.getByRole("button", { name: "Remove field Stamp" }).click();
  await expect(admin.getByText("Removed field Stamp.")).toBeVisible();
  await admin.getByRole("button", { name: "Publish", exact: true }).first().click();
  const publishDialog = admin.getByRole("dialog");
  await publishDialog.getByRole("button", { name: "Publish and delete data" }).click();
  await expect(admin.getByText(/Published version 2\./)).toBeVisible();
  // The sidebar follows the publish without a reload.
  const sidebarCount = admin.getByRole("navigation").getByRole("link", { name: /Flows/ }).getByTestId("broken-flows");
  await expect(sidebarCount).toBeVisible();
  await expect(sidebarCount).toHaveText(/^\d+ broken$/);

  // The flow list: the row's badge, and the first problem on hover and as its description.
  await admin.goto("/studio/flows");
  const row = admin.getByRole("list", { name: "Flows" }).getByRole("link", { name: /Stamp gadgets/ });
  await expect(row.getByTestId("flow-broken")).toHaveText("Broken: 1 problem");
  await expect(row).toHaveAccessibleDescription(`Element 'stamp_it' (Stamp it): '${object}' has no field 'stamp'`);
  const tooltip = row.getByRole("tooltip");
  await expect(tooltip).toBeHidden();
  await row.hover();
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("has no field 'stamp'");
  await admin.screenshot({ path: testInfo.outputPath("flow-list-broken.png") });
  await admin.mouse.move(0, 0);
  await expect(tooltip).toBeHidden();
  // Keyboard focus shows it too.
  await row.focus();
  await admin.keyboard.press("Shift+Tab");
  await admin.keyboard.press("Tab");
  await expect(row).toBeFocused();
  await expect(tooltip).toBeVisible();

  // The designer: a banner names the element and the field; its button selects the element.
  await row.click();
  await expect(admin).toHaveURL(new RegExp(`/studio/flows/${flow}$`));
  const banner = admin.getByTestId("published-problems");
  await expect(banner).toContainText("The published version (v1) is broken: 1 problem against today's objects and flows. It may fail, or not start, until a fixed version is published.");
  await expect(banner).toContainText(`Element 'stamp_it' (Stamp it): '${object}' has no field 'stamp'`);
  await expect(admin.getByRole("tab", { name: "Flow", exact: true })).toHaveAttribute("aria-selected", "true");
  await banner.getByRole("button", { name: "Stamp it" }).click();
  await expect(admin.getByRole("tab", { name: "Selection" })).toHaveAttribute("aria-selected", "true");
  await expect(admin.locator(".react-flow__node.selected")).toContainText("Stamp it");
  await admin.screenshot({ path: testInfo.outputPath("flow-designer-broken.png") });

  // Regular users are refused the list.
  const user = await (await browser.newContext()).newPage();
  await signIn(user, USER, "/");
  expect((await trpcCall(user, "flows.problems", {}, "query")).status).toBe(403);
});
