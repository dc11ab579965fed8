import "server-only";
import { isComputedField, type ObjectDef } from "@/spec/object";
import type { Issue } from "@/server/errors";
import { sourceColumnName } from "@/server/objectql/schema/sql-names";
import type { DatasourceConnection } from "./datasource-connection";
import { introspect } from "./introspect";

/**
 * What the objects imported from a data source read that its (new) database lacks: a table, or
 * a column of a field or of the primary key. Checked before a changed data source is published,
 * so that pointing it at another database cannot silently break the objects that read it.
 */
export async function missingSources(connection: DatasourceConnection, objects: ObjectDef[]): Promise<Issue[]> {
  if (objects.length === 0) return [];
  const { tables } = await introspect(connection);
  const issues: Issue[] = [];
  for (const object of objects) {
    if (!object.source) continue;
    const table = tables.find((candidate) => candidate.name === object.source?.table);
    if (!table) {
      issues.push({ path: ["url"], message: `object '${object.name}' reads table '${object.source.table}', which this database does not have` });
      continue;
    }
    const columns = new Set(table.columns.map((column) => column.name));
    const needed = [object.source.primaryKey, ...object.fields.filter((field) => !isComputedField(field)).map((field) => sourceColumnName(object, field.name))];
    for (const column of needed) {
      if (column !== null && !columns.has(column)) {
        issues.push({ path: ["url"], message: `object '${object.name}' reads column '${table.name}.${column}', which this database does not have` });
      }
    }
  }
  return issues;
}
