import { describe, expect, it } from "vitest";
import { gridFindInputs, nextCountedView, type CountedView, type GridFindInput } from "./record-grid-total";

const first: GridFindInput = { object: "ticket", limit: 25, offset: 0 };

/** Walks the grid through a sequence of views, as its renders would, collecting what it asks `data.find`. */
function walk(views: GridFindInput[]) {
  let counted: CountedView | null = null;
  return views.map((view) => {
    counted = nextCountedView(counted, view);
    return gridFindInputs(counted, view);
  });
}

describe("the grid's total", () => {
  it("is asked for with the first page of a search/filter, not with later pages, sorts or page sizes", () => {
    const [start, page2, sorted, bigger] = walk([
      first,
      { ...first, offset: 25 },
      { ...first, offset: 25, orderBy: [{ field: "subject", direction: "desc" }] },
      { ...first, limit: 50 },
    ]);
    expect(start.page).toEqual({ ...first, withTotal: true });
    // Same input, so the same query: one request carries the page and the total.
    expect(start.total).toEqual(start.page);
    for (const step of [page2, sorted, bigger]) {
      expect(step.page.withTotal).toBeUndefined();
      // The counted view stays the first page: its (cached) answer keeps the total.
      expect(step.total).toEqual({ ...first, withTotal: true });
    }
  });

  it("is asked for again when the search or the filter changes, and when the object does", () => {
    const searched = { ...first, search: "ada" };
    const filtered = { ...searched, filter: { field: "status", operator: "=" as const, value: "open" } };
    const other = { ...filtered, object: "account" };
    const steps = walk([first, { ...first, offset: 50 }, searched, { ...searched, offset: 25 }, filtered, other]);
    expect(steps.map((step) => step.page.withTotal === true)).toEqual([true, false, true, false, true, true]);
    expect(steps[3].total).toEqual({ ...searched, withTotal: true });
    expect(steps[5].total).toEqual({ ...other, withTotal: true });
  });

  it("counts the page the grid opens on, even when that is not page 1 (a bookmarked URL)", () => {
    const [opened, back] = walk([{ ...first, offset: 75 }, first]);
    expect(opened.page).toEqual({ ...first, offset: 75, withTotal: true });
    expect(back.page.withTotal).toBeUndefined();
    expect(back.total).toEqual(opened.total);
  });
});
