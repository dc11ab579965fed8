import "server-only";
import { sql, type Kysely } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { isReferenceField, objectSchema, type ObjectDef } from "@/spec/object";
import {
  APPLIED_SCHEMA_TABLE,
  ensureMetaTables,
  loadAppliedObjects,
  readAppliedObject,
  readAppliedObjectNames,
  writeAppliedObject,
} from "./applied-schema-store";
import { describeDatabaseError } from "../records/db-errors";
import { ObjectQLError, isObjectQLError } from "../errors";
import { applySchemaPlan, type StepTracker } from "./ddl";
import { applyMysqlSchemaPlan } from "./ddl-mysql";
import { planSchemaSync, storedObject, type SchemaPlan, type SchemaStep } from "./plan";
import { refreshStatisticsLater } from "./statistics";

/**
 * Schema sync: makes an object's table match its published definition. Plans the change
 * against the definition recorded in `_os_object_schema`, refuses destructive steps unless
 * confirmed, and applies the DDL and the new recorded definition in one transaction.
 */

export { planSchemaSync, loadAppliedObjects };
export type { SchemaPlan, SchemaStep };
export type { SchemaStepKind } from "./plan";

export type SyncObjectSchemaOptions = {
  /** The objects as they will be after publishing (used to check references). */
  allObjects: ObjectDef[];
  /** Apply steps that may lose data. Without it such a plan is refused. */
  confirmDestructive?: boolean;
  /** Who publishes (kept for the audit trail of a later issue). */
  userId?: string;
};

type Executor = Kysely<any>;

/**
 * Runs `work` in one transaction. On SQLite, foreign key enforcement is switched off around the
 * transaction (the pragma is a no-op inside one), as the table-rebuild procedure requires;
 * the rebuild checks foreign keys itself before commit. The SQLite dialect has one connection,
 * so nothing else runs while enforcement is off.
 */
async function inSchemaTransaction<T>(db: DataDatabase, work: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.dialect === "mysql") {
    // MySQL DDL commits implicitly, so there is no transaction to run in (schema/ddl-mysql.ts
    // undoes a failed sync step by step instead). A named lock serialises publishes per database.
    return db.kysely.connection().execute(async (connection) => {
      const lock = await sql<{ acquired: number | null }>`select get_lock(concat('objectstudio_schema_sync:', database()), 60) as acquired`.execute(connection);
      if (Number(lock.rows[0]?.acquired) !== 1) throw new Error("timed out waiting for another schema change to finish");
      try {
        return await work(connection);
      } finally {
        await sql`select release_lock(concat('objectstudio_schema_sync:', database()))`.execute(connection);
      }
    });
  }
  if (db.dialect === "postgres") {
    return db.kysely.transaction().execute(async (trx) => {
      // Serialises concurrent publishes so each plans against the definition really applied.
      await sql`lock table ${sql.id(APPLIED_SCHEMA_TABLE)} in share row exclusive mode`.execute(trx);
      return work(trx);
    });
  }
  return db.kysely.connection().execute(async (connection) => {
    await sql`pragma foreign_keys = off`.execute(connection);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await sql`pragma foreign_keys = on`.execute(connection);
    }
  });
}

function destructiveMessage(plan: SchemaPlan): string {
  const lines = plan.destructive.map((step) => `- ${step.description}${step.reason ? `: ${step.reason}` : ""}`);
  return (
    `Publishing object '${plan.object}' would lose data:\n${lines.join("\n")}\n` +
    "Nothing was changed. Confirm the destructive changes to apply them."
  );
}

function parseObject(input: ObjectDef): ObjectDef {
  const parsed = objectSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== "symbol"),
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path.join(".") || "object"}: ${issue.message}`).join("; ");
  throw new ObjectQLError("BAD_REQUEST", `Invalid object definition: ${summary}`, { path: issues[0]?.path, issues });
}

export async function syncObjectSchema(
  db: DataDatabase,
  next: ObjectDef,
  opts: SyncObjectSchemaOptions,
): Promise<SchemaPlan> {
  const object = parseObject(next);
  if (object.source) {
    throw new ObjectQLError(
      "BAD_REQUEST",
      `Object '${object.name}' reads table '${object.source.table}' of data source '${object.source.datasource}': external tables are not created or changed by publishing`,
      { path: ["source"] },
    );
  }
  const allObjects = [...opts.allObjects.filter((candidate) => candidate.name !== object.name), object];
  await ensureMetaTables(db);
  const tracker: StepTracker = {};
  try {
    const synced = await inSchemaTransaction(db, async (trx) => {
      const current = await readAppliedObject(trx, object.name);
      const plan = planSchemaSync(current, object, allObjects);
      if (plan.destructive.length > 0 && !opts.confirmDestructive) {
        throw new ObjectQLError("PRECONDITION_FAILED", destructiveMessage(plan), {
          issues: plan.destructive.map((step) => ({ path: ["fields", step.field ?? ""], message: step.description })),
        });
      }
      // Foreign keys need the referenced table to exist now, not merely after publishing.
      const applied = await readAppliedObjectNames(trx);
      const missing = object.fields.filter(
        (field) => isReferenceField(field) && field.reference !== object.name && !applied.has(field.reference),
      );
      if (missing.length > 0) {
        const list = missing.map((field) => `'${isReferenceField(field) ? field.reference : ""}' (field '${field.name}')`);
        throw new ObjectQLError(
          "PRECONDITION_FAILED",
          `Object '${object.name}' references object(s) not published yet: ${list.join(", ")}. Publish those first.`,
        );
      }
      if (db.dialect === "mysql") {
        await applyMysqlSchemaPlan(trx, current, object, plan, tracker, () => writeAppliedObject(trx, db.dialect, object));
        return plan;
      }
      // Computed fields have no column: the DDL sees only stored fields; the recorded definition keeps all.
      await applySchemaPlan(trx, db.dialect, current && storedObject(current), storedObject(object), plan, tracker);
      await writeAppliedObject(trx, db.dialect, object);
      return plan;
    });
    // New indexes and columns: SQLite's statistics follow (PostgreSQL keeps its own per column).
    if (db.dialect === "sqlite" && synced.steps.length > 0) await refreshStatisticsLater(db);
    return synced;
  } catch (error) {
    if (isObjectQLError(error)) throw error;
    const step = tracker.current;
    const detail = describeDatabaseError(error);
    if (step?.kind === "add_index" && step.index?.unique && detail.kind === "unique") {
      throw new ObjectQLError(
        "CONFLICT",
        `Cannot make ${step.index.columns.map((c) => `'${c}'`).join(", ")} unique on object '${object.name}': existing records have duplicate values. Nothing was changed.`,
        { path: ["fields", step.index.columns[0]], cause: error },
      );
    }
    throw new ObjectQLError(
      "CONFLICT",
      `Schema change of object '${object.name}' failed${step ? ` at "${step.description}"` : ""}: ${detail.message}. Nothing was changed.`,
      { cause: error },
    );
  }
}
