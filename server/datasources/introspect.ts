import "server-only";
import { sql } from "kysely";
import { SYSTEM_FIELD_NAMES, isIdentifier } from "@/spec/identifier";
import { objectSchema, type FieldInput, type FieldType, type ObjectDef } from "@/spec/object";
import type { DatasourceConnection } from "./datasource-connection";

/**
 * Reads an external database's catalogue (information_schema on PostgreSQL and MySQL,
 * sqlite_master + pragmas on SQLite) and turns every table with a single-column primary key into
 * an object definition draft: column types become field types, single-column foreign keys to
 * such tables become lookups, names become valid identifiers with the original table and column
 * names kept in the object's `source`. What cannot be mapped is listed, not silently dropped.
 */

export type ExternalColumn = {
  name: string;
  /** The database's type name, lowercased (e.g. "character varying", "tinyint(1)", "INTEGER"). */
  type: string;
  maxLength: number | null;
  scale: number | null;
  nullable: boolean;
};
export type ExternalForeignKey = { constraint: string; column: string; referencedTable: string; referencedColumn: string };
export type ExternalTable = { name: string; columns: ExternalColumn[]; primaryKey: string[]; foreignKeys: ExternalForeignKey[] };

export type IntrospectionResult = {
  tables: ExternalTable[];
  /** Object drafts, one per mappable table (validated with spec/object.ts). */
  objects: ObjectDef[];
  /** Tables and columns that were left out, and why. */
  skipped: { table: string; column?: string; reason: string }[];
};

type Row = Record<string, unknown>;
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

async function readPostgres(connection: DatasourceConnection): Promise<ExternalTable[]> {
  const schema = connection.datasource.schema ?? "public";
  const db = connection.kysely;
  const columns = await sql<Row>`select c.table_name, c.column_name, c.data_type, c.character_maximum_length, c.numeric_scale, c.is_nullable
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = ${schema} order by c.table_name, c.ordinal_position`.execute(db);
  const keys = await sql<Row>`select tc.table_name, tc.constraint_type, tc.constraint_name, kcu.column_name, ccu.table_name as referenced_table, ccu.column_name as referenced_column
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name and kcu.table_name = tc.table_name
    left join information_schema.constraint_column_usage ccu on tc.constraint_type = 'FOREIGN KEY' and ccu.constraint_schema = tc.constraint_schema and ccu.constraint_name = tc.constraint_name
    where tc.table_schema = ${schema} and tc.constraint_type in ('PRIMARY KEY', 'FOREIGN KEY')
    order by tc.table_name, tc.constraint_name, kcu.ordinal_position`.execute(db);
  return assemble(columns.rows, keys.rows);
}

async function readMysql(connection: DatasourceConnection): Promise<ExternalTable[]> {
  const db = connection.kysely;
  const columns = await sql<Row>`select c.table_name as table_name, c.column_name as column_name, c.column_type as data_type,
      c.character_maximum_length as character_maximum_length, c.numeric_scale as numeric_scale, c.is_nullable as is_nullable
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = database() order by c.table_name, c.ordinal_position`.execute(db);
  const keys = await sql<Row>`select k.table_name as table_name, case when k.constraint_name = 'PRIMARY' then 'PRIMARY KEY' else 'FOREIGN KEY' end as constraint_type,
      k.constraint_name as constraint_name, k.column_name as column_name, k.referenced_table_name as referenced_table, k.referenced_column_name as referenced_column
    from information_schema.key_column_usage k
    where k.table_schema = database() and (k.constraint_name = 'PRIMARY' or k.referenced_table_name is not null)
    order by k.table_name, k.constraint_name, k.ordinal_position`.execute(db);
  return assemble(columns.rows, keys.rows);
}

async function readSqlite(connection: DatasourceConnection): Promise<ExternalTable[]> {
  const db = connection.kysely;
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`.execute(db);
  const result: ExternalTable[] = [];
  for (const { name } of tables.rows) {
    const info = await sql<{ name: string; type: string; notnull: number; pk: number }>`select name, type, "notnull", pk from pragma_table_info(${name})`.execute(db);
    const foreign = await sql<{ id: number; seq: number; table: string; from: string; to: string | null }>`select id, seq, "table", "from", "to" from pragma_foreign_key_list(${name})`.execute(db);
    const byId = new Map<number, typeof foreign.rows>();
    for (const row of foreign.rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
    result.push({
      name,
      columns: info.rows.map((column) => {
        const length = /\((\d+)(?:\s*,\s*(\d+))?\)/.exec(column.type);
        return {
          name: column.name,
          type: column.type.toLowerCase(),
          maxLength: length && /char|text|clob/i.test(column.type) ? Number(length[1]) : null,
          scale: length?.[2] !== undefined ? Number(length[2]) : null,
          nullable: column.notnull === 0,
        };
      }),
      primaryKey: info.rows.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name),
      foreignKeys: [...byId.entries()].flatMap(([id, rows]) =>
        rows.length === 1 ? [{ constraint: `fk_${id}`, column: rows[0].from, referencedTable: rows[0].table, referencedColumn: rows[0].to ?? "" }] : [],
      ),
    });
  }
  // A foreign key without a column list refers to the parent's primary key.
  for (const table of result) {
    for (const key of table.foreignKeys) {
      if (key.referencedColumn === "") key.referencedColumn = result.find((parent) => parent.name === key.referencedTable)?.primaryKey[0] ?? "";
    }
  }
  return result;
}

/** Groups information_schema rows into tables (PostgreSQL and MySQL share the row shape). */
function assemble(columnRows: Row[], keyRows: Row[]): ExternalTable[] {
  const tables = new Map<string, ExternalTable>();
  for (const row of columnRows) {
    const name = String(row.table_name);
    let table = tables.get(name);
    if (!table) tables.set(name, (table = { name, columns: [], primaryKey: [], foreignKeys: [] }));
    table.columns.push({
      name: String(row.column_name),
      type: String(row.data_type).toLowerCase(),
      maxLength: numberOrNull(row.character_maximum_length),
      scale: numberOrNull(row.numeric_scale),
      nullable: row.is_nullable === "YES",
    });
  }
  const foreignColumns = new Map<string, Row[]>();
  for (const row of keyRows) {
    const table = tables.get(String(row.table_name));
    if (!table) continue;
    if (row.constraint_type === "PRIMARY KEY") table.primaryKey.push(String(row.column_name));
    else {
      const key = `${row.table_name}\u0000${row.constraint_name}`;
      foreignColumns.set(key, [...(foreignColumns.get(key) ?? []), row]);
    }
  }
  for (const rows of foreignColumns.values()) {
    // Only single-column foreign keys become lookups.
    const columns = new Set(rows.map((row) => String(row.column_name)));
    if (columns.size !== 1) continue;
    const row = rows[0];
    tables.get(String(row.table_name))!.foreignKeys.push({
      constraint: String(row.constraint_name),
      column: String(row.column_name),
      referencedTable: text(row.referenced_table) ?? "",
      referencedColumn: text(row.referenced_column) ?? "",
    });
  }
  return [...tables.values()];
}

/** A valid, unused identifier for an external name: lowercase, '_' for anything else, never a reserved or system name. */
export function identifierFor(original: string, taken: Set<string>, fallback: string): string {
  let base = original
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/_+/g, "_");
  if (!/^[a-z]/.test(base)) base = `${fallback}_${base}`.replace(/_+$/, "");
  base = base.slice(0, 56);
  if (!isIdentifier(base) || (SYSTEM_FIELD_NAMES as readonly string[]).includes(base)) base = `${base}_${fallback}`.slice(0, 60);
  let candidate = base;
  for (let counter = 2; taken.has(candidate) || !isIdentifier(candidate); counter++) candidate = `${base.slice(0, 58)}_${counter}`;
  taken.add(candidate);
  return candidate;
}

function labelFor(original: string): string {
  const words = original.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_\-.]+/g, " ").trim();
  const label = words.length > 0 ? words[0].toUpperCase() + words.slice(1) : original;
  return label.slice(0, 120);
}

/** The field type of a column, or why it is left out. */
function fieldTypeOf(column: ExternalColumn): { type: FieldType; scale?: number; maxLength?: number } | { skip: string } {
  const type = column.type;
  if (/^(tinyint\(1\)|bool|boolean)/.test(type)) return { type: "boolean" };
  if (/^(timestamp|datetime)/.test(type)) return { type: "datetime" };
  if (/^date$/.test(type)) return { type: "date" };
  if (/^(json|jsonb)$/.test(type)) return { type: "json" };
  if (/^((tiny|small|medium|big)?int(eger)?|int[248]|(small|big)?serial|unsigned big int)\b/.test(type)) return { type: "number", scale: 0 };
  if (/^(numeric|decimal)/.test(type)) return { type: "number", scale: Math.min(column.scale ?? 2, 10) };
  if (/(real|floa|doub)/.test(type)) return { type: "number", scale: 2 };
  if (/(char|text|clob|uuid|citext|enum|set\(|^name$)/.test(type) || type === "") {
    const long = column.maxLength === null || column.maxLength > 10000 || /(^|[^a-z])(text|clob|mediumtext|longtext)$/.test(type);
    return long ? { type: "textarea", maxLength: 1_000_000 } : { type: "text", maxLength: Math.max(1, column.maxLength ?? 255) };
  }
  return { skip: `column type '${column.type}' has no field type` };
}

export async function introspect(connection: DatasourceConnection): Promise<IntrospectionResult> {
  const driver = connection.datasource.driver;
  const tables = driver === "postgres" ? await readPostgres(connection) : driver === "mysql" ? await readMysql(connection) : await readSqlite(connection);
  const skipped: IntrospectionResult["skipped"] = [];
  const mappable = tables.filter((table) => {
    if (table.primaryKey.length === 1) return true;
    skipped.push({ table: table.name, reason: table.primaryKey.length === 0 ? "no primary key" : "composite primary key" });
    return false;
  });

  const objectNames = new Set<string>();
  const objectNameOf = new Map(mappable.map((table) => [table.name, identifierFor(table.name, objectNames, "t")]));
  const objects: ObjectDef[] = [];
  for (const table of mappable) {
    const primaryKey = table.primaryKey[0];
    const fieldNames = new Set<string>();
    const columns: Record<string, string> = {};
    const fields: FieldInput[] = [];
    for (const column of table.columns) {
      if (column.name === primaryKey) continue; // read as the record's `id`
      const foreignKey = table.foreignKeys.find((key) => key.column === column.name);
      const target = foreignKey && mappable.find((parent) => parent.name === foreignKey.referencedTable);
      const base = { id: "", name: "", label: labelFor(column.name) };
      let field: FieldInput;
      if (foreignKey && target && target.primaryKey[0] === foreignKey.referencedColumn) {
        field = { ...base, type: "lookup", reference: objectNameOf.get(target.name)! };
      } else {
        const mapped = fieldTypeOf(column);
        if ("skip" in mapped) {
          skipped.push({ table: table.name, column: column.name, reason: mapped.skip });
          continue;
        }
        field = { ...base, ...mapped } as FieldInput;
      }
      const name = identifierFor(column.name, fieldNames, "c");
      field.name = name;
      field.id = name;
      if (name !== column.name) columns[name] = column.name;
      fields.push(field);
    }
    const nameField = fields.find((field) => ["name", "title", "label"].includes(field.name) && (field.type === "text" || field.type === "textarea"));
    const name = objectNameOf.get(table.name)!;
    const parsed = objectSchema.safeParse({
      name,
      label: labelFor(table.name),
      pluralLabel: labelFor(table.name),
      fields,
      ...(nameField ? { nameField: nameField.name } : {}),
      source: { datasource: connection.datasource.name, table: table.name, primaryKey, ...(Object.keys(columns).length > 0 ? { columns } : {}) },
    });
    if (parsed.success) objects.push(parsed.data);
    else skipped.push({ table: table.name, reason: `cannot be described as an object: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}` });
  }
  // Lookups only point at tables that became objects (others were skipped above).
  const known = new Set(objects.map((object) => object.name));
  return {
    tables,
    skipped,
    objects: objects.map((object) => ({
      ...object,
      fields: object.fields.filter((field) => field.type !== "lookup" || known.has(field.reference)),
    })),
  };
}
