import { expect, test } from "@playwright/test";
import { USER, signIn } from "./helpers";

/**
 * Two people edit the same record: the second save is refused with a clear message and the
 * second person's typing stays in the form; nothing is overwritten silently.
 */
test("a stale edit is refused and keeps what the user typed", async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  for (const page of [first, second]) {
    await signIn(page, USER, "/apps/crm/account");
    await page.getByTestId("record-row").first().getByRole("link").first().click();
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
