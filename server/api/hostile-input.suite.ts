import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { MAX_BATCH_CALLS, MAX_REQUEST_BODY_BYTES } from "@/spec/api-limits";
import { MAX_FILTER_CONDITIONS, MAX_FILTER_VALUES } from "@/spec/query";
import { createHarness, publishObjects, type Harness, type TestDatabase } from "@/test/services-harness";
import { INTERNALS, restClient, trpcClient, trpcError, type HttpAnswer } from "./test-support/http-clients";

const company: ObjectInput = {
  name: "company", label: "Company", pluralLabel: "Companies",
  fields: [{ id: "c1", name: "name", label: "Name", type: "text", required: true }],
};
const deal: ObjectInput = {
  name: "deal", label: "Deal", pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "name", label: "Name", type: "text", required: true },
    { id: "d2", name: "amount", label: "Amount", type: "currency", scale: 2 },
    { id: "d3", name: "units", label: "Units", type: "number", scale: 0 },
    { id: "d4", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }, { value: "lost", label: "Lost" }] },
    { id: "d5", name: "company", label: "Company", type: "lookup", reference: "company" },
    { id: "d6", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] },
    { id: "d7", name: "notes", label: "Notes", type: "textarea" },
  ],
};

/** Names every JavaScript object has: as field names, sort keys, aliases and keys they must be plain unknown names. */
const PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__"];

/**
 * Hostile and careless input through the HTTP API (tRPC endpoint and REST routes) on a real
 * database: every answer is a 4xx naming the problem, never a 5xx or an internal message, and
 * nothing is changed by a refused write. Each case here is a class the outside probe of
 * 2026-12 found (issue 13); input-fuzz.suite.ts then throws random input of the same kinds.
 */
export function runHostileInputSuite(label: string, makeDatabase: () => Promise<TestDatabase> | TestDatabase) {
  describe(`hostile input over HTTP (${label})`, () => {
    let h: Harness;
    let key = "";
    let trpc: ReturnType<typeof trpcClient>;
    let rest: ReturnType<typeof restClient>;
    const ids: string[] = [];

    beforeAll(async () => {
      h = await createHarness(await makeDatabase());
      await publishObjects(h, [company, deal]);
      const acme = await h.asUser.data.create({ object: "company", values: { name: "Acme" } });
      const stages = ["open", "won", "lost"];
      for (let index = 0; index < 60; index++) {
        const record = await h.asUser.data.create({
          object: "deal",
          values: { name: `Deal ${index}`, amount: index * 10.5, units: index, stage: stages[index % 3], company: index % 2 === 0 ? acme.id : null, tags: index % 4 === 0 ? ["a"] : [] },
        });
        ids.push(record.id);
      }
      key = (await h.asUser.apiKeys.create({ name: "hostile" })).key;
      trpc = trpcClient(h);
      rest = restClient(h, () => key);
    }, 120_000);
    afterAll(async () => {
      await h?.close();
    });

    const find = (input: unknown) => trpc(h.user, { path: "data.find", input });
    const aggregate = (input: unknown) => trpc(h.user, { path: "data.aggregate", input });

    /** A refusal: the status, a message without internals, and an issue at `path` (a prefix of it is enough). */
    function expectRefused(answer: HttpAnswer, status: number, path?: (string | number)[], message?: RegExp) {
      const error = trpcError(answer) ?? (answer.body as { error?: { message: string; issues?: { path: (string | number)[]; message: string }[] } }).error;
      expect(answer.status, answer.text.slice(0, 500)).toBe(status);
      expect(error, answer.text.slice(0, 500)).toBeDefined();
      const issues = ("data" in error! ? (error as { data: { issues?: { path: (string | number)[]; message: string }[] } }).data.issues : (error as { issues?: { path: (string | number)[]; message: string }[] }).issues) ?? [];
      expect(answer.text).not.toMatch(INTERNALS);
      if (path) expect(issues.map((issue) => issue.path.slice(0, path.length)), answer.text.slice(0, 500)).toContainEqual(path);
      if (message) expect(answer.text).toMatch(message);
    }

    describe("names every JavaScript object has", () => {
      it("are unknown fields wherever a query names a field, over tRPC", async () => {
        for (const name of PROTOTYPE_NAMES) {
          const unknown = new RegExp(`Unknown field '${name.replace(/_/g, "_")}' on object 'deal'`);
          expectRefused(await find({ object: "deal", filter: { field: name, operator: "=", value: "x" } }), 400, ["filter", "field"], unknown);
          expectRefused(await find({ object: "deal", orderBy: [{ field: name, direction: "asc" }] }), 400, ["orderBy", 0, "field"], unknown);
          expectRefused(await find({ object: "deal", select: ["name", name] }), 400, ["select", 1], unknown);
          expectRefused(await find({ object: "deal", select: [`company.${name}`] }), 400, ["select", 0]);
          expectRefused(await aggregate({ object: "deal", groupBy: [{ field: name }], aggregate: [{ function: "count", alias: "n" }] }), 400, ["groupBy", 0, "field"], unknown);
          expectRefused(await aggregate({ object: "deal", aggregate: [{ function: "sum", field: name, alias: "n" }] }), 400, ["aggregate", 0, "field"], unknown);
          expectRefused(await trpc(h.user, { path: "data.count", input: { object: "deal", filter: { field: name, operator: "is_null" } } }), 400, ["filter", "field"], unknown);
          expectRefused(
            await find({ object: "company", expand: [{ relation: "deal.company", filter: { field: name, operator: "is_null" }, select: ["name"] }] }),
            400, ["expand", 0, "filter", "field"],
          );
          expectRefused(await find({ object: "company", expand: [{ relation: "deal.company", select: [name] }] }), 400, ["expand", 0, "select", 0]);
          expectRefused(await find({ object: "company", expand: [{ relation: name }] }), 400, ["expand", 0, "relation"]);
        }
      });

      it("are unknown aliases in having, and an alias named constructor works while __proto__ is refused", async () => {
        expectRefused(await aggregate({ object: "deal", groupBy: ["stage"], aggregate: [{ function: "count", alias: "n" }], having: { field: "constructor", operator: ">", value: 1 } }), 400, ["having", "field"], /unknown alias 'constructor'/);
        const named = await aggregate({ object: "deal", groupBy: ["stage"], aggregate: [{ function: "count", alias: "toString" }, { function: "sum", field: "units", alias: "valueOf" }] });
        expect(named.status, named.text).toBe(200);
        const rows = (named.body as { result: { data: { json: { rows: Record<string, unknown>[] } } } }).result.data.json.rows;
        expect(rows.map((row) => [row.stage, row.toString, row.valueOf])).toEqual([["lost", 20, 610], ["open", 20, 570], ["won", 20, 590]]);
        // superjson will not send these keys (a prototype pollution guard): refused as names, never a 500.
        for (const alias of ["__proto__", "constructor", "prototype"]) {
          expectRefused(await aggregate({ object: "deal", aggregate: [{ function: "count", alias }] }), 400, ["aggregate", 0, "alias"], new RegExp(`'${alias}' is reserved`));
          expectRefused(await aggregate({ object: "deal", groupBy: [{ field: "stage", alias }] }), 400, ["groupBy", 0]);
        }
      });

      it("refuses a __proto__ key anywhere in the input, tRPC and REST, and writes nothing", async () => {
        const before = await h.asAdmin.data.count({ object: "deal" });
        const body = '{"json":{"object":"deal","values":{"name":"Sneaky","__proto__":{"name":"x"}}}}';
        expectRefused(await trpc(h.user, { path: "data.create", rawBody: body }), 400, ["values", "__proto__"], /'__proto__' is not allowed as a name/);
        expectRefused(await rest("create", { object: "deal" }, "/api/v1/objects/deal/records", { method: "POST", body: '{"name":"Sneaky","__proto__":{"a":1}}' }), 400, ["__proto__"]);
        expectRefused(await rest("query", {}, "/api/v1/query", { method: "POST", body: '{"object":"deal","filter":{"field":"name","operator":"=","value":"x","__proto__":1}}' }), 400, ["filter", "__proto__"]);
        expect(await h.asAdmin.data.count({ object: "deal" })).toBe(before);
      });

      it("refuses a __proto__ (or any unknown) query parameter on every REST route", async () => {
        const id = ids[0];
        const calls: [Parameters<typeof rest>[0], Record<string, unknown>, string, string][] = [
          ["describe", { object: "deal" }, "/api/v1/objects/deal", "GET"],
          ["list", { object: "deal" }, "/api/v1/objects/deal/records", "GET"],
          ["get", { object: "deal", id }, `/api/v1/objects/deal/records/${id}`, "GET"],
          ["update", { object: "deal", id }, `/api/v1/objects/deal/records/${id}`, "PATCH"],
          ["remove", { object: "deal", id }, `/api/v1/objects/deal/records/${id}`, "DELETE"],
          ["create", { object: "deal" }, "/api/v1/objects/deal/records", "POST"],
          ["query", {}, "/api/v1/query", "POST"],
        ];
        for (const [route, params, path, method] of calls) {
          const body = method === "PATCH" || method === "POST" ? JSON.stringify(route === "query" ? { object: "deal" } : { name: "x" }) : undefined;
          expectRefused(await rest(route, params, `${path}?__proto__=1`, { method, body }), 400, ["__proto__"], /unknown parameter/);
        }
        expect((await h.asAdmin.data.get({ object: "deal", id })).name).toBe("Deal 0");
      });
    });

    describe("large and deep filters", () => {
      it("runs an or of 33 in lists of 1,000 values each (33,000 values), with the right answer", async () => {
        const lists = Array.from({ length: 33 }, (_, list) => ({
          field: "units", operator: "in", value: Array.from({ length: 1000 }, (_, index) => list * 1000 + index),
        }));
        const answer = await trpc(h.user, { path: "data.count", input: { object: "deal", filter: { or: lists } } });
        expect(answer.status, answer.text.slice(0, 300)).toBe(200);
        expect((answer.body as { result: { data: { json: number } } }).result.data.json).toBe(60);
        // not_in with a long list keeps records without a value, as a short one does.
        const outside = await trpc(h.user, { path: "data.count", input: { object: "deal", filter: { field: "units", operator: "not_in", value: Array.from({ length: 1000 }, (_, index) => index + 10) } } });
        expect((outside.body as { result: { data: { json: number } } }).result.data.json).toBe(10);
        const names = await trpc(h.user, { path: "data.count", input: { object: "deal", filter: { field: "name", operator: "in", value: Array.from({ length: 500 }, (_, index) => `Deal ${index}`) } } });
        expect((names.body as { result: { data: { json: number } } }).result.data.json).toBe(60);
        const tags = await trpc(h.user, { path: "data.count", input: { object: "deal", filter: { field: "tags", operator: "in", value: [...Array.from({ length: 200 }, (_, index) => `t${index}`), "a"] } } });
        expect((tags.body as { result: { data: { json: number } } }).result.data.json).toBe(15);
      });

      it("runs 11 nested or levels of 200 conditions each", async () => {
        let filter: unknown = { field: "units", operator: "=", value: 59 };
        for (let level = 0; level < 11; level++) {
          filter = { or: [...Array.from({ length: 199 }, (_, index) => ({ field: "name", operator: "=", value: `nobody ${level}-${index}` })), filter] };
        }
        const answer = await find({ object: "deal", filter, select: ["name"] });
        expect(answer.status, answer.text.slice(0, 300)).toBe(200);
        expect((answer.body as { result: { data: { json: { records: { name: string }[] } } } }).result.data.json.records.map((record) => record.name)).toEqual(["Deal 59"]);
      });

      it("refuses filters past the condition and value limits up front, naming the limit", async () => {
        const many = { or: Array.from({ length: 26 }, () => ({ or: Array.from({ length: 200 }, (_, index) => ({ field: "units", operator: "=", value: index })) })) };
        expectRefused(await find({ object: "deal", filter: many }), 400, ["filter"], new RegExp(`at most ${MAX_FILTER_CONDITIONS}`));
        const values = { or: Array.from({ length: 101 }, () => ({ field: "units", operator: "in", value: Array.from({ length: 1000 }, (_, index) => index) })) };
        // 101,000 values are over 1 MB as a tRPC GET or a REST body: the body limit answers first there.
        const answer = await find({ object: "deal", filter: values });
        expect([400, 413]).toContain(answer.status);
        expect(answer.text).toMatch(new RegExp(`at most ${MAX_FILTER_VALUES}|at most 1 MB`));
      });

      it("refuses a filter nested 10,000 levels deep with 400 naming the depth, tRPC and REST", async () => {
        // Written by hand: JSON.stringify itself overflows the stack on such a value.
        const filter = `${'{"not":'.repeat(10_000)}{"field":"units","operator":"=","value":1}${"}".repeat(10_000)}`;
        expectRefused(await trpc(h.user, { path: "data.find", rawBody: `{"json":{"object":"deal","filter":${filter}}}` }), 400, ["filter"], /nested too deeply/);
        expectRefused(await trpc(h.user, { path: "data.find", method: "GET", rawQuery: `input=${encodeURIComponent(`{"json":{"object":"deal","filter":${filter}}}`)}` }), 400, ["filter"], /nested too deeply/);
        expectRefused(await rest("query", {}, "/api/v1/query", { method: "POST", body: `{"object":"deal","filter":${filter}}` }), 400, ["filter"], /nested too deeply/);
        expectRefused(await rest("list", { object: "deal" }, `/api/v1/objects/deal/records?filter=${encodeURIComponent(filter)}`), 400, ["filter"], /nested too deeply/);
        const shallowEnough = { not: { not: { field: "units", operator: "=", value: 1 } } };
        expect((await find({ object: "deal", filter: shallowEnough })).status).toBe(200);
        // 13 levels: within JSON's depth limit, over the filter's own.
        let thirteen: unknown = { field: "units", operator: "=", value: 1 };
        for (let level = 0; level < 13; level++) thirteen = { and: [thirteen] };
        expectRefused(await find({ object: "deal", filter: thirteen }), 400, ["filter"], /at most 12 levels/);
      });
    });

    describe("the tRPC envelope and its limits", () => {
      it("answers a null, an array or a bare body with a clear 400", async () => {
        for (const rawBody of ["null", "[1,2]", '{"object":"deal"}', '"text"', "{oops"]) {
          const answer = await trpc(h.user, { path: "data.find", rawBody });
          expectRefused(answer, 400);
          expect(answer.text).toMatch(/superjson-encoded|not JSON/);
        }
      });

      it("refuses bodies over 1 MB with 413, declared or streamed", async () => {
        const big = JSON.stringify({ json: { object: "deal", values: { name: "x", notes: "n".repeat(MAX_REQUEST_BODY_BYTES) } } });
        expectRefused(await trpc(h.user, { path: "data.create", rawBody: big }), 413, undefined, /at most 1 MB/);
        expectRefused(await rest("create", { object: "deal" }, "/api/v1/objects/deal/records", { method: "POST", body: JSON.stringify({ name: "x", notes: "n".repeat(MAX_REQUEST_BODY_BYTES) }) }), 413, ["body"], /at most 1 MB/);
        // A chunked body declares no length: it is counted as it arrives.
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let chunk = 0; chunk < 20; chunk++) controller.enqueue(new TextEncoder().encode("x".repeat(100_000)));
            controller.close();
          },
        });
        const { serveTrpc } = await import("@/server/api/trpc-http");
        const response = await serveTrpc(new Request("http://localhost/api/trpc/data.create", { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit), async () => ({ user: h.user, services: h.services }));
        expect(response.status).toBe(413);
      });

      it(`caps a batch at ${MAX_BATCH_CALLS} procedures, by GET and by POST`, async () => {
        const paths = Array.from({ length: 100 }, () => "data.count").join(",");
        const inputs = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [index, { json: { object: "deal" } }]));
        const get = await trpc(h.user, { path: paths, method: "GET", rawQuery: `batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}` });
        expect(get.status).toBe(400);
        expect(get.text).toContain(`A batch may call at most ${MAX_BATCH_CALLS} procedures (this one calls 100)`);
        const post = await trpc(h.user, { path: paths.replaceAll("data.count", "data.delete"), rawQuery: "batch=1", rawBody: JSON.stringify(inputs) });
        expect(post.status).toBe(400);
        const allowed = Array.from({ length: MAX_BATCH_CALLS }, () => "data.count").join(",");
        const ok = await trpc(h.user, { path: allowed, method: "GET", rawQuery: `batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: MAX_BATCH_CALLS }, (_, index) => [index, { json: { object: "deal" } }]))))}` });
        expect(ok.status).toBe(200);
      });

      it("refuses a body that is not UTF-8, and a body of another content type is never read", async () => {
        const bytes = new Uint8Array([...new TextEncoder().encode('{"json":{"object":"deal","values":{"name":"'), 0xc0, 0xaf, ...new TextEncoder().encode('"}}}')]);
        expectRefused(await trpc(h.user, { path: "data.create", rawBody: bytes }), 400, undefined, /not valid UTF-8/);
        expectRefused(await rest("create", { object: "deal" }, "/api/v1/objects/deal/records", { method: "POST", body: bytes }), 400, ["body"], /not valid UTF-8/);
        const form = await trpc(h.user, { path: "data.create", rawBody: "name=x", headers: { "content-type": "multipart/form-data; boundary=x" } });
        expect(form.status).toBeGreaterThanOrEqual(400);
        expect(form.status).toBeLessThan(500);
      });
    });

    describe("data is never changed silently", () => {
      it("refuses 1.5 for a whole-number field and 2.345 for cents, naming the field and the rule", async () => {
        expectRefused(await trpc(h.user, { path: "data.create", input: { object: "deal", values: { name: "Half", units: 1.5 } } }), 400, ["units"], /Field 'units' must be a whole number \(got 1\.5\)/);
        expectRefused(await rest("create", { object: "deal" }, "/api/v1/objects/deal/records", { method: "POST", body: JSON.stringify({ name: "Cents", amount: 2.345 }) }), 400, ["amount"], /must have at most 2 decimal places/);
        expectRefused(await rest("update", { object: "deal", id: ids[1] }, `/api/v1/objects/deal/records/${ids[1]}`, { method: "PATCH", body: JSON.stringify({ units: 2.5 }) }), 400, ["units"]);
        expect((await h.asAdmin.data.get({ object: "deal", id: ids[1] })).units).toBe(1);
      });

      it("refuses unpaired surrogates and NUL in written text, searches and filter values", async () => {
        const lone = '{"json":{"object":"deal","values":{"name":"bad \\ud800 text"}}}';
        expectRefused(await trpc(h.user, { path: "data.create", rawBody: lone }), 400, ["values", "name"], /unpaired surrogate/);
        expectRefused(await rest("create", { object: "deal" }, "/api/v1/objects/deal/records", { method: "POST", body: '{"name":"bad \\udc00"}' }), 400, ["name"], /unpaired surrogate/);
        expectRefused(await find({ object: "deal", search: "Deal\u0000zzz" }), 400, ["search"], /NUL character/);
        expectRefused(await find({ object: "deal", filter: { field: "name", operator: "contains", value: "Deal\u0000zzz" } }), 400, ["filter", "value"], /NUL character/);
        expectRefused(await rest("list", { object: "deal" }, "/api/v1/objects/deal/records?search=Deal%00zzz"), 400, ["search"], /NUL character/);
        expectRefused(await rest("list", { object: "deal" }, "/api/v1/objects/deal/records?search=%C0"), 400, ["search"], /percent-encoded UTF-8/);
        expectRefused(await rest("get", { object: "deal", id: "a\u0000b" }, "/api/v1/objects/deal/records/a%00b"), 400, ["id"], /NUL character/);
        expect(await h.asAdmin.data.count({ object: "deal", search: "bad" })).toBe(0);
        // Well-formed text outside the BMP is stored exactly.
        const emoji = await trpc(h.user, { path: "data.create", input: { object: "deal", values: { name: "Rocket 🚀" } } });
        expect(emoji.status).toBe(200);
        const created = (emoji.body as { result: { data: { json: { id: string } } } }).result.data.json;
        expect((await h.asAdmin.data.get({ object: "deal", id: created.id })).name).toBe("Rocket 🚀");
        await h.asAdmin.data.delete({ object: "deal", id: created.id });
      });
    });

    describe("the query language as the platform's design writes it", () => {
      it("groups by a path written as a string and counts '*'", async () => {
        const answer = await rest("query", {}, "/api/v1/query", {
          method: "POST",
          body: JSON.stringify({ object: "deal", select: ["company.name", "stage"], groupBy: ["company.name", "stage"], aggregate: [{ function: "count", field: "*" }], orderBy: [{ field: "count", direction: "desc" }, { field: "stage", direction: "asc" }, { field: "company.name", direction: "asc" }] }),
        });
        expect(answer.status, answer.text).toBe(200);
        expect((answer.body as { rows: unknown[] }).rows).toEqual([
          { "company.name": "Acme", stage: "lost", count: 10 },
          { "company.name": null, stage: "lost", count: 10 },
          { "company.name": "Acme", stage: "open", count: 10 },
          { "company.name": null, stage: "open", count: 10 },
          { "company.name": "Acme", stage: "won", count: 10 },
          { "company.name": null, stage: "won", count: 10 },
        ]);
        const sums = await aggregate({ object: "deal", groupBy: ["stage"], aggregate: [{ function: "sum", field: "units" }, { function: "max", field: "company.name" }], select: ["stage"] });
        expect((sums.body as { result: { data: { json: { rows: unknown[] } } } }).result.data.json.rows[0]).toEqual({ stage: "lost", sum_units: 610, max_company_name: "Acme" });
      });

      it("uses select in an aggregate to choose group keys, and refuses what is not grouped", async () => {
        const chosen = await aggregate({ object: "deal", groupBy: ["stage", { field: "company", alias: "who" }], aggregate: [{ function: "count", alias: "n" }], select: ["who"], orderBy: [{ field: "n", direction: "asc" }, { field: "who", direction: "desc" }], limit: 1 });
        expect((chosen.body as { result: { data: { json: { rows: Record<string, unknown>[] } } } }).result.data.json.rows[0]).toEqual({ who: null, n: 10 });
        expectRefused(await aggregate({ object: "deal", groupBy: ["stage"], aggregate: [{ function: "count", field: "*" }], select: ["name"] }), 400, ["select", 0], /'name' is not a group key/);
        expectRefused(await aggregate({ object: "deal", aggregate: [{ function: "sum", field: "*" }] }), 400, ["aggregate", 0, "field"], /'\*' \(every record\) goes only with count/);
      });

      it("refuses unknown keys at the top of a query and inside it, instead of ignoring them", async () => {
        expectRefused(await find({ object: "deal", bogus: 1 }), 400, undefined, /bogus/);
        expectRefused(await find({ object: "deal", fitler: { field: "name", operator: "=", value: "x" } }), 400, undefined, /fitler/);
        expectRefused(await aggregate({ object: "deal", groupBy: ["stage"], aggregate: [{ function: "count" }], bogus: 1 }), 400, undefined, /bogus/);
        expectRefused(await find({ object: "deal", orderBy: [{ field: "name", dir: "desc" }] }), 400, ["orderBy", 0]);
        // tRPC's infinite queries (the kanban) send their paging direction: forward is what a cursor does.
        expect((await find({ object: "deal", direction: "forward", limit: 1 })).status).toBe(200);
        expectRefused(await find({ object: "deal", direction: "backward" }), 400, ["direction"], /only forward paging/);
        expectRefused(await rest("query", {}, "/api/v1/query", { method: "POST", body: JSON.stringify({ object: "deal", limit: 5, bogus: true }) }), 400, undefined, /bogus/);
      });
    });

    describe("bulk create over REST", () => {
      it("creates every record or none, with issues by row index", async () => {
        const before = await h.asAdmin.data.count({ object: "deal" });
        const refused = await rest("createMany", { object: "deal", id: "bulk" }, "/api/v1/objects/deal/records/bulk", {
          method: "POST", body: JSON.stringify({ records: [{ name: "B1" }, { name: "B2", units: 1.5 }, { stage: "won" }] }),
        });
        expectRefused(refused, 400, ["records", 1, "units"]);
        const issues = (refused.body as { error: { issues: { path: unknown[] }[] } }).error.issues.map((issue) => issue.path);
        expect(issues).toContainEqual(["records", 2, "name"]);
        expect(await h.asAdmin.data.count({ object: "deal" })).toBe(before);

        const created = await rest("createMany", { object: "deal", id: "bulk" }, "/api/v1/objects/deal/records/bulk", {
          method: "POST", body: JSON.stringify({ records: [{ name: "B1", units: 1 }, { name: "B2", stage: "won" }] }),
        });
        expect(created.status, created.text).toBe(201);
        const { ids: newIds, count } = created.body as { ids: string[]; count: number };
        expect(count).toBe(2);
        expect((await h.asAdmin.data.get({ object: "deal", id: newIds[1] })).name).toBe("B2");
        for (const id of newIds) await h.asAdmin.data.delete({ object: "deal", id });

        expectRefused(await rest("createMany", { object: "deal", id: "bulk" }, "/api/v1/objects/deal/records/bulk", { method: "POST", body: JSON.stringify({ rows: [] }) }), 400, ["rows"]);
        expectRefused(await rest("createMany", { object: "deal", id: "bulk" }, "/api/v1/objects/deal/records/bulk", { method: "POST", body: JSON.stringify({ records: [] }) }), 400, ["records"]);
        const elsewhere = await rest("createMany", { object: "deal", id: ids[0] }, `/api/v1/objects/deal/records/${ids[0]}`, { method: "POST", body: "{}" });
        expect(elsewhere.status).toBe(404);
      });
    });
  });
}
