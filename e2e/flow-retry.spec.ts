import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";
import { createPublished, findRecords, trpcOk, uniqueName } from "./support/own-data";

/**
 * Retrying a failed run: an autolaunched flow creates a ticket, and a validation rule of the
 * ticket object refuses its title, so the run fails at that step. The admin sees the failure in
 * the flow's Runs tab, relaxes the rule (publishes the object without it), opens the run and
 * clicks "Retry from the failed step": the run goes on from there with the variables it had (the
 * count it made before the failure is not made again), finishes, and its log shows the retry.
 */
const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

test("the admin retries a failed run from its failed step after fixing the cause", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const admin = await (await browser.newContext({ viewport: { width: 1500, height: 950 } })).newPage();
  await signIn(admin, ADMIN, "/studio");
  const [ticket, flow] = [uniqueName(testInfo, "ticket"), uniqueName(testInfo, "file_ticket")];
  const ticketBody = {
    name: ticket, label: "Ticket", pluralLabel: "Tickets", nameField: "title",
    fields: [{ id: "t_title", name: "title", label: "Title", type: "text", required: true }],
  };
  await createPublished(admin, "object", { ...ticketBody, validationRules: [{ name: "no_drafts", expression: "LEFT(title, 5) <> 'Draft'", message: "Drafts are not filed", errorField: "title" }] });
  await trpcOk(admin, "metadata.create", {
    kind: "flow",
    body: {
      name: flow, label: "File a ticket", start: { type: "autolaunched" },
      variables: [{ name: "title", type: "text", input: true }, { name: "attempt", type: "number", default: 0 }],
      elements: [
        { id: "count", label: "Count the attempt", type: "assignment", assignments: [{ target: "attempt", operator: "add", value: "1" }] },
        { id: "file", label: "File it", type: "create_record", object: ticket, values: [{ field: "title", value: "title & ' (attempt ' & TEXT(attempt) & ')'" }] },
      ],
      edges: [{ source: "start", target: "count" }, { source: "count", target: "file" }],
    },
  }, "mutation");
  await trpcOk(admin, "metadata.publish", { kind: "flow", name: flow }, "mutation");
  const failed = await trpcOk<{ runId: string; status: string }>(admin, "flows.run", { flow, inputs: { title: "Draft report" } }, "mutation");
  expect(failed.status).toBe("failed");

  await admin.goto(`/studio/flows/${flow}`);
  await admin.getByRole("tab", { name: "Runs" }).click();
  const row = admin.getByTestId("run-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("failed");
  await expect(row).toContainText("file: ");
  await expect(row).toContainText("Drafts are not filed");
  await row.getByRole("button").first().click();
  const retry = admin.getByRole("button", { name: "Retry from the failed step" });
  await expect(retry).toBeVisible();

  // While the rule is there, a retry fails again at the same step.
  await retry.click();
  await expect.poll(async () => {
    await admin.getByRole("button", { name: "Refresh" }).click();
    return admin.getByTestId("run-step").count();
  }, { timeout: 20_000 }).toBe(4);
  await expect(row).toContainText("failed");

  // The admin relaxes the rule, then retries: the run files the ticket and finishes.
  const detail = await trpcOk<{ draftRevision: number }>(admin, "metadata.get", { kind: "object", name: ticket }, "query");
  await trpcOk(admin, "metadata.saveDraft", { kind: "object", name: ticket, body: { ...ticketBody, validationRules: [] }, baseRevision: detail.draftRevision }, "mutation");
  await trpcOk(admin, "metadata.publish", { kind: "object", name: ticket }, "mutation");
  await retry.click();
  await expect.poll(async () => {
    await admin.getByRole("button", { name: "Refresh" }).click();
    return (await row.textContent()) ?? "";
  }, { timeout: 20_000 }).toContain("finished");
  await expect(retry).toHaveCount(0);
  // Counted once, before the first failure: the retries went on from the failed step.
  expect((await findRecords(admin, ticket)).map((record) => record.title)).toEqual(["Draft report (attempt 1)"]);
  const steps = admin.getByTestId("run-step");
  await expect(steps).toHaveCount(6);
  await expect(steps.filter({ hasText: "Retried" })).toHaveCount(2);
  await expect(steps.last()).toContainText("File it");
  await expect(steps.last()).not.toContainText("Drafts are not filed");
  await admin.screenshot({ path: `${SHOTS}/flow-retry.png` });
});
