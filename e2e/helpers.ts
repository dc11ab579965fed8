import { expect, type Browser, type Page } from "@playwright/test";
import { demoSecurityModel } from "../server/seed/demo-security";

export const ADMIN = { email: "admin@objectstudio.local", password: "Admin123!" };
/** The demo user: Uma User, a sales rep under the demo's security model. */
export const USER = { email: "user@objectstudio.local", password: "User123!" };
/** Max Manager: the reps' sales manager. */
export const MANAGER = { email: "manager@objectstudio.local", password: "Manager123!" };
/** Rita Rep: the other sales rep, Uma's colleague. */
export const REP = { email: "rep@objectstudio.local", password: "Rep12345!" };

/**
 * A name no other test (nor an earlier run on the same database) uses: `prefix` plus a stamp of
 * lowercase letters and digits, so it stays a valid API name (`uniqueName("deal_")` ->
 * "deal_m4k2x9qa7"). Specs name what they create with it, so any order and any neighbour works.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, "0")}`;
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, who: { email: string; password: string }, callbackUrl = "/") {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/** Opens the grid's filter builder and returns the fields it offers (by label), then closes it. */
export async function filterFieldChoices(page: Page): Promise<string[]> {
  await page.getByRole("button", { name: "Add filter" }).click();
  const choices = await page.getByLabel("Filter field").locator("option").allTextContents();
  await page.getByRole("button", { name: "Cancel" }).click();
  return choices;
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

/** Saves `body` as the security model's draft (creating the document if there is none) and publishes it. */
async function publishSecurityModel(page: Page, body: unknown) {
  const current = await trpcCall(page, "metadata.get", { kind: "security", name: "org" }, "query");
  const saved =
    current.status === 200
      ? await trpcCall(page, "metadata.saveDraft", { kind: "security", name: "org", body, baseRevision: (current.json.result.data.json as { draftRevision: number }).draftRevision }, "mutation")
      : await trpcCall(page, "metadata.create", { kind: "security", body }, "mutation");
  expect(saved.status, JSON.stringify(saved.json)).toBe(200);
  const published = await trpcCall(page, "metadata.publish", { kind: "security", name: "org" }, "mutation");
  expect(published.status, JSON.stringify(published.json)).toBe(200);
}

/**
 * Publishes an empty security model that is not enforced: every user works with every record,
 * with nothing configured. Specs that build their own model in the designer, or that need every
 * record open to the demo user, start from it and put the demo's model back afterwards
 * (publishDemoSecurityModel), so no spec depends on another's model.
 */
export async function publishOpenSecurityModel(browser: Browser) {
  const page = await browser.newPage();
  try {
    await signIn(page, ADMIN, "/studio");
    await publishSecurityModel(page, { enforced: false });
  } finally {
    await page.close();
  }
}

/** Publishes the demo's security model as the seed does on a fresh start (server/seed/demo-security.ts). */
export async function publishDemoSecurityModel(browser: Browser) {
  const page = await browser.newPage();
  try {
    await signIn(page, ADMIN, "/studio");
    const users = await trpcCall(page, "users.list", undefined, "query");
    expect(users.status).toBe(200);
    const ids = new Map((users.json.result.data.json as { id: string; email: string }[]).map((user) => [user.email, user.id]));
    await publishSecurityModel(page, demoSecurityModel((email) => ids.get(email)!));
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
