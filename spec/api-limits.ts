/**
 * Limits of the HTTP API that browser and server must agree on (zod-free, so client components
 * import them without schema code). The server enforces them: server/api/input-guard.ts.
 */

/** Request bodies larger than this are refused (413), on tRPC and REST alike. */
export const MAX_REQUEST_BODY_BYTES = 1_000_000;

/** Procedures one batched tRPC request may call; the browser's batch link sends at most this many. */
export const MAX_BATCH_CALLS = 20;

/** JSON nesting deeper than this is refused (the deepest legitimate input, a 12-level filter, is about 30). */
export const MAX_INPUT_DEPTH = 64;
