import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { apiTransformer } from "./trpc";

/** The router's transformer: superjson, with plain JSON sent as is and every input guarded. */
describe("apiTransformer", () => {
  const roundTrip = (value: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(apiTransformer.output.serialize(value))));

  it("sends plain JSON (record pages) without superjson's annotations, as superjson reads it", () => {
    const page = { records: [{ id: "r1", name: "Deal", amount: 12.5, account: { id: "a1", name: "Acme" }, tags: ["a"], done: false, note: null }], nextCursor: "c" };
    expect(apiTransformer.output.serialize(page)).toEqual({ json: page });
    expect(roundTrip(page)).toEqual(page);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { n: 1 });
    expect(apiTransformer.output.serialize({ rows: [bare] })).toEqual({ json: { rows: [bare] } });
  });

  it("hands everything else to superjson, which encodes it", () => {
    for (const value of [{ at: new Date("2026-12-07T00:00:00Z") }, { missing: undefined }, { n: Number.NaN }, { n: -0 }, { m: new Map([["a", 1]]) }, [Infinity]]) {
      expect(apiTransformer.output.serialize(value)).toEqual(superjson.serialize(value));
      expect(roundTrip(value)).toEqual(value);
    }
    expect(() => apiTransformer.output.serialize({ constructor: 1 })).toThrow(/prototype pollution/);
  });

  it("refuses inputs that are not superjson envelopes, or that the input guard refuses, with a 400", () => {
    for (const envelope of [null, [1], "x", { object: "deal" }]) {
      expect(() => apiTransformer.input.deserialize(envelope)).toThrow(/superjson-encoded/);
    }
    expect(() => apiTransformer.input.deserialize(JSON.parse('{"json":{"values":{"__proto__":1}}}'))).toThrow("Invalid input: values.__proto__: '__proto__' is not allowed as a name");
    expect(apiTransformer.input.deserialize({ json: { object: "deal" } })).toEqual({ object: "deal" });
  });
});
