import { describe, expect, it } from "vitest";
import { objectSchema } from "@/spec/object";
import { viewSchema, type ViewInput } from "@/spec/view";
import { viewMetadataIssues } from "./view-check";

const opportunity = objectSchema.parse({
  name: "opportunity", label: "Opportunity", pluralLabel: "Opportunities", nameField: "name",
  fields: [
    { id: "f1", name: "name", label: "Name", type: "text" },
    { id: "f2", name: "stage", label: "Stage", type: "select", options: [{ value: "proposal", label: "Proposal" }] },
    { id: "f3", name: "amount", label: "Amount", type: "currency" },
    { id: "f4", name: "close_date", label: "Close date", type: "date" },
  ],
});

const issues = (input: Partial<ViewInput>) =>
  viewMetadataIssues(viewSchema.parse({ name: "v", label: "V", object: "opportunity", ...input }), opportunity).map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("viewMetadataIssues", () => {
  it("accepts a filter whose operators and values fit the fields", () => {
    expect(issues({
      filter: { or: [
        { field: "amount", operator: ">", value: 10000 },
        { field: "stage", operator: "in", value: ["proposal"] },
        { not: { field: "close_date", operator: "between", value: ["LAST_N_DAYS:30", "TODAY"] } },
        { field: "name", operator: "is_null" },
      ] },
    })).toEqual([]);
  });

  it("names the path of a wrong operator, a bad value shape, a relative date off a date field and an unknown field", () => {
    expect(issues({
      filter: { and: [
        { field: "stage", operator: "contains", value: "pro" },
        { field: "amount", operator: "between", value: [1] },
        { field: "name", operator: "=", value: "THIS_WEEK" },
        { or: [{ field: "nope", operator: "=", value: 1 }, { field: "stage", operator: "in", value: [] }] },
      ] },
    })).toEqual([
      expect.stringMatching(/^filter\.and\.0\.operator: 'contains' does not apply to 'stage'/),
      "filter.and.1.value: 'between' needs exactly two values [from, to]",
      "filter.and.2.value: relative dates apply only to date and date-time fields",
      "filter.and.3.or.0.field: 'opportunity' has no field 'nope'",
      "filter.and.3.or.1.value: 'in' needs a list of at least one value",
    ]);
  });

  it("checks kanban and calendar fields by type", () => {
    expect(issues({ type: "kanban", kanban: { groupField: "amount", columnOrder: [], hiddenColumns: [], cardFields: ["nope"] } })).toEqual([
      "kanban.groupField: 'amount' is a currency field; a kanban groups by a select field",
      "kanban.cardFields.0: 'opportunity' has no field 'nope'",
    ]);
    expect(issues({ type: "calendar", calendar: { startField: "name" } })).toEqual([
      "calendar.startField: 'name' is a text field; a calendar needs a date or date-time field",
    ]);
  });
});
