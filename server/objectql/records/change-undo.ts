import type { Kysely } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import type { ObjectDef } from "@/spec/object";
import type { RecordChange } from "../objectql";
import { tableName } from "../schema/sql-names";
import { timestampParameter, toColumnValue } from "./codec";

/**
 * Undoing record changes exactly as they were made (a debug run's rollback): created records are
 * deleted, updated fields get their stored values back, deleted records are written back with
 * their ids and system columns. Writes go straight to the tables (the rows are states the engine
 * itself stored; no rule, trigger or flow runs on the way back).
 */

/** A RecordChange as JSON: what it takes to undo it. */
export type UndoableChange = {
  object: string;
  kind: RecordChange["kind"];
  ids: string[];
  /** update: the fields it set. */
  fields?: string[];
  /** update, delete: the records as stored before (for an update, at least the fields it set). */
  before?: Record<string, Record<string, unknown>>;
};

export function undoableChange(change: RecordChange): UndoableChange {
  return {
    object: change.object.name,
    kind: change.kind,
    ids: [...change.ids],
    ...(change.kind === "update" ? { fields: Object.keys(change.values?.[0] ?? {}) } : {}),
    ...(change.before ? { before: Object.fromEntries(change.before) } : {}),
  };
}

const SYSTEM_COLUMNS = ["created_at", "updated_at", "created_by", "updated_by", "owner_id"] as const;

function storedColumns(object: ObjectDef, record: Record<string, unknown>, dialect: DataDialect, only?: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of object.fields) {
    if (only && !only.includes(field.name)) continue;
    if (Object.hasOwn(record, field.name)) row[field.name] = toColumnValue(field, record[field.name], dialect);
  }
  return row;
}

function systemValue(column: (typeof SYSTEM_COLUMNS)[number], value: unknown, dialect: DataDialect): unknown {
  return column.endsWith("_at") && typeof value === "string" ? timestampParameter(value, dialect) : (value ?? null);
}

/**
 * Undoes groups of changes (each group: the changes of one write, in the order made), the last
 * group first. Inside a group deleted records come back first in the order they went (a parent
 * before its master-detail children), then the other changes are undone last to first.
 */
export async function undoChanges(executor: Kysely<any>, dialect: DataDialect, objects: (name: string) => ObjectDef | undefined, groups: UndoableChange[][]): Promise<void> {
  for (const group of [...groups].reverse()) {
    for (const change of group.filter((entry) => entry.kind === "delete")) {
      const object = objects(change.object);
      if (!object) continue;
      for (const id of change.ids) {
        const before = change.before?.[id];
        if (!before) continue;
        const system: Record<string, unknown> = {};
        for (const column of SYSTEM_COLUMNS) system[column] = systemValue(column, before[column], dialect);
        await executor.insertInto(tableName(object.name)).values({ id, ...system, ...storedColumns(object, before, dialect) }).execute();
      }
    }
    for (const change of group.filter((entry) => entry.kind !== "delete").reverse()) {
      const object = objects(change.object);
      if (!object) continue;
      if (change.kind === "create") {
        for (let start = 0; start < change.ids.length; start += 500) {
          await executor.deleteFrom(tableName(object.name)).where("id", "in", change.ids.slice(start, start + 500)).execute();
        }
        continue;
      }
      for (const id of change.ids) {
        const before = change.before?.[id];
        if (!before) continue;
        // The fields it set, and the version columns (and owner) as they were.
        const values = storedColumns(object, before, dialect, change.fields);
        for (const column of SYSTEM_COLUMNS) {
          if (column !== "created_at" && column !== "created_by" && Object.hasOwn(before, column) && (column !== "owner_id" || change.fields?.includes(column))) values[column] = systemValue(column, before[column], dialect);
        }
        if (Object.keys(values).length > 0) await executor.updateTable(tableName(object.name)).set(values).where("id", "=", id).execute();
      }
    }
  }
}
