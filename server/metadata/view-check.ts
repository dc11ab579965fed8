import type { FieldDef, ObjectDef } from "@/spec/object";
import type { Filter } from "@/spec/query";
import type { ViewDef } from "@/spec/view";

export type ViewIssue = { path: string[]; message: string };

const DATE_TYPES = new Set<FieldDef["type"]>(["date", "datetime"]);
const NUMBER_TYPES = new Set<FieldDef["type"]>(["number", "currency", "percent"]);
const SYSTEM_SORTABLE = new Set(["id", "created_at", "updated_at", "owner_id"]);

/** Field names a filter uses (first segment of a dotted path). */
function filterFields(filter: Filter | undefined, path: string[], out: { field: string; path: string[] }[]) {
  if (!filter) return out;
  if ("and" in filter) filter.and.forEach((part, index) => filterFields(part, [...path, "and", String(index)], out));
  else if ("or" in filter) filter.or.forEach((part, index) => filterFields(part, [...path, "or", String(index)], out));
  else if ("not" in filter) filterFields(filter.not, [...path, "not"], out);
  else out.push({ field: filter.field.split(".")[0]!, path: [...path, "field"] });
  return out;
}

/**
 * Checks a view against its object before it is published: columns, sort, grouping, actions,
 * kanban and calendar settings name fields of the right type. (The filter's operators and
 * values are checked by ObjectQL when the view runs; here only that its fields exist.)
 */
export function viewMetadataIssues(view: ViewDef, object: ObjectDef | undefined): ViewIssue[] {
  if (!object) return [{ path: ["object"], message: `object '${view.object}' is not published` }];
  const issues: ViewIssue[] = [];
  const fieldOf = (name: string) => object.fields.find((field) => field.name === name);
  const need = (name: string | undefined, path: string[], accept?: (field: FieldDef) => boolean, what?: string) => {
    if (name === undefined) return;
    const field = fieldOf(name);
    if (!field) {
      if (!SYSTEM_SORTABLE.has(name) || accept) issues.push({ path, message: `'${object.name}' has no field '${name}'` });
      return;
    }
    if (accept && !accept(field)) issues.push({ path, message: `'${name}' is a ${field.type} field; ${what}` });
  };
  view.columns.forEach((column, index) => need(column.field, ["columns", String(index), "field"]));
  view.sort.forEach((order, index) => need(order.field.split(".")[0], ["sort", String(index), "field"]));
  for (const { field, path } of filterFields(view.filter, ["filter"], [])) need(field, path);
  need(view.groupBy, ["groupBy"], (field) => !["multiselect", "json", "textarea"].includes(field.type), "grouping needs a single-value field");
  view.rowActions.forEach((action, index) => {
    if (action.type === "update") need(action.field, ["rowActions", String(index), "field"]);
  });
  view.bulkActions.forEach((action, index) => {
    if (action.type === "update") need(action.field, ["bulkActions", String(index), "field"]);
  });
  if (view.kanban) {
    const kanban = view.kanban;
    need(kanban.groupField, ["kanban", "groupField"], (field) => field.type === "select", "a kanban groups by a select field");
    const group = fieldOf(kanban.groupField);
    if (group?.type === "select") {
      const values = new Set(group.options.map((option) => option.value));
      kanban.columnOrder.forEach((value, index) => {
        if (!values.has(value)) issues.push({ path: ["kanban", "columnOrder", String(index)], message: `'${value}' is not an option of '${group.name}'` });
      });
    }
    kanban.cardFields.forEach((name, index) => need(name, ["kanban", "cardFields", String(index)]));
    need(kanban.rankField, ["kanban", "rankField"], (field) => NUMBER_TYPES.has(field.type), "the card order needs a number field");
    if (kanban.summary) need(kanban.summary.field, ["kanban", "summary", "field"], (field) => NUMBER_TYPES.has(field.type) || kanban.summary!.aggregate === "count", "a column summary needs a number field");
  }
  if (view.calendar) {
    const calendar = view.calendar;
    need(calendar.startField, ["calendar", "startField"], (field) => DATE_TYPES.has(field.type), "a calendar needs a date or date-time field");
    need(calendar.endField, ["calendar", "endField"], (field) => DATE_TYPES.has(field.type), "a calendar needs a date or date-time field");
    need(calendar.titleField, ["calendar", "titleField"]);
    need(calendar.colorField, ["calendar", "colorField"], (field) => field.type === "select", "colours come from a select field");
  }
  return issues;
}
