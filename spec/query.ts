import { z } from "zod";
import { identifier } from "./identifier";

/**
 * The ObjectQL query AST: one JSON shape that the grid, forms, API (and later dashboards,
 * reports, flows and agents) send to the engine. Field names here are only *requests*: the
 * engine resolves every one against published metadata and refuses unknown ones.
 */

export const FILTER_OPERATORS = [
  "=", "!=", ">", ">=", "<", "<=",
  "in", "not_in",
  "contains", "starts_with", "ends_with",
  "between", "is_null", "is_not_null",
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** A field path: a field name, or (later) a dotted path through lookups. */
const fieldPath = z.string().min(1).max(200);

const scalar = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
export type ScalarValue = z.infer<typeof scalar>;

export const conditionSchema = z.object({
  field: fieldPath,
  operator: z.enum(FILTER_OPERATORS),
  value: z.union([scalar, z.array(scalar).max(1000)]).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export type Filter = Condition | { and: Filter[] } | { or: Filter[] } | { not: Filter };

/** Depth limit: a filter nested deeper than this is refused (no stack exhaustion). */
export const MAX_FILTER_DEPTH = 12;

export const filterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    conditionSchema.strict(),
    z.object({ and: z.array(filterSchema).max(200) }).strict(),
    z.object({ or: z.array(filterSchema).max(200) }).strict(),
    z.object({ not: filterSchema }).strict(),
  ]),
);

export const orderBySchema = z.object({
  field: fieldPath,
  direction: z.enum(["asc", "desc"]).default("asc"),
});
export type OrderBy = z.infer<typeof orderBySchema>;

/** The most rows one query may return. */
export const MAX_LIMIT = 1000;

export const findQuerySchema = z.object({
  object: identifier,
  select: z.array(fieldPath).max(500).optional(),
  filter: filterSchema.optional(),
  /** Free-text search over the object's text fields. */
  search: z.string().max(200).optional(),
  orderBy: z.array(orderBySchema).max(10).optional(),
  limit: z.number().int().min(1).max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`).default(50),
  offset: z.number().int().min(0).max(10_000_000).default(0),
});
export type FindQuery = z.infer<typeof findQuerySchema>;
export type FindQueryInput = z.input<typeof findQuerySchema>;

export function filterDepth(filter: Filter): number {
  if ("and" in filter) return 1 + Math.max(0, ...filter.and.map(filterDepth));
  if ("or" in filter) return 1 + Math.max(0, ...filter.or.map(filterDepth));
  if ("not" in filter) return 1 + filterDepth(filter.not);
  return 1;
}
