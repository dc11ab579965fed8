/**
 * The security policy of every response, in one place: the static headers (next.config.ts sends
 * them on every path) and the Content-Security-Policy (proxy.ts builds it per request, since
 * its script nonce must be new each time). Imports nothing, so next.config.ts can load it.
 *
 * When Monaco arrives: it runs its language services in web workers created from blob: URLs
 * (`worker-src` allows them) and needs no eval; keep 'unsafe-eval' out of production.
 */
export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Old browsers' form of `frame-ancestors 'self'`: the studio may frame its own pages, nobody else may.
  { key: "X-Frame-Options", value: "SAMEORIGIN" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

export type CspOptions = {
  /** A fresh random value per response: only scripts carrying it run. */
  nonce: string;
  /** `next dev` needs eval (React's debug stacks) and a websocket for hot reload. */
  development: boolean;
  /** Served over https: ask browsers to upgrade any http subresource. */
  https: boolean;
};

/**
 * Scripts: only those with the nonce, and what they load ('strict-dynamic'); Next.js puts the
 * nonce on its own scripts when the page renders per request. Styles allow 'unsafe-inline'
 * because React style attributes (dialogs, badges, drag and drop) cannot carry a nonce.
 */
export function contentSecurityPolicy({ nonce, development, https }: CspOptions): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "blob:", "data:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'", ...(development ? ["ws:", "wss:"] : [])],
    ["worker-src", "'self'", "blob:"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'self'"],
    ...(https ? [["upgrade-insecure-requests"] as [string]] : []),
  ];
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/** 16 random bytes, base64: what CSP expects of a nonce. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
