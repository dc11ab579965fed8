import type { ObjectDef, ObjectInput } from "@/spec/object";
import { objectSchema } from "@/spec/object";
import { ObjectRegistry } from "../registry";
import { createObjectQL, type ObjectQL, type SecurityContext } from "../objectql";
import { syncObjectSchema, type SchemaPlan } from "../schema/sync";
import { sql } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { expect } from "vitest";
import { ObjectQLError } from "../errors";

/** Builds a parsed object definition (defaults applied) from a short input. */
export function defineObject(input: ObjectInput): ObjectDef {
  return objectSchema.parse(input);
}

/** The ObjectQLError a write or read must fail with (the test fails if it succeeds or throws anything else). */
export async function caught(promise: Promise<unknown>): Promise<ObjectQLError> {
  const error = await promise.then(() => { throw new Error("expected an ObjectQLError"); }, (e: unknown) => e);
  expect(error).toBeInstanceOf(ObjectQLError);
  return error as ObjectQLError;
}

export const userCtx: SecurityContext = { kind: "user", userId: "user-1", role: "admin" };
export const systemCtx: SecurityContext = { kind: "system" };

export const company = defineObject({
  name: "company",
  label: "Company",
  pluralLabel: "Companies",
  fields: [{ id: "c1", name: "title", label: "Title", type: "text", required: true }],
});

/** An object with one field of every type. */
export const everyType = defineObject({
  name: "everything",
  label: "Everything",
  pluralLabel: "Everything",
  fields: [
    { id: "f1", name: "title", label: "Title", type: "text", maxLength: 80, required: true },
    { id: "f2", name: "notes", label: "Notes", type: "textarea" },
    { id: "f3", name: "email", label: "Email", type: "email", unique: true },
    { id: "f4", name: "website", label: "Website", type: "url" },
    { id: "f5", name: "phone", label: "Phone", type: "phone" },
    { id: "f6", name: "quantity", label: "Quantity", type: "number", scale: 2, min: 0 },
    { id: "f7", name: "price", label: "Price", type: "currency", scale: 2 },
    { id: "f8", name: "discount", label: "Discount", type: "percent", scale: 1 },
    { id: "f9", name: "active", label: "Active", type: "boolean", defaultValue: true },
    { id: "f10", name: "due", label: "Due", type: "date" },
    { id: "f11", name: "seen_at", label: "Seen at", type: "datetime" },
    { id: "f12", name: "stage", label: "Stage", type: "select", options: [{ value: "new", label: "New" }, { value: "won", label: "Won" }] },
    { id: "f13", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }, { value: "c", label: "C" }] },
    { id: "f14", name: "company", label: "Company", type: "lookup", reference: "company" },
    { id: "f15", name: "parent", label: "Parent", type: "master_detail", reference: "company" },
    { id: "f16", name: "number", label: "Number", type: "autonumber", format: "EV-{0000}", startAt: 1 },
    { id: "f17", name: "data", label: "Data", type: "json" },
  ],
  indexes: [{ fields: ["stage", "due"] }, { name: "everything_by_price", fields: ["price"], unique: false }],
});

/** Schema sync + registry + engine over one database, reloading the registry after each sync. */
export class Harness {
  readonly registry: ObjectRegistry;
  readonly ql: ObjectQL;
  private readonly objects = new Map<string, ObjectDef>();

  constructor(readonly db: DataDatabase) {
    this.registry = new ObjectRegistry(db);
    this.ql = createObjectQL({ db, registry: this.registry });
  }

  async sync(object: ObjectDef, options: { confirmDestructive?: boolean } = {}): Promise<SchemaPlan> {
    const next = new Map(this.objects);
    next.set(object.name, object);
    const plan = await syncObjectSchema(this.db, object, { allObjects: [...next.values()], confirmDestructive: options.confirmDestructive, userId: "admin" });
    this.objects.set(object.name, object);
    await this.registry.reload();
    return plan;
  }

  /** Column names of a table in this test's database (PostgreSQL: only the current schema; MySQL: the current database). */
  async columns(table: string): Promise<string[]> {
    const result =
      this.db.dialect === "sqlite"
        ? await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(this.db.kysely)
        : this.db.dialect === "mysql"
          ? await sql<{ name: string }>`select column_name as name from information_schema.columns
              where table_schema = database() and table_name = ${table} order by ordinal_position`.execute(this.db.kysely)
          : await sql<{ name: string }>`select column_name as name from information_schema.columns
              where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(this.db.kysely);
    return result.rows.map((row) => row.name);
  }

  async tableExists(table: string): Promise<boolean> {
    return (await this.columns(table)).length > 0;
  }

  /** Rows of a table read directly (bypassing the engine). */
  async rawRows(table: string): Promise<Record<string, unknown>[]> {
    const result = await sql<Record<string, unknown>>`select * from ${sql.id(table)} order by created_at, id`.execute(this.db.kysely);
    return result.rows;
  }
}

/** A copy of `object` with its fields transformed. */
export function withFields(object: ObjectDef, transform: (fields: ObjectInput["fields"]) => ObjectInput["fields"]): ObjectDef {
  return defineObject({ ...object, fields: transform(object.fields) });
}
