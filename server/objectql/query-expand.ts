import { sql } from "kysely";
import { isReferenceField, type FieldDef, type ObjectDef } from "@/spec/object";
import type { Expand } from "@/spec/query";
import { orderTerm } from "./dialect-sql";
import { ObjectQLError } from "./errors";
import type { DataRecord } from "./objectql";
import { ROOT_ALIAS, compileRecordShape, compileSortKeys, compileWhere, newPlanner, type ReadContext } from "./query-find";
import { tableName } from "./sql-names";

/**
 * Related lists: for each `expand`, the child records whose lookup points at the returned
 * parents, loaded with ONE query for all parents (a window function keeps `limit` children
 * per parent), never one query per parent. Results go under the relation's name.
 */

function bad(message: string, path: (string | number)[]): ObjectQLError {
  return new ObjectQLError("BAD_REQUEST", message, { path, issues: [{ path, message }] });
}

/** `<child>.<lookup>` or `<child>` (with exactly one lookup to the parent) -> the child object and its lookup field. */
function resolveRelation(rc: ReadContext, parent: ObjectDef, relation: string, path: (string | number)[]): { child: ObjectDef; lookup: FieldDef } {
  const [childName, lookupName, ...rest] = relation.split(".");
  if (rest.length > 0) throw bad(`Relation '${relation}' must be '<child object>.<lookup field>' or '<child object>'`, path);
  const child = rc.lookupObject(childName);
  if (!child) throw bad(`Relation '${relation}': unknown object '${childName}'`, path);
  const candidates = child.fields.filter((field) => isReferenceField(field) && field.reference === parent.name);
  if (lookupName === undefined) {
    if (candidates.length !== 1) {
      throw bad(
        `Relation '${relation}': object '${childName}' has ${candidates.length} lookups to '${parent.name}'; name one as '${childName}.<lookup field>'`,
        path,
      );
    }
    return { child, lookup: candidates[0] };
  }
  const lookup = child.fields.find((field) => field.name === lookupName);
  if (!lookup || !isReferenceField(lookup) || lookup.reference !== parent.name) {
    throw bad(`Relation '${relation}': '${lookupName}' is not a lookup of object '${childName}' to '${parent.name}'`, path);
  }
  return { child, lookup };
}

export async function loadExpansions(rc: ReadContext, parent: ObjectDef, records: DataRecord[], expands: Expand[]): Promise<void> {
  const parentIds = records.map((record) => record.id);
  await Promise.all(
    expands.map(async (expand, index) => {
      const path = ["expand", index];
      const { child, lookup } = resolveRelation(rc, parent, expand.relation, [...path, "relation"]);
      const planner = newPlanner(rc, child);
      const shape = compileRecordShape(planner, rc.dialect, expand.select, [...path, "select"]);
      const where = compileWhere(rc, planner, expand.filter, undefined, [...path, "filter"]);
      const keys = compileSortKeys(planner, expand.orderBy, [...path, "orderBy"]);
      const idDirection = keys[keys.length - 1].direction;
      for (const record of records) record[expand.relation] = [];
      if (parentIds.length === 0) return;

      const parentColumn = sql.ref(`${ROOT_ALIAS}.${lookup.name}`);
      const order = sql.join([...keys.map((key) => orderTerm(rc.dialect, key.expression, key.direction)), sql`${sql.ref(`${ROOT_ALIAS}.id`)} ${sql.raw(idDirection)}`]);
      let inner = planner
        .apply(rc.kysely.selectFrom(`${tableName(child.name)} as ${ROOT_ALIAS}`))
        .select([...shape.columns, parentColumn.as("__parent"), sql<number>`row_number() over (partition by ${parentColumn} order by ${order})`.as("__rn")])
        .where(sql<boolean>`${parentColumn} in (${sql.join(parentIds)})`);
      if (where) inner = inner.where(where);
      const rows = (await rc.kysely
        .selectFrom(inner.as("x"))
        .selectAll()
        .where(sql<boolean>`${sql.ref("x.__rn")} <= ${expand.limit}`)
        .orderBy(sql`${sql.ref("x.__parent")}`)
        .orderBy(sql`${sql.ref("x.__rn")}`)
        .execute()) as Record<string, unknown>[];

      const byParent = new Map<string, DataRecord[]>();
      for (const row of rows) {
        const key = String(row.__parent);
        let list = byParent.get(key);
        if (!list) byParent.set(key, (list = []));
        list.push(shape.read(row));
      }
      for (const record of records) record[expand.relation] = byParent.get(record.id) ?? [];
    }),
  );
}
