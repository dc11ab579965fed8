import { describe, expect, it } from "vitest";
import { withDotSegmentsEncoded } from "./request-target.mjs";

describe("withDotSegmentsEncoded", () => {
  it("encodes dot segments, written or percent-encoded, so no parser resolves them", () => {
    expect(withDotSegmentsEncoded("/api/v1/objects/account/records/%2e%2e")).toBe("/api/v1/objects/account/records/%252E%252E");
    expect(withDotSegmentsEncoded("/api/v1/objects/account/records/..")).toBe("/api/v1/objects/account/records/%252E%252E");
    expect(withDotSegmentsEncoded("/api/v1/objects/account/records/%2E")).toBe("/api/v1/objects/account/records/%252E");
    expect(withDotSegmentsEncoded("/apps/crm/./account/.%2e/x?q=..")).toBe("/apps/crm/%252E/account/%252E%252E/x?q=..");
    // What a URL parser makes of the result: the segments stay.
    expect(new URL(`http://x${withDotSegmentsEncoded("/a/b/%2e%2e")}`).pathname).toBe("/a/b/%252E%252E");
  });

  it("leaves every other target as it came", () => {
    for (const target of ["/", "/api/health", "/apps/crm/account?x=../..", "/a/.../b", "/a/..b/c", "/file.txt", "/a/%2e%2e%2e", "/_next/static/chunks/app.js"]) {
      expect(withDotSegmentsEncoded(target)).toBe(target);
    }
  });
});
