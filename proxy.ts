import { NextResponse, type NextRequest } from "next/server";
import { crossSiteRefusal } from "@/server/security/csrf";
import { STATIC_SECURITY_HEADERS, contentSecurityPolicy, createNonce } from "@/server/security/security-headers";
import { malformedUrlEncoding } from "@/server/security/url-encoding";
import { requestTurn } from "@/server/http/request-turns";

/**
 * Runs before every route (Next 16's successor to middleware.ts): waits for the request's turn
 * (one request per event-loop turn, first come first served: server/http/request-turns.ts, why
 * 64 concurrent clients no longer starve new connections for seconds), refuses URLs with malformed
 * percent-encoding (Next's own decoding would answer a bare 500) and cross-site
 * state-changing requests, and sets a Content-Security-Policy with a fresh script nonce. The
 * policy also goes on the request, where Next.js reads the nonce for its own scripts.
 * The other security headers are static: next.config.ts.
 */
export async function proxy(request: NextRequest) {
  await requestTurn();
  const malformed = malformedUrlEncoding(request.nextUrl);
  if (malformed) return malformedUrlResponse(request, malformed.message);
  const refusal = crossSiteRefusal({ method: request.method, pathname: request.nextUrl.pathname, headers: request.headers });
  if (refusal) {
    return NextResponse.json({ error: { code: "FORBIDDEN", message: refusal } }, { status: 403 });
  }
  const https = isHttps(request);
  const policy = contentSecurityPolicy({ nonce: createNonce(), development: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  return response;
}

function isHttps(request: NextRequest): boolean {
  return (request.headers.get("x-forwarded-proto") ?? request.nextUrl.protocol.replace(/:$/, "")) === "https";
}

/**
 * 400 for a URL that does not decode: JSON under /api (what API clients parse), a plain page
 * elsewhere; one log line (the path as sent, cut short: it is attacker-chosen). Set here in
 * full, since Next.js may not add next.config.ts's headers to a response the proxy answers.
 */
function malformedUrlResponse(request: NextRequest, message: string): NextResponse {
  console.warn(`400 malformed URL encoding: ${request.method} ${request.nextUrl.pathname.slice(0, 200)}${request.nextUrl.search.slice(0, 200)}`);
  const api = request.nextUrl.pathname.startsWith("/api/");
  const response = api
    ? NextResponse.json({ error: { code: "BAD_REQUEST", message, issues: [{ path: ["url"], message }] } }, { status: 400 })
    : new NextResponse(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad request</title></head><body><h1>Bad request</h1><p>${message}</p></body></html>`, {
        status: 400,
        headers: { "Content-Type": "text/html; charset=utf-8" },
      });
  for (const { key, value } of STATIC_SECURITY_HEADERS) response.headers.set(key, value);
  // Nothing on this page runs: no script is allowed at all.
  response.headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'");
  if (isHttps(request)) response.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  response.headers.set("Cache-Control", "no-store");
  return response;
}

export const config = {
  // Not on build assets (content-hashed files, no HTML): they get next.config.ts's headers.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
