import { NextResponse, type NextRequest } from "next/server";
import { crossSiteRefusal } from "@/server/security/csrf";
import { contentSecurityPolicy, createNonce } from "@/server/security/security-headers";

/**
 * Runs before every route (Next 16's successor to middleware.ts): refuses cross-site
 * state-changing requests, and sets a Content-Security-Policy with a fresh script nonce. The
 * policy also goes on the request, where Next.js reads the nonce for its own scripts.
 * The other security headers are static: next.config.ts.
 */
export function proxy(request: NextRequest) {
  const refusal = crossSiteRefusal({ method: request.method, pathname: request.nextUrl.pathname, headers: request.headers });
  if (refusal) {
    return NextResponse.json({ error: { code: "FORBIDDEN", message: refusal } }, { status: 403 });
  }
  const https = (request.headers.get("x-forwarded-proto") ?? request.nextUrl.protocol.replace(/:$/, "")) === "https";
  const policy = contentSecurityPolicy({ nonce: createNonce(), development: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  return response;
}

export const config = {
  // Not on build assets (content-hashed files, no HTML): they get next.config.ts's headers.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
