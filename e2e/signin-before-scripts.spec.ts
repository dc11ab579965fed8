import { expect, test } from "@playwright/test";

/**
 * A sign-in form sent before the page's scripts run (slow network, scripts failing) is posted:
 * the password never lands in the address bar, the history or a server's access log.
 */
test.use({ javaScriptEnabled: false });

test("the sign-in form sent without scripts keeps the password out of the URL", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("nobody@objectstudio.local");
  await page.getByLabel("Password").fill("not-in-the-url-123");
  const [request] = await Promise.all([page.waitForRequest((sent) => sent.isNavigationRequest() && sent.url().includes("/signin")), page.getByRole("button", { name: "Sign in" }).click()]);
  expect(request.method()).toBe("POST");
  expect(request.url()).not.toContain("not-in-the-url-123");
  await page.waitForLoadState();
  expect(page.url()).not.toContain("password");
  expect(page.url()).not.toContain("not-in-the-url-123");
});
