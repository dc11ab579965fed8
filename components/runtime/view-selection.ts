import type { Filter, OrderBy } from "@/spec/query";
import type { ViewColumn, ViewDef } from "@/spec/view";

/**
 * Which list view an object page shows, and how the choice is written in the URL (`?view=`):
 * a shared (published) view by its name, one of the user's own views as `my:<name>` (names are
 * identifiers, so the colon cannot clash with a shared view's name).
 */

/** A user's own view as `views.forObject` returns it: the view plus the id that rename and delete take. */
export type SavedView = ViewDef & { id: string };
export type ObjectViews = { shared: ViewDef[]; mine: SavedView[] };

export type ViewChoice =
  | { kind: "shared"; view: ViewDef; param: string }
  | { kind: "mine"; view: SavedView; param: string }
  /** No shared view (or the requested one is gone and there is none): the generated grid. */
  | { kind: "generated"; param: null };

const MINE_PREFIX = "my:";

export function viewParam(kind: "shared" | "mine", name: string): string {
  return kind === "mine" ? `${MINE_PREFIX}${name}` : name;
}

/**
 * The view `param` names, else the object's default (the first shared view: the server lists
 * the default first), else the generated grid. `missing` says the requested view is not (or no
 * longer) available to this user, so the page can tell them.
 */
export function chooseView(views: ObjectViews, param: string | null): { choice: ViewChoice; missing: boolean } {
  if (param) {
    if (param.startsWith(MINE_PREFIX)) {
      const name = param.slice(MINE_PREFIX.length);
      const own = views.mine.find((view) => view.name === name);
      if (own) return { choice: { kind: "mine", view: own, param }, missing: false };
    } else {
      const shared = views.shared.find((view) => view.name === param);
      if (shared) return { choice: { kind: "shared", view: shared, param }, missing: false };
    }
  }
  const fallback = views.shared[0];
  const choice: ViewChoice = fallback ? { kind: "shared", view: fallback, param: viewParam("shared", fallback.name) } : { kind: "generated", param: null };
  return { choice, missing: param !== null };
}

/**
 * What the user changed in the grid on top of a view: its sort and filters (grid-state.ts) and,
 * when they rearranged or resized columns (grid-column-store.ts), the columns as they see them.
 */
export type GridQueryState = { sort: { field: string; direction: "asc" | "desc" } | null; filter: Filter | undefined; columns?: ViewColumn[] };

/**
 * The body of a personal view saved from what the user is looking at: the current view (or a
 * plain grid) under a new label; for a grid with the grid's sort, its filters (which narrow the
 * view's own filter) and the user's column order and widths. The server names it and checks it.
 */
export function personalViewBody(current: ViewDef | null, label: string, grid?: GridQueryState): Record<string, unknown> {
  const base: Partial<SavedView> = current ? { ...current } : { type: "grid", columns: [] };
  delete base.id;
  delete base.name;
  delete base.isDefault;
  delete base.description;
  const body: Record<string, unknown> = { ...base, label };
  if ((base.type ?? "grid") === "grid" && grid) {
    const filters = [base.filter, grid.filter].filter((filter): filter is Filter => filter !== undefined);
    body.filter = filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { and: filters };
    const sort: OrderBy[] | undefined = grid.sort ? [grid.sort] : base.sort;
    body.sort = sort ?? [];
    if (grid.columns) body.columns = grid.columns;
  }
  if (body.filter === undefined) delete body.filter;
  return body;
}
