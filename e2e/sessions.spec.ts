import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ADMIN, USER, signIn, trpcCall } from "./helpers";

/**
 * Sessions end when they should: sign-out, "sign out everywhere" (the user's own and an admin's),
 * a password change and a deactivation each make a copy of the session cookie, taken before,
 * useless at once (401 from tRPC, sign-in page for pages). Sign-in only ever goes on to our own
 * origin, and the studio answers a regular user 403.
 */

const COOKIE = "next-auth.session-token";

/** A new browser signed in as `who`, as a person does it. */
async function signedIn(browser: Browser, who: { email: string; password: string }, callbackUrl = "/apps") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who, callbackUrl);
  return { context, page };
}

/** Another browser holding a copy of `context`'s session cookie (as someone who stole it would). */
async function copyOfSession(browser: Browser, context: BrowserContext): Promise<Page> {
  const cookie = (await context.cookies()).find((candidate) => candidate.name === COOKIE);
  expect(cookie, "the session cookie").toBeTruthy();
  const thief = await browser.newContext();
  await thief.addCookies([cookie!]);
  return thief.newPage();
}

/** The copied cookie works: tRPC answers and a page renders. */
async function expectSignedIn(page: Page) {
  expect((await trpcCall(page, "account.sessions", undefined, "query")).status).toBe(200);
  await page.goto("/apps");
  await expect(page).toHaveURL(/\/apps$/);
}

/** The copied cookie is refused: 401 from tRPC, and pages send it to sign in. */
async function expectSignedOut(page: Page) {
  const call = await trpcCall(page, "account.sessions", undefined, "query");
  expect(call.status).toBe(401);
  expect(call.json.error.json.message).toBe("Sign in to continue");
  await page.goto("/apps");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fapps$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
}

test("after signing in with a hostile callbackUrl the browser stays on our origin; a same-origin one is followed", async ({ browser, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const hostile = [
    "%2F%5Cevil.example", // the issue's example: /\evil.example
    "%2F%2Fevil.example",
    "%5C%5Cevil.example",
    "%2F%09%2Fevil.example", // a tab inside
    "%2F%0A%2Fevil.example", // a newline inside
    "https%3A%2F%2Fevil.example%2F",
    "javascript%3Aalert(document.domain)",
    "%252F%252Fevil.example", // double-encoded: stays a path here
  ];
  const context = await browser.newContext();
  const page = await context.newPage();
  const elsewhere: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== origin) elsewhere.push(request.url());
  });
  await context.route((url) => url.origin !== origin, (route) => route.abort());
  for (const value of hostile) {
    await context.clearCookies();
    await page.goto(`/signin?callbackUrl=${value}`);
    await page.getByLabel("Email").fill(USER.email);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/\/signin/);
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin, value).toBe(origin);
  }
  expect(elsewhere).toEqual([]);

  await context.clearCookies();
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(`${origin}/account/security`)}`);
  await page.getByLabel("Email").fill(USER.email);
  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${origin}/account/security`);
  await context.close();
});

test("a copy of the session cookie stops working when its browser signs out", async ({ browser }) => {
  const { context, page } = await signedIn(browser, USER);
  const thief = await copyOfSession(browser, context);
  await expectSignedIn(thief);

  await page.getByRole("link", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect((await context.cookies()).some((cookie) => cookie.name === COOKIE)).toBe(false);

  await expectSignedOut(thief);
  await context.close();
  await thief.context().close();
});

test("a tampered session cookie is signed out", async ({ browser }) => {
  const { context } = await signedIn(browser, USER);
  const cookie = (await context.cookies()).find((candidate) => candidate.name === COOKIE)!;
  const tampered = await browser.newContext();
  const flipped = cookie.value.slice(0, 50) + (cookie.value[50] === "A" ? "B" : "A") + cookie.value.slice(51);
  await tampered.addCookies([{ ...cookie, value: flipped }]);
  await expectSignedOut(await tampered.newPage());
  await tampered.close();
  await context.close();
});

test("an admin signs a user out everywhere from the studio's users admin", async ({ browser }) => {
  const user = await signedIn(browser, USER);
  const thief = await copyOfSession(browser, user.context);
  await expectSignedIn(thief);

  const admin = await signedIn(browser, ADMIN, "/studio");
  await admin.page.getByRole("link", { name: "Users", exact: true }).click();
  await expect(admin.page.getByRole("heading", { name: "Users" })).toBeVisible();
  const row = admin.page.getByTestId(`user-row-${USER.email}`);
  await expect(row.getByTestId("live-sessions")).toHaveText(/\d+ sessions?/);
  await admin.page.screenshot({ path: "test-results/sessions-users-admin.png", fullPage: true });
  await row.getByRole("button", { name: `Sign ${USER.email} out everywhere` }).click();
  await admin.page.getByRole("alertdialog").getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(admin.page.getByText(new RegExp(`${USER.email} was signed out of \\d+ sessions?\\.`))).toBeVisible();
  await expect(row.getByTestId("live-sessions")).toHaveText("No sessions");

  await expectSignedOut(thief);
  await user.page.reload();
  await expect(user.page).toHaveURL(/\/signin/);
  // The admin's own session is untouched.
  await expect(admin.page.getByRole("heading", { name: "Users" })).toBeVisible();
  expect((await trpcCall(admin.page, "users.accounts", undefined, "query")).status).toBe(200);
  for (const context of [user.context, thief.context(), admin.context]) await context.close();
});

test("a user signs out of all their devices from their account page", async ({ browser }) => {
  const elsewhere = await signedIn(browser, USER);
  const { context, page } = await signedIn(browser, USER);
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page.getByRole("heading", { name: "Sign-in & security" })).toBeVisible();
  const rows = page.getByTestId("session-row");
  await expect(rows.first()).toContainText("This browser");
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: "test-results/sessions-account.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out of all my devices" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/signin\?reason=signed-out-everywhere/);
  await expect(page.getByText("You were signed out on all your devices.")).toBeVisible();
  await expectSignedOut(elsewhere.page);
  await context.close();
  await elsewhere.context.close();
});

test("a password change signs the user out everywhere; the new password works, the old does not", async ({ browser }) => {
  const NEW_PASSWORD = "Changed-Pass-42";
  const { context, page } = await signedIn(browser, USER);
  const thief = await copyOfSession(browser, context);
  let changed = false;
  try {
    await page.goto("/account/security");
    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Repeat new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("is not your current password")).toBeVisible();
    await expectSignedIn(thief);

    await page.getByLabel("Current password").fill(USER.password);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page).toHaveURL(/\/signin\?reason=password-changed/);
    changed = true;
    await expect(page.getByText("Your password was changed")).toBeVisible();
    await page.screenshot({ path: "test-results/sessions-password-changed.png" });
    await expectSignedOut(thief);

    await page.getByLabel("Email").fill(USER.email);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account\/security$/);
  } finally {
    // Other specs sign in with the demo password: put it back.
    if (changed) {
      const restore = await signedIn(browser, { email: USER.email, password: NEW_PASSWORD });
      const back = await trpcCall(restore.page, "account.changePassword", { currentPassword: NEW_PASSWORD, newPassword: USER.password }, "mutation");
      expect(back.status).toBe(200);
      await restore.context.close();
    }
    await context.close();
    await thief.context().close();
  }
  const again = await signedIn(browser, USER);
  await again.context.close();
});

test("deactivating a user signs them out at once and keeps them out until reactivated", async ({ browser }) => {
  const user = await signedIn(browser, USER);
  const thief = await copyOfSession(browser, user.context);
  const admin = await signedIn(browser, ADMIN, "/studio/users");
  const row = admin.page.getByTestId(`user-row-${USER.email}`);
  try {
    await row.getByRole("button", { name: `Deactivate ${USER.email}` }).click();
    await admin.page.getByRole("alertdialog").getByRole("button", { name: "Deactivate" }).click();
    await expect(row).toContainText("Inactive");
    await expectSignedOut(thief);
    await expectSignedOut(user.page);
    await user.page.goto("/signin");
    await user.page.getByLabel("Email").fill(USER.email);
    await user.page.getByLabel("Password").fill(USER.password);
    await user.page.getByRole("button", { name: "Sign in" }).click();
    await expect(user.page.getByText("Wrong email or password.")).toBeVisible();
    // An admin cannot deactivate themself: their own row offers no such button.
    await expect(admin.page.getByTestId(`user-row-${ADMIN.email}`).getByRole("button")).toHaveCount(0);
  } finally {
    await row.getByRole("button", { name: `Reactivate ${USER.email}` }).click();
    await expect(row).toContainText("Active");
  }
  // The old cookie stays dead; a new sign-in works.
  await expectSignedOut(thief);
  await signIn(user.page, USER, "/apps");
  for (const context of [user.context, thief.context(), admin.context]) await context.close();
});

test("a regular user gets 403 and a friendly page for /studio and every page under it", async ({ browser }) => {
  const { context, page } = await signedIn(browser, USER);
  for (const path of ["/studio", "/studio/objects/account", "/studio/users", "/studio/audit/logins"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
    await expect(page.getByText(`Your account (${USER.email}) can use the apps.`)).toBeVisible();
  }
  await page.screenshot({ path: "test-results/sessions-studio-403.png" });
  await page.getByRole("link", { name: "Go to apps" }).click();
  await expect(page).toHaveURL(/\/apps$/);
  await context.close();

  const admin = await signedIn(browser, ADMIN, "/studio");
  expect((await admin.page.goto("/studio"))?.status()).toBe(200);
  await admin.context.close();
});
