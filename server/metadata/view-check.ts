import type { FieldDef, ObjectDef } from "@/spec/object";
import { isRelativeDateValue, type Condition, type Filter, type FilterOperator } from "@/spec/query";
import type { ViewDef } from "@/spec/view";

export type ViewIssue = { path: string[]; message: string };

const DATE_TYPES = new Set<FieldDef["type"]>(["date", "datetime"]);
const NUMBER_TYPES = new Set<FieldDef["type"]>(["number", "currency", "percent"]);
const SYSTEM_SORTABLE = new Set(["id", "created_at", "updated_at", "owner_id"]);

/** The conditions of a filter with their paths. */
function filterConditions(filter: Filter | undefined, path: string[], out: { condition: Condition; path: string[] }[]) {
  if (!filter) return out;
  if ("and" in filter) filter.and.forEach((part, index) => filterConditions(part, [...path, "and", String(index)], out));
  else if ("or" in filter) filter.or.forEach((part, index) => filterConditions(part, [...path, "or", String(index)], out));
  else if ("not" in filter) filterConditions(filter.not, [...path, "not"], out);
  else out.push({ condition: filter, path });
  return out;
}

const NULL_CHECKS: FilterOperator[] = ["is_null", "is_not_null"];
const COMPARISON: FilterOperator[] = ["=", "!=", ">", ">=", "<", "<=", "in", "not_in", "between"];

/** Operators ObjectQL accepts per field type (as server/objectql/filter-compiler.ts compiles them). */
function operatorsForType(field: FieldDef): FilterOperator[] {
  const type = field.type === "formula" ? (field.returnType === "currency" || field.returnType === "percent" ? "number" : field.returnType) : field.type === "rollup" ? "number" : field.type;
  switch (type) {
    case "text": case "textarea": case "email": case "url": case "phone": case "autonumber":
      return [...COMPARISON, "contains", "starts_with", "ends_with", ...NULL_CHECKS];
    case "select": case "lookup": case "master_detail":
      return ["=", "!=", "in", "not_in", ...NULL_CHECKS];
    case "number": case "currency": case "percent": case "date": case "datetime":
      return [...COMPARISON, ...NULL_CHECKS];
    case "boolean":
      return ["=", "!=", ...NULL_CHECKS];
    case "multiselect":
      return ["contains", "in", ...NULL_CHECKS];
    default:
      return NULL_CHECKS;
  }
}

/** A condition's operator and value shape against its field (dotted paths are checked when the view runs). */
function conditionIssues(condition: Condition, field: FieldDef, path: string[]): ViewIssue[] {
  const allowed = operatorsForType(field);
  if (!allowed.includes(condition.operator)) {
    return [{ path: [...path, "operator"], message: `'${condition.operator}' does not apply to '${field.name}' (a ${field.type} field); use one of ${allowed.join(", ")}` }];
  }
  const value = condition.value;
  const valuePath = [...path, "value"];
  const temporal = DATE_TYPES.has(field.type);
  const relativeOk = (item: unknown) => !isRelativeDateValue(item) || temporal;
  switch (condition.operator) {
    case "is_null": case "is_not_null":
      return [];
    case "in": case "not_in":
      if (!Array.isArray(value) || value.length === 0) return [{ path: valuePath, message: `'${condition.operator}' needs a list of at least one value` }];
      return [];
    case "between":
      if (!Array.isArray(value) || value.length !== 2) return [{ path: valuePath, message: "'between' needs exactly two values [from, to]" }];
      if (!value.every(relativeOk)) return [{ path: valuePath, message: "relative dates apply only to date and date-time fields" }];
      return [];
    default:
      if (value === undefined || Array.isArray(value)) return [{ path: valuePath, message: `'${condition.operator}' needs one value` }];
      if (!relativeOk(value)) return [{ path: valuePath, message: "relative dates apply only to date and date-time fields" }];
      return [];
  }
}

/**
 * A saved filter against its object: each condition's field exists (the first step of a dotted
 * path), and its operator and value shape fit the field. Views and flows check theirs with it.
 */
export function filterMetadataIssues(filter: Filter | undefined, object: ObjectDef, path: string[]): ViewIssue[] {
  const issues: ViewIssue[] = [];
  for (const { condition, path: at } of filterConditions(filter, path, [])) {
    const [head, ...rest] = condition.field.split(".");
    const field = object.fields.find((candidate) => candidate.name === head);
    if (!field) {
      if (!SYSTEM_SORTABLE.has(head!)) issues.push({ path: [...at, "field"], message: `'${object.name}' has no field '${head}'` });
      continue;
    }
    if (rest.length === 0) issues.push(...conditionIssues(condition, field, at));
  }
  return issues;
}

/**
 * Checks a view against its object before it is published: columns, sort, grouping, actions,
 * kanban and calendar settings name fields of the right type; the filter's fields exist and each
 * condition's operator and value shape fit its field (ObjectQL checks the values themselves when
 * the view runs).
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
  issues.push(...filterMetadataIssues(view.filter, object, ["filter"]));
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
