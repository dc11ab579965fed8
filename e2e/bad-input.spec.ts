import http from "node:http";
import { expect, test } from "@playwright/test";
import { USER, signIn, trpcCall } from "./helpers";

const SHOTS = "test-results/screens";

/**
 * Bad input as a person meets it: the server refuses a value it would otherwise have changed
 * (1.5 employees), the form shows why next to the field, and nothing is saved. And the limits
 * a careless client meets over the same HTTP API the page uses.
 */
test("a whole-number field refuses 12.5 with the reason beside it, and the record keeps its value", async ({ page }) => {
  await signIn(page, USER, "/apps/crm/account");
  // An account the demo user may edit (their own: accounts are editable by their owner).
  const listed = await trpcCall(page, "data.find", { object: "account", limit: 100, select: ["name", "employees"] }, "query");
  let account: { id: string; name: string; employees: number | null } | undefined;
  for (const candidate of listed.json.result.data.json.records as { id: string; name: string; employees: number | null }[]) {
    const access = await trpcCall(page, "data.recordAccess", { object: "account", id: candidate.id }, "query");
    if (access.json.result?.data.json.edit) {
      account = candidate;
      break;
    }
  }
  expect(account, "the demo user owns an account they may edit").toBeDefined();
  if (!account) return;

  await page.goto(`/apps/crm/account/${account.id}`);
  await expect(page.getByRole("heading", { name: account.name })).toBeVisible();
  await page.getByRole("button", { name: "Edit" }).click();
  const employees = page.getByLabel("Employees");
  await employees.fill("12.5");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Field 'employees' must be a whole number (got 12.5)")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/bad-input-whole-number.png`, fullPage: true });

  const stored = await trpcCall(page, "data.get", { object: "account", id: account.id }, "query");
  expect(stored.json.result.data.json.employees).toBe(account.employees);
  await employees.fill("12");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(page.getByTestId("field-employees")).toContainText("12");
  // Put the seeded value back for the specs that follow.
  await trpcCall(page, "data.update", { object: "account", id: account.id, values: { employees: account.employees } }, "mutation");
});

test("the API the page uses refuses oversized, over-batched and hostile requests with clean 4xx answers", async ({ page }) => {
  await signIn(page, USER, "/apps/crm/account");
  const big = await page.request.post("/api/trpc/data.create", { data: { json: { object: "account", values: { name: "x".repeat(1_100_000) } } } });
  expect(big.status()).toBe(413);
  expect((await big.json()).error.json.message).toBe("The request body must be at most 1 MB");

  const paths = Array.from({ length: 30 }, () => "data.count").join(",");
  const inputs = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [index, { json: { object: "account" } }]));
  const batch = await page.request.get(`/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
  expect(batch.status()).toBe(400);
  expect(JSON.stringify(await batch.json())).toContain("A batch may call at most 20 procedures (this one calls 30)");

  const proto = await page.request.post("/api/trpc/data.create", {
    headers: { "content-type": "application/json" },
    data: '{"json":{"object":"account","values":{"name":"Proto","__proto__":{"name":"x"}}}}',
  });
  expect(proto.status()).toBe(400);
  expect((await proto.json()).error.json.data.issues).toEqual([{ path: ["values", "__proto__"], message: "'__proto__' is not allowed as a name" }]);

  const deep = `${'{"not":'.repeat(5000)}{"field":"name","operator":"=","value":"x"}${"}".repeat(5000)}`;
  const nested = await page.request.post("/api/trpc/data.find", { headers: { "content-type": "application/json" }, data: `{"json":{"object":"account","filter":${deep}}}` });
  expect(nested.status()).toBe(400);
  expect((await nested.json()).error.json.message).toContain("nested too deeply");

  const nul = await trpcCall(page, "data.find", { object: "account", search: "Acme\u0000" }, "query");
  expect(nul.status).toBe(400);
  expect(nul.json.error.json.data.issues).toEqual([{ path: ["search"], message: "contains a NUL character (U+0000), which text cannot hold" }]);
});

/** A GET with the request target exactly as given (fetch and Playwright resolve dot segments before sending). */
function rawGet(baseURL: string, target: string, headers: Record<string, string>): Promise<{ status: number; body: string; location?: string }> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: target, method: "GET", headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, location: response.headers.location }));
    });
    request.on("error", reject);
    request.end();
  });
}

test("a record id that is a dot segment is a record that does not exist, never a step up the path", async ({ page, baseURL }) => {
  await signIn(page, USER, "/apps/crm/account");
  const created = await trpcCall(page, "apiKeys.create", { name: "dot segments" }, "mutation");
  const key = created.json.result.data.json.key as string;
  const auth = { authorization: `Bearer ${key}` };
  for (const id of ["%2e%2e", "..", "%2E", ".", ".%2e"]) {
    const answer = await rawGet(baseURL!, `/api/v1/objects/account/records/${id}`, auth);
    expect(answer.status, `${id}: ${answer.body}`).toBe(404);
    expect(JSON.parse(answer.body).error.message).toMatch(/^No account record with id '%2E(%2E)?'$/);
  }
  const deleted = await rawGet(baseURL!, "/api/v1/objects/account/../query", auth);
  expect(deleted.status).toBe(404);
  expect(JSON.parse(deleted.body).error.code).toBe("NOT_FOUND");
  // The object's definition is only where it lives.
  expect((await rawGet(baseURL!, "/api/v1/objects/account", auth)).status).toBe(200);
});
