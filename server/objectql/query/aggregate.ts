import { sql, type RawBuilder } from "kysely";
import { NUMERIC_FIELD_TYPES, isReferenceField, type FieldDef, type ObjectDef } from "@/spec/object";
import type { AggregateQuery, AggregateResult } from "@/spec/query";
import { dateBucket, havingOperand, orderTerm } from "../dialect-sql";
import { ObjectQLError } from "../errors";
import { compileFilter } from "./filter-compiler";
import { ROOT_ALIAS, checkBoundValues, compileWhere, filterScope, newPlanner, type ReadContext } from "./find";
import { fromColumnValue } from "../records/codec";
import { tableName } from "../schema/sql-names";

/**
 * Aggregate queries: groups (fields, dotted paths, date buckets) with count, count_distinct,
 * sum, avg, min and max, a `having` filter over the result aliases, ordering by group keys or
 * aggregates. One statement; rows come back keyed by alias (group keys by alias or field path).
 * It asks for one group more than `limit`, so an answer that leaves groups out says so
 * (`truncated`, `nextOffset`) instead of dropping them silently.
 */

function bad(message: string, path: (string | number)[]): ObjectQLError {
  return new ObjectQLError("BAD_REQUEST", message, { path, issues: [{ path, message }] });
}

type Output = {
  key: string;
  sqlAlias: string;
  expression: RawBuilder<unknown>;
  /** For reference group keys: the referenced record's name. */
  name?: { sqlAlias: string; expression: RawBuilder<unknown> };
  /** How the value reads back, and what `having` compares it as. */
  field: FieldDef;
  numeric: boolean;
  /** Group key written without granularity: its field path also names it in orderBy. */
  groupPath?: string;
};

const DATE_KEY_FIELD: Omit<FieldDef & { type: "date" }, "name"> = { id: "_bucket", label: "Bucket", required: false, unique: false, type: "date" };
const COUNT_FIELD: Omit<FieldDef & { type: "number" }, "name"> = { id: "_aggregate", label: "Aggregate", required: false, unique: false, type: "number", scale: 0 };

/**
 * The outputs a row carries: every group key and aggregate, or with `select` the group keys it
 * names (by field path or alias) and every aggregate. `select` may name only what is grouped:
 * an ungrouped field has no single value per group.
 */
function returnedOutputs(query: AggregateQuery, groups: Output[], aggregates: Output[]): Output[] {
  if (query.select === undefined) return [...groups, ...aggregates];
  const chosen = new Set<Output>();
  query.select.forEach((path, index) => {
    const output = groups.find((group) => group.key === path || group.groupPath === path) ?? aggregates.find((aggregate) => aggregate.key === path);
    if (!output) {
      const grouped = groups.map((group) => `'${group.key}'`).join(", ") || "(none)";
      throw bad(`select '${path}' is not a group key of this aggregate query: select names groupBy fields (${grouped}) or aggregate aliases`, ["select", index]);
    }
    chosen.add(output);
  });
  return [...groups.filter((group) => chosen.has(group)), ...aggregates];
}

export async function runAggregate(rc: ReadContext, object: ObjectDef, query: AggregateQuery): Promise<AggregateResult> {
  if (query.aggregate.length === 0 && query.groupBy.length === 0) {
    throw bad("An aggregate query needs at least one aggregate or groupBy", ["aggregate"]);
  }
  const planner = newPlanner(rc, object);
  const where = compileWhere(rc, planner, query.filter, query.search);
  const keys = new Set<string>();
  const claim = (key: string, path: (string | number)[]) => {
    if (keys.has(key)) throw bad(`Result name '${key}' is used twice: give each group and aggregate its own alias`, path);
    keys.add(key);
  };

  const groups: Output[] = query.groupBy.map((group, index) => {
    const path = ["groupBy", index];
    const resolved = planner.resolve(group.field, [...path, "field"]);
    const field = resolved.field;
    const key = group.alias ?? group.field;
    claim(key, [...path, group.alias ? "alias" : "field"]);
    const sqlAlias = `g${index}`;
    if (group.granularity) {
      if (field.type !== "date" && field.type !== "datetime") {
        throw bad(`Granularity '${group.granularity}' needs a date or datetime field; '${group.field}' is ${field.type}`, [...path, "granularity"]);
      }
      const expression = dateBucket(rc.dialect, resolved.column, field.type, group.granularity);
      return { key, sqlAlias, expression, field: { ...DATE_KEY_FIELD, name: key }, numeric: false };
    }
    if (field.type === "json" || field.type === "multiselect") throw bad(`Cannot group by field '${group.field}' (${field.type})`, [...path, "field"]);
    const output: Output = { key, sqlAlias, expression: resolved.column, field: { ...field, name: key }, numeric: false, groupPath: group.field };
    if (isReferenceField(field)) output.name = { sqlAlias: `${sqlAlias}n`, expression: planner.referenceName(resolved, [...path, "field"]) };
    return output;
  });

  const aggregates: Output[] = query.aggregate.map((aggregate, index) => {
    const path = ["aggregate", index];
    claim(aggregate.alias, [...path, "alias"]);
    const sqlAlias = `a${index}`;
    const fn = aggregate.function;
    const countField = { ...COUNT_FIELD, name: aggregate.alias };
    if (aggregate.field === undefined) {
      if (fn !== "count") throw bad(`Aggregate '${fn}' (alias '${aggregate.alias}') needs a field`, [...path, "field"]);
      return { key: aggregate.alias, sqlAlias, expression: sql`count(*)`, field: countField, numeric: true };
    }
    const resolved = planner.resolve(aggregate.field, [...path, "field"]);
    const field = resolved.field;
    const column = resolved.column;
    const what = `Aggregate '${fn}' of field '${aggregate.field}' (${field.type})`;
    if (field.type === "json" || (field.type === "multiselect" && fn !== "count")) throw bad(`${what} is not supported`, [...path, "field"]);
    switch (fn) {
      case "count":
        return { key: aggregate.alias, sqlAlias, expression: sql`count(${column})`, field: countField, numeric: true };
      case "count_distinct":
        return { key: aggregate.alias, sqlAlias, expression: sql`count(distinct ${column})`, field: countField, numeric: true };
      case "sum":
      case "avg":
        if (!NUMERIC_FIELD_TYPES.includes(field.type)) throw bad(`${what}: '${fn}' needs a number, currency or percent field`, [...path, "field"]);
        return { key: aggregate.alias, sqlAlias, expression: fn === "sum" ? sql`sum(${column})` : sql`avg(${column})`, field: { ...countField, scale: 10 }, numeric: true };
      default:
        if (field.type === "boolean" || isReferenceField(field)) throw bad(`${what}: '${fn}' needs a number, text or date field`, [...path, "field"]);
        return { key: aggregate.alias, sqlAlias, expression: fn === "min" ? sql`min(${column})` : sql`max(${column})`, field: { ...field, name: aggregate.alias }, numeric: NUMERIC_FIELD_TYPES.includes(field.type) };
    }
  });

  const all = [...groups, ...aggregates];
  const byKey = new Map(all.map((output) => [output.key, output]));
  const returned = returnedOutputs(query, groups, aggregates);
  let having = null;
  if (query.having) {
    const scope = filterScope(rc, planner);
    scope.resolve = (name, path) => {
      const output = byKey.get(name);
      if (!output) {
        throw bad(`having refers to unknown alias '${name}'; known: ${[...byKey.keys()].map((key) => `'${key}'`).join(", ") || "(none)"}`, path);
      }
      return { field: output.field, column: havingOperand(rc.dialect, output.expression, output.sqlAlias) };
    };
    having = compileFilter(scope, query.having, ["having"]);
  }

  const orderExpressions = (query.orderBy ?? []).map((order, index) => {
    const output = byKey.get(order.field) ?? groups.find((group) => group.groupPath === order.field);
    if (!output) {
      throw bad(`orderBy '${order.field}' is neither a group key nor an aggregate alias of this query`, ["orderBy", index, "field"]);
    }
    return orderTerm(rc.dialect, output.name?.expression ?? output.expression, order.direction);
  });
  // Without an explicit order, groups come in key order, so results are deterministic.
  if (orderExpressions.length === 0) for (const group of groups) orderExpressions.push(orderTerm(rc.dialect, group.name?.expression ?? group.expression, "asc"));

  let statement = planner.apply(rc.kysely.selectFrom(`${tableName(object.name)} as ${ROOT_ALIAS}`));
  const columns = all.flatMap((output) => [output.expression.as(output.sqlAlias), ...(output.name ? [output.name.expression.as(output.name.sqlAlias)] : [])]);
  statement = statement.select(columns);
  if (where) statement = statement.where(where);
  if (groups.length > 0) {
    statement = statement.groupBy(groups.flatMap((group) => [group.expression, ...(group.name ? [group.name.expression] : [])]));
  }
  if (having) statement = statement.having(having);
  for (const expression of orderExpressions) statement = statement.orderBy(expression);
  statement = statement.limit(query.limit + 1).offset(query.offset);

  const dialect = rc.dialect;
  const result = (await rc.kysely.executeQuery(checkBoundValues(dialect, statement.compile()))).rows as Record<string, unknown>[];
  const truncated = result.length > query.limit;
  const rows = result.slice(0, query.limit).map((row) => {
    // Keys are aliases and paths the caller chose: no prototype, so none is special (`constructor`).
    const out: Record<string, unknown> = Object.create(null);
    for (const output of returned) {
      const value = row[output.sqlAlias];
      if (value === null || value === undefined) out[output.key] = null;
      else if (output.name) {
        const name = row[output.name.sqlAlias];
        out[output.key] = { id: String(value), name: name === null || name === undefined ? String(value) : String(name) };
      } else if (output.numeric) out[output.key] = Number(value);
      else out[output.key] = fromColumnValue(output.field, value, dialect);
    }
    return out;
  });
  return truncated ? { rows, truncated, nextOffset: query.offset + query.limit } : { rows, truncated };
}
