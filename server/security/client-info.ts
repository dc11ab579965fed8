/** Who is on the other end of a request, as far as the headers tell: for logs and rate limits. */
export type ClientInfo = { ip: string | null; userAgent: string | null };

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  // Node's header records are keyed in lower case, as every name asked here is.
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? null);
}

/**
 * The client's IP: X-Forwarded-For's entry `trustedHops` from the right. Next.js sets that header
 * to the socket address when it is missing, and each reverse proxy in front appends the address
 * it saw, so the entries to the left of the trusted ones are whatever the client claimed.
 */
export function clientInfo(headers: HeaderSource, trustedHops = 1): ClientInfo {
  const forwarded = (header(headers, "x-forwarded-for") ?? "").split(",").map((part) => part.trim()).filter(Boolean);
  const ip = forwarded.length > 0 ? forwarded[Math.max(0, forwarded.length - trustedHops)]! : header(headers, "x-real-ip");
  const userAgent = header(headers, "user-agent");
  return { ip: ip ? ip.slice(0, 100) : null, userAgent: userAgent ? userAgent.slice(0, 500) : null };
}
