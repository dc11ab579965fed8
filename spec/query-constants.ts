/**
 * Query constants that client components need, kept free of zod (query.ts builds its schemas at
 * module load): importing them adds no schema code to a page's bundle.
 */

export const FILTER_OPERATORS = [
  "=", "!=", ">", ">=", "<", "<=",
  "in", "not_in",
  "contains", "starts_with", "ends_with",
  "between", "is_null", "is_not_null",
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** The most rows one query may return. */
export const MAX_LIMIT = 1000;

/** The longest cursor accepted (a base64url token; the engine checks it without zod on the paging path). */
export const MAX_CURSOR_LENGTH = 4000;
