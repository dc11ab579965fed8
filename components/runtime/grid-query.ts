import type { inferRouterOutputs } from "@trpc/server";
import type { FieldDef, Filter, OrderBy, ViewDef } from "@/spec";
import { FILTER_OPERATORS } from "@/spec/query-constants";
import type { AppRouter } from "@/server/api/root";
import { BLOCK_SIZE } from "./grid-blocks";
import { toQueryFilter, type GridFilter } from "./filter-operators";
import type { GridState } from "./grid-state";

/**
 * What the grid asks `data.find` for, as a pure function of the object, the view and the user's
 * grid state (sort, search, filters), so the object page's server component can fetch the very
 * first block the grid will ask for and hand it down (rows in the HTML, no request at load).
 */

export type GridQueryOf = {
  search: string | undefined;
  filter: Filter | undefined;
  orderBy: OrderBy[] | undefined;
  /** The view's group field (the records are sorted by it first). */
  groupField: FieldDef | undefined;
  groupDirection: "asc" | "desc";
};

function and(...filters: (Filter | undefined)[]): Filter | undefined {
  const present = filters.filter((filter): filter is Filter => !!filter);
  return present.length === 0 ? undefined : present.length === 1 ? present[0] : { and: present };
}

/** The view's filter AND the user's, the user's sort else the view's, the group field first. */
export function gridQueryOf(object: { fields: FieldDef[] }, view: ViewDef | undefined, state: GridState): GridQueryOf {
  const groupField = view?.groupBy ? object.fields.find((field) => field.name === view.groupBy) : undefined;
  const filter = and(view?.filter, toQueryFilter(state.filters));
  const baseSort: OrderBy[] = state.sort ? [state.sort] : (view?.sort ?? []);
  const groupDirection = baseSort.find((sort) => sort.field === groupField?.name)?.direction ?? "asc";
  const orderBy: OrderBy[] | undefined = groupField
    ? [{ field: groupField.name, direction: groupDirection }, ...baseSort.filter((sort) => sort.field !== groupField.name)]
    : baseSort.length > 0
      ? baseSort
      : undefined;
  return { search: state.search || undefined, filter, orderBy, groupField, groupDirection };
}

function parseFilters(raw: string | null): GridFilter[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (item): item is GridFilter =>
        !!item && typeof item === "object" && typeof item.field === "string" && (FILTER_OPERATORS as readonly string[]).includes(item.operator),
    );
  } catch {
    return [];
  }
}

/** The grid state in URL params (`?sort=-amount&q=acme&filter=[...]`), read as `useUrlGridState` reads it. */
export function gridStateFromParams(get: (name: string) => string | null, prefix = ""): GridState {
  const sortRaw = get(`${prefix}sort`);
  return {
    sort: sortRaw ? (sortRaw.startsWith("-") ? { field: sortRaw.slice(1), direction: "desc" } : { field: sortRaw, direction: "asc" }) : null,
    search: get(`${prefix}q`) ?? "",
    filters: parseFilters(get(`${prefix}filter`)),
  };
}

/** The grid's first request for a query: block 0 with the total (see record-grid-total.ts). */
export function firstBlockInput(query: { object: string; search?: string; filter?: Filter; orderBy?: OrderBy[]; asUser?: string }) {
  const { object, search, filter, orderBy, asUser } = query;
  return { object, search, filter, orderBy, asUser, offset: 0, limit: BLOCK_SIZE, withTotal: true as const };
}

export type FirstBlockInput = ReturnType<typeof firstBlockInput>;

/** The first block as the server fetched it, and when (so the client treats it as fresh as it is). */
export type GridFirstBlock = {
  input: FirstBlockInput;
  result: inferRouterOutputs<AppRouter>["data"]["find"];
  fetchedAt: number;
};
