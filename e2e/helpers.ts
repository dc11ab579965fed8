import { expect, type Browser, type Page } from "@playwright/test";

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

/**
 * Resets the security model to an empty one that is not enforced: the open state of a fresh
 * install (every user works with every record), with nothing configured. Specs that edit the
 * model start from it and leave it behind, so no spec depends on another's model.
 */
export async function resetSecurityModel(browser: Browser) {
  const page = await browser.newPage();
  try {
    await signIn(page, ADMIN, "/studio");
    const current = await trpcCall(page, "metadata.get", { kind: "security", name: "org" }, "query");
    if (current.status !== 200) return; // no model yet: nothing to reset
    const { draftRevision } = current.json.result.data.json as { draftRevision: number };
    const saved = await trpcCall(page, "metadata.saveDraft", { kind: "security", name: "org", body: { enforced: false }, baseRevision: draftRevision }, "mutation");
    expect(saved.status).toBe(200);
    expect((await trpcCall(page, "metadata.publish", { kind: "security", name: "org" }, "mutation")).status).toBe(200);
  } finally {
    await page.close();
  }
}

/**
 * Makes a published form stop being its object's default (specs share one database: a spec that
 * publishes a default form retires it afterwards, so later specs get the seeded form again).
 */
export async function retireDefaultForm(browser: Browser, name: string) {
  const page = await browser.newPage();
  try {
    await signIn(page, ADMIN, "/studio");
    const current = await trpcCall(page, "metadata.get", { kind: "form", name }, "query");
    if (current.status !== 200) return;
    const detail = current.json.result.data.json as { draftRevision: number; draft: Record<string, unknown> | null; published: Record<string, unknown> | null };
    const body = detail.draft ?? detail.published;
    if (!body) return;
    const saved = await trpcCall(page, "metadata.saveDraft", { kind: "form", name, body: { ...body, isDefault: false }, baseRevision: detail.draftRevision }, "mutation");
    expect(saved.status).toBe(200);
    expect((await trpcCall(page, "metadata.publish", { kind: "form", name }, "mutation")).status).toBe(200);
  } finally {
    await page.close();
  }
}
