import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { RECORD_SHARE_TABLE } from "@/server/objectql/schema/applied-schema-store";
import { compileFilter } from "@/server/objectql/query/filter-compiler";
import { checkFormula } from "@/formula/type-checker";
import { tableName } from "@/server/objectql/schema/sql-names";
import type { FieldDef, ObjectDef } from "@/spec/object";
import type { FieldAccess } from "@/spec/security";
import { visibleFields, type ObjectPermissions, type Operation, type UserAccess } from "./access";

/**
 * A user's access as the query engine uses it: object definitions as the user sees them
 * (hidden fields removed), and row predicates compiled to SQL over a table alias. The engine
 * ANDs the read predicate into every statement's WHERE (find, count, aggregate, expand) and
 * into the ON of every join through a lookup, so a record the user cannot see contributes
 * nothing: no row, no group, no name behind a lookup, no value through a dotted path.
 */
export interface RecordSecurity {
  /** Identifies the access in caches of compiled statements. */
  readonly key: string;
  readonly userId: string;
  permissions(object: string): ObjectPermissions;
  fieldAccess(object: ObjectDef, field: string): FieldAccess;
  /** The object as the user sees it (`undefined` when it does not exist). */
  visibleObject(name: string): ObjectDef | undefined;
  /** Rows of `object` (by name) under `alias` the user reaches for `operation`; null = all rows. */
  rowPredicate(object: string, alias: string, operation: Operation): RawBuilder<SqlBool> | null;
}

/** Masked definitions shared by every user with the same hidden fields (so compiled-plan caches keyed by definition are shared too). */
const maskedDefinitions = new WeakMap<ObjectDef, Map<string, ObjectDef>>();

/** How deep controlled-by-parent chains are followed (master -> detail -> detail ...). */
const MAX_PARENT_DEPTH = 5;

function rollupReadsHidden(field: Extract<FieldDef, { type: "rollup" }>, visible: (name: string) => ObjectDef | undefined): boolean {
  const child = visible(field.childObject);
  if (!child) return true;
  const names = new Set(child.fields.map((candidate) => candidate.name));
  return !names.has(field.childField) || (field.field !== undefined && !names.has(field.field));
}

export function recordSecurity(access: UserAccess, objects: (name: string) => ObjectDef | undefined, dialect: DataDialect, now: () => Date): RecordSecurity {
  const views = new Map<string, ObjectDef | undefined>();

  function visibleObject(name: string): ObjectDef | undefined {
    if (views.has(name)) return views.get(name);
    const object = objects(name);
    if (!object) return undefined;
    const canRead = access.permissions(name).read;
    const readable = (field: FieldDef) => canRead && access.fieldAccess(object, field.name) !== "none";
    // Provisional entry first: formulas looking at this object again resolve against it.
    views.set(name, visibleFields(object, readable, () => false));
    let view = visibleFields(object, readable, (field, hiddenNames) => {
      if (field.type === "rollup") return rollupReadsHidden(field, visibleObject);
      if (field.type !== "formula") return false;
      const provisional = { ...object, fields: object.fields.filter((candidate) => !hiddenNames.has(candidate.name)) };
      try {
        checkFormula(field.expression, provisional, (other) => (other === name ? provisional : visibleObject(other)), field);
        return false;
      } catch {
        return true;
      }
    });
    // Keyed by every field the user ends up without, computed ones included: users who see the
    // same fields here but not elsewhere (a roll-up's child field) must not share a definition.
    const kept = new Set(view.fields.map((field) => field.name));
    const signature = object.fields.filter((field) => !kept.has(field.name)).map((field) => field.name).join(",");
    let perObject = maskedDefinitions.get(object);
    const shared = perObject?.get(signature);
    if (shared) {
      view = shared;
    } else {
      if (!perObject) maskedDefinitions.set(object, (perObject = new Map()));
      perObject.set(signature, view);
    }
    views.set(name, view);
    return view;
  }

  function rowPredicate(name: string, alias: string, operation: Operation, depth = 0): RawBuilder<SqlBool> | null {
    const object = objects(name);
    if (!object) return sql<SqlBool>`1 = 0`;
    if (!access.permissions(name).read) return sql<SqlBool>`1 = 0`;
    const scope = access.rowScope(object, operation);
    if (scope.kind === "all") return null;
    if (scope.parent) {
      if (depth >= MAX_PARENT_DEPTH) return sql<SqlBool>`1 = 0`;
      const parentAlias = `${alias}_p`;
      const parent = rowPredicate(scope.parent.object, parentAlias, operation === "delete" ? "edit" : operation, depth + 1);
      if (!parent) return null;
      return sql<SqlBool>`${sql.ref(`${alias}.${scope.parent.field}`)} in (select ${sql.ref(`${parentAlias}.id`)} from ${sql.table(tableName(scope.parent.object))} as ${sql.id(parentAlias)} where ${parent})`;
    }
    const parts: RawBuilder<SqlBool>[] = [];
    if (scope.owners.length > 0) parts.push(sql<SqlBool>`${sql.ref(`${alias}.owner_id`)} in (${sql.join(scope.owners)})`);
    for (const rule of scope.rules) {
      parts.push(compileFilter({ object, dialect, alias, now: now() }, rule.criteria, ["sharingRules", rule.name, "criteria"]));
    }
    if (scope.principals.length > 0) {
      const share = `${alias}_s`;
      const level = operation === "read" ? sql`` : sql` and ${sql.ref(`${share}.access`)} = 'edit'`;
      // Uncorrelated on purpose: the database reads the user's shares once (a hashed subquery),
      // not once per candidate row as a correlated EXISTS would.
      parts.push(sql<SqlBool>`${sql.ref(`${alias}.id`)} in (select ${sql.ref(`${share}.record_id`)} from ${sql.table(RECORD_SHARE_TABLE)} as ${sql.id(share)} where ${sql.ref(`${share}.object`)} = ${name} and ${sql.ref(`${share}.principal`)} in (${sql.join(scope.principals)})${level})`);
    }
    if (parts.length === 0) return sql<SqlBool>`1 = 0`;
    return parts.length === 1 ? parts[0] : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
  }

  return {
    key: access.key,
    userId: access.userId,
    permissions: (object) => access.permissions(object),
    fieldAccess: (object, field) => access.fieldAccess(object, field),
    visibleObject,
    rowPredicate: (object, alias, operation) => rowPredicate(object, alias, operation),
  };
}
