import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./csrf";

const request = (method: string, pathname: string, headers: Record<string, string>) =>
  crossSiteRefusal({ method, pathname, headers: new Headers({ host: "studio.example.com", ...headers }) });

describe("crossSiteRefusal", () => {
  it("lets same-origin writes and every read through", () => {
    expect(request("POST", "/api/trpc/data.create", { origin: "https://studio.example.com", "sec-fetch-site": "same-origin" })).toBeNull();
    expect(request("GET", "/api/trpc/data.find", { origin: "https://evil.example", "sec-fetch-site": "cross-site" })).toBeNull();
    expect(request("HEAD", "/studio", { "sec-fetch-site": "cross-site" })).toBeNull();
  });

  it("refuses writes another site's page sends, by Sec-Fetch-Site or by Origin", () => {
    expect(request("POST", "/api/trpc/data.delete", { "sec-fetch-site": "cross-site" })).toMatch(/cross-site/);
    expect(request("POST", "/api/trpc/data.delete", { "sec-fetch-site": "same-site" })).toMatch(/same-site/);
    expect(request("DELETE", "/api/trpc/x", { origin: "https://evil.example" })).toMatch(/Origin: https:\/\/evil.example/);
    expect(request("POST", "/api/auth/callback/credentials", { origin: "null" })).toMatch(/Origin: null/);
    expect(request("PATCH", "/api/trpc/x", { origin: "https://studio.example.com.evil.example" })).not.toBeNull();
  });

  it("lets through what the user typed or bookmarked (Sec-Fetch-Site: none)", () => {
    expect(request("POST", "/api/trpc/x", { "sec-fetch-site": "none" })).toBeNull();
  });

  it("refuses an opaque origin even when the request names no host", () => {
    expect(crossSiteRefusal({ method: "POST", pathname: "/api/trpc/x", headers: new Headers({ origin: "null" }) })).toBe("cross-site request refused (Origin: null)");
  });

  it("compares Origin with the public host a proxy forwarded", () => {
    expect(request("POST", "/api/trpc/x", { origin: "https://public.example", "x-forwarded-host": "public.example" })).toBeNull();
  });

  it("lets non-browser clients (no Origin, no Sec-Fetch-Site) and the bearer-key REST API through", () => {
    expect(request("POST", "/api/trpc/data.create", {})).toBeNull();
    expect(request("POST", "/api/v1/objects/account/records", { origin: "https://other.example", "sec-fetch-site": "cross-site" })).toBeNull();
  });
});
