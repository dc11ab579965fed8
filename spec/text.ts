/**
 * What text the platform takes: well-formed Unicode without NUL. A lone surrogate would be stored
 * as replacement characters (or refused by PostgreSQL with an internal error), and a NUL cuts
 * SQLite's patterns short and cannot be stored by PostgreSQL at all; both are refused, so text is
 * stored and compared exactly as sent.
 */
export function textProblem(text: string): string | null {
  if (!text.isWellFormed()) return "contains an unpaired surrogate (invalid UTF-16): send well-formed Unicode text";
  if (text.includes("\u0000")) return "contains a NUL character (U+0000), which text cannot hold";
  return null;
}

/** `\u0000`, or a `\uD800`-`\uDFFF` escape that JSON.stringify writes only for an unpaired surrogate, not itself escaped. */
const BAD_JSON_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** The same for every string inside a JSON value, given as the text JSON.stringify made of it. */
export function jsonTextProblem(json: string): string | null {
  const match = BAD_JSON_ESCAPE.exec(json);
  if (!match) return null;
  return match[0].toLowerCase().endsWith("0000") ? "contains a NUL character (U+0000), which text cannot hold" : "contains an unpaired surrogate (invalid UTF-16): send well-formed Unicode text";
}
