import { describe, expect, it } from "vitest";
import { malformedUrlEncoding } from "./url-encoding";

const check = (url: string) => malformedUrlEncoding(new URL(url, "http://localhost"));

describe("malformedUrlEncoding", () => {
  it("names the part of the URL whose percent-encoding does not decode", () => {
    for (const bad of ["%C0", "%C0%AF", "%E0%A4", "%ED%A0%80", "%FF", "%80", "%", "%zz", "%4"]) {
      expect(check(`/apps/${bad}`)?.part, bad).toBe("path");
      expect(check(`/api/health?x=${bad}`)?.part, bad).toBe("query");
      expect(check(`/api/health?${bad}=1`)?.part, bad).toBe("query");
    }
  });

  it("says what is wrong and how to write it", () => {
    expect(check("/apps/%C0")).toEqual({ part: "path", message: "The URL path has malformed percent-encoding (each % must start a valid UTF-8 byte sequence such as %C3%A9)" });
    expect(check("/x?q=%C0")).toEqual({ part: "query", message: "The query string has malformed percent-encoding (each % must start a valid UTF-8 byte sequence such as %C3%A9; a literal % is %25)" });
  });

  it("accepts well-formed URLs, with or without encoding", () => {
    for (const good of ["/", "/apps/crm", "/apps/%C3%A9", "/api/trpc/data.find?input=%7B%22a%22%3A1%7D", "/x?q=100%25+off", "/x?a=b&c="]) {
      expect(check(good), good).toBeNull();
    }
  });
});
