import type { Condition, FieldDef, FilterOperator, Filter } from "@/spec";

/** A filter the grid applies: an ObjectQL condition plus how its value reads in a chip. */
export type GridFilter = Condition & { display?: string };

const TEXT_OPS: FilterOperator[] = ["contains", "=", "!=", "starts_with", "ends_with", "is_null", "is_not_null"];
const NUMBER_OPS: FilterOperator[] = ["=", "!=", ">", ">=", "<", "<=", "is_null", "is_not_null"];
const DATE_OPS: FilterOperator[] = ["=", "!=", ">", ">=", "<", "<=", "is_null", "is_not_null"];
const DATETIME_OPS: FilterOperator[] = [">", ">=", "<", "<=", "is_null", "is_not_null"];
const CHOICE_OPS: FilterOperator[] = ["=", "!=", "is_null", "is_not_null"];

/** The operators that make sense for a field's type, most useful first. */
export function operatorsFor(field: FieldDef): FilterOperator[] {
  switch (field.type) {
    case "text":
    case "textarea":
    case "email":
    case "url":
    case "phone":
    case "autonumber":
      return TEXT_OPS;
    case "number":
    case "currency":
    case "percent":
      return NUMBER_OPS;
    case "date":
      return DATE_OPS;
    case "datetime":
      return DATETIME_OPS;
    case "boolean":
      return ["=", "!=", "is_null", "is_not_null"];
    case "select":
    case "lookup":
    case "master_detail":
      return CHOICE_OPS;
    case "multiselect":
      return ["contains", "is_null", "is_not_null"];
    case "json":
      return ["is_null", "is_not_null"];
    default:
      return ["is_null", "is_not_null"];
  }
}

/** Human wording of an operator for a field's type. */
export function operatorLabel(operator: FilterOperator, field?: FieldDef): string {
  const temporal = field?.type === "date" || field?.type === "datetime";
  switch (operator) {
    case "=": return "equals";
    case "!=": return "does not equal";
    case ">": return temporal ? "is after" : "greater than";
    case ">=": return temporal ? "is on or after" : "greater than or equal";
    case "<": return temporal ? "is before" : "less than";
    case "<=": return temporal ? "is on or before" : "less than or equal";
    case "in": return "is any of";
    case "not_in": return "is none of";
    case "contains": return field?.type === "multiselect" ? "includes" : "contains";
    case "starts_with": return "starts with";
    case "ends_with": return "ends with";
    case "between": return "is between";
    case "is_null": return "is empty";
    case "is_not_null": return "is not empty";
  }
}

export function operatorTakesValue(operator: FilterOperator): boolean {
  return operator !== "is_null" && operator !== "is_not_null";
}

/** The ObjectQL filter for a list of grid filters (AND'ed); undefined for none. */
export function toQueryFilter(filters: GridFilter[]): Filter | undefined {
  const conditions: Condition[] = filters.map(({ field, operator, value }) =>
    operatorTakesValue(operator) ? { field, operator, value } : { field, operator },
  );
  if (conditions.length === 0) return undefined;
  if (conditions.length === 1) return conditions[0];
  return { and: conditions };
}

/**
 * How a field's values are entered in a filter: computed fields by their result, lookups by
 * picking records, dates with absolute or relative values.
 */
export type FilterValueKind = "text" | "number" | "date" | "datetime" | "boolean" | "select" | "multiselect" | "reference" | "none";

export function filterValueKind(field: FieldDef): FilterValueKind {
  switch (field.type) {
    case "text": case "textarea": case "email": case "url": case "phone": case "autonumber":
      return "text";
    case "number": case "currency": case "percent": case "rollup":
      return "number";
    case "date": return "date";
    case "datetime": return "datetime";
    case "boolean": return "boolean";
    case "select": return "select";
    case "multiselect": return "multiselect";
    case "lookup": case "master_detail": return "reference";
    case "formula":
      return field.returnType === "currency" || field.returnType === "percent" ? "number" : field.returnType === "text" ? "text" : field.returnType;
    default:
      return "none";
  }
}

const NULL_CHECKS: FilterOperator[] = ["is_null", "is_not_null"];
const OPERATORS_BY_KIND: Record<FilterValueKind, FilterOperator[]> = {
  text: ["contains", "=", "!=", "starts_with", "ends_with", "in", "not_in", ...NULL_CHECKS],
  number: ["=", "!=", ">", ">=", "<", "<=", "between", "in", "not_in", ...NULL_CHECKS],
  date: ["=", "!=", ">", ">=", "<", "<=", "between", ...NULL_CHECKS],
  datetime: ["=", "!=", ">", ">=", "<", "<=", "between", ...NULL_CHECKS],
  boolean: ["=", "!=", ...NULL_CHECKS],
  select: ["=", "!=", "in", "not_in", ...NULL_CHECKS],
  multiselect: ["contains", "in", ...NULL_CHECKS],
  reference: ["=", "!=", "in", "not_in", ...NULL_CHECKS],
  none: NULL_CHECKS,
};

/** Every operator ObjectQL accepts for the field's type (the visual filter builder offers them all). */
export function allOperatorsFor(field: FieldDef): FilterOperator[] {
  return OPERATORS_BY_KIND[filterValueKind(field)];
}

/** How many values an operator takes: none, one, a list (in / not_in) or a [from, to] pair. */
export function operatorArity(operator: FilterOperator): "none" | "one" | "many" | "pair" {
  if (operator === "is_null" || operator === "is_not_null") return "none";
  if (operator === "in" || operator === "not_in") return "many";
  if (operator === "between") return "pair";
  return "one";
}
