import type { Issue } from "@/server/errors";
import { RestInputError } from "./rest-input-error";
import { inputProblem } from "../input-guard";

/** The query parameters of the list route (names, encoding and repeats are checked by query-string.ts). */
export const LIST_PARAMETERS = ["filter", "sort", "select", "search", "limit", "offset", "cursor", "total"] as const;

/**
 * `GET /api/v1/objects/{object}/records?...` as an ObjectQL find query:
 * `filter` (the ObjectQL filter as JSON), `sort` (`name,-amount`: `-` for descending),
 * `select` (`name,account.name`), `search`, `limit`, `offset`, `cursor` (a previous `nextCursor`),
 * `total=true` (also count every matching record: a second statement, so ask only when needed).
 * The query string's names and encoding are checked before (query-string.ts); here only its
 * values' shape, and the filter's JSON with the input guard. The data router validates the rest and
 * names the same parameters in its issues (`filter.field`, `limit`, ...).
 */
export function listQuery(object: string, params: URLSearchParams): Record<string, unknown> {
  const issues: Issue[] = [];
  const query: Record<string, unknown> = { object };
  const get = (name: (typeof LIST_PARAMETERS)[number]) => params.get(name) ?? undefined;

  const filter = get("filter");
  if (filter !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(filter);
    } catch {
      issues.push({ path: ["filter"], message: 'must be an ObjectQL filter as JSON, e.g. {"field":"name","operator":"=","value":"Acme"}' });
    }
    const problem = parsed === undefined ? null : inputProblem(parsed, ["filter"]);
    if (problem) issues.push(problem);
    else if (parsed !== undefined) query.filter = parsed;
  }
  const sort = get("sort");
  if (sort !== undefined) {
    query.orderBy = list(sort).map((part) =>
      part.startsWith("-") ? { field: part.slice(1), direction: "desc" } : { field: part.replace(/^\+/, ""), direction: "asc" },
    );
  }
  const select = get("select");
  if (select !== undefined) query.select = list(select);
  for (const name of ["limit", "offset"] as const) {
    const value = get(name);
    // Integers become numbers; anything else goes through as text so the schema names the parameter.
    if (value !== undefined) query[name] = /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  }
  const total = get("total");
  if (total !== undefined) {
    if (total === "true" || total === "false") query.withTotal = total === "true";
    else issues.push({ path: ["total"], message: "must be true or false" });
  }
  for (const name of ["search", "cursor"] as const) {
    const value = get(name);
    if (value !== undefined) query[name] = value;
  }
  if (issues.length > 0) throw new RestInputError(issues);
  return query;
}

function list(value: string): string[] {
  return value.split(",").map((part) => part.trim()).filter((part) => part.length > 0);
}
