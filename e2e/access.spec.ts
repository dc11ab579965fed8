import { expect, test } from "@playwright/test";
import { ADMIN, USER, signIn, trpcCall } from "./helpers";

test("health reports the app and the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", database: { status: "ok", dialect: "sqlite" } });
});

test("signed-out visitors are sent to sign-in, and a wrong password is refused", async ({ page }) => {
  await page.goto("/studio");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});

test("a regular user opening the studio is refused, and metadata calls are forbidden", async ({ page }) => {
  await signIn(page, USER, "/studio");
  await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
  await expect(page.getByText("Objects", { exact: true })).toHaveCount(0);
  const list = await trpcCall(page, "metadata.list", { kind: "object" }, "query");
  expect(list.status).toBe(403);
  const create = await trpcCall(page, "metadata.create", { kind: "object", body: { name: "hack", label: "H", pluralLabel: "H", fields: [] } }, "mutation");
  expect(create.status).toBe(403);
});

test("bad input over HTTP gets a 4xx that names the problem", async ({ page }) => {
  await signIn(page, USER, "/apps");
  const before = await trpcCall(page, "data.count", { object: "account" }, "query");
  expect(before.status).toBe(200);
  const unknownField = await trpcCall(page, "data.find", { object: "account", filter: { field: "nope", operator: "=", value: 1 } }, "query");
  expect(unknownField.status).toBe(400);
  expect(JSON.stringify(unknownField.json)).toContain("nope");
  const wrongType = await trpcCall(page, "data.create", { object: "account", values: { name: "X", employees: "many" } }, "mutation");
  expect(wrongType.status).toBe(400);
  expect(JSON.stringify(wrongType.json)).toContain("employees");
  const injection = await trpcCall(page, "data.find", { object: "account; drop table obj_account" }, "query");
  expect(injection.status).toBe(400);
  const stillThere = await trpcCall(page, "data.count", { object: "account" }, "query");
  expect(stillThere.status).toBe(200);
  expect(stillThere.json.result.data.json).toBe(before.json.result.data.json);
});

test("the demo CRM is there for a new user", async ({ page }) => {
  await signIn(page, USER, "/apps");
  // As many as she may read (other specs may have added some): counted before the page opens.
  const accounts = await trpcCall(page, "data.count", { object: "account" }, "query");
  expect(accounts.json.result.data.json).toBeGreaterThanOrEqual(60);
  await page.getByRole("link", { name: /Sales CRM/ }).click();
  await expect(page.getByRole("heading", { name: "Accounts" })).toBeVisible();
  await expect(page.getByText(`${accounts.json.result.data.json} records`)).toBeVisible();
  await page.screenshot({ path: "test-results/crm-accounts.png", fullPage: true });
});
