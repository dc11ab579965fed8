import { sql, type Kysely } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { objectSchema, type ObjectDef } from "@/spec/object";
import { timestampSqlType } from "./column-types";
import { timestampParameter } from "../records/codec";
import { createIndexSql } from "./ddl";
import { mysqlTableCollation } from "./ddl-mysql";
import { desiredIndexes, ownerIndexName, physicalIndexColumns, tableName } from "./sql-names";

/**
 * `_os_object_schema` holds the definition of every object exactly as applied to the
 * database; it is the source of truth for which `obj_*` tables exist and what their columns
 * mean. It is only written by schema sync, in the same transaction as the DDL.
 * `_os_autonumber` holds the next counter value of every autonumber field (keyed by field id,
 * so a rename keeps the sequence).
 */
export const APPLIED_SCHEMA_TABLE = "_os_object_schema";
export const AUTONUMBER_TABLE = "_os_autonumber";
/**
 * `_os_record_share` holds manual shares of single records: a principal (`user:<id>` or
 * `group:<name>`) may read or edit one record of an object (row-level security joins it).
 */
export const RECORD_SHARE_TABLE = "_os_record_share";

const ready = new WeakMap<DataDatabase, Promise<void>>();

async function createMetaTables(db: DataDatabase): Promise<void> {
  const ts = sql.raw(timestampSqlType(db.dialect));
  const counter = sql.raw(db.dialect === "sqlite" ? "integer" : "bigint");
  if (db.dialect === "mysql") {
    // MySQL cannot index TEXT: keys are VARCHAR. Identifiers are at most 63 characters, field ids 64.
    await sql`create table if not exists ${sql.id(APPLIED_SCHEMA_TABLE)} (
      name varchar(64) primary key,
      definition longtext not null,
      applied_at ${ts} not null
    ) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`.execute(db.kysely);
    await sql`create table if not exists ${sql.id(AUTONUMBER_TABLE)} (
      object varchar(64) not null,
      field_id varchar(64) not null,
      next_value ${counter} not null,
      primary key (object, field_id)
    ) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`.execute(db.kysely);
    await sql`create table if not exists ${sql.id(RECORD_SHARE_TABLE)} (
      object varchar(64) not null,
      record_id varchar(100) not null,
      principal varchar(120) not null,
      access varchar(8) not null,
      created_by varchar(255) null,
      created_at ${ts} not null,
      primary key (object, record_id, principal)
    ) engine = InnoDB default charset = utf8mb4 collate = ${sql.raw(await mysqlTableCollation(db.kysely))}`.execute(db.kysely);
    await addOwnerColumns(db);
    return;
  }
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
    await sql`create table if not exists ${sql.id(RECORD_SHARE_TABLE)} (
      object text not null,
      record_id text not null,
      principal text not null,
      access text not null,
      created_by text,
      created_at ${ts} not null,
      primary key (object, record_id, principal)
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
  await addOwnerColumns(db);
  await upgradeIndexColumns(db);
}

/**
 * Tables created before records had owners get the `owner_id` column, filled with the
 * creator (who owned the record in every sense until then). Runs once per database handle.
 */
export async function addOwnerColumns(db: DataDatabase): Promise<void> {
  const names = [...(await readAppliedObjectNames(db.kysely))];
  if (names.length === 0) return;
  // Which object tables exist, and which of them have owner_id: one catalog query (SQLite: its own schema table).
  const catalog =
    db.dialect === "sqlite"
      ? sql<{ tableName: string; hasOwner: number }>`select m.name as "tableName", (select count(*) from pragma_table_info(m.name) where name = 'owner_id') as "hasOwner" from sqlite_master m where m.type = 'table'`
      : sql<{ tableName: string; hasOwner: number }>`select table_name as "tableName", max(case when column_name = 'owner_id' then 1 else 0 end) as "hasOwner"
          from information_schema.columns where table_schema = ${sql.raw(db.dialect === "postgres" ? "current_schema()" : "database()")} group by table_name`;
  const tables = new Map((await catalog.execute(db.kysely)).rows.map((row) => [String(row.tableName), Number(row.hasOwner) > 0]));
  for (const name of names) {
    const table = tableName(name);
    // Not there (yet), or owner_id present: nothing to do.
    if (tables.get(table) !== false) continue;
    const type = sql.raw(db.dialect === "mysql" ? "varchar(255) null" : "text");
    await sql`alter table ${sql.id(table)} add column owner_id ${type}`.execute(db.kysely);
    await sql`update ${sql.id(table)} set owner_id = created_by`.execute(db.kysely);
    const index = { name: ownerIndexName(name), columns: ["owner_id"], unique: false };
    await (db.dialect === "mysql" ? sql`create index ${sql.id(index.name)} on ${sql.id(table)} (owner_id)` : createIndexSql(table, index)).execute(db.kysely);
  }
}

/**
 * Indexes created before non-unique indexes ended with `id` (see physicalIndexColumns) are
 * rebuilt with their current columns; the definition did not change, so no schema plan would.
 * SQLite and PostgreSQL only (MySQL keeps the declared columns). Runs once per database handle:
 * one catalog query, and work only where an index differs.
 */
export async function upgradeIndexColumns(db: DataDatabase): Promise<void> {
  if (db.dialect === "mysql") return;
  const rows = await db.kysely.selectFrom(APPLIED_SCHEMA_TABLE).select("definition").execute();
  if (rows.length === 0) return;
  const existing = await readIndexColumns(db);
  for (const row of rows) {
    const object = parseDefinition(row.definition as string);
    for (const index of desiredIndexes(object).values()) {
      const columns = existing.get(index.name);
      // Missing indexes are schema sync's business; only ones with other columns are rebuilt.
      if (!columns || columns.join() === physicalIndexColumns(index).join()) continue;
      try {
        await db.kysely.transaction().execute(async (trx) => {
          await sql`drop index if exists ${sql.id(index.name)}`.execute(trx);
          await createIndexSql(tableName(object.name), index).execute(trx);
        });
      } catch (error) {
        // Another process rebuilding the same index at the same moment: the index is there, in
        // one shape or the other, and queries are right either way (only slower).
        console.warn(`objectql: could not rebuild index ${index.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** The columns of every index on the object tables (`obj_*`), in order, by index name. SQLite and PostgreSQL. */
export async function readIndexColumns(db: DataDatabase): Promise<Map<string, string[]>> {
  const catalog =
    db.dialect === "sqlite"
      ? sql<{ indexName: string; columnName: string }>`select il.name as "indexName", ii.name as "columnName"
          from sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii
          where m.type = 'table' and m.name like 'obj!_%' escape '!' order by il.name, ii.seqno`
      : sql<{ indexName: string; columnName: string }>`select i.relname as "indexName", a.attname as "columnName"
          from pg_index x
          join pg_class i on i.oid = x.indexrelid
          join pg_class t on t.oid = x.indrelid
          join pg_namespace n on n.oid = t.relnamespace
          cross join lateral unnest(x.indkey) with ordinality as k(attnum, position)
          join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
          where n.nspname = current_schema() and t.relname like 'obj!_%' escape '!'
          order by i.relname, k.position`;
  const existing = new Map<string, string[]>();
  for (const row of (await catalog.execute(db.kysely)).rows) {
    const columns = existing.get(row.indexName) ?? [];
    columns.push(row.columnName);
    existing.set(row.indexName, columns);
  }
  return existing;
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
  const appliedAt = dialect === "postgres" ? new Date() : timestampParameter(new Date().toISOString(), dialect);
  if (dialect === "mysql") {
    await executor
      .insertInto(APPLIED_SCHEMA_TABLE)
      .values({ name: object.name, definition: JSON.stringify(object), applied_at: appliedAt })
      .onDuplicateKeyUpdate({ definition: JSON.stringify(object), applied_at: appliedAt })
      .execute();
    return;
  }
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

/**
 * The next value of an autonumber counter, created at `startAt`. Runs inside the insert's
 * transaction: the upsert locks the counter row until commit, so concurrent inserts never
 * share a number.
 */
export async function nextCounterValue(
  executor: Kysely<any>,
  dialect: DataDatabase["dialect"],
  object: string,
  fieldId: string,
  startAt: number,
): Promise<number> {
  const table = sql.id(AUTONUMBER_TABLE);
  if (dialect === "mysql") {
    // No RETURNING with ON DUPLICATE KEY on MySQL: read the row back (it is locked by the upsert).
    await sql`insert into ${table} (object, field_id, next_value) values (${object}, ${fieldId}, ${startAt})
      on duplicate key update next_value = next_value + 1`.execute(executor);
    const row = await sql<{ next_value: number | string }>`select next_value from ${table} where object = ${object} and field_id = ${fieldId}`.execute(executor);
    return Number(row.rows[0].next_value);
  }
  const result = await sql<{ next_value: number | string }>`
    insert into ${table} (object, field_id, next_value) values (${object}, ${fieldId}, ${startAt})
    on conflict (object, field_id) do update set next_value = ${table}.next_value + 1
    returning next_value`.execute(executor);
  return Number(result.rows[0].next_value);
}

/**
 * Reserves `count` consecutive counter values at once (bulk insert) and returns the first.
 * Same row and lock as nextCounterValue, so single and bulk inserts never hand out a value twice.
 */
export async function reserveCounterValues(
  executor: Kysely<any>,
  dialect: DataDatabase["dialect"],
  object: string,
  fieldId: string,
  startAt: number,
  count: number,
): Promise<number> {
  const table = sql.id(AUTONUMBER_TABLE);
  const firstInsert = startAt + count - 1;
  let last: number;
  if (dialect === "mysql") {
    await sql`insert into ${table} (object, field_id, next_value) values (${object}, ${fieldId}, ${firstInsert})
      on duplicate key update next_value = next_value + ${count}`.execute(executor);
    const row = await sql<{ next_value: number | string }>`select next_value from ${table} where object = ${object} and field_id = ${fieldId}`.execute(executor);
    last = Number(row.rows[0].next_value);
  } else {
    const result = await sql<{ next_value: number | string }>`
      insert into ${table} (object, field_id, next_value) values (${object}, ${fieldId}, ${firstInsert})
      on conflict (object, field_id) do update set next_value = ${table}.next_value + ${count}
      returning next_value`.execute(executor);
    last = Number(result.rows[0].next_value);
  }
  return last - count + 1;
}
