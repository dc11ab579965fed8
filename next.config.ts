import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./server/security/security-headers";

const nextConfig: NextConfig = {
  // Native and server-only packages stay out of the bundle and load from node_modules.
  serverExternalPackages: ["better-sqlite3", "pg", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "bcryptjs", "quickjs-emscripten", "nodemailer"],
  poweredByHeader: false,
  // `forbidden()`: the studio answers a signed-in non-admin 403 with its own page (app/(studio)/forbidden.tsx).
  experimental: { authInterrupts: true },
  // proxy.ts sees the URL as sent: otherwise Next re-encodes the query first, turning malformed
  // percent-encoding into U+FFFD, which the proxy could then not refuse (server/security/url-encoding.ts).
  skipProxyUrlNormalize: true,
  // Lets parallel builds (several e2e runs on one checkout) keep apart; `.next` by default.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // On every response; the Content-Security-Policy needs a per-request nonce, so proxy.ts sets it.
  async headers() {
    return [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }];
  },
};

export default nextConfig;
