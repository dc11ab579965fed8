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
  /**
   * The generated grid ("All <plural>": every record the user may read, every field): chosen
   * (`param` ALL_RECORDS_PARAM), or the fallback when the object has no shared view (null).
   */
  | { kind: "generated"; param: string | null };

const MINE_PREFIX = "my:";
/**
 * The generated grid's URL value. Every object has it, whatever views are added: a kanban or a
 * calendar alone would leave no grid (no search, filters, export or bulk actions). View names are
 * identifiers, which never start with an underscore, so it cannot clash with one.
 */
export const ALL_RECORDS_PARAM = "_all";

export function viewParam(kind: "shared" | "mine", name: string): string {
  return kind === "mine" ? `${MINE_PREFIX}${name}` : name;
}

/**
 * Whether the view menu offers the generated grid: unless a shared grid already shows every
 * record (no filter of its own), which is then the object's "all records" grid.
 */
export function offersGeneratedGrid(views: ObjectViews): boolean {
  return !views.shared.some((view) => view.type === "grid" && view.filter === undefined);
}

/**
 * The view `param` names, else the object's default (the first shared view: the server lists
 * the default first), else the generated grid. `missing` says the requested view is not (or no
 * longer) available to this user, so the page can tell them.
 */
export function chooseView(views: ObjectViews, param: string | null): { choice: ViewChoice; missing: boolean } {
  if (param === ALL_RECORDS_PARAM) return { choice: { kind: "generated", param }, missing: false };
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
