import { sql, type Kysely } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { objectSchema, type ObjectDef } from "@/spec/object";
import { timestampSqlType } from "./column-types";

/**
 * `_os_object_schema` holds the definition of every object exactly as applied to the
 * database; it is the source of truth for which `obj_*` tables exist and what their columns
 * mean. It is only written by schema sync, in the same transaction as the DDL.
 * `_os_autonumber` holds the next counter value of every autonumber field (keyed by field id,
 * so a rename keeps the sequence).
 */
export const APPLIED_SCHEMA_TABLE = "_os_object_schema";
export const AUTONUMBER_TABLE = "_os_autonumber";

const ready = new WeakMap<DataDatabase, Promise<void>>();

async function createMetaTables(db: DataDatabase): Promise<void> {
  const ts = sql.raw(timestampSqlType(db.dialect));
  const counter = sql.raw(db.dialect === "postgres" ? "bigint" : "integer");
  const create = async () => {
    await sql`create table if not exists ${sql.id(APPLIED_SCHEMA_TABLE)} (
      name text primary key,
      definition text not null,
      applied_at ${ts} not null
    )`.execute(db.kysely);
    await sql`create table if not exists ${sql.id(AUTONUMBER_TABLE)} (
      object text not null,
      field_id text not null,
      next_value ${counter} not null,
      primary key (object, field_id)
    )`.execute(db.kysely);
  };
  try {
    await create();
  } catch (error) {
    // Two processes creating the same table at once on PostgreSQL: one fails on the catalog's
    // unique index. The table exists afterwards, so one retry settles it.
    if (db.dialect !== "postgres") throw error;
    await create();
  }
}

/** Creates the platform's data-layer tables once per database handle. */
export function ensureMetaTables(db: DataDatabase): Promise<void> {
  let promise = ready.get(db);
  if (!promise) {
    promise = createMetaTables(db);
    promise.catch(() => ready.delete(db));
    ready.set(db, promise);
  }
  return promise;
}

function parseDefinition(text: string): ObjectDef {
  return objectSchema.parse(JSON.parse(text));
}

export async function readAppliedObject(executor: Kysely<any>, name: string): Promise<ObjectDef | null> {
  const row = await executor
    .selectFrom(APPLIED_SCHEMA_TABLE)
    .select("definition")
    .where("name", "=", name)
    .executeTakeFirst();
  return row ? parseDefinition(row.definition as string) : null;
}

export async function readAppliedObjectNames(executor: Kysely<any>): Promise<Set<string>> {
  const rows = await executor.selectFrom(APPLIED_SCHEMA_TABLE).select("name").execute();
  return new Set(rows.map((row) => row.name as string));
}

export async function writeAppliedObject(
  executor: Kysely<any>,
  dialect: DataDatabase["dialect"],
  object: ObjectDef,
): Promise<void> {
  const appliedAt = dialect === "postgres" ? new Date() : new Date().toISOString();
  await executor
    .insertInto(APPLIED_SCHEMA_TABLE)
    .values({ name: object.name, definition: JSON.stringify(object), applied_at: appliedAt })
    .onConflict((conflict) =>
      conflict.column("name").doUpdateSet({ definition: JSON.stringify(object), applied_at: appliedAt }),
    )
    .execute();
}

/** Every object as applied to the database, sorted by name. */
export async function loadAppliedObjects(db: DataDatabase): Promise<ObjectDef[]> {
  await ensureMetaTables(db);
  const rows = await db.kysely.selectFrom(APPLIED_SCHEMA_TABLE).select("definition").orderBy("name").execute();
  return rows.map((row) => parseDefinition(row.definition as string));
}
