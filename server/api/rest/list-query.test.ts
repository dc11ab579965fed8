import { describe, expect, it } from "vitest";
import { LIST_PARAMETERS, listQuery } from "./list-query";
import { queryStringIssues } from "./query-string";
import { RestInputError } from "./rest-input-error";

const parse = (query: string) => listQuery("account", new URLSearchParams(query));
const issuesOf = (query: string, allowed: readonly string[] = LIST_PARAMETERS) => queryStringIssues(new URL(`http://x/api/v1/objects/a/records?${query}`), allowed);

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

  it("refuses unreadable JSON and bad values, naming each", () => {
    try {
      parse("filter={oops&total=yes");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RestInputError);
      expect((error as RestInputError).issues.map((issue) => issue.path[0]).sort()).toEqual(["filter", "total"]);
      expect((error as RestInputError).message).toMatch(/^Invalid input: /);
    }
  });

  it("refuses a filter with a __proto__ key or a lone surrogate, with its path", () => {
    const proto = () => parse(`filter=${encodeURIComponent('{"field":"name","operator":"=","value":"x","__proto__":{"a":1}}')}`);
    expect(proto).toThrow(RestInputError);
    try {
      proto();
    } catch (error) {
      expect((error as RestInputError).issues).toEqual([{ path: ["filter", "__proto__"], message: "'__proto__' is not allowed as a name" }]);
    }
    expect(() => parse(`filter=${encodeURIComponent('{"field":"name","operator":"=","value":"\\ud800"}')}`)).toThrow(/filter\.value: contains an unpaired surrogate/);
  });
});

describe("queryStringIssues", () => {
  it("refuses unknown, repeated, badly encoded and NUL-holding parameters, naming each", () => {
    expect(issuesOf("colour=red&limit=1&limit=2&search=%C0&__proto__=1&select=a%00b")).toEqual([
      { path: ["colour"], message: "unknown parameter (use filter, sort, select, search, limit, offset, cursor, total)" },
      { path: ["limit"], message: "must be given once" },
      { path: ["search"], message: "is not valid percent-encoded UTF-8" },
      { path: ["__proto__"], message: "unknown parameter (use filter, sort, select, search, limit, offset, cursor, total)" },
      { path: ["select"], message: "contains a NUL character (U+0000), which text cannot hold" },
    ]);
  });

  it("takes nothing on routes without parameters, and well-formed ones on the list", () => {
    expect(issuesOf("x=1", [])).toEqual([{ path: ["x"], message: "unknown parameter (this route takes none)" }]);
    expect(issuesOf("", [])).toEqual([]);
    expect(issuesOf("search=caf%C3%A9+bar&limit=5")).toEqual([]);
  });
});
