import type { Filter } from "@/spec/query";

/**
 * The slow-query log: queries slower than the threshold (default 500 ms) are kept in an
 * in-memory ring buffer and reported with console.warn. Entries record the query's shape
 * (object, filter fields and operators, sort, limit, ...) but never its values, so the log
 * holds no user data.
 */

export type QueryShape = {
  kind: "find" | "count" | "aggregate";
  object: string;
  /** `field operator` for every condition, in order, e.g. "status in", "amount >". */
  filter: string[];
  orderBy: string[];
  limit?: number;
  offset?: number;
  cursor?: boolean;
  search?: boolean;
  select?: string[];
  groupBy?: string[];
  aggregate?: string[];
  expand?: string[];
};

export type SlowQueryEntry = { shape: QueryShape; durationMs: number; at: string; failed?: boolean };

export type SlowQueryLogOptions = { thresholdMs?: number; capacity?: number; warn?: (message: string) => void };

export const DEFAULT_SLOW_QUERY_MS = 500;

function filterShape(filter: unknown, into: string[] = []): string[] {
  if (typeof filter !== "object" || filter === null) return into;
  const node = filter as Record<string, unknown>;
  if (Array.isArray(node.and)) for (const child of node.and) filterShape(child, into);
  else if (Array.isArray(node.or)) for (const child of node.or) filterShape(child, into);
  else if ("not" in node) filterShape(node.not, into);
  else if (typeof node.field === "string") into.push(`${node.field} ${String(node.operator)}`);
  if (into.length > 50) into.length = 50;
  return into;
}

function names(list: unknown, key: string): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.slice(0, 50).map((item) => {
    if (typeof item === "string") return item;
    const record = (item ?? {}) as Record<string, unknown>;
    const main = String(record[key] ?? record.field ?? "?");
    return record.function ? `${String(record.function)}(${main})` : record.direction ? `${main} ${String(record.direction)}` : record.granularity ? `${main}:${String(record.granularity)}` : main;
  });
}

/** The shape of an ObjectQL query: names and operators only, no values. */
export function queryShape(kind: QueryShape["kind"], query: unknown): QueryShape {
  const q = (query ?? {}) as Record<string, unknown> & { filter?: Filter };
  const shape: QueryShape = {
    kind,
    object: String(q.object ?? "?"),
    filter: filterShape(q.filter),
    orderBy: names(q.orderBy, "field") ?? [],
  };
  if (typeof q.limit === "number") shape.limit = q.limit;
  if (typeof q.offset === "number" && q.offset > 0) shape.offset = q.offset;
  if (q.cursor !== undefined) shape.cursor = true;
  if (typeof q.search === "string" && q.search.trim() !== "") shape.search = true;
  const select = names(q.select, "field");
  if (select) shape.select = select;
  const groupBy = names(q.groupBy, "field");
  if (groupBy) shape.groupBy = groupBy;
  const aggregate = names(q.aggregate, "field");
  if (aggregate) shape.aggregate = aggregate;
  const expand = names(q.expand, "relation");
  if (expand) shape.expand = expand;
  return shape;
}

export class SlowQueryLog {
  thresholdMs: number;
  private readonly capacity: number;
  private readonly warn: (message: string) => void;
  private readonly buffer: SlowQueryEntry[] = [];
  private next = 0;

  constructor(options: SlowQueryLogOptions = {}) {
    this.thresholdMs = options.thresholdMs ?? DEFAULT_SLOW_QUERY_MS;
    this.capacity = Math.max(1, options.capacity ?? 200);
    this.warn = options.warn ?? ((message) => console.warn(message));
  }

  /** Records the query if it took at least the threshold. */
  record(shape: QueryShape, durationMs: number, failed = false): void {
    if (durationMs < this.thresholdMs) return;
    const entry: SlowQueryEntry = { shape, durationMs: Math.round(durationMs * 10) / 10, at: new Date().toISOString(), ...(failed ? { failed } : {}) };
    if (this.buffer.length < this.capacity) this.buffer.push(entry);
    else this.buffer[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.warn(`slow ObjectQL ${shape.kind} on '${shape.object}': ${entry.durationMs} ms ${JSON.stringify(shape)}`);
  }

  /** Oldest first. */
  entries(): SlowQueryEntry[] {
    return this.buffer.length < this.capacity ? [...this.buffer] : [...this.buffer.slice(this.next), ...this.buffer.slice(0, this.next)];
  }

  clear(): void {
    this.buffer.length = 0;
    this.next = 0;
  }

  /** Records a query that started at `start` (performance.now()) and just finished, if it was slow (also a failed one). */
  finished(kind: QueryShape["kind"], query: unknown, start: number, failed = false): void {
    const elapsed = performance.now() - start;
    // The shape is only worked out for a query worth recording (this runs after every query).
    if (elapsed >= this.thresholdMs) this.record(queryShape(kind, query), elapsed, failed);
  }
}

/** The process-wide log the engine uses unless given another. */
export const slowQueryLog = new SlowQueryLog();
