import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isReferenceField, nameFieldOf, type FieldDef, type FieldType, type ObjectDef } from "@/spec/object";
import { isRelativeDateValue, type Condition, type Filter, type FilterOperator, type ScalarValue } from "@/spec/query";
import { textProblem } from "@/spec/text";
import { SEARCHABLE_FIELD_TYPES, storageKindOf } from "../schema/column-types";
import { datetimeParameter, inList, jsonArrayHasAny as dialectJsonArrayHasAny, likeMatch as dialectLikeMatch } from "../dialect-sql";
import { relativeDateRange } from "./relative-dates";
import { ObjectQLError } from "../errors";
import { resolveField } from "./field-resolution";
import { toColumnValue } from "../records/codec";
import { isValidDate, normaliseDateTime } from "../records/validation";

/**
 * Compiles the ObjectQL filter AST to a SQL boolean expression. Field names are resolved
 * against metadata (only resolved names become identifiers); every value is a bound parameter.
 */

export type FilterScope = {
  object: ObjectDef;
  dialect: DataDialect;
  /** table alias of the object */
  alias: string;
  /**
   * Resolves a condition's field (dotted paths through joins, or aggregate aliases in `having`);
   * without it, only the object's own fields are allowed.
   */
  resolve?: (name: string, path: (string | number)[]) => { field: FieldDef; column: RawBuilder<unknown>; label?: string; target?: ObjectDef };
  /** "Now" for relative date values (TODAY, THIS_WEEK, ...); defaults to the current time. */
  now?: Date;
};

const COMPARISON: FilterOperator[] = ["=", "!=", ">", ">=", "<", "<=", "in", "not_in", "between"];
const NULL_CHECKS: FilterOperator[] = ["is_null", "is_not_null"];
const TEXT_MATCH: FilterOperator[] = ["contains", "starts_with", "ends_with"];

/** Operators that make sense for each field type. */
export function operatorsFor(type: FieldType): FilterOperator[] {
  switch (type) {
    case "text": case "textarea": case "email": case "url": case "phone": case "autonumber":
      return [...COMPARISON, ...TEXT_MATCH, ...NULL_CHECKS];
    case "select":
    case "lookup":
    case "master_detail":
      return ["=", "!=", "in", "not_in", ...NULL_CHECKS];
    case "number": case "currency": case "percent": case "date": case "datetime":
      return [...COMPARISON, ...NULL_CHECKS];
    case "boolean":
      return ["=", "!=", ...NULL_CHECKS];
    case "multiselect":
      // contains: has this option; in: has any of these options.
      return ["contains", "in", ...NULL_CHECKS];
    case "json":
      return [...NULL_CHECKS];
    case "formula":
    case "rollup":
      // Resolved through computedValueField() before this is asked; a fallback for callers that did not.
      return [...COMPARISON, ...NULL_CHECKS];
  }
}

/** Escapes LIKE wildcards so user text matches literally (ESCAPE '\'). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function bad(message: string, path: (string | number)[]): ObjectQLError {
  return new ObjectQLError("BAD_REQUEST", message, { path, issues: [{ path, message }] });
}

/** Checks one comparison value against the field type; returns the bound parameter. */
function parameter(scope: FilterScope, field: FieldDef, value: unknown, path: (string | number)[]): unknown {
  const what = `Filter value for field '${field.name}' (${field.type}) on object '${scope.object.name}'`;
  if (value === null || value === undefined) {
    throw bad(`${what} is missing: use operator 'is_null' / 'is_not_null' to test for empty values`, path);
  }
  switch (storageKindOf(field.type)) {
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw bad(`${what} must be a number (got ${JSON.stringify(value)})`, path);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw bad(`${what} must be true or false (got ${JSON.stringify(value)})`, path);
      return toColumnValue(field, value, scope.dialect);
    case "date":
      if (typeof value !== "string" || !isValidDate(value)) throw bad(`${what} must be a date as YYYY-MM-DD (got ${JSON.stringify(value)})`, path);
      return value;
    case "datetime": {
      const normalised = typeof value === "string" ? normaliseDateTime(value) : null;
      if (!normalised) throw bad(`${what} must be an ISO 8601 date-time (got ${JSON.stringify(value)})`, path);
      return datetimeParameter(scope.dialect, normalised);
    }
    default: {
      if (typeof value !== "string") throw bad(`${what} must be a string (got ${JSON.stringify(value)})`, path);
      const problem = textProblem(value);
      if (problem) throw bad(`${what} ${problem}`, path);
      return value;
    }
  }
}

function likeMatch(scope: FilterScope, column: RawBuilder<unknown>, pattern: string): RawBuilder<SqlBool> {
  return dialectLikeMatch(scope.dialect, column, pattern);
}

/** `column` (a JSON array of strings) contains any of `values`. */
function jsonArrayHasAny(scope: FilterScope, column: RawBuilder<unknown>, values: unknown[]): RawBuilder<SqlBool> {
  return dialectJsonArrayHasAny(scope.dialect, column, values);
}

const RELATIVE_OPERATORS: FilterOperator[] = ["=", "!=", ">", ">=", "<", "<=", "between"];

/** The bounds of a relative date value as parameters for `field`'s column: [start inclusive, end exclusive). */
function relativeBounds(scope: FilterScope, field: FieldDef, value: string): [unknown, unknown] {
  const range = relativeDateRange(value, scope.now ?? new Date())!;
  if (field.type === "date") return [range.start, range.end];
  return [datetimeParameter(scope.dialect, `${range.start}T00:00:00.000Z`), datetimeParameter(scope.dialect, `${range.end}T00:00:00.000Z`)];
}

/** A comparison whose value (or a `between` bound) is a relative date: each such value is a range of days. */
function compileRelativeDate(scope: FilterScope, field: FieldDef, column: RawBuilder<unknown>, operator: FilterOperator, value: unknown, path: (string | number)[]): RawBuilder<SqlBool> | null {
  const relative = Array.isArray(value) ? value.some(isRelativeDateValue) : isRelativeDateValue(value);
  if (!relative) return null;
  const where = `Relative date ${JSON.stringify(value)} on field '${field.name}'`;
  if (field.type !== "date" && field.type !== "datetime") throw bad(`${where}: relative dates apply only to date and datetime fields (it is ${field.type})`, path);
  if (!RELATIVE_OPERATORS.includes(operator)) throw bad(`${where}: operator '${operator}' does not take a relative date (use ${RELATIVE_OPERATORS.join(", ")})`, path);
  if (operator !== "between" && Array.isArray(value)) throw bad(`Operator '${operator}' on field '${field.name}' takes a single value, not a list`, path);
  if (operator === "between") {
    if (!Array.isArray(value) || value.length !== 2) throw bad(`Operator 'between' on field '${field.name}' takes exactly two values [from, to]`, path);
    const from = isRelativeDateValue(value[0]) ? relativeBounds(scope, field, value[0])[0] : parameter(scope, field, value[0], [...path, 0]);
    const to = isRelativeDateValue(value[1]) ? sql<SqlBool>`${column} < ${relativeBounds(scope, field, value[1])[1]}` : sql<SqlBool>`${column} <= ${parameter(scope, field, value[1], [...path, 1])}`;
    return sql<SqlBool>`(${column} >= ${from} and ${to})`;
  }
  const [start, end] = relativeBounds(scope, field, value as string);
  switch (operator) {
    case "=": return sql<SqlBool>`(${column} >= ${start} and ${column} < ${end})`;
    // Records without a value count as "different", as for any other value.
    case "!=": return sql<SqlBool>`(${column} is null or ${column} < ${start} or ${column} >= ${end})`;
    case "<": return sql<SqlBool>`${column} < ${start}`;
    case "<=": return sql<SqlBool>`${column} < ${end}`;
    case ">": return sql<SqlBool>`${column} >= ${end}`;
    default: return sql<SqlBool>`${column} >= ${start}`;
  }
}

function compileCondition(scope: FilterScope, condition: Condition, path: (string | number)[]): RawBuilder<SqlBool> {
  const fieldPath = [...path, "field"];
  const { field, column } = scope.resolve
    ? scope.resolve(condition.field, fieldPath)
    : { field: resolveField(scope.object, condition.field, fieldPath).field, column: sql.ref(`${scope.alias}.${condition.field}`) };
  const operator = condition.operator;
  const allowed = operatorsFor(field.type);
  if (!allowed.includes(operator)) {
    throw bad(
      `Operator '${operator}' cannot be used on field '${condition.field}' (${field.type}) of object '${scope.object.name}'; allowed operators: ${allowed.join(", ")}`,
      [...path, "operator"],
    );
  }
  const valuePath = [...path, "value"];
  const value = condition.value;
  const relative = compileRelativeDate(scope, field, column, operator, value, valuePath);
  if (relative) return relative;

  if (operator === "is_null" || operator === "is_not_null") {
    if (value !== undefined && value !== null) throw bad(`Operator '${operator}' takes no value (field '${field.name}')`, valuePath);
    return operator === "is_null" ? sql<SqlBool>`${column} is null` : sql<SqlBool>`${column} is not null`;
  }

  if (operator === "in" || operator === "not_in" || operator === "between") {
    if (!Array.isArray(value)) throw bad(`Operator '${operator}' on field '${field.name}' takes a list of values`, valuePath);
    if (operator === "between" && value.length !== 2) {
      throw bad(`Operator 'between' on field '${field.name}' takes exactly two values [from, to]`, valuePath);
    }
    const parameters = (value as ScalarValue[]).map((item, index) => parameter(scope, field, item, [...valuePath, index]));
    if (operator === "between") return sql<SqlBool>`${column} between ${parameters[0]} and ${parameters[1]}`;
    if (field.type === "multiselect") return parameters.length === 0 ? sql<SqlBool>`1 = 0` : jsonArrayHasAny(scope, column, parameters);
    // An empty list is valid: nothing is "in" it, everything is "not in" it.
    if (parameters.length === 0) return operator === "in" ? sql<SqlBool>`1 = 0` : sql<SqlBool>`1 = 1`;
    const within = inList(scope.dialect, column, parameters);
    // Records without a value count as "not in" the list (SQL alone would drop them).
    return operator === "in" ? within : sql<SqlBool>`(${column} is null or not (${within}))`;
  }

  if (Array.isArray(value)) throw bad(`Operator '${operator}' on field '${field.name}' takes a single value, not a list`, valuePath);

  if (TEXT_MATCH.includes(operator)) {
    if (typeof value !== "string") throw bad(`Operator '${operator}' on field '${field.name}' takes a string`, valuePath);
    // A NUL would end SQLite's pattern early (matching every record); PostgreSQL cannot bind it.
    const problem = textProblem(value);
    if (problem) throw bad(`Filter value for field '${field.name}' ${problem}`, valuePath);
    if (field.type === "multiselect") return jsonArrayHasAny(scope, column, [value]);
    const escaped = escapeLike(value);
    const pattern = operator === "contains" ? `%${escaped}%` : operator === "starts_with" ? `${escaped}%` : `%${escaped}`;
    return likeMatch(scope, column, pattern);
  }

  const bound = parameter(scope, field, value, valuePath);
  switch (operator) {
    case "=": return sql<SqlBool>`${column} = ${bound}`;
    // Records without a value count as "different" (SQL alone would drop them).
    case "!=": return sql<SqlBool>`(${column} is null or ${column} <> ${bound})`;
    case ">": return sql<SqlBool>`${column} > ${bound}`;
    case ">=": return sql<SqlBool>`${column} >= ${bound}`;
    case "<": return sql<SqlBool>`${column} < ${bound}`;
    case "<=": return sql<SqlBool>`${column} <= ${bound}`;
  }
  throw bad(`Unsupported operator '${operator}'`, [...path, "operator"]);
}

/**
 * Joins terms with `and`/`or` as a balanced tree of parentheses. Databases parse `a or b or c ...`
 * into a chain as deep as it is long, and SQLite refuses expressions deeper than 1000: 200 terms
 * on each of 11 nested levels is a chain of 2,200, but a balanced tree about 11 x 8 deep.
 */
function joinBalanced(parts: RawBuilder<SqlBool>[], operator: "and" | "or"): RawBuilder<SqlBool> {
  if (parts.length <= 4) return sql<SqlBool>`(${sql.join(parts, sql` ${sql.raw(operator)} `)})`;
  const middle = Math.ceil(parts.length / 2);
  return sql<SqlBool>`(${joinBalanced(parts.slice(0, middle), operator)} ${sql.raw(operator)} ${joinBalanced(parts.slice(middle), operator)})`;
}

export function compileFilter(scope: FilterScope, filter: Filter, path: (string | number)[] = ["filter"]): RawBuilder<SqlBool> {
  if ("and" in filter) {
    if (filter.and.length === 0) return sql<SqlBool>`1 = 1`;
    return joinBalanced(filter.and.map((part, index) => compileFilter(scope, part, [...path, "and", index])), "and");
  }
  if ("or" in filter) {
    if (filter.or.length === 0) return sql<SqlBool>`1 = 0`;
    return joinBalanced(filter.or.map((part, index) => compileFilter(scope, part, [...path, "or", index])), "or");
  }
  // Two-valued NOT: a condition that is unknown for a record (NULL in SQL) counts as false, so
  // `not (status = 'open')` keeps records without a status, as `status != 'open'` does.
  if ("not" in filter) return sql<SqlBool>`not coalesce(${compileFilter(scope, filter.not, [...path, "not"])}, false)`;
  return compileCondition(scope, filter, path);
}

/**
 * The columns free-text search looks in: the object's text-like fields and, through the join
 * planner (`scope.resolve`), the name of the record each lookup field refers to (searching
 * tickets for "Ada" finds the tickets assigned to Ada). Without a planner: own fields only.
 */
function searchColumns(scope: FilterScope): RawBuilder<unknown>[] {
  const columns: RawBuilder<unknown>[] = [];
  for (const field of scope.object.fields) {
    if (SEARCHABLE_FIELD_TYPES.includes(field.type)) columns.push(sql.ref(`${scope.alias}.${field.name}`));
  }
  if (!scope.resolve) return columns;
  for (const field of scope.object.fields) {
    if (!isReferenceField(field)) continue;
    const target = scope.resolve(field.name, ["search"]).target;
    const nameField = target ? nameFieldOf(target) : "id";
    // A lookup to an object that is not published, or that has no name field, has no name to match.
    if (nameField === "id") continue;
    const name = scope.resolve(`${field.name}.${nameField}`, ["search"]);
    if (SEARCHABLE_FIELD_TYPES.includes(name.field.type)) columns.push(name.column);
  }
  return columns;
}

/** Free-text search: case-insensitive "contains" over the search columns (see searchColumns), OR'ed. */
export function compileSearch(scope: FilterScope, term: string): RawBuilder<SqlBool> | null {
  const problem = textProblem(term);
  if (problem) throw bad(`search ${problem}`, ["search"]);
  const trimmed = term.trim();
  if (trimmed === "") return null;
  const columns = searchColumns(scope);
  if (columns.length === 0) return sql<SqlBool>`1 = 0`;
  const pattern = `%${escapeLike(trimmed)}%`;
  return sql<SqlBool>`(${sql.join(columns.map((column) => likeMatch(scope, column, pattern)), sql` or `)})`;
}
