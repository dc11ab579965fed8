import { expect, type Page } from "@playwright/test";

export const ADMIN = { email: "admin@objectstudio.local", password: "Admin123!" };
export const USER = { email: "user@objectstudio.local", password: "User123!" };

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, who: { email: string; password: string }, callbackUrl = "/") {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/** Calls a tRPC procedure over HTTP with the page's cookies; returns status and JSON. */
export async function trpcCall(page: Page, path: string, input: unknown, kind: "query" | "mutation") {
  const body = { json: input };
  const response =
    kind === "query"
      ? await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(body))}`)
      : await page.request.post(`/api/trpc/${path}`, { data: body });
  return { status: response.status(), json: await response.json() };
}
