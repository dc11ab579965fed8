import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isComputedField, type FieldOf, type ObjectDef } from "@/spec/object";
import { filterSchema, type Filter } from "@/spec/query";
import { ObjectQLError } from "../errors";
import { resolveField } from "../query/field-resolution";
import { compileFilter } from "../query/filter-compiler";
import { computedFieldSql, computedValueField } from "./computed-fields";
import { tableName } from "../schema/sql-names";

/**
 * Rollup summary fields: an aggregate over the child records that point at a parent, compiled
 * as a correlated scalar subquery on the child's (indexed) reference column, so it is computed
 * by the database wherever the field is selected, filtered or sorted, and never stored.
 * count of no children is 0, sum is 0, min/max/avg are NULL.
 */

type Sql = RawBuilder<unknown>;

export function parseRollupFilter(field: FieldOf<"rollup">): Filter | undefined {
  if (field.filter === undefined || field.filter === null) return undefined;
  const parsed = filterSchema.safeParse(field.filter);
  if (!parsed.success) {
    const message = `Roll-up field '${field.name}' has an invalid filter: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "filter"}: ${issue.message}`).join("; ")}`;
    throw new ObjectQLError("BAD_REQUEST", message, { path: ["filter"], issues: [{ path: ["filter"], message }] });
  }
  return parsed.data;
}

function asDouble(dialect: DataDialect, value: Sql): Sql {
  if (dialect === "postgres") return sql`cast(${value} as double precision)`;
  if (dialect === "mysql") return sql`cast(${value} as double)`;
  return value;
}

export function rollupSql(
  field: FieldOf<"rollup">,
  parentId: Sql,
  scope: { dialect: DataDialect; objects: (name: string) => ObjectDef | undefined; depth: number; now?: Date },
): Sql {
  const child = scope.objects(field.childObject);
  if (!child) throw new ObjectQLError("BAD_REQUEST", `Roll-up field '${field.name}': child object '${field.childObject}' is not published`, { path: [field.name] });
  const alias = `cr${scope.depth}`;
  const column = field.field ? sql.ref(`${alias}.${field.field}`) : sql`1`;
  const childNumber = child.fields.find((candidate) => candidate.name === field.field);
  const numeric = childNumber !== undefined && ["number", "currency", "percent"].includes(childNumber.type);
  let aggregate: Sql;
  switch (field.function) {
    case "count":
      aggregate = sql`count(*)`;
      break;
    case "sum":
      aggregate = sql`coalesce(sum(${asDouble(scope.dialect, column)}), 0)`;
      break;
    case "avg":
      aggregate = sql`avg(${asDouble(scope.dialect, column)})`;
      break;
    default:
      aggregate = sql`${sql.raw(field.function)}(${numeric ? asDouble(scope.dialect, column) : column})`;
  }
  const conditions: RawBuilder<SqlBool>[] = [sql<SqlBool>`${sql.ref(`${alias}.${field.childField}`)} = ${parentId}`];
  const filter = parseRollupFilter(field);
  if (filter) {
    // Conditions name fields of the child itself; computed ones compile to their expression.
    const resolve = (name: string, path: (string | number)[]) => {
      const resolved = resolveField(child, name, path).field;
      if (!isComputedField(resolved)) return { field: resolved, column: sql.ref(`${alias}.${resolved.name}`) };
      const computedScope = { object: child, alias, objects: scope.objects, dialect: scope.dialect, now: scope.now, depth: scope.depth };
      return { field: computedValueField(resolved, scope.objects), column: computedFieldSql(resolved, computedScope) };
    };
    conditions.push(compileFilter({ object: child, dialect: scope.dialect, alias, now: scope.now, resolve }, filter, [field.name, "filter"]));
  }
  return sql`(select ${aggregate} from ${sql.id(tableName(child.name))} ${sql.id(alias)} where ${sql.join(conditions, sql` and `)})`;
}
