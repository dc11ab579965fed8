import { createHash } from "node:crypto";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { isComputedField, isReferenceField, type FieldDef, type ObjectDef } from "@/spec/object";
import { classifyTypeChange, columnSqlType, conversionSql, storageKindOf, timestampSqlType } from "./column-types";
import { ObjectQLError } from "../errors";
import { MYSQL_ACTOR_TYPE, MYSQL_ID_TYPE, mysqlNeedsIndexPrefix } from "./column-types-mysql";
import { notNullOnCreate, type SchemaPlan, type SchemaStep } from "./plan";
import type { StepTracker } from "./ddl";
import { desiredIndexes, foreignKeyName, tableName, type IndexSpec } from "./sql-names";

/**
 * Schema sync on MySQL / MariaDB. MySQL DDL is not transactional: every ALTER TABLE commits
 * implicitly, so the PostgreSQL approach (all DDL in one transaction) does not exist here.
 *
 * What we guarantee instead: each ALTER TABLE statement is atomic on its own (InnoDB either
 * applies it completely or leaves the table as it was), and every step records how to undo
 * itself before the next one runs. Nothing destroys data until the very end:
 * - a removed field's column is first renamed to a hidden `__os_d_*` column (undo: rename back);
 * - a type change first copies the column into a hidden `__os_p_*` backup column, then changes
 *   the type and converts the values from the backup with an UPDATE (undo: restore the type and
 *   the values from the backup);
 * - indexes and foreign keys are dropped/added with their inverse recorded.
 * If any step, or recording the new definition in `_os_object_schema`, fails, the recorded undo
 * operations run in reverse order, which leaves the table's columns, types, indexes, foreign
 * keys and data as they were (the failed sync reports "Nothing was changed"). Only after the
 * new definition is recorded are the hidden columns dropped. If an undo operation itself fails
 * (e.g. the server went away mid-sync), the error says so explicitly and names what is left.
 * Concurrent syncs of one database are serialised with GET_LOCK.
 *
 * Text columns are VARCHAR(n) / TEXT / MEDIUMTEXT by maxLength; they are only ever widened (a
 * longer maxLength, text -> textarea), never narrowed: a shorter maxLength is enforced by record
 * validation, as on PostgreSQL, instead of cutting stored values.
 */

type Executor = Kysely<any>;
type Undo = { description: string; statements: RawBuilder<unknown>[] };

/** NO PAD binary collations compare exactly like PostgreSQL (C collation) and SQLite. */
const BINARY_COLLATIONS = ["utf8mb4_0900_bin", "utf8mb4_nopad_bin", "utf8mb4_bin"];

/** The collation of object tables: binary (case-sensitive = and unique, code point order), NO PAD where the server has one. */
export async function mysqlTableCollation(executor: Executor): Promise<string> {
  const rows = await sql<{ name: string }>`select collation_name as name from information_schema.collations
    where collation_name in (${sql.join(BINARY_COLLATIONS)})`.execute(executor);
  const available = new Set(rows.rows.map((row) => row.name));
  return BINARY_COLLATIONS.find((name) => available.has(name)) ?? "utf8mb4_bin";
}

function hiddenColumn(prefix: "__os_d_" | "__os_p_", fieldId: string): string {
  return `${prefix}${createHash("sha256").update(fieldId).digest("hex").slice(0, 16)}`;
}

function fieldById(object: ObjectDef, id: string | undefined): FieldDef {
  const field = object.fields.find((candidate) => candidate.id === id);
  if (!field) throw new Error(`schema step refers to unknown field id '${id}'`);
  return field;
}

/** Fields that are stored in a column (formula and rollup fields are computed when read). */
function storedFields(object: ObjectDef): FieldDef[] {
  return object.fields.filter((field) => !isComputedField(field));
}

function columnType(object: ObjectDef, column: string): string {
  if (column === "created_at" || column === "updated_at") return timestampSqlType("mysql");
  const field = object.fields.find((candidate) => candidate.name === column);
  return field ? columnSqlType(field, "mysql") : "text";
}

function indexColumns(object: ObjectDef, index: IndexSpec): RawBuilder<unknown> {
  return sql.join(
    index.columns.map((column) =>
      // TEXT columns can only be indexed by a prefix; a unique index keeps the full value (MariaDB hashes it).
      !index.unique && mysqlNeedsIndexPrefix(columnType(object, column)) ? sql`${sql.id(column)}(255)` : sql.id(column),
    ),
  );
}

function indexDefinition(object: ObjectDef, index: IndexSpec): RawBuilder<unknown> {
  return sql`${sql.raw(index.unique ? "unique index" : "index")} ${sql.id(index.name)} (${indexColumns(object, index)})`;
}

function foreignKeyDefinition(object: ObjectDef, field: FieldDef): RawBuilder<unknown> {
  if (!isReferenceField(field)) throw new Error(`field '${field.name}' is not a reference`);
  const action = sql.raw(field.type === "master_detail" ? "cascade" : "set null");
  return sql`constraint ${sql.id(foreignKeyName(object.name, field.name))} foreign key (${sql.id(field.name)}) references ${sql.id(tableName(field.reference))} (id) on delete ${action}`;
}

function columnDefinition(field: FieldDef, notNull: boolean): RawBuilder<unknown> {
  return sql`${sql.id(field.name)} ${sql.raw(columnSqlType(field, "mysql"))}${sql.raw(notNull ? " not null" : " null")}`;
}

function createTableSql(object: ObjectDef, collation: string): RawBuilder<unknown> {
  const ts = sql.raw(timestampSqlType("mysql"));
  const fields = storedFields(object);
  const parts: RawBuilder<unknown>[] = [
    sql`id ${sql.raw(MYSQL_ID_TYPE)} not null primary key`,
    sql`created_at ${ts} not null`,
    sql`updated_at ${ts} not null`,
    sql`created_by ${sql.raw(MYSQL_ACTOR_TYPE)} null`,
    sql`updated_by ${sql.raw(MYSQL_ACTOR_TYPE)} null`,
    sql`owner_id ${sql.raw(MYSQL_ACTOR_TYPE)} null`,
    ...fields.map((field) => columnDefinition(field, notNullOnCreate(field))),
    // Indexes are declared with the table so that foreign keys use them (MySQL would add its own).
    ...[...desiredIndexes(object).values()].map((index) => indexDefinition(object, index)),
    ...fields.filter(isReferenceField).map((field) => foreignKeyDefinition(object, field)),
  ];
  return sql`create table ${sql.id(tableName(object.name))} (${sql.join(parts, sql`, `)}) engine = InnoDB default charset = utf8mb4 collate = ${sql.raw(collation)}`;
}

/**
 * Execution order on MySQL: dropping an index that a foreign key needs is refused, so indexes
 * are dropped last (after their replacements exist), except when the same name is re-created.
 * Foreign keys are added after the indexes that serve them.
 */
function mysqlStepOrder(steps: SchemaStep[]): SchemaStep[] {
  const readded = new Set(steps.filter((s) => s.kind === "add_index").map((s) => s.index!.name));
  const early = steps.filter((s) => s.kind === "drop_index" && readded.has(s.index!.name));
  const late = steps.filter((s) => s.kind === "drop_index" && !readded.has(s.index!.name));
  const of = (kind: SchemaStep["kind"]) => steps.filter((s) => s.kind === kind);
  return [
    ...of("drop_foreign_key"), ...early, ...of("rename_column"), ...of("drop_column"), ...of("change_type"),
    ...of("drop_not_null"), ...of("add_column"), ...of("add_index"), ...of("add_foreign_key"), ...late,
  ];
}

export async function applyMysqlSchemaPlan(
  executor: Executor,
  current: ObjectDef | null,
  next: ObjectDef,
  plan: SchemaPlan,
  tracker: StepTracker,
  record: () => Promise<void>,
): Promise<void> {
  const table = sql.id(tableName(next.name));
  const undo: Undo[] = [];
  const cleanup: RawBuilder<unknown>[] = [];
  const run = async (statement: RawBuilder<unknown>) => {
    await statement.execute(executor);
  };
  const alter = (...clauses: RawBuilder<unknown>[]) => sql`alter table ${table} ${sql.join(clauses, sql`, `)}`;
  /** Runs `statements`, then records `inverse` (to run in order) for a rollback. */
  const step = async (description: string, statements: RawBuilder<unknown>[], inverse: RawBuilder<unknown>[]) => {
    for (const statement of statements) await run(statement);
    undo.push({ description, statements: inverse });
  };

  try {
    if (current === null) {
      tracker.current = plan.steps[0];
      const collation = await mysqlTableCollation(executor);
      await step("create table", [createTableSql(next, collation)], [sql`drop table if exists ${table}`]);
    } else {
      const columns = await columnInfo(executor, tableName(current.name));
      const nullable = new Map([...columns].map(([name, info]) => [name, info.nullable]));
      /**
       * A field's column type as it is in the database. Text columns are only ever widened (a
       * smaller maxLength is enforced by validation, as on PostgreSQL, instead of truncating
       * data), so their real width can exceed what the field's definition alone implies.
       */
      const currentType = (field: FieldDef): string => {
        const declared = columnSqlType(field, "mysql");
        const actual = columns.get(field.name)?.type;
        return actual !== undefined && textWidth(actual) !== null && textWidth(declared) !== null ? actual : declared;
      };
      const addedIds = new Set(plan.steps.filter((s) => s.kind === "add_column").map((s) => s.fieldId));
      const droppedFkIds = new Set(plan.steps.filter((s) => s.kind === "drop_foreign_key").map((s) => s.fieldId));
      // A type change settles the column's nullability itself (see changeType).
      const changedTypeIds = new Set(plan.steps.filter((s) => s.kind === "change_type").map((s) => s.fieldId));
      const ordered = mysqlStepOrder(plan.steps);
      // Columns are widened after renames and type changes, before anything is added.
      const widenAt = ordered.findIndex((planned) => ["drop_not_null", "add_column", "add_index", "add_foreign_key"].includes(planned.kind));
      for (const [position, planned] of ordered.entries()) {
        if (position === widenAt) await widenTextColumns();
        tracker.current = planned;
        switch (planned.kind) {
          case "drop_index": {
            const index = planned.index!;
            await step(planned.description, [alter(sql`drop index ${sql.id(index.name)}`)], [alter(sql`add ${indexDefinition(current, index)}`)]);
            break;
          }
          case "drop_foreign_key": {
            const before = fieldById(current, planned.fieldId);
            await step(planned.description, [alter(sql`drop foreign key ${sql.id(foreignKeyName(next.name, before.name))}`)], [alter(sql`add ${foreignKeyDefinition(current, before)}`)]);
            break;
          }
          case "rename_column": {
            const before = fieldById(current, planned.fieldId);
            const after = fieldById(next, planned.fieldId);
            const renamed = { ...before, name: after.name } as FieldDef;
            if (isReferenceField(before) && !droppedFkIds.has(planned.fieldId)) {
              // MySQL cannot rename a constraint: the foreign key is re-created under the new column's name.
              await step(
                planned.description,
                [alter(sql`drop foreign key ${sql.id(foreignKeyName(next.name, before.name))}`, sql`rename column ${sql.id(before.name)} to ${sql.id(after.name)}`), alter(sql`add ${foreignKeyDefinition(next, renamed)}`)],
                [alter(sql`drop foreign key ${sql.id(foreignKeyName(next.name, after.name))}`, sql`rename column ${sql.id(after.name)} to ${sql.id(before.name)}`), alter(sql`add ${foreignKeyDefinition(current, before)}`)],
              );
            } else {
              await step(planned.description, [alter(sql`rename column ${sql.id(before.name)} to ${sql.id(after.name)}`)], [alter(sql`rename column ${sql.id(after.name)} to ${sql.id(before.name)}`)]);
            }
            break;
          }
          case "drop_column": {
            // Hidden until the new definition is recorded, so a rollback can bring the data back.
            const before = fieldById(current, planned.fieldId);
            const hidden = hiddenColumn("__os_d_", before.id);
            const type = sql.raw(currentType(before));
            const notNull = sql.raw(nullable.get(before.name) === false ? " not null" : " null");
            if (isReferenceField(before) && !droppedFkIds.has(planned.fieldId)) {
              await step(`${planned.description} (foreign key)`, [alter(sql`drop foreign key ${sql.id(foreignKeyName(next.name, before.name))}`)], [alter(sql`add ${foreignKeyDefinition(current, before)}`)]);
            }
            await step(
              planned.description,
              [alter(sql`change column ${sql.id(before.name)} ${sql.id(hidden)} ${type} null`)],
              [alter(sql`change column ${sql.id(hidden)} ${sql.id(before.name)} ${type}${notNull}`)],
            );
            cleanup.push(sql`drop column ${sql.id(hidden)}`);
            break;
          }
          case "change_type":
            await changeType(planned);
            break;
          case "drop_not_null": {
            const field = fieldById(next, planned.fieldId);
            if (changedTypeIds.has(planned.fieldId) || nullable.get(fieldById(current, planned.fieldId).name) !== false) break;
            const type = sql.raw(currentType(fieldById(current, planned.fieldId)));
            await step(planned.description, [alter(sql`modify column ${sql.id(field.name)} ${type} null`)], [alter(sql`modify column ${sql.id(field.name)} ${type} not null`)]);
            break;
          }
          case "add_column": {
            // Existing rows get NULL, so the column is nullable even when the field is required.
            const field = fieldById(next, planned.fieldId);
            await step(planned.description, [alter(sql`add column ${columnDefinition(field, false)}`)], [alter(sql`drop column ${sql.id(field.name)}`)]);
            break;
          }
          case "add_index": {
            const index = planned.index!;
            await step(planned.description, [alter(sql`add ${indexDefinition(next, index)}`)], [alter(sql`drop index ${sql.id(index.name)}`)]);
            break;
          }
          case "add_foreign_key": {
            const field = fieldById(next, planned.fieldId);
            if (!isReferenceField(field)) break;
            const statements: RawBuilder<unknown>[] = [];
            if (!addedIds.has(planned.fieldId)) {
              // Values that are not ids of the target are cleared first (a type change keeps a backup of them).
              // The derived table is materialised (distinct), so a self-reference is not "the table being updated".
              const column = sql.id(field.name);
              statements.push(sql`update ${table} set ${column} = null where ${column} is not null and ${column} not in (
                select id from (select distinct id from ${sql.id(tableName(field.reference))}) as ids)`);
            }
            statements.push(alter(sql`add ${foreignKeyDefinition(next, field)}`));
            await step(planned.description, statements, [alter(sql`drop foreign key ${sql.id(foreignKeyName(next.name, field.name))}`)]);
            break;
          }
          case "create_table":
            break;
        }
      }
      if (widenAt === -1) await widenTextColumns();

      /**
       * A longer maxLength changes no field type, so the plan has no step for it; on MySQL the
       * VARCHAR must grow (or become TEXT) for longer values to fit.
       */
      async function widenTextColumns(): Promise<void> {
        for (const after of storedFields(next)) {
          const before = current!.fields.find((field) => field.id === after.id);
          if (!before || changedTypeIds.has(after.id)) continue;
          const from = currentType(before);
          const to = columnSqlType(after, "mysql");
          if ((textWidth(to) ?? 0) <= (textWidth(from) ?? Infinity)) continue;
          tracker.current = { kind: "change_type", field: after.name, fieldId: after.id, description: `Widen the column of field '${after.name}' to ${to}`, destructive: false };
          const notNull = sql.raw(nullable.get(before.name) === false ? " not null" : " null");
          await step(tracker.current.description, [alter(sql`modify column ${sql.id(after.name)} ${sql.raw(to)}${notNull}`)], [alter(sql`modify column ${sql.id(after.name)} ${sql.raw(from)}${notNull}`)]);
        }
      }

      /** Type change through a backup column: nothing is lost until the backup is dropped at the end. */
      async function changeType(planned: SchemaStep): Promise<void> {
        const before = fieldById(current!, planned.fieldId);
        const after = fieldById(next, planned.fieldId);
        const change = classifyTypeChange(before, after);
        const oldTypeName = currentType(before);
        const oldType = sql.raw(oldTypeName);
        let newType = sql.raw(columnSqlType(after, "mysql"));
        const column = sql.id(after.name);
        const wasNotNull = nullable.get(before.name) === false;
        // A safe change keeps NOT NULL; a lossy one may produce NULLs (required is then enforced by validation).
        const staysNotNull = wasNotNull && (change?.safe ?? true) && notNullOnCreate(after);
        const safe = change?.safe ?? true;
        const bothText = storageKindOf(before.type) === "text" && storageKindOf(after.type) === "text";
        if (safe && (bothText || (storageKindOf(before.type) === storageKindOf(after.type) && oldTypeName === columnSqlType(after, "mysql")))) {
          // Same values either way: only widen a text column (never narrow it: no data is cut).
          const widen = bothText && (textWidth(columnSqlType(after, "mysql")) ?? 0) > (textWidth(oldTypeName) ?? Infinity);
          if (!widen) newType = oldType;
          if (widen || wasNotNull !== staysNotNull) {
            const finalNull = sql.raw(staysNotNull ? " not null" : " null");
            const originalNull = sql.raw(wasNotNull ? " not null" : " null");
            await step(planned.description, [alter(sql`modify column ${column} ${newType}${finalNull}`)], [alter(sql`modify column ${column} ${oldType}${originalNull}`)]);
          }
          return;
        }
        const backup = sql.id(hiddenColumn("__os_p_", after.id));
        await step(
          `${planned.description} (backup)`,
          [alter(sql`add column ${backup} ${oldType} null`, sql`modify column ${column} ${oldType} null`), sql`update ${table} set ${backup} = ${column}, ${column} = null`],
          [sql`update ${table} set ${column} = ${backup}`, alter(sql`modify column ${column} ${oldType}${sql.raw(wasNotNull ? " not null" : " null")}`, sql`drop column ${backup}`)],
        );
        cleanup.push(sql`drop column ${backup}`);
        await step(planned.description, [alter(sql`modify column ${column} ${newType} null`)], [sql`update ${table} set ${column} = null`, alter(sql`modify column ${column} ${oldType} null`)]);
        await run(sql`update ${table} set ${column} = ${conversionSql(backup, before, after, "mysql")}`);
        if (staysNotNull) {
          await step(planned.description, [alter(sql`modify column ${column} ${newType} not null`)], [alter(sql`modify column ${column} ${newType} null`)]);
        }
      }
    }
    tracker.current = undefined;
    await record();
  } catch (error) {
    const failed = await rollBack(executor, undo);
    if (failed.length > 0) {
      throw new ObjectQLError(
        "CONFLICT",
        `Schema change of object '${next.name}' failed (${error instanceof Error ? error.message : String(error)}) and could not be fully undone: ` +
          `${failed.join("; ")}. The table ${tableName(next.name)} may be partly changed; fix the cause and publish again.`,
        { cause: error },
      );
    }
    throw error;
  }
  if (cleanup.length > 0) {
    try {
      await run(alter(...cleanup));
    } catch (error) {
      // The new definition is recorded and in effect; leftover hidden columns are nullable and unused.
      console.warn(`schema sync: could not drop hidden columns of ${tableName(next.name)}:`, error instanceof Error ? error.message : error);
    }
  }
}

async function rollBack(executor: Executor, undo: Undo[]): Promise<string[]> {
  const failed: string[] = [];
  for (const entry of [...undo].reverse()) {
    for (const statement of entry.statements) {
      try {
        await statement.execute(executor);
      } catch (error) {
        failed.push(`undoing "${entry.description}": ${error instanceof Error ? error.message : String(error)}`);
        break;
      }
    }
  }
  return failed;
}

/**
 * Each column of `table` as the database has it: nullable (columns added later are, whatever the
 * field says) and its type, lowercased (e.g. "varchar(255)", "text").
 */
async function columnInfo(executor: Executor, table: string): Promise<Map<string, { nullable: boolean; type: string }>> {
  const result = await sql<{ name: string; nullable: string; type: string }>`select column_name as name, is_nullable as nullable, column_type as type
    from information_schema.columns where table_schema = database() and table_name = ${table}`.execute(executor);
  return new Map(result.rows.map((row) => [row.name, { nullable: row.nullable === "YES", type: String(row.type).toLowerCase() }]));
}

/** Characters a text column type holds (utf8mb4), or null for a type that is not text. */
function textWidth(type: string): number | null {
  const varchar = /^varchar\((\d+)\)$/.exec(type);
  if (varchar) return Number(varchar[1]);
  switch (type) {
    case "tinytext": return 63;
    case "text": return 16_383;
    case "mediumtext": return 4_194_303;
    case "longtext": return 1_073_741_823;
    default: return null;
  }
}
