import { expect, test } from "@playwright/test";
import { USER, signIn } from "./helpers";

/**
 * The generated app's shell with the parts that load on demand (kept out of the list page's first
 * load): the navigation's icons (rendered by the server), the view menu opened from the keyboard
 * before its code has loaded, and signing out (no client session provider).
 */

const LIST = "/apps/crm/opportunity";

test("the app navigation shows each object's icon and marks the open page", async ({ page }) => {
  await signIn(page, USER, LIST);
  const nav = page.getByRole("navigation", { name: /navigation$/ });
  const current = nav.getByRole("link", { name: "Opportunities" });
  await expect(current).toHaveAttribute("aria-current", "page");
  await expect(current.locator("svg")).toHaveCount(1);
  await expect(nav.getByRole("link", { name: "Accounts" }).locator("svg")).toHaveCount(1);
  await page.screenshot({ path: "/tmp/bundle-app-shell.png" });
});

test("every page has the product's icon as its favicon, the sign-in page too", async ({ page }) => {
  for (const path of ["/signin", LIST]) {
    if (path === LIST) await signIn(page, USER, LIST);
    else await page.goto(path);
    const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(href, `the favicon link of ${path}`).toBeTruthy();
    const icon = await page.request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  }
});

test("the view menu opens with the keyboard before its code has loaded, and later with the mouse", async ({ page }) => {
  await signIn(page, USER, LIST);
  const trigger = page.getByRole("button", { name: "View: All opportunities" });
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await trigger.focus();
  await page.keyboard.press("ArrowDown");
  const option = page.getByRole("menuitem", { name: /All opportunities/ });
  await expect(option).toBeVisible();
  await page.screenshot({ path: "/tmp/bundle-view-menu.png" });
  await page.keyboard.press("Escape");
  await expect(option).toBeHidden();
  // Opened again with the mouse, the (now loaded) menu offers saving the current view.
  await page.getByRole("button", { name: "View: All opportunities" }).click();
  await page.getByRole("menuitem", { name: "Save as my view…" }).click();
  await expect(page.getByRole("dialog", { name: "Save as my view" })).toBeVisible();
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, USER, LIST);
  await page.goto("/signout");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin/);
  await page.goto(LIST);
  await expect(page).toHaveURL(/\/signin/);
});
