// The raw request target (path and query as the client sent them), before Next.js parses it.
// Plain JavaScript: scripts/serve.mjs runs it before any TypeScript is loaded.

/** A path segment that URL parsers resolve as `.` or `..`: dots, each possibly written as %2e. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * `target` with the dot segments of its path encoded once more, so no URL parser resolves them:
 * `/a/records/%2e%2e` stays a path whose last segment is the text `%2E%2E` (an id that names no
 * record), instead of becoming `/a/`. Everything else is returned as it came.
 */
export function withDotSegmentsEncoded(target) {
  const queryAt = target.search(/[?#]/);
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  if (!path.includes(".") && !/%2e/i.test(path)) return target;
  const segments = path.split("/");
  let changed = false;
  for (let index = 0; index < segments.length; index++) {
    if (!DOT_SEGMENT.test(segments[index])) continue;
    segments[index] = segments[index].replace(/\.|%2e/gi, "%252E");
    changed = true;
  }
  return changed ? segments.join("/") + (queryAt < 0 ? "" : target.slice(queryAt)) : target;
}
