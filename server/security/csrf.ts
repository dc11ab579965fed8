/**
 * Cross-site request refusal for state-changing requests (all but GET, HEAD, OPTIONS).
 * Browsers mark every request with `Sec-Fetch-Site` and cross-origin POSTs with `Origin`; a
 * request that says it comes from another site (or an opaque origin) is refused. Requests that
 * carry neither header do not come from a browser page, so they cannot ride on a user's cookies.
 * The REST API (/api/v1) authenticates with bearer keys only, never cookies, so it is exempt.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const EXEMPT_PREFIXES = ["/api/v1/"];

export type RequestFacts = { method: string; pathname: string; headers: Headers };

/** Why the request is refused, or null when it may proceed. */
export function crossSiteRefusal({ method, pathname, headers }: RequestFacts): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  if (EXEMPT_PREFIXES.some((prefix) => pathname.startsWith(prefix))) return null;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const origin = headers.get("origin");
  if (origin === null) return null;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    // "null" (sandboxed frames, some redirects) and garbage are opaque origins.
  }
  if (!originHost || !host || originHost !== host) return `cross-site request refused (Origin: ${origin})`;
  return null;
}
