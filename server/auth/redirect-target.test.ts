import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sameOriginUrl } from "./redirect-target";

const ORIGIN = "http://127.0.0.1:3311";
const HOME = `${ORIGIN}/`;

/** Where a browser on our origin would go when sent to `target` (what `location.assign` does). */
const browserWouldOpen = (target: string) => new URL(target, `${ORIGIN}/signin`);

describe("sameOriginUrl: only our own origin after sign-in and sign-out", () => {
  it.each([
    ["/\\evil.example", "the issue's example: /\\ is // to a browser"],
    ["//evil.example", "protocol-relative"],
    ["///evil.example", "three slashes"],
    ["\\\\evil.example", "two backslashes"],
    ["\\/evil.example", "backslash then slash"],
    ["/\t/evil.example", "a tab between the slashes (browsers drop it)"],
    ["/\n/evil.example", "a newline between the slashes"],
    ["/\r\n/evil.example", "CRLF between the slashes"],
    [" //evil.example", "a leading space (trimmed)"],
    ["\u0000//evil.example", "a leading NUL (trimmed as a control character)"],
    ["\u001f/\\evil.example", "a leading control character"],
    ["https://evil.example/", "an absolute URL to another host"],
    ["http://evil.example", "plain http to another host"],
    ["HTTPS://EVIL.EXAMPLE", "upper case scheme and host"],
    ["https:evil.example", "a scheme without slashes"],
    ["http://127.0.0.1:3312/", "our host on another port"],
    ["https://127.0.0.1:3311/", "our host and port over another scheme"],
    ["http://127.0.0.1:3311@evil.example/", "our origin as the user part of another host"],
    ["http://127.0.0.1:3311.evil.example/", "our origin as a prefix of another host"],
    ["http://user:pass@127.0.0.1:3311/apps", "our origin with credentials"],
    ["javascript:alert(document.domain)", "javascript:"],
    ["JavaScript:alert(1)", "javascript: in mixed case"],
    ["java\tscript:alert(1)", "javascript: with a tab inside"],
    ["data:text/html,<script>alert(1)</script>", "data:"],
    ["vbscript:msgbox(1)", "vbscript:"],
    ["blob:http://evil.example/uuid", "blob: of another origin"],
    ["file:///etc/passwd", "file:"],
    ["//evil.example/%2F..", "protocol-relative with an encoded tail"],
    ["/" + "a".repeat(3000), "a target too long to be one of our pages"],
  ])("refuses %j (%s)", (target) => {
    expect(sameOriginUrl(target, ORIGIN)).toBe(HOME);
    expect(browserWouldOpen(sameOriginUrl(target, ORIGIN)).origin).toBe(ORIGIN);
  });

  it.each([
    ["%2F%2Fevil.example", `${ORIGIN}/%2F%2Fevil.example`, "encoded slashes stay a path on our origin"],
    ["%2F%5Cevil.example", `${ORIGIN}/%2F%5Cevil.example`, "the issue's value still encoded: a path on our origin"],
    ["/studio", `${ORIGIN}/studio`, "a path"],
    ["/apps/crm/account?view=all#top", `${ORIGIN}/apps/crm/account?view=all#top`, "a path with query and fragment"],
    ["/apps/../studio", `${ORIGIN}/studio`, "dot segments, resolved as the browser does"],
    [`${ORIGIN}/studio/objects`, `${ORIGIN}/studio/objects`, "a same-origin absolute URL"],
    ["HTTP://127.0.0.1:3311/apps", `${ORIGIN}/apps`, "a same-origin absolute URL in upper case"],
    [`${ORIGIN}//evil.example`, `${ORIGIN}//evil.example`, "a same-origin absolute URL whose path starts with //: stays absolute, so stays here"],
    ["apps", `${ORIGIN}/apps`, "a relative path"],
  ])("keeps %j as %j (%s)", (target, expected) => {
    expect(sameOriginUrl(target, ORIGIN)).toBe(expected);
  });

  it("answers the fallback for anything that is not a non-empty string", () => {
    for (const target of [null, undefined, "", 42, {}, ["/apps"]]) expect(sameOriginUrl(target, ORIGIN)).toBe(HOME);
    expect(sameOriginUrl("//evil.example", ORIGIN, "/signin")).toBe(`${ORIGIN}/signin`);
  });

  it("takes the origin from a base URL with a path (next-auth's baseUrl or NEXTAUTH_URL)", () => {
    expect(sameOriginUrl("/apps", `${ORIGIN}/api/auth`)).toBe(`${ORIGIN}/apps`);
    expect(sameOriginUrl("/\\evil.example", `${ORIGIN}/api/auth`)).toBe(HOME);
  });

  it("property: whatever the target, the browser ends up on our origin", () => {
    // Pieces that browsers treat specially near the start of a URL, mixed with arbitrary text.
    const tricky = fc.constantFrom("/", "\\", "//", "/\\", "\\\\", "\t", "\n", "\r", " ", "\u0000", "%2F", "%5C", "@", ":", "javascript:", "http:", "https:", "evil.example", "127.0.0.1:3311", ".", "..", "#", "?");
    const target = fc.oneof(
      fc.string({ unit: "grapheme-composite", maxLength: 60 }),
      fc.string({ unit: "binary", maxLength: 60 }),
      fc.array(fc.oneof(tricky, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join("")),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
    );
    fc.assert(
      fc.property(target, (value) => {
        const answer = sameOriginUrl(value, ORIGIN);
        expect(new URL(answer).origin).toBe(ORIGIN);
        expect(browserWouldOpen(answer).href).toBe(answer);
      }),
      { numRuns: 5000 },
    );
  });

  it("property: every path on our origin is kept as the browser would resolve it", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
    const path = fc.array(segment, { minLength: 0, maxLength: 6 }).map((parts) => `/${parts.join("/")}`);
    const query = fc.option(fc.stringMatching(/^[a-z]{1,6}=[A-Za-z0-9]{0,8}$/), { nil: undefined });
    fc.assert(
      fc.property(path, query, (pathname, search) => {
        const target = search ? `${pathname}?${search}` : pathname;
        expect(sameOriginUrl(target, ORIGIN)).toBe(new URL(target, ORIGIN).href);
        expect(sameOriginUrl(`${ORIGIN}${target}`, ORIGIN)).toBe(new URL(target, ORIGIN).href);
      }),
      { numRuns: 2000 },
    );
  });
});
