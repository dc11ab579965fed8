import { describe, expect, it } from "vitest";
import { listQuery } from "./list-query";
import { RestInputError } from "./rest-input-error";

const parse = (query: string) => listQuery("account", new URLSearchParams(query));

describe("listQuery", () => {
  it("maps the query string onto an ObjectQL find", () => {
    expect(parse(`filter=${encodeURIComponent('{"field":"name","operator":"=","value":"Acme"}')}&sort=-amount,name&select=name,owner.email&limit=10&offset=5&search=ac&cursor=abc&total=true`)).toEqual({
      object: "account",
      filter: { field: "name", operator: "=", value: "Acme" },
      orderBy: [{ field: "amount", direction: "desc" }, { field: "name", direction: "asc" }],
      select: ["name", "owner.email"],
      limit: 10,
      offset: 5,
      search: "ac",
      cursor: "abc",
      withTotal: true,
    });
    expect(parse("")).toEqual({ object: "account" });
  });

  it("passes a non-integer limit on as text, for the schema to name", () => {
    expect(parse("limit=ten").limit).toBe("ten");
  });

  it("refuses unreadable JSON, unknown and repeated parameters, naming each", () => {
    try {
      parse("filter={oops&colour=red&limit=1&limit=2&total=yes");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RestInputError);
      expect((error as RestInputError).issues.map((issue) => issue.path[0]).sort()).toEqual(["colour", "filter", "limit", "total"]);
      expect((error as RestInputError).message).toMatch(/^Invalid input: /);
    }
  });
});
