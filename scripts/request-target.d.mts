/** Types of request-target.mjs (plain JavaScript, run before any TypeScript loads). */
export function withDotSegmentsEncoded(target: string): string;
