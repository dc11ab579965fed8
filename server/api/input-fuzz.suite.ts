import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { AGGREGATE_FUNCTIONS, DATE_GRANULARITIES, FILTER_OPERATORS } from "@/spec/query";
import { createHarness, publishObjects, type Harness, type TestDatabase } from "@/test/services-harness";
import { INTERNALS, restClient, trpcClient, type HttpAnswer } from "./test-support/http-clients";

/**
 * Property-based: thousands of random and hostile queries and writes through the tRPC endpoint
 * and the REST routes, as an attacker or a careless client would send them. Whatever they are,
 * no answer is a 5xx, none reveals internals (stack frames, SQL errors, runtime messages), and a
 * refused write changes nothing. The seed is fixed so CI is repeatable; set FUZZ_SEED to explore
 * (a failure prints the seed and the smallest input that fails).
 */

const company: ObjectInput = { name: "company", label: "Company", pluralLabel: "Companies", fields: [{ id: "c1", name: "name", label: "Name", type: "text", required: true }] };
const deal: ObjectInput = {
  name: "deal", label: "Deal", pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "name", label: "Name", type: "text", required: true, maxLength: 80 },
    { id: "d2", name: "amount", label: "Amount", type: "currency", scale: 2 },
    { id: "d3", name: "units", label: "Units", type: "number", scale: 0, min: 0 },
    { id: "d4", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }] },
    { id: "d5", name: "company", label: "Company", type: "lookup", reference: "company" },
    { id: "d6", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] },
    { id: "d7", name: "closes", label: "Closes", type: "date" },
    { id: "d8", name: "seen", label: "Seen", type: "datetime" },
    { id: "d9", name: "hot", label: "Hot", type: "boolean" },
    { id: "d10", name: "data", label: "Data", type: "json" },
    { id: "d11", name: "email", label: "Email", type: "email" },
  ],
};

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);

/** Texts that have broken parsers, drivers or JavaScript objects somewhere. */
const HOSTILE_TEXTS = [
  "", " ", "constructor", "__proto__", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__",
  "\u0000", "a\u0000b", "\ud800", "x\udc00y", "\ufeff", "\u202e", "🚀", "名前", "%", "_", "\\", "'", "\"", "' or 1=1 --", "; drop table obj_deal", "$1", "?", ":name",
  "x".repeat(300), "TODAY", "LAST_N_DAYS:99999", "2024-02-30", "2024-01-01T25:00:00Z", "NaN", "-0", "1e400", "null", "[]", "{}",
];
const FIELD_NAMES = ["name", "amount", "units", "stage", "company", "tags", "closes", "seen", "hot", "data", "email", "id", "created_at", "owner_id", "company.name", "company.id", "company.company", "name.x", "a.b.c.d.e.f"];

const text = fc.oneof(fc.constantFrom(...HOSTILE_TEXTS), fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 8 }));
const name = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FIELD_NAMES) }, { weight: 2, arbitrary: text });
const scalar = fc.oneof(
  fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1.5, 2.345, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(), fc.constant(null), text, fc.constantFrom("open", "won", "a", "2026-01-01", "2026-01-01T10:00:00Z", "THIS_WEEK"),
);
const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 2, arbitrary: fc.array(scalar, { maxLength: 6 }) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) });
const operator = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FILTER_OPERATORS) }, { weight: 1, arbitrary: fc.constantFrom("like", "$eq", "==", "", "IN") });

const { filter } = fc.letrec<{ filter: unknown; condition: unknown }>((tie) => ({
  condition: fc.record({ field: name, operator, value }, { requiredKeys: ["field", "operator"] }),
  filter: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: tie("condition") },
    { weight: 2, arbitrary: fc.record({ and: fc.array(tie("filter"), { maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ or: fc.array(tie("filter"), { maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ not: tie("filter") }) },
    { weight: 1, arbitrary: fc.oneof(scalar, fc.constant({}), fc.constant([]), fc.record({ and: scalar })) },
  ),
}));

const orderBy = fc.array(fc.record({ field: name, direction: fc.constantFrom("asc", "desc", "up", undefined) }, { requiredKeys: ["field"] }), { maxLength: 3 });
const objectName = fc.constantFrom("deal", "deal", "deal", "company", "nope", "constructor", "__proto__", "Deal", "obj_deal", "");
const extraKeys = fc.dictionary(text, scalar, { maxKeys: 2 });

const findQuery = fc.tuple(
  fc.record({
    object: objectName, filter, search: text, orderBy, select: fc.array(name, { maxLength: 4 }),
    limit: fc.oneof(fc.integer({ min: -5, max: 2000 }), text), offset: fc.oneof(fc.nat({ max: 100 }), fc.integer()), cursor: text,
    expand: fc.array(fc.record({ relation: fc.oneof(fc.constantFrom("deal.company", "deal", "company"), text), select: fc.array(name, { maxLength: 2 }), filter, limit: fc.integer({ min: -1, max: 300 }) }, { requiredKeys: ["relation"] }), { maxLength: 2 }),
    withTotal: fc.boolean(),
  }, { requiredKeys: ["object"] }),
  fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extraKeys }),
).map(([query, extra]) => ({ ...extra, ...query }));

const groupBy = fc.array(fc.oneof(name, fc.record({ field: name, granularity: fc.constantFrom(...DATE_GRANULARITIES, "hour"), alias: text }, { requiredKeys: ["field"] })), { maxLength: 3 });
const aggregateItem = fc.record({ function: fc.oneof(fc.constantFrom(...AGGREGATE_FUNCTIONS), text), field: fc.oneof(name, fc.constant("*")), alias: text }, { requiredKeys: ["function"] });
const aggregateQuery = fc.record({
  object: objectName, filter, groupBy, aggregate: fc.array(aggregateItem, { maxLength: 3 }), having: filter, select: fc.array(name, { maxLength: 2 }),
  orderBy, limit: fc.integer({ min: -1, max: 20_000 }), search: text,
}, { requiredKeys: ["object"] });

const values = fc.dictionary(name, value, { maxKeys: 5 });
const goodValues = fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }), units: fc.nat({ max: 1000 }), stage: fc.constantFrom("open", "won"), tags: fc.constantFrom([], ["a"], ["a", "b"]) });
const someValues = fc.oneof({ weight: 3, arbitrary: values }, { weight: 1, arbitrary: goodValues }, { weight: 1, arbitrary: fc.tuple(goodValues, values).map(([good, bad]) => ({ ...good, ...bad })) });

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
function encodeLoosely(value: string): string {
  let out = "";
  for (const char of value) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join("");
    } else out += encodeURIComponent(char);
  }
  return out;
}

/** A query string as a client might build one, including raw, badly encoded pieces. */
const rawQueryPiece = fc.oneof(
  fc.tuple(fc.constantFrom("filter", "sort", "select", "search", "limit", "offset", "cursor", "total"), fc.oneof(filter.map((item) => JSON.stringify(item) ?? ""), text)).map(([key, item]) => `${key}=${encodeLoosely(item)}`),
  fc.constantFrom("search=%C0", "filter=%7B", "limit=1&limit=2", "__proto__=1", "constructor=1", "search=%00", "sort=-", "select=,,,", "total=yes", "%E0%A4%A=1", "search=%ED%A0%80"),
  text.map((item) => `${encodeLoosely(item)}=${encodeLoosely(item)}`),
);
const rawQuery = fc.array(rawQueryPiece, { maxLength: 4 }).map((pieces) => pieces.join("&"));

function serialized(input: unknown): string {
  return JSON.stringify(input) ?? "null";
}

export function runInputFuzzSuite(label: string, makeDatabase: () => Promise<TestDatabase> | TestDatabase) {
  describe(`random hostile input over HTTP (${label})`, () => {
    let h: Harness;
    let key = "";
    let trpc: ReturnType<typeof trpcClient>;
    let rest: ReturnType<typeof restClient>;
    let ids: string[] = [];

    /** Every stored deal and company, as the platform reads them: what a refused write must leave as it was. */
    async function snapshot(): Promise<string> {
      const system = { kind: "system" } as const;
      const deals = await h.services.objectql.find(system, { object: "deal", limit: 1000, orderBy: [{ field: "id", direction: "asc" }] });
      const companies = await h.services.objectql.find(system, { object: "company", limit: 1000, orderBy: [{ field: "id", direction: "asc" }] });
      return JSON.stringify([deals.records, companies.records]);
    }

    function expectSafe(answer: HttpAnswer, what: unknown) {
      const context = `${serialized(what).slice(0, 400)} -> ${answer.status} ${answer.text.slice(0, 400)}`;
      expect(answer.status, context).toBeLessThan(500);
      expect(answer.status, context).toBeGreaterThanOrEqual(200);
      expect(answer.text, context).not.toMatch(INTERNALS);
    }

    beforeAll(async () => {
      h = await createHarness(await makeDatabase());
      await publishObjects(h, [company, deal]);
      const acme = await h.asUser.data.create({ object: "company", values: { name: "Acme" } });
      for (let index = 0; index < 30; index++) {
        const record = await h.asUser.data.create({ object: "deal", values: { name: `Deal ${index}`, amount: index * 3.25, units: index, stage: index % 2 ? "won" : "open", company: index % 3 ? acme.id : null, tags: index % 4 ? [] : ["a"], hot: index % 5 === 0 } });
        ids.push(record.id);
      }
      key = (await h.asUser.apiKeys.create({ name: "fuzz" })).key;
      trpc = trpcClient(h);
      rest = restClient(h, () => key);
      console.log(`input fuzz (${label}): seed ${SEED}`);
    }, 120_000);
    afterAll(async () => {
      await h?.close();
    });

    it("answers random queries over tRPC (GET and POST) and REST with a 2xx or a clean 4xx", async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(findQuery.map((query) => ({ kind: "find" as const, query })), aggregateQuery.map((query) => ({ kind: "aggregate" as const, query }))), fc.boolean(), async ({ kind, query }, viaGet) => {
          const path = kind === "find" ? "data.find" : "data.aggregate";
          expectSafe(await trpc(h.user, { path, input: query, method: viaGet ? "GET" : "POST" }), query);
          const body = kind === "find" ? { ...query, withTotal: undefined } : query;
          expectSafe(await rest("query", {}, "/api/v1/query", { method: "POST", body: serialized(body) }), body);
          const count = { object: query.object, filter: query.filter, search: query.search };
          expectSafe(await trpc(h.user, { path: "data.count", input: count, method: "GET" }), count);
        }),
        { seed: SEED, numRuns: 600 * RUNS, endOnFailure: true },
      );
    }, 600_000);

    it("answers random REST list query strings with a 2xx or a clean 4xx", async () => {
      await fc.assert(
        fc.asyncProperty(rawQuery, fc.constantFrom("deal", "company"), async (query, object) => {
          expectSafe(await rest("list", { object }, `/api/v1/objects/${object}/records?${query}`), query);
        }),
        { seed: SEED, numRuns: 400 * RUNS, endOnFailure: true },
      );
    }, 600_000);

    it("answers random writes with a 2xx or a clean 4xx, and a refused write changes nothing", async () => {
      const write = fc.oneof(
        someValues.map((item) => ({ op: "create" as const, values: item })),
        fc.tuple(someValues, fc.nat()).map(([item, pick]) => ({ op: "update" as const, values: item, pick })),
        fc.tuple(fc.array(someValues, { maxLength: 4 }), fc.boolean()).map(([records, viaRest]) => ({ op: "createMany" as const, records, viaRest })),
        fc.tuple(someValues, fc.array(fc.oneof(fc.nat(), text), { maxLength: 3 })).map(([item, picks]) => ({ op: "updateMany" as const, values: item, picks })),
        fc.tuple(fc.oneof(text, fc.nat()), fc.boolean()).map(([target, viaRest]) => ({ op: "delete" as const, target, viaRest })),
        fc.tuple(fc.constantFrom("__proto__", "constructor", "prototype"), scalar, fc.boolean()).map(([badKey, item, viaRest]) => ({ op: "raw" as const, badKey, item, viaRest })),
      );
      await fc.assert(
        fc.asyncProperty(write, fc.boolean(), async (step, viaRest) => {
          const before = await snapshot();
          const idOf = (pick: number | string) => (typeof pick === "number" ? ids[pick % ids.length] : pick);
          let answer: HttpAnswer;
          switch (step.op) {
            case "create":
              answer = viaRest
                ? await rest("create", { object: "deal" }, "/api/v1/objects/deal/records", { method: "POST", body: serialized(step.values) })
                : await trpc(h.user, { path: "data.create", input: { object: "deal", values: step.values } });
              break;
            case "update": {
              const id = idOf(step.pick);
              answer = viaRest
                ? await rest("update", { object: "deal", id }, `/api/v1/objects/deal/records/${id}`, { method: "PATCH", body: serialized(step.values) })
                : await trpc(h.user, { path: "data.update", input: { object: "deal", id, values: step.values } });
              break;
            }
            case "createMany":
              answer = step.viaRest
                ? await rest("createMany", { object: "deal", id: "bulk" }, "/api/v1/objects/deal/records/bulk", { method: "POST", body: serialized({ records: step.records }) })
                : await trpc(h.user, { path: "data.createMany", input: { object: "deal", records: step.records } });
              break;
            case "updateMany":
              answer = await trpc(h.user, { path: "data.updateMany", input: { object: "deal", ids: step.picks.map(idOf), values: step.values } });
              break;
            case "delete": {
              // Only ids that name no record, or a record created by this run: the seeded ones stay.
              const id = typeof step.target === "number" ? `missing-${step.target}` : step.target;
              answer = step.viaRest
                ? await rest("remove", { object: "deal", id }, `/api/v1/objects/deal/records/${encodeLoosely(id)}`, { method: "DELETE" })
                : await trpc(h.user, { path: "data.delete", input: { object: "deal", id } });
              break;
            }
            case "raw": {
              // Keys JSON.stringify would never write as own properties: sent as raw text.
              const body = `{"name":"raw","${step.badKey}":${serialized(step.item)},"data":{"${step.badKey}":1}}`;
              answer = step.viaRest
                ? await rest("create", { object: "deal" }, "/api/v1/objects/deal/records", { method: "POST", body })
                : await trpc(h.user, { path: "data.create", rawBody: `{"json":{"object":"deal","values":${body}}}` });
              expect(answer.status, answer.text).toBe(400);
              break;
            }
          }
          expectSafe(answer, step);
          if (answer.status >= 400) expect(await snapshot(), `${serialized(step).slice(0, 300)} was refused (${answer.status}) but changed data`).toBe(before);
        }),
        { seed: SEED, numRuns: 500 * RUNS, endOnFailure: true },
      );
    }, 600_000);
  });
}
