import { sql } from "kysely";
import { isReferenceField, type FieldDef, type ObjectDef } from "@/spec/object";
import { MAX_EXPAND_DEPTH, type Expand } from "@/spec/query";
import { orderTerm } from "../dialect-sql";
import { ObjectQLError } from "../errors";
import type { DataRecord } from "../types";
import { ROOT_ALIAS, compileRecordShape, compileSortKeys, compileWhere, newPlanner, type ReadContext } from "./find";
import { tableName } from "../schema/sql-names";
import { arrayRowsSql, selectArrayRows } from "@/server/db/statement-hints";

/**
 * Related lists: for each `expand`, the child records whose lookup points at the returned
 * parents, loaded with ONE query for all parents (a window function keeps `limit` children
 * per parent), never one query per parent. Results go under the relation's name. An expansion
 * may name its own `expand` (account -> contacts -> activities, at most MAX_EXPAND_DEPTH levels):
 * each level is again one query for all the records of the level above.
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

/** Parent ids per statement: bound parameters stay well under every driver's limit (SQLite: 32766). */
const PARENT_IDS_PER_QUERY = 5000;

/**
 * Loads `expands` for `records` (of object `parent`), then each expansion's own nested `expand`
 * for all the children loaded at this level together: one query per expansion per level (per
 * 5000 parents), whatever the number of records. `basePath` locates `expands` in the query.
 */
export async function loadExpansions(
  rc: ReadContext,
  parent: ObjectDef,
  records: DataRecord[],
  expands: Expand[],
  basePath: (string | number)[] = [],
  depth = 1,
): Promise<void> {
  if (depth > MAX_EXPAND_DEPTH) {
    const path = [...basePath, "expand"];
    throw bad(`expand at '${path.join(".")}' is nested too deeply: related lists may be nested at most ${MAX_EXPAND_DEPTH} levels deep`, path);
  }
  const parentIds = records.map((record) => record.id);
  await Promise.all(
    expands.map(async (expand, index) => {
      const path = [...basePath, "expand", index];
      const { child, lookup } = resolveRelation(rc, parent, expand.relation, [...path, "relation"]);
      const planner = newPlanner(rc, child);
      const shape = compileRecordShape(planner, rc.dialect, expand.select, [...path, "select"]);
      const where = compileWhere(rc, planner, expand.filter, undefined, [...path, "filter"]);
      const keys = compileSortKeys(planner, expand.orderBy, [...path, "orderBy"]);
      const idDirection = keys[keys.length - 1].direction;
      for (const record of records) record[expand.relation] = [];

      const parentColumn = sql.ref(`${ROOT_ALIAS}.${lookup.name}`);
      const parentIndex = shape.columns.length;
      const order = sql.join([...keys.map((key) => orderTerm(rc.dialect, key.expression, key.direction)), sql`${sql.ref(`${ROOT_ALIAS}.id`)} ${sql.raw(idDirection)}`]);
      const byParent = new Map<string, DataRecord[]>();
      const children: DataRecord[] = [];
      for (let start = 0; start < parentIds.length; start += PARENT_IDS_PER_QUERY) {
        const ids = parentIds.slice(start, start + PARENT_IDS_PER_QUERY);
        let inner = planner
          .apply(rc.kysely.selectFrom(`${tableName(child.name)} as ${ROOT_ALIAS}`))
          .select([...shape.columns, parentColumn.as("__parent"), sql<number>`row_number() over (partition by ${parentColumn} order by ${order})`.as("__rn")])
          .where(sql<boolean>`${parentColumn} in (${sql.join(ids)})`);
        if (where) inner = inner.where(where);
        const statement = rc.kysely
          .selectFrom(inner.as("x"))
          .selectAll()
          .where(sql<boolean>`${sql.ref("x.__rn")} <= ${expand.limit}`)
          .orderBy(sql`${sql.ref("x.__parent")}`)
          .orderBy(sql`${sql.ref("x.__rn")}`)
          .compile();
        // Rows are the record's columns, then __parent, then __rn.
        const rows = await selectArrayRows(rc.kysely, arrayRowsSql(statement.sql), statement.parameters);
        for (const row of rows) {
          const key = String(row[parentIndex]);
          let list = byParent.get(key);
          if (!list) byParent.set(key, (list = []));
          const record = shape.read(row);
          list.push(record);
          children.push(record);
        }
      }
      for (const record of records) record[expand.relation] = byParent.get(record.id) ?? [];
      if (expand.expand && expand.expand.length > 0) {
        await loadExpansions(rc, child, children, expand.expand, path, depth + 1);
      }
    }),
  );
}
