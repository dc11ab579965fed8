/**
 * Malformed percent-encoding in a request URL (`%C0`, `%E0%A4`, `%zz`, a lone `%`): Next.js
 * fails to decode such a path parameter and answers a bare 500 without our headers or a log
 * line, and query values decoded leniently turn the bad bytes into U+FFFD silently. proxy.ts
 * refuses them first with a 400 naming the part of the URL. Imports nothing (runs in proxy.ts).
 */
export type MalformedEncoding = { part: "path" | "query"; message: string };

/** Where `url` (a request URL, as sent: percent-encodings not decoded) has bad percent-encoding, or null. */
export function malformedUrlEncoding(url: URL): MalformedEncoding | null {
  if (!decodes(url.pathname)) {
    return { part: "path", message: "The URL path has malformed percent-encoding (each % must start a valid UTF-8 byte sequence such as %C3%A9)" };
  }
  if (!decodes(url.search)) {
    return { part: "query", message: "The query string has malformed percent-encoding (each % must start a valid UTF-8 byte sequence such as %C3%A9; a literal % is %25)" };
  }
  return null;
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
