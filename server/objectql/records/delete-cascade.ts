import type { Kysely } from "kysely";
import type { ObjectDef } from "@/spec/object";
import { tableName } from "../schema/sql-names";

/** Records a delete takes with it: master-detail children, their children, ... (their foreign keys cascade). */
export type CascadedRecords = { object: ObjectDef; rows: Record<string, unknown>[] };

/** Ids per statement: well under every driver's bound-parameter limit. */
export const IDS_PER_STATEMENT = 1000;
/** Master-detail chains deeper than this are not followed (schemas do not nest that deep; a self-reference could). */
const MAX_DEPTH = 16;

/**
 * The records that deleting `ids` of `parent` deletes through master-detail foreign keys, read
 * before the delete (in its transaction) so that they get their delete events and lose their
 * manual shares like the record itself. `withRows`: every column (audit snapshots), else ids only.
 */
export async function cascadedRecords(
  executor: Kysely<any>,
  objects: readonly ObjectDef[],
  parent: ObjectDef,
  ids: readonly string[],
  withRows: boolean,
): Promise<CascadedRecords[]> {
  const found: CascadedRecords[] = [];
  const seen = new Set<string>(ids.map((id) => `${parent.name}\u0001${id}`));
  async function visit(object: ObjectDef, parentIds: readonly string[], depth: number): Promise<void> {
    if (parentIds.length === 0 || depth > MAX_DEPTH) return;
    for (const child of objects) {
      for (const field of child.fields) {
        if (field.type !== "master_detail" || field.reference !== object.name) continue;
        const rows: Record<string, unknown>[] = [];
        for (let start = 0; start < parentIds.length; start += IDS_PER_STATEMENT) {
          const chunk = parentIds.slice(start, start + IDS_PER_STATEMENT);
          const query = executor.selectFrom(tableName(child.name)).where(field.name, "in", chunk);
          const batch = withRows ? await query.selectAll().execute() : await query.select("id").execute();
          for (const row of batch as Record<string, unknown>[]) {
            const key = `${child.name}\u0001${String(row.id)}`;
            if (seen.has(key)) continue;
            seen.add(key);
            rows.push(row);
          }
        }
        if (rows.length === 0) continue;
        found.push({ object: child, rows });
        await visit(child, rows.map((row) => String(row.id)), depth + 1);
      }
    }
  }
  await visit(parent, ids, 1);
  return found;
}

/** Lookup values the database clears (`on delete set null`) because the records they point at are deleted. */
export type ClearedLookups = { object: ObjectDef; field: string; rows: { id: string; value: string; updatedAt: unknown }[] };

/**
 * The lookups (not master-detail: those cascade) that will be cleared when `ids` of `parent` and
 * the `cascaded` records go, read before the delete: the referring records get a new version
 * (the database changes them) and the audit trail records the change. Records that are
 * themselves deleted are left out.
 */
export async function clearedLookups(
  executor: Kysely<any>,
  objects: readonly ObjectDef[],
  parent: ObjectDef,
  ids: readonly string[],
  cascaded: readonly CascadedRecords[],
): Promise<ClearedLookups[]> {
  const deleted = new Map<string, Set<string>>([[parent.name, new Set(ids)]]);
  for (const group of cascaded) {
    const groupIds = deleted.get(group.object.name) ?? deleted.set(group.object.name, new Set()).get(group.object.name)!;
    for (const row of group.rows) groupIds.add(String(row.id));
  }
  const found: ClearedLookups[] = [];
  for (const object of objects) {
    for (const field of object.fields) {
      const targets = field.type === "lookup" ? deleted.get(field.reference) : undefined;
      if (!targets || targets.size === 0) continue;
      const ids = [...targets];
      const rows: ClearedLookups["rows"] = [];
      for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) {
        const batch = await executor
          .selectFrom(tableName(object.name))
          .select(["id", `${field.name} as value`, "updated_at"])
          .where(field.name, "in", ids.slice(start, start + IDS_PER_STATEMENT))
          .execute();
        for (const row of batch as { id: unknown; value: unknown; updated_at: unknown }[]) {
          if (!deleted.get(object.name)?.has(String(row.id))) rows.push({ id: String(row.id), value: String(row.value), updatedAt: row.updated_at });
        }
      }
      if (rows.length > 0) found.push({ object, field: field.name, rows });
    }
  }
  return found;
}
