import { hashKey } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { FieldDef, ViewDef } from "@/spec";
import { blockWindow } from "./grid-blocks";
import { firstBlockInput, gridQueryOf, gridStateFromParams } from "./grid-query";
import { gridFindInputs, nextCountedView } from "./record-grid-total";

const fields = [
  { name: "name", type: "text", label: "Name" },
  { name: "stage", type: "select", label: "Stage" },
  { name: "amount", type: "currency", label: "Amount" },
] as FieldDef[];
const view = { name: "open", label: "Open", type: "grid", filter: { field: "stage", operator: "!=", value: "closed_lost" }, sort: [{ field: "amount", direction: "desc" }] } as unknown as ViewDef;

describe("gridStateFromParams", () => {
  it("reads sort, search and filters as the URL grid state does", () => {
    const params = new URLSearchParams({ sort: "-amount", q: "acme", filter: JSON.stringify([{ field: "stage", operator: "=", value: "proposal" }, { field: "x", operator: "bogus" }]) });
    expect(gridStateFromParams((name) => params.get(name))).toEqual({
      sort: { field: "amount", direction: "desc" },
      search: "acme",
      filters: [{ field: "stage", operator: "=", value: "proposal" }],
    });
    expect(gridStateFromParams(() => null)).toEqual({ sort: null, search: "", filters: [] });
    expect(gridStateFromParams(() => "not json")).toMatchObject({ filters: [] });
  });
});

describe("gridQueryOf", () => {
  it("ANDs the view's filter with the user's and lets the user's sort win", () => {
    const query = gridQueryOf({ fields }, view, { sort: { field: "name", direction: "asc" }, search: "", filters: [{ field: "amount", operator: ">", value: 10 }] });
    expect(query.search).toBeUndefined();
    expect(query.orderBy).toEqual([{ field: "name", direction: "asc" }]);
    expect(query.filter).toEqual({ and: [view.filter, { field: "amount", operator: ">", value: 10 }] });
    expect(gridQueryOf({ fields }, view, { sort: null, search: "x", filters: [] }).orderBy).toEqual([{ field: "amount", direction: "desc" }]);
  });

  it("sorts by the group field first", () => {
    const grouped = { ...view, groupBy: "stage" } as ViewDef;
    const query = gridQueryOf({ fields }, grouped, { sort: { field: "stage", direction: "desc" }, search: "", filters: [] });
    expect(query.groupField?.name).toBe("stage");
    expect(query.orderBy).toEqual([{ field: "stage", direction: "desc" }]);
  });
});

describe("firstBlockInput", () => {
  it("is the query key of the grid's first request (block 0 with the total)", () => {
    const query = gridQueryOf({ fields }, view, { sort: null, search: "acme", filters: [] });
    const base = { object: "opportunity", search: query.search, filter: query.filter, orderBy: query.orderBy, asUser: undefined };
    const first = { ...base, ...blockWindow(0) };
    const gridFirst = gridFindInputs(nextCountedView(null, first), first).page;
    expect(hashKey([gridFirst])).toBe(hashKey([firstBlockInput({ object: "opportunity", ...query })]));
  });
});
