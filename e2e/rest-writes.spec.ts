import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { ADMIN, USER, signIn } from "./helpers";
import { createPublished, trpcOk, uniqueName } from "./support/own-data";

/**
 * The REST API's writes and `POST /api/v1/query` over real HTTP with API keys (Playwright's
 * `request` client, no browser cookies): create, read, update (with the stale-version check),
 * delete, bulk create (all or none), finds and aggregates checked against the records this spec
 * wrote, bad input refused naming the problem, the records seen in the studio's data viewer, and
 * a user whose profile does not grant the object refused.
 */

type Created = { id: string; title: string; qty: number; state: string; updated_at: string };

async function keyFor(browser: Browser, who: { email: string; password: string }, name: string) {
  const page = await browser.newPage();
  try {
    await signIn(page, who, who === ADMIN ? "/studio" : "/apps");
    const created = await trpcOk<{ key: string }>(page, "apiKeys.create", { name }, "mutation");
    expect(created.key).toMatch(/^osk_/);
    return created.key;
  } finally {
    await page.close();
  }
}

function client(request: APIRequestContext, key: string) {
  const headers = { Authorization: `Bearer ${key}` };
  return {
    get: (path: string) => request.get(path, { headers }),
    post: (path: string, data: unknown) => request.post(path, { headers, data }),
    patch: (path: string, data: unknown, extra: Record<string, string> = {}) => request.patch(path, { headers: { ...headers, ...extra }, data }),
    delete: (path: string) => request.delete(path, { headers }),
  };
}

test("REST writes and /api/v1/query with an API key; a user without access is refused", async ({ browser, request, page }, testInfo) => {
  test.setTimeout(120_000);
  const object = uniqueName(testInfo, "rest_order");
  await signIn(page, ADMIN, "/studio");
  await createPublished(page, "object", {
    name: object,
    label: "Order",
    pluralLabel: "Orders",
    nameField: "title",
    fields: [
      { id: "title", name: "title", label: "Title", type: "text", required: true },
      { id: "qty", name: "qty", label: "Quantity", type: "number", min: 0 },
      { id: "state", name: "state", label: "State", type: "select", options: [{ value: "open", label: "Open" }, { value: "closed", label: "Closed" }] },
    ],
  });
  const api = client(request, await keyFor(browser, ADMIN, `rest ${object}`));
  const records = `/api/v1/objects/${object}/records`;

  // Create one: 201 with the stored record.
  const created = await api.post(records, { title: "First", qty: 3, state: "open" });
  expect(created.status(), await created.text()).toBe(201);
  const first = (await created.json()) as Created;
  expect(first).toMatchObject({ title: "First", qty: 3, state: "open" });
  expect(first.id).toEqual(expect.any(String));

  // Bad input names the field.
  const negative = await api.post(records, { title: "Broken", qty: -1 });
  expect(negative.status()).toBe(400);
  expect((await negative.json()).error.issues).toEqual([expect.objectContaining({ path: ["qty"], message: expect.stringContaining("at least 0") })]);
  const unknown = await api.post(records, { title: "Broken", colour: "red" });
  expect(unknown.status()).toBe(400);
  expect(JSON.stringify((await unknown.json()).error)).toContain("colour");

  // Read it back.
  const read = await api.get(`${records}/${first.id}`);
  expect(read.status()).toBe(200);
  expect(await read.json()).toMatchObject({ id: first.id, title: "First", qty: 3, state: "open" });

  // Update: the version as read goes through once; the same stale version is then refused.
  const patched = await api.patch(`${records}/${first.id}`, { qty: 5 }, { "If-Unmodified-Since": first.updated_at });
  expect(patched.status(), await patched.text()).toBe(200);
  expect(await patched.json()).toMatchObject({ id: first.id, qty: 5, state: "open" });
  const stale = await api.patch(`${records}/${first.id}`, { qty: 7 }, { "If-Unmodified-Since": first.updated_at });
  expect(stale.status()).toBe(409);
  expect((await stale.json()).error.code).toBe("CONFLICT");
  expect(await (await api.get(`${records}/${first.id}`)).json()).toMatchObject({ qty: 5 });
  const badPatch = await api.patch(`${records}/${first.id}`, { state: "lost" });
  expect(badPatch.status()).toBe(400);
  expect((await badPatch.json()).error.issues[0].path).toEqual(["state"]);

  // Bulk create: all or none. A bad row refuses the batch and is named by its place.
  const refusedBatch = await api.post(`${records}/bulk`, { records: [{ title: "B1", qty: 1 }, { title: "B2", qty: -4 }] });
  expect(refusedBatch.status()).toBe(400);
  const refusedBody = await refusedBatch.json();
  expect(refusedBody.error.issues[0].path, JSON.stringify(refusedBody)).toEqual(["records", 1, "qty"]);
  const batch = await api.post(`${records}/bulk`, {
    records: [
      { title: "Bolt", qty: 10, state: "open" },
      { title: "Nut", qty: 20, state: "closed" },
      { title: "Washer", qty: 30, state: "closed" },
    ],
  });
  expect(batch.status(), await batch.text()).toBe(201);
  const { ids } = (await batch.json()) as { ids: string[] };
  expect(ids).toHaveLength(3);
  expect(await (await api.get(`${records}/${ids[1]}`)).json()).toMatchObject({ title: "Nut", qty: 20 });

  // Delete one, then it is not found.
  const deleted = await api.delete(`${records}/${ids[0]}`);
  expect(deleted.status()).toBe(200);
  const gone = await api.get(`${records}/${ids[0]}`);
  expect(gone.status()).toBe(404);
  expect((await gone.json()).error.code).toBe("NOT_FOUND");
  expect((await api.delete(`${records}/${ids[0]}`)).status()).toBe(404);

  // What is left: First (5, open), Nut (20, closed), Washer (30, closed). The refused batch left nothing.
  const list = await api.get(`${records}?sort=title&select=title,qty&total=true`);
  expect(list.status()).toBe(200);
  const listed = await list.json();
  expect(listed.total).toBe(3);
  expect(listed.records.map((record: Created) => [record.title, record.qty])).toEqual([["First", 5], ["Nut", 20], ["Washer", 30]]);

  // POST /api/v1/query: a find…
  const found = await api.post("/api/v1/query", {
    object, select: ["title", "qty"], filter: { field: "qty", operator: ">", value: 4 }, orderBy: [{ field: "qty", direction: "desc" }], withTotal: true,
  });
  expect(found.status(), await found.text()).toBe(200);
  const findBody = await found.json();
  expect(findBody.records.map((record: Created) => record.title)).toEqual(["Washer", "Nut", "First"]);
  expect(findBody.total).toBe(3);
  // …and an aggregate grouped by state.
  const summary = await api.post("/api/v1/query", {
    object, groupBy: ["state"], aggregate: [{ function: "count", alias: "orders" }, { function: "sum", field: "qty", alias: "units" }], orderBy: [{ field: "state", direction: "asc" }],
  });
  expect(summary.status(), await summary.text()).toBe(200);
  expect((await summary.json()).rows).toEqual([{ state: "closed", orders: 2, units: 50 }, { state: "open", orders: 1, units: 5 }]);
  // A query naming a field the object does not have is refused by name.
  const badQuery = await api.post("/api/v1/query", { object, filter: { field: "colour", operator: "=", value: "red" } });
  expect(badQuery.status()).toBe(400);
  expect(JSON.stringify((await badQuery.json()).error)).toContain("colour");

  // The records written over REST are the ones the studio's data viewer shows.
  await page.goto(`/studio/objects/${object}/data`);
  await expect(page.getByTestId("grid-total")).toHaveText("3 records");
  await expect(page.getByTestId("record-row").filter({ hasText: "Washer" })).toContainText("30");
  await expect(page.getByTestId("record-row").filter({ hasText: "Bolt" })).toHaveCount(0);

  // No key at all: 401.
  const anonymous = await request.get(records);
  expect(anonymous.status()).toBe(401);

  // A user whose profile does not grant this new object (the demo's enforced model closes an
  // object the admin adds until a profile grants it) is refused reads, writes and queries.
  const security = await trpcOk<{ published: { enforced?: boolean } | null }>(page, "metadata.get", { kind: "security", name: "org" }, "query");
  expect(security.published?.enforced, "this test needs the demo's enforced security model").not.toBe(false);
  const uma = client(request, await keyFor(browser, USER, `rest ${object}`));
  for (const response of [
    await uma.get(records),
    await uma.get(`${records}/${first.id}`),
    await uma.post(records, { title: "Sneaky", qty: 1 }),
    await uma.patch(`${records}/${first.id}`, { qty: 0 }),
    await uma.delete(`${records}/${first.id}`),
    await uma.post(`${records}/bulk`, { records: [{ title: "Sneaky" }] }),
    await uma.post("/api/v1/query", { object, select: ["title"] }),
    await uma.post("/api/v1/query", { object, aggregate: [{ function: "count" }] }),
  ]) {
    expect(response.status(), `${response.url()}: ${await response.text()}`).toBe(403);
    const { error } = await response.json();
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toContain(object);
  }
  // Nothing changed.
  expect(await (await api.get(`${records}/${first.id}`)).json()).toMatchObject({ qty: 5 });
  expect((await (await api.get(`${records}?total=true`)).json()).total).toBe(3);
});
