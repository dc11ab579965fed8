import { z } from "zod";
import { identifier } from "./identifier";
import { FILTER_OPERATORS, MAX_CURSOR_LENGTH, MAX_LIMIT } from "./query-constants";

/**
 * The ObjectQL query AST: one JSON shape that the grid, forms, API (and later dashboards,
 * reports, flows and agents) send to the engine. Field names here are only *requests*: the
 * engine resolves every one against published metadata and refuses unknown ones.
 */

// Zod-free constants live in query-constants.ts so client components can use them without the schemas.
export { FILTER_OPERATORS, MAX_CURSOR_LENGTH, MAX_LIMIT, type FilterOperator } from "./query-constants";

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
/** Conditions in one filter, and values in all its lists together: bounds on the SQL one filter becomes. */
export const MAX_FILTER_CONDITIONS = 5000;
export const MAX_FILTER_VALUES = 100_000;

/** The recursive shape; walked only after `filterLimitProblem` has bounded its size and depth. */
const filterNodeSchema: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    conditionSchema.strict(),
    z.object({ and: z.array(filterNodeSchema).max(200) }).strict(),
    z.object({ or: z.array(filterNodeSchema).max(200) }).strict(),
    z.object({ not: filterNodeSchema }).strict(),
  ]),
);

/**
 * Why a filter is too large to take, or null: its and/or/not nesting, its number of conditions
 * and of list values, measured without recursion, so a hostile filter (10,000 levels deep, a
 * million conditions) is refused cheaply before the recursive schema walks it.
 */
export function filterLimitProblem(filter: unknown): string | null {
  const stack: { node: unknown; depth: number }[] = [{ node: filter, depth: 1 }];
  let conditions = 0;
  let values = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > MAX_FILTER_DEPTH) return `is nested too deeply: at most ${MAX_FILTER_DEPTH} levels of and/or/not are allowed`;
    const record = node as Record<string, unknown>;
    let combinator = false;
    for (const key of ["and", "or"]) {
      const children = Object.hasOwn(record, key) ? record[key] : undefined;
      if (!Array.isArray(children)) continue;
      combinator = true;
      for (const child of children) stack.push({ node: child, depth: depth + 1 });
    }
    if (Object.hasOwn(record, "not")) {
      combinator = true;
      stack.push({ node: record.not, depth: depth + 1 });
    }
    if (combinator) continue;
    if (++conditions > MAX_FILTER_CONDITIONS) return `has too many conditions: at most ${MAX_FILTER_CONDITIONS} are allowed`;
    if (Array.isArray(record.value) && (values += record.value.length) > MAX_FILTER_VALUES) {
      return `has too many values: at most ${MAX_FILTER_VALUES} in all its lists together`;
    }
  }
  return null;
}

/** Filters size-checked before they are parsed: what every query, view, rule and API takes. */
export const filterSchema: z.ZodType<Filter, Filter> = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem = filterLimitProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `filter ${problem}`, abort: true });
  })
  .pipe(filterNodeSchema) as unknown as z.ZodType<Filter, Filter>;

export const orderBySchema = z.strictObject({
  field: fieldPath,
  direction: z.enum(["asc", "desc"]).default("asc"),
});
export type OrderBy = z.infer<typeof orderBySchema>;


/** Groups an aggregate query returns when it names no `limit`, and the most it may ask for. */
export const DEFAULT_AGGREGATE_LIMIT = 1000;
export const MAX_AGGREGATE_LIMIT = 10_000;

/** Most lookups a dotted path may pass through (`a.b.c.d.field` is 4). */
export const MAX_PATH_DEPTH = 4;

/**
 * Relative date values, usable as the value of =, !=, <, <=, >, >= and between on date and
 * datetime fields. Each denotes a range of days (UTC): `= THIS_WEEK` means "within this week"
 * (weeks start on Monday), `< THIS_MONTH` "before this month began", `> LAST_N_DAYS:7` "after today".
 */
export const RELATIVE_DATE_KEYWORDS = [
  "TODAY", "YESTERDAY", "TOMORROW",
  "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK",
  "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH",
  "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER",
  "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR",
] as const;
export type RelativeDateKeyword = (typeof RELATIVE_DATE_KEYWORDS)[number];
/** `LAST_N_DAYS:n` (the n days before today and today) and `NEXT_N_DAYS:n` (today and the n days after). */
export const RELATIVE_N_DAYS_PATTERN = /^(LAST|NEXT)_N_DAYS:(\d{1,5})$/;

export function isRelativeDateValue(value: unknown): value is string {
  return typeof value === "string" && ((RELATIVE_DATE_KEYWORDS as readonly string[]).includes(value) || RELATIVE_N_DAYS_PATTERN.test(value));
}

const commonQuery = {
  object: identifier,
  filter: filterSchema.optional(),
  /** Free-text search over the object's text fields and the names of the records its lookups refer to. */
  search: z.string().max(200).optional(),
  orderBy: z.array(orderBySchema).max(10).optional(),
  offset: z.number().int().min(0).max(10_000_000).default(0),
};

const limitSchema = z.number().int().min(1).max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`);

export const AGGREGATE_FUNCTIONS = ["count", "count_distinct", "sum", "avg", "min", "max"] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/**
 * Keys the API never returns (superjson refuses to send them, as a guard against prototype
 * pollution), so they cannot name a result value.
 */
export const UNSERIALIZABLE_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/** A result column name: a plain identifier-like word (it is never used as SQL text). */
const alias = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "must be a word of letters, digits and '_' (at most 63 characters)")
  .superRefine((name, ctx) => {
    if (UNSERIALIZABLE_KEYS.includes(name)) ctx.addIssue({ code: "custom", message: `'${name}' is reserved (the API cannot return a value under that name): choose another name` });
  });

/** The result name of an aggregate written without `alias`: `count` for records, else `sum_amount`, `avg_account_revenue`. */
export function defaultAggregateAlias(fn: AggregateFunction, field: string | undefined): string {
  return field === undefined ? fn : `${fn}_${field.replaceAll(".", "_")}`;
}

export const aggregateSchema = z
  .strictObject({
    function: z.enum(AGGREGATE_FUNCTIONS),
    /** Required except for `count`, which without a field (or with `*`) counts records. */
    field: fieldPath.optional(),
    /** The key of the value in result rows; defaults to `defaultAggregateAlias`. */
    alias: alias.optional(),
  })
  .transform((aggregate, ctx) => {
    let field = aggregate.field;
    if (field === "*") {
      if (aggregate.function !== "count") {
        ctx.addIssue({ code: "custom", path: ["field"], message: `'*' (every record) goes only with count; '${aggregate.function}' needs a field` });
        return z.NEVER;
      }
      field = undefined;
    }
    const result: { function: AggregateFunction; field?: string; alias: string } = {
      function: aggregate.function,
      alias: aggregate.alias ?? defaultAggregateAlias(aggregate.function, field),
    };
    if (field !== undefined) result.field = field;
    return result;
  });
export type Aggregate = z.infer<typeof aggregateSchema>;

export const DATE_GRANULARITIES = ["day", "week", "month", "quarter", "year"] as const;
export type DateGranularity = (typeof DATE_GRANULARITIES)[number];

const groupByObjectSchema = z.strictObject({
  field: fieldPath,
  /** Buckets a date/datetime field; the key is the bucket's first day as YYYY-MM-DD (weeks start Monday). */
  granularity: z.enum(DATE_GRANULARITIES).optional(),
  /** The key of this group in result rows (defaults to the field path). */
  alias: alias.optional(),
});

/** A group key: `{ field, granularity?, alias? }`, or just the field path as a string (`"project.name"`). */
export type GroupBy = z.infer<typeof groupByObjectSchema>;
export const groupBySchema = z.union([fieldPath.transform((field): GroupBy => ({ field })), groupByObjectSchema]);

/** Levels of related lists: `expand` inside an expansion (account -> contacts -> activities) goes at most this deep. */
export const MAX_EXPAND_DEPTH = 3;

/** Related lists: child records whose lookup points at each returned record. */
export type Expand = {
  /** `<child object>.<lookup field>`, or just `<child object>` when it has one lookup to this object. */
  relation: string;
  select?: string[];
  filter?: Filter;
  orderBy?: OrderBy[];
  /** Children per parent record. */
  limit: number;
  /** Related lists of each child (one query per level, never one per record). */
  expand?: Expand[];
};
export type ExpandInput = Omit<Expand, "limit" | "orderBy" | "expand"> & {
  limit?: number;
  orderBy?: z.input<typeof orderBySchema>[];
  expand?: ExpandInput[];
};

/**
 * The schema of an expansion at `level` (1 = directly under the query). It is built level by
 * level rather than recursively, so a too-deep nesting is refused at the first level too many
 * (with its path) instead of being walked.
 */
function expandSchemaAt(level: number): z.ZodType<Expand, ExpandInput> {
  const nested =
    level < MAX_EXPAND_DEPTH
      ? z.array(expandSchemaAt(level + 1)).max(10).optional()
      : z.custom<never>(() => false, { error: `expand may be nested at most ${MAX_EXPAND_DEPTH} levels deep` }).optional();
  return z.strictObject({
    relation: z.string().min(1).max(200),
    select: z.array(fieldPath).max(500).optional(),
    filter: filterSchema.optional(),
    orderBy: z.array(orderBySchema).max(10).optional(),
    limit: z.number().int().min(1).max(200, "must be at most 200").default(20),
    expand: nested,
  });
}

export const expandSchema = expandSchemaAt(1);

/** Unknown keys are refused (a misspelt `fitler` must not silently return every record). */
export const findQuerySchema = z.strictObject({
  ...commonQuery,
  select: z.array(fieldPath).max(500).optional(),
  limit: limitSchema.default(50),
  /** Keyset pagination: the `nextCursor` of the previous page (same object, filter and orderBy). */
  cursor: z.string().min(1).max(MAX_CURSOR_LENGTH).optional(),
  expand: z.array(expandSchema).max(10).optional(),
});
export type FindQuery = z.infer<typeof findQuerySchema>;
export type FindQueryInput = z.input<typeof findQuerySchema>;

export const aggregateQuerySchema = z.strictObject({
  ...commonQuery,
  /**
   * The group keys to return (each a groupBy field path or alias); the others still group but are
   * left out of the rows. Aggregates are always returned. Absent: every group key.
   */
  select: z.array(fieldPath).max(500).optional(),
  aggregate: z.array(aggregateSchema).max(50).default([]),
  groupBy: z.array(groupBySchema).max(10).default([]),
  /** A filter over group and aggregate aliases (applied after grouping). */
  having: filterSchema.optional(),
  /** Groups per answer; when more groups exist the answer says so (`truncated`, `nextOffset`). */
  limit: z.number().int().min(1).max(MAX_AGGREGATE_LIMIT, `must be at most ${MAX_AGGREGATE_LIMIT}`).default(DEFAULT_AGGREGATE_LIMIT),
});
export type AggregateQuery = z.infer<typeof aggregateQuerySchema>;
export type AggregateQueryInput = z.input<typeof aggregateQuerySchema>;

/**
 * An aggregate answer: one row per group. Groups are never dropped silently: when more groups
 * follow the ones returned, `truncated` is true and `nextOffset` is the `offset` that fetches them.
 */
export type AggregateResult = {
  rows: Record<string, unknown>[];
  truncated: boolean;
  nextOffset?: number;
};

/**
 * The whole query language as one JSON shape: `find` takes the record-list part
 * (select/cursor/expand), `aggregate` the summary part (aggregate/groupBy/having).
 */
export const querySchema = findQuerySchema.extend({
  aggregate: aggregateQuerySchema.shape.aggregate.optional(),
  groupBy: aggregateQuerySchema.shape.groupBy.optional(),
  having: filterSchema.optional(),
});
export type Query = z.infer<typeof querySchema>;

export function filterDepth(filter: Filter): number {
  if ("and" in filter) return 1 + Math.max(0, ...filter.and.map(filterDepth));
  if ("or" in filter) return 1 + Math.max(0, ...filter.or.map(filterDepth));
  if ("not" in filter) return 1 + filterDepth(filter.not);
  return 1;
}
