import type { Issue } from "@/server/errors";
import { textProblem } from "@/spec/text";

/**
 * The query string of a REST call, checked before it is read: every name and value must be
 * valid percent-encoded UTF-8 (URLSearchParams would turn `%C0` into U+FFFD and search for that)
 * without NUL, each parameter is one the route takes (`allowed`), and none is given twice.
 */
export function queryStringIssues(url: URL, allowed: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const raw = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const separator = part.indexOf("=");
    const rawName = separator < 0 ? part : part.slice(0, separator);
    const name = decoded(rawName);
    const value = separator < 0 ? "" : decoded(part.slice(separator + 1));
    const shownName = name ?? rawName;
    if (name === null || value === null) {
      issues.push({ path: [shownName], message: "is not valid percent-encoded UTF-8" });
      continue;
    }
    const problem = textProblem(name) ?? textProblem(value);
    if (problem) {
      issues.push({ path: [name], message: problem });
    } else if (!allowed.includes(name)) {
      issues.push({ path: [name], message: allowed.length === 0 ? "unknown parameter (this route takes none)" : `unknown parameter (use ${allowed.join(", ")})` });
    } else if (seen.has(name)) {
      issues.push({ path: [name], message: "must be given once" });
    }
    seen.add(name);
  }
  return issues;
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return null;
  }
}
