import { expect, test, type Page } from "@playwright/test";
import { USER, signIn, trpcCall } from "./helpers";

/**
 * The grid asks `data.find` for the total (`withTotal`) only with the first page of a search or
 * filter, not with every page or sort, and still shows the right total; search also finds
 * records through the names their lookups refer to.
 */

/** The `data.find` inputs the page sends, as they are sent (batched GETs). */
function recordFindInputs(page: Page): Record<string, unknown>[] {
  const inputs: Record<string, unknown>[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith("/api/trpc/")) return;
    const paths = decodeURIComponent(url.pathname.slice("/api/trpc/".length)).split(",");
    const raw = url.searchParams.get("input");
    if (!raw) return;
    const batch = JSON.parse(raw) as Record<string, { json: Record<string, unknown> }>;
    paths.forEach((path, index) => {
      if (path === "data.find") inputs.push(batch[String(index)]?.json ?? {});
    });
  });
  return inputs;
}

test("the accounts grid counts once per search, keeps the total while paging and sorting", async ({ page }) => {
  const finds = recordFindInputs(page);
  await signIn(page, USER, "/apps");
  await page.getByRole("link", { name: /Sales CRM/ }).click();
  await expect(page.getByRole("heading", { name: "Accounts" })).toBeVisible();
  await expect(page.getByTestId("grid-total")).toHaveText("60 records");
  await expect(page.getByTestId("grid-page")).toHaveText("Page 1 of 3");
  expect(finds.some((input) => input.withTotal === true && input.offset === 0)).toBe(true);

  finds.length = 0;
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.getByTestId("grid-page")).toHaveText("Page 2 of 3");
  await expect(page.getByText("Showing 26–50")).toBeVisible();
  await expect(page.getByTestId("grid-total")).toHaveText("60 records");
  await page.getByRole("columnheader", { name: "Account name" }).getByRole("button").click();
  await expect(page.getByRole("columnheader", { name: "Account name" })).toHaveAttribute("aria-sort", "ascending");
  await expect(page.getByTestId("record-row").first()).toContainText("Acme");
  await expect(page.getByTestId("grid-total")).toHaveText("60 records");
  // Paging and sorting asked for pages only, never for the count.
  expect(finds.length).toBeGreaterThan(0);
  expect(finds.filter((input) => input.withTotal)).toEqual([]);

  finds.length = 0;
  await page.getByLabel("Search").fill("acme");
  await expect(page.getByTestId("grid-total")).toHaveText("5 records");
  await expect(page.getByTestId("grid-page")).toHaveText("Page 1 of 1");
  expect(finds.filter((input) => input.withTotal === true && input.search === "acme")).toHaveLength(1);
});

test("searching contacts finds them by their account's name (search through lookups)", async ({ page }) => {
  await signIn(page, USER, "/apps");
  const expected = await trpcCall(page, "data.count", { object: "contact", search: "Acme" }, "query");
  expect(expected.status).toBe(200);
  const total = expected.json.result.data.json as number;
  expect(total).toBeGreaterThan(0);

  await page.getByRole("link", { name: /Sales CRM/ }).click();
  await page.getByRole("link", { name: "Contacts" }).first().click();
  await expect(page.getByRole("heading", { name: "Contacts" })).toBeVisible();
  await page.getByLabel("Search").fill("Acme");
  await expect(page.getByTestId("grid-total")).toHaveText(`${total} ${total === 1 ? "record" : "records"}`);
  // No contact has "Acme" in its own fields: every row is there for its account.
  for (const row of await page.getByTestId("record-row").all()) await expect(row).toContainText("Acme");
});
