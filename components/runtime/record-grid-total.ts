import type { Filter } from "@/spec";

/**
 * When the grid asks `data.find` for the total. Counting every matching record costs a second
 * statement, so the grid asks for it only with the first block it shows of a given object,
 * search and filter (the "counted view"), not for every block or sort change. The counted view's
 * query stays observed while the user scrolls on, so the total is kept (and refetched with it
 * when records are invalidated, e.g. after a delete), and it is shared with the block query
 * whenever the block on screen is the counted one (one request, not two).
 */

export type GridFindInput = {
  object: string;
  search?: string;
  filter?: Filter;
  orderBy?: { field: string; direction: "asc" | "desc" }[];
  limit: number;
  offset: number;
  /** Admins' "preview as user" (the data is read as that user sees it). */
  asUser?: string;
};

export type CountedView = { countKey: string; input: GridFindInput };

/** What the total depends on: the object, search, filter and reader (not paging or sort). */
export function countKeyOf(input: GridFindInput): string {
  return JSON.stringify([input.object, input.search ?? "", input.filter ?? null, input.asUser ?? null]);
}

/** The counted view for `input`: the previous one while the search and filter stay, else this view. */
export function nextCountedView(previous: CountedView | null, input: GridFindInput): CountedView {
  const countKey = countKeyOf(input);
  return previous && previous.countKey === countKey ? previous : { countKey, input };
}

/** A block query's input (with the total when it is the counted view) and the counted query's input. */
export function gridFindInputs(counted: CountedView, input: GridFindInput): { page: GridFindInput & { withTotal?: true }; total: GridFindInput & { withTotal: true } } {
  const total = { ...counted.input, withTotal: true as const };
  return { page: JSON.stringify(counted.input) === JSON.stringify(input) ? total : input, total };
}
