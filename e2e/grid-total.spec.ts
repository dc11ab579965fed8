import { expect, test, type Page } from "@playwright/test";
import { USER, signIn, trpcCall } from "./helpers";

/**
 * The grid asks `data.find` for the total (`withTotal`) only with the first block of a search or
 * filter, not with every block it scrolls to or every sort, and still shows the right total;
 * search also finds records through the names their lookups refer to.
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

test("the accounts grid counts once per search, keeps the total while scrolling and sorting", async ({ page }) => {
  const finds = recordFindInputs(page);
  await signIn(page, USER, "/apps");
  // The totals the grid should show, counted first (other specs may have added accounts).
  const count = async (search?: string) => {
    const answer = await trpcCall(page, "data.count", { object: "account", search }, "query");
    expect(answer.status).toBe(200);
    return answer.json.result.data.json as number;
  };
  const [all, acme] = [await count(), await count("acme")];
  expect(acme).toBeGreaterThan(1);
  const records = (n: number) => `${n} ${n === 1 ? "record" : "records"}`;
  finds.length = 0;
  await page.getByRole("link", { name: /Sales CRM/ }).click();
  await expect(page.getByRole("heading", { name: "Accounts" })).toBeVisible();
  await expect(page.getByTestId("grid-total")).toHaveText(records(all));
  expect(finds.some((input) => input.withTotal === true && input.offset === 0)).toBe(true);

  // Every account is in the scrolling list (no pages): the last one loads at the bottom.
  finds.length = 0;
  await page.getByTestId("grid-scroll").evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(page.locator(`[data-testid="record-row"][data-index="${all - 1}"]`)).toBeVisible();
  await expect(page.getByTestId("grid-total")).toHaveText(records(all));

  // A click sorts by the name, or (where the list's view already sorts by it) turns the order around.
  const nameHeader = page.getByRole("columnheader", { name: "Account name" });
  const before = await nameHeader.getAttribute("aria-sort");
  await nameHeader.getByRole("button", { name: "Account name" }).click();
  await expect(nameHeader).toHaveAttribute("aria-sort", before === "ascending" ? "descending" : "ascending");
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await expect(page.getByTestId("grid-total")).toHaveText(records(all));
  // Scrolling and sorting asked for blocks only, never for the count.
  expect(finds.length).toBeGreaterThan(0);
  expect(finds.filter((input) => input.withTotal)).toEqual([]);

  finds.length = 0;
  await page.getByLabel("Search").fill("acme");
  await expect(page.getByTestId("grid-total")).toHaveText(records(acme));
  await expect(page.getByTestId("record-row")).toHaveCount(acme);
  expect(finds.filter((input) => input.withTotal === true && input.search === "acme")).toHaveLength(1);
});

test("searching contacts finds them by their account's name (search through lookups)", async ({ page }) => {
  await signIn(page, USER, "/apps");
  const expected = await trpcCall(page, "data.count", { object: "contact", search: "Acme" }, "query");
  expect(expected.status).toBe(200);
  const total = expected.json.result.data.json as number;
  expect(total).toBeGreaterThan(0);

  await page.getByRole("link", { name: /Sales CRM/ }).click();
  // The app opens on its first object; wait for it before moving on (or its redirect wins).
  await expect(page.getByRole("heading", { name: "Accounts" })).toBeVisible();
  await page.getByRole("link", { name: "Contacts" }).first().click();
  await expect(page.getByRole("heading", { name: "Contacts" })).toBeVisible();
  await page.getByLabel("Search").fill("Acme");
  await expect(page.getByTestId("grid-total")).toHaveText(`${total} ${total === 1 ? "record" : "records"}`);
  // No contact has "Acme" in its own fields: every row is there for its account.
  for (const row of await page.getByTestId("record-row").all()) await expect(row).toContainText("Acme");
});

test("a grouped grid shows no count until it has counted: not '0 records' while its groups load", async ({ page }) => {
  await signIn(page, USER, "/apps");
  // The groups' counts (data.aggregate) answer slowly, as on a big table.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/api\/trpc\/[^?]*data\.aggregate/, async (route) => {
    await held;
    await route.continue();
  });
  const totals: string[] = [];
  await page.exposeFunction("reportTotal", (text: string) => totals.push(text));
  await page.goto("/apps/crm/account");
  await expect(page.getByRole("button", { name: "View: Accounts by industry" })).toBeVisible();
  const total = page.getByTestId("grid-total");
  await expect(total).toHaveText("Counting records…");
  await expect(total).toHaveAttribute("aria-busy", "true");
  // Everything the footer says from now on is recorded.
  await total.evaluate((element) => {
    const report = () => (window as unknown as { reportTotal(text: string): void }).reportTotal(element.textContent ?? "");
    new MutationObserver(report).observe(element, { childList: true, characterData: true, subtree: true });
  });
  release();
  await expect(total).toHaveText(/^\d+ records?$/);
  await expect(total).toHaveAttribute("aria-busy", "false");
  expect(totals.filter((text) => /^0 records$/.test(text))).toEqual([]);
  const shown = Number((await total.textContent())!.split(" ")[0]);
  const counted = await trpcCall(page, "data.count", { object: "account" }, "query");
  expect(shown).toBe(counted.json.result.data.json as number);
});
