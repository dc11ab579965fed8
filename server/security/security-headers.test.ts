import { describe, expect, it } from "vitest";
import { STATIC_SECURITY_HEADERS, contentSecurityPolicy, createNonce } from "./security-headers";

function directives(policy: string) {
  return new Map(policy.split("; ").map((directive) => {
    const [name, ...values] = directive.split(" ");
    return [name!, values] as const;
  }));
}

describe("security headers", () => {
  it("allows in production only scripts with the nonce, never eval, and no framing by other sites", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc", development: false, https: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'self'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it("adds eval and the hot-reload socket only in development, and the upgrade only over https", () => {
    const dev = directives(contentSecurityPolicy({ nonce: "abc", development: true, https: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("connect-src")).toContain("ws:");
    expect(dev.has("upgrade-insecure-requests")).toBe(true);
  });

  it("writes every directive of the policy, in production and in development over https", () => {
    const shared = "style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; font-src 'self' data:";
    const tail = "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";
    expect(contentSecurityPolicy({ nonce: "n1", development: false, https: false })).toBe(
      `default-src 'self'; script-src 'self' 'nonce-n1' 'strict-dynamic'; ${shared}; connect-src 'self'; ${tail}`,
    );
    expect(contentSecurityPolicy({ nonce: "n2", development: true, https: true })).toBe(
      `default-src 'self'; script-src 'self' 'nonce-n2' 'strict-dynamic' 'unsafe-eval'; ${shared}; connect-src 'self' ws: wss:; ${tail}; upgrade-insecure-requests`,
    );
  });

  it("makes a new 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });

  it("sends the static headers", () => {
    const headers = Object.fromEntries(STATIC_SECURITY_HEADERS.map(({ key, value }) => [key, value]));
    expect(headers).toMatchObject({ "X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN", "Referrer-Policy": "strict-origin-when-cross-origin" });
    expect(headers["Permissions-Policy"]).toContain("camera=()");
  });
});
