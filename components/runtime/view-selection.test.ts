import { describe, expect, it } from "vitest";
import { viewSchema } from "@/spec/view";
import { isIdentifier } from "@/spec/identifier";
import { ALL_RECORDS_PARAM, chooseView, offersGeneratedGrid, personalViewBody, type ObjectViews } from "./view-selection";

const all = viewSchema.parse({ name: "all", label: "All", object: "deal", isDefault: true, filter: { field: "amount", operator: ">", value: 0 }, sort: [{ field: "name" }] });
const board = viewSchema.parse({ name: "board", label: "Board", object: "deal", type: "kanban", kanban: { groupField: "stage" } });
const views: ObjectViews = { shared: [all, board], mine: [{ ...viewSchema.parse({ name: "board", label: "My board", object: "deal" }), id: "v1" }] };

describe("view selection", () => {
  it("finds shared views by name and own views as my:<name>, else the default", () => {
    expect(chooseView(views, "board")).toMatchObject({ choice: { kind: "shared", view: { label: "Board" } }, missing: false });
    expect(chooseView(views, "my:board")).toMatchObject({ choice: { kind: "mine", view: { label: "My board", id: "v1" } }, missing: false });
    expect(chooseView(views, null)).toMatchObject({ choice: { kind: "shared", param: "all" }, missing: false });
    expect(chooseView(views, "gone")).toMatchObject({ choice: { kind: "shared", param: "all" }, missing: true });
    expect(chooseView({ shared: [], mine: [] }, null)).toEqual({ choice: { kind: "generated", param: null }, missing: false });
  });

  it("always has the generated grid of every record, whatever shared views there are", () => {
    expect(chooseView(views, ALL_RECORDS_PARAM)).toEqual({ choice: { kind: "generated", param: ALL_RECORDS_PARAM }, missing: false });
    expect(chooseView({ shared: [board], mine: [] }, ALL_RECORDS_PARAM)).toEqual({ choice: { kind: "generated", param: ALL_RECORDS_PARAM }, missing: false });
    expect(chooseView({ shared: [], mine: [] }, ALL_RECORDS_PARAM).choice.kind).toBe("generated");
    // Offered unless a shared grid already shows every record.
    expect(offersGeneratedGrid(views)).toBe(true);
    expect(offersGeneratedGrid({ shared: [board], mine: [] })).toBe(true);
    expect(offersGeneratedGrid({ shared: [board, viewSchema.parse({ name: "every", label: "Every deal", object: "deal" })], mine: [] })).toBe(false);
    // No view name can take its URL value.
    expect(isIdentifier(ALL_RECORDS_PARAM)).toBe(false);
  });

  it("saves a grid with the grid's sort, its filters narrowing the view's", () => {
    const body = personalViewBody(all, "Mine", { sort: { field: "amount", direction: "desc" }, filter: { field: "stage", operator: "=", value: "won" } });
    expect(body).toMatchObject({ label: "Mine", type: "grid", sort: [{ field: "amount", direction: "desc" }], filter: { and: [all.filter, { field: "stage", operator: "=", value: "won" }] } });
    expect(body).not.toHaveProperty("name");
    expect(body).not.toHaveProperty("isDefault");
    expect(personalViewBody(null, "Plain", { sort: null, filter: undefined })).toEqual({ type: "grid", columns: [], label: "Plain", sort: [] });
  });

  it("copies a kanban or an own view as it is, without its id", () => {
    expect(personalViewBody(board, "My board", { sort: { field: "amount", direction: "asc" }, filter: undefined })).toMatchObject({ type: "kanban", kanban: { groupField: "stage" }, sort: [] });
    expect(personalViewBody(views.mine[0]!, "Copy")).not.toHaveProperty("id");
  });
});

describe("personal grid views", () => {
  it("keep the user's columns when they changed them", () => {
    const columns = [{ field: "amount", width: 200 }, { field: "name", width: 300, pinned: "left" as const }];
    expect(personalViewBody(all, "Wide", { sort: null, filter: undefined, columns })).toMatchObject({ columns, sort: [{ field: "name", direction: "asc" }] });
  });
});
