"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import type { GridFilter } from "./filter-operators";
import { gridStateFromParams } from "./grid-query";

/**
 * What the grid asks the server for: the user's sort, search text and filters (the grid scrolls
 * through every matching record, fetching blocks as they come into view, so there is no page).
 */
export type GridState = {
  sort: { field: string; direction: "asc" | "desc" } | null;
  search: string;
  filters: GridFilter[];
};

export type GridStateUpdate = Partial<GridState>;

export function defaultGridState(): GridState {
  return { sort: null, search: "", filters: [] };
}

/** Grid state held in React state (for embedding, e.g. the studio's data viewer). */
export function useLocalGridState(): [GridState, (update: GridStateUpdate) => void] {
  const [state, setState] = useState(defaultGridState);
  const update = useCallback((patch: GridStateUpdate) => setState((current) => ({ ...current, ...patch })), []);
  return [state, update];
}

/**
 * Grid state kept in the URL (`?sort=-amount&q=acme&filter=[...]`), so a list can
 * be bookmarked and Back restores it. Uses history.replaceState, which Next's router observes,
 * so changing the query does not re-render the server components.
 */
export function useUrlGridState(prefix = ""): [GridState, (update: GridStateUpdate) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const key = (name: string) => `${prefix}${name}`;

  // Read as the server reads it for the first block (grid-query.ts), so both ask the same query.
  const state = useMemo<GridState>(() => gridStateFromParams((name) => params.get(name), prefix), [params, prefix]);

  const update = useCallback(
    (patch: GridStateUpdate) => {
      const next = new URLSearchParams(window.location.search);
      const set = (name: string, value: string | null) => (value === null ? next.delete(key(name)) : next.set(key(name), value));
      if ("sort" in patch) set("sort", patch.sort ? `${patch.sort.direction === "desc" ? "-" : ""}${patch.sort.field}` : null);
      if ("search" in patch) set("q", patch.search ? patch.search : null);
      if ("filters" in patch) set("filter", patch.filters && patch.filters.length > 0 ? JSON.stringify(patch.filters) : null);
      const query = next.toString();
      window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pathname, prefix],
  );

  return [state, update];
}
