/**
 * Where to send the browser after signing in or out: only somewhere on our own origin.
 *
 * The target is resolved with the URL class against the origin, which is how a browser resolves
 * it: `/\host` and `\\host` become `//host` (another host), tabs and newlines inside are dropped,
 * leading spaces and control characters are trimmed, `javascript:` has no origin. Whatever
 * resolves to another origin is replaced by `fallback`. The answer is the resolved absolute URL,
 * never the raw text, so what was checked is exactly what the browser will open.
 *
 * Imports nothing: the sign-in form (browser) and next-auth's redirect callback (server) share it.
 */
export function sameOriginUrl(target: unknown, origin: string, fallback = "/"): string {
  const base = new URL(origin).origin;
  const home = new URL(fallback, base).href;
  if (typeof target !== "string" || target.length === 0 || target.length > MAX_TARGET_LENGTH) return home;
  let resolved: URL;
  try {
    resolved = new URL(target, `${base}/`);
  } catch {
    return home;
  }
  // `http://user@ourhost/` is our origin too, but nothing of ours links with credentials.
  if (resolved.origin !== base || resolved.username !== "" || resolved.password !== "") return home;
  return resolved.href;
}

/** Longer targets are refused outright: no page of ours has a URL this long. */
const MAX_TARGET_LENGTH = 2048;
