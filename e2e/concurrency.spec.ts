import { expect, test, type Page } from "@playwright/test";
import { MANAGER, USER, signIn, trpcCall } from "./helpers";

/** The first account (by name) the signed-in user may edit. */
async function editableAccount(page: Page): Promise<string> {
  const found = await trpcCall(page, "data.find", { object: "account", orderBy: [{ field: "name" }], limit: 50 }, "query");
  for (const { id } of found.json.result.data.json.records as { id: string }[]) {
    const access = await trpcCall(page, "data.recordAccess", { object: "account", id }, "query");
    if (access.json.result.data.json.edit === true) return id;
  }
  throw new Error("the user may edit none of the first 50 accounts");
}

/**
 * Two people edit the same record: the second save is refused with a clear message and the
 * second person's typing stays in the form; nothing is overwritten silently. The two are the
 * demo user and her manager, on an account of hers (both may edit it).
 */
test("a stale edit is refused and keeps what the user typed", async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await signIn(first, USER, "/apps/crm/account");
  await signIn(second, MANAGER, "/apps/crm/account");
  const account = await editableAccount(first);
  for (const page of [first, second]) {
    await page.goto(`/apps/crm/account/${account}`);
    await page.getByRole("button", { name: "Edit" }).click();
  }

  await first.getByLabel("Employees").fill("111");
  await first.getByRole("button", { name: "Save" }).click();
  await expect(first.getByText("Saved.")).toBeVisible();

  await second.getByLabel("Employees").fill("222");
  await second.getByRole("button", { name: "Save" }).click();
  await expect(second.getByText(/changed by someone else since you loaded it/)).toBeVisible();
  await expect(second.getByLabel("Employees")).toHaveValue("222");

  await first.reload();
  await expect(first.getByTestId("field-employees")).toContainText("111");
});
