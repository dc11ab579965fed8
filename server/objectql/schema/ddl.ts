import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isReferenceField, type FieldDef, type ObjectDef } from "@/spec/object";
import { classifyTypeChange, columnSqlType, conversionSql, storageKindOf, timestampSqlType } from "./column-types";
import { notNullOnCreate, type SchemaPlan, type SchemaStep } from "./plan";
import { desiredIndexes, foreignKeyName, physicalIndexColumns, tableName, type IndexSpec } from "./sql-names";

/**
 * Turns a schema plan into DDL and runs it on a transaction. Identifiers come only from
 * validated metadata and are quoted with sql.id; DDL never takes bound parameters (PostgreSQL
 * does not allow them in utility statements), and no value from records is ever spliced in.
 */

type Executor = Kysely<any>;

/** Reports the step being executed, so a failure can name it. */
export type StepTracker = { current?: SchemaStep };

function referenceClause(object: ObjectDef, field: FieldDef): RawBuilder<unknown> {
  if (!isReferenceField(field)) return sql``;
  const action = sql.raw(field.type === "master_detail" ? "cascade" : "set null");
  return sql` constraint ${sql.id(foreignKeyName(object.name, field.name))} references ${sql.id(tableName(field.reference))} (id) on delete ${action}`;
}

function columnDefinition(object: ObjectDef, field: FieldDef, dialect: DataDialect, notNull: boolean): RawBuilder<unknown> {
  const type = sql.raw(columnSqlType(field, dialect));
  return sql`${sql.id(field.name)} ${type}${sql.raw(notNull ? " not null" : "")}${referenceClause(object, field)}`;
}

function createTableSql(
  table: string,
  object: ObjectDef,
  dialect: DataDialect,
  notNull: (field: FieldDef) => boolean,
): RawBuilder<unknown> {
  const ts = sql.raw(timestampSqlType(dialect));
  const columns = [
    sql`id text primary key`,
    sql`created_at ${ts} not null`,
    sql`updated_at ${ts} not null`,
    sql`created_by text`,
    sql`updated_by text`,
    sql`owner_id text`,
    ...object.fields.map((field) => columnDefinition(object, field, dialect, notNull(field))),
  ];
  return sql`create table ${sql.id(table)} (${sql.join(columns, sql`, `)})`;
}

export function createIndexSql(table: string, index: IndexSpec): RawBuilder<unknown> {
  return sql`create ${sql.raw(index.unique ? "unique index" : "index")} ${sql.id(index.name)} on ${sql.id(table)} (${sql.join(physicalIndexColumns(index).map((column) => sql.id(column)))})`;
}

function fieldById(object: ObjectDef, id: string | undefined): FieldDef {
  const field = object.fields.find((candidate) => candidate.id === id);
  if (!field) throw new Error(`schema step refers to unknown field id '${id}'`);
  return field;
}

/** Clears reference values that are not ids of the referenced object (before adding the foreign key). */
async function clearDanglingReferences(trx: Executor, object: ObjectDef, field: FieldDef): Promise<void> {
  if (!isReferenceField(field)) return;
  const table = sql.id(tableName(object.name));
  const column = sql.id(field.name);
  await sql`update ${table} set ${column} = null where ${column} is not null and not exists (
    select 1 from ${sql.id(tableName(field.reference))} parent where parent.id = ${table}.${column})`.execute(trx);
}

export async function applySchemaPlan(
  trx: Executor,
  dialect: DataDialect,
  current: ObjectDef | null,
  next: ObjectDef,
  plan: SchemaPlan,
  tracker: StepTracker,
): Promise<void> {
  const table = tableName(next.name);
  if (current === null) {
    for (const step of plan.steps) {
      tracker.current = step;
      if (step.kind === "create_table") await createTableSql(table, next, dialect, notNullOnCreate).execute(trx);
      else if (step.kind === "add_index" && step.index) await createIndexSql(table, step.index).execute(trx);
    }
    return;
  }
  if (dialect === "sqlite") {
    if (await sqliteNeedsRebuild(trx, current, plan)) await rebuildSqliteTable(trx, current, next, plan, tracker);
    else await applyInPlace(trx, dialect, current, next, plan, tracker);
    const violations = await sql`pragma foreign_key_check`.execute(trx);
    if (violations.rows.length > 0) throw new Error(`foreign key check failed after changing ${table}`);
    return;
  }
  await applyInPlace(trx, dialect, current, next, plan, tracker);
}

/** Steps that ALTER TABLE can do on both dialects (and every step on PostgreSQL). */
async function applyInPlace(
  trx: Executor,
  dialect: DataDialect,
  current: ObjectDef,
  next: ObjectDef,
  plan: SchemaPlan,
  tracker: StepTracker,
): Promise<void> {
  const table = sql.id(tableName(next.name));
  const addedIds = new Set(plan.steps.filter((s) => s.kind === "add_column").map((s) => s.fieldId));
  const droppedFkIds = new Set(plan.steps.filter((s) => s.kind === "drop_foreign_key").map((s) => s.fieldId));
  for (const step of plan.steps) {
    tracker.current = step;
    switch (step.kind) {
      case "drop_index":
        await sql`drop index if exists ${sql.id(step.index!.name)}`.execute(trx);
        break;
      case "drop_foreign_key": {
        // PostgreSQL only (SQLite rebuilds): runs before renames, so the constraint still has the old name.
        await sql`alter table ${table} drop constraint if exists ${sql.id(foreignKeyName(next.name, step.field!))}`.execute(trx);
        break;
      }
      case "rename_column": {
        await sql`alter table ${table} rename column ${sql.id(step.previousField!)} to ${sql.id(step.field!)}`.execute(trx);
        const before = fieldById(current, step.fieldId);
        // Keep the foreign key's name in step with the column's, so later steps can find it.
        if (dialect === "postgres" && isReferenceField(before) && !droppedFkIds.has(step.fieldId)) {
          await sql`alter table ${table} rename constraint ${sql.id(foreignKeyName(next.name, before.name))} to ${sql.id(foreignKeyName(next.name, step.field!))}`.execute(trx);
        }
        break;
      }
      case "drop_column":
        await sql`alter table ${table} drop column ${sql.id(step.field!)}`.execute(trx);
        break;
      case "change_type": {
        const before = fieldById(current, step.fieldId);
        const after = fieldById(next, step.fieldId);
        const column = sql.id(after.name);
        const safe = classifyTypeChange(before, after)?.safe ?? true;
        // A lossy conversion may produce NULLs; required is then enforced by validation, not the column.
        if (!safe) await sql`alter table ${table} alter column ${column} drop not null`.execute(trx);
        // Same column type and the same stored representation (e.g. text -> email): nothing to rewrite.
        const sameStorage = storageKindOf(before.type) === storageKindOf(after.type) && columnSqlType(before, dialect) === columnSqlType(after, dialect);
        if (safe && sameStorage) break;
        const type = sql.raw(columnSqlType(after, dialect));
        await sql`alter table ${table} alter column ${column} type ${type} using ${conversionSql(sql.ref(after.name), before, after, dialect)}`.execute(trx);
        break;
      }
      case "drop_not_null":
        if (dialect === "postgres") await sql`alter table ${table} alter column ${sql.id(step.field!)} drop not null`.execute(trx);
        break;
      case "add_column": {
        const field = fieldById(next, step.fieldId);
        // Existing rows get NULL, so the column is nullable even when the field is required.
        await sql`alter table ${table} add column ${columnDefinition(next, field, dialect, false)}`.execute(trx);
        break;
      }
      case "add_foreign_key": {
        if (addedIds.has(step.fieldId)) break; // declared inline by add_column
        const field = fieldById(next, step.fieldId);
        if (!isReferenceField(field)) break;
        await clearDanglingReferences(trx, next, field);
        const action = sql.raw(field.type === "master_detail" ? "cascade" : "set null");
        await sql`alter table ${table} add constraint ${sql.id(foreignKeyName(next.name, field.name))} foreign key (${sql.id(field.name)}) references ${sql.id(tableName(field.reference))} (id) on delete ${action}`.execute(trx);
        break;
      }
      case "add_index":
        await createIndexSql(tableName(next.name), step.index!).execute(trx);
        break;
      case "create_table":
        break;
    }
  }
}

type SqliteColumnInfo = { name: string; notnull: number };

async function sqliteColumns(trx: Executor, table: string): Promise<Map<string, SqliteColumnInfo>> {
  const result = await sql<SqliteColumnInfo>`select name, "notnull" from pragma_table_info(${table})`.execute(trx);
  return new Map(result.rows.map((row) => [row.name, row]));
}

/**
 * SQLite's ALTER TABLE cannot change a column's type, add a foreign key to an existing column,
 * drop NOT NULL, or drop a column that has a foreign key; those need the documented table
 * rebuild (https://sqlite.org/lang_altertable.html#otheralter).
 */
async function sqliteNeedsRebuild(trx: Executor, current: ObjectDef, plan: SchemaPlan): Promise<boolean> {
  const addedIds = new Set(plan.steps.filter((s) => s.kind === "add_column").map((s) => s.fieldId));
  const columns = await sqliteColumns(trx, tableName(current.name));
  return plan.steps.some((step) => {
    switch (step.kind) {
      case "change_type":
      case "drop_foreign_key":
        return true;
      case "add_foreign_key":
        return !addedIds.has(step.fieldId);
      case "drop_not_null": {
        const before = fieldById(current, step.fieldId);
        return columns.get(before.name)?.notnull === 1;
      }
      case "drop_column":
        return isReferenceField(fieldById(current, step.fieldId));
      default:
        return false;
    }
  });
}

/**
 * The 12-step rebuild: create the new table, copy (converting values), drop the old, rename.
 * The caller has turned foreign key enforcement off for the transaction (dropping a parent
 * table with it on would cascade into children) and a foreign_key_check runs afterwards.
 */
async function rebuildSqliteTable(
  trx: Executor,
  current: ObjectDef,
  next: ObjectDef,
  plan: SchemaPlan,
  tracker: StepTracker,
): Promise<void> {
  tracker.current = plan.steps.find((step) => step.kind === "change_type" || step.kind === "add_foreign_key") ?? plan.steps[0];
  const table = tableName(next.name);
  const temporary = `${table}__rebuild`;
  const existing = await sqliteColumns(trx, table);
  const currentById = new Map(current.fields.map((field) => [field.id, field]));
  const droppedNotNull = new Set(plan.steps.filter((s) => s.kind === "drop_not_null").map((s) => s.fieldId));

  // Existing columns keep their NOT NULL unless the type changes or the field became optional;
  // new columns are nullable because existing rows have no value for them.
  const notNull = (field: FieldDef): boolean => {
    const before = currentById.get(field.id);
    if (!before || droppedNotNull.has(field.id) || classifyTypeChange(before, field)?.safe === false) return false;
    if (field.type === "lookup") return false;
    return existing.get(before.name)?.notnull === 1;
  };
  await createTableSql(temporary, next, "sqlite", notNull).execute(trx);

  const targetColumns = [sql.id("id"), sql.id("created_at"), sql.id("updated_at"), sql.id("created_by"), sql.id("updated_by"), sql.id("owner_id")];
  const sourceValues: RawBuilder<unknown>[] = [...targetColumns];
  for (const field of next.fields) {
    const before = currentById.get(field.id);
    if (!before) continue;
    const column = sql.ref(`source.${before.name}`);
    let value = classifyTypeChange(before, field) ? conversionSql(column, before, field, "sqlite") : column;
    const referenceChanged =
      isReferenceField(field) && (!isReferenceField(before) || before.reference !== field.reference);
    if (referenceChanged) {
      value = sql`(case when exists (select 1 from ${sql.id(tableName(field.reference))} parent where parent.id = ${value}) then ${value} end)`;
    }
    targetColumns.push(sql.id(field.name));
    sourceValues.push(value);
  }
  await sql`insert into ${sql.id(temporary)} (${sql.join(targetColumns)}) select ${sql.join(sourceValues)} from ${sql.id(table)} source`.execute(trx);
  await sql`drop table ${sql.id(table)}`.execute(trx);
  await sql`alter table ${sql.id(temporary)} rename to ${sql.id(table)}`.execute(trx);
  for (const index of desiredIndexes(next).values()) {
    tracker.current = plan.steps.find((step) => step.kind === "add_index" && step.index?.name === index.name) ?? tracker.current;
    await createIndexSql(table, index).execute(trx);
  }
}
