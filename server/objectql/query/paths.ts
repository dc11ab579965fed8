import { sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isComputedField, isReferenceField, nameFieldOf, type FieldDef, type ObjectDef } from "@/spec/object";
import { MAX_PATH_DEPTH } from "@/spec/query";
import { ObjectQLError } from "../errors";
import { computedFieldSql, computedValueField } from "../formula/computed-fields";
import { resolveField } from "./field-resolution";
import { tableName } from "../schema/sql-names";

/**
 * Dotted field paths through lookups (`assignee.department.name`) for one query: each path
 * resolves to a column of a LEFT JOINed table; a path prefix is joined once and its alias is
 * reused by every path that shares it. Only names that resolve against metadata become identifiers.
 */

export type ResolvedPath = {
  /** The path as written. */
  path: string;
  /** The field at the end of the path. */
  field: FieldDef;
  system: boolean;
  dotted: boolean;
  /** The column holding the value (for a lookup: the referenced id). */
  column: RawBuilder<unknown>;
  /** For a lookup: the object it refers to (when published). */
  target?: ObjectDef;
};

type Join = { alias: string; table: string; parentAlias: string; column: string };

function bad(message: string, path: (string | number)[]): ObjectQLError {
  return new ObjectQLError("BAD_REQUEST", message, { path, issues: [{ path, message }] });
}

export class JoinPlanner {
  private readonly joins = new Map<string, Join & { object: ObjectDef }>();
  /** Needed to compile computed fields (formula/computed-fields.ts); set by whoever creates the planner. */
  computed?: { dialect: DataDialect; now?: Date };
  /** An extra ON condition for the join to a referenced object's table (row-level security). */
  joinCondition?: (objectName: string, alias: string) => RawBuilder<SqlBool> | null;

  constructor(
    private readonly lookupObject: (name: string) => ObjectDef | undefined,
    readonly root: ObjectDef,
    readonly rootAlias: string,
    /** Prefix for join aliases, so nested plans (expand) never collide. */
    private readonly aliasPrefix = "j",
  ) {}

  lookupTarget(name: string): ObjectDef | undefined {
    return this.lookupObject(name);
  }

  /** The joined table of the reference `field` reached by `prefix` (the path up to and including it). */
  private joinReference(prefix: string, parentAlias: string, field: FieldDef & { reference: string }, errorPath: (string | number)[]) {
    const existing = this.joins.get(prefix);
    if (existing) return existing;
    const target = this.lookupObject(field.reference);
    if (!target) throw bad(`Field '${prefix}' refers to object '${field.reference}', which is not published`, errorPath);
    const join = { alias: `${this.aliasPrefix}${this.joins.size}`, table: tableName(target.name), parentAlias, column: field.name, object: target };
    this.joins.set(prefix, join);
    return join;
  }

  resolve(path: string, errorPath: (string | number)[]): ResolvedPath {
    const segments = path.split(".");
    if (segments.length - 1 > MAX_PATH_DEPTH) {
      throw bad(`Path '${path}' is too deep: at most ${MAX_PATH_DEPTH} lookups may be followed`, errorPath);
    }
    let object = this.root;
    let alias = this.rootAlias;
    for (let index = 0; index < segments.length - 1; index++) {
      const segment = segments[index];
      const { field } = resolveField(object, segment, errorPath);
      if (!isReferenceField(field)) {
        throw bad(
          `Path '${path}' goes through '${segment}', which is not a lookup field of object '${object.name}' (${field.type})`,
          errorPath,
        );
      }
      const join = this.joinReference(segments.slice(0, index + 1).join("."), alias, field, errorPath);
      object = join.object;
      alias = join.alias;
    }
    const last = segments[segments.length - 1];
    const { field, system } = resolveField(object, last, errorPath);
    if (isComputedField(field)) {
      // Formula / rollup: no column; the value is an SQL expression over the row of `alias`.
      if (!this.computed) throw new Error(`JoinPlanner: computed field '${path}' needs the dialect (set planner.computed)`);
      const scope = { object, alias, objects: this.lookupObject, dialect: this.computed.dialect, now: this.computed.now };
      return { path, field: computedValueField(field, this.lookupObject), system, dotted: segments.length > 1, column: computedFieldSql(field, scope) };
    }
    const resolved: ResolvedPath = { path, field, system, dotted: segments.length > 1, column: sql.ref(`${alias}.${field.name}`) };
    if (isReferenceField(field)) resolved.target = this.lookupObject(field.reference);
    return resolved;
  }

  /** The name column of the record a resolved lookup path refers to (joined on demand). */
  referenceName(resolved: ResolvedPath, errorPath: (string | number)[]): RawBuilder<unknown> {
    const field = resolved.field;
    if (!isReferenceField(field)) throw new Error(`referenceName: '${resolved.path}' is not a lookup`);
    const segments = resolved.path.split(".");
    const parentAlias = segments.length === 1 ? this.rootAlias : this.joins.get(segments.slice(0, -1).join("."))!.alias;
    const join = this.joinReference(resolved.path, parentAlias, field, errorPath);
    return sql.ref(`${join.alias}.${nameFieldOf(join.object)}`);
  }

  /** Adds the LEFT JOINs every resolved path needs (call after resolving all paths). */
  apply<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
    let result = query;
    for (const join of this.joins.values()) {
      const condition = this.joinCondition?.(join.object.name, join.alias);
      result = (result as SelectQueryBuilder<any, any, O>).leftJoin(`${join.table} as ${join.alias}`, (on) => {
        const matched = on.onRef(`${join.alias}.id`, "=", `${join.parentAlias}.${join.column}`);
        return condition ? matched.on(condition) : matched;
      }) as SelectQueryBuilder<DB, TB, O>;
    }
    return result;
  }
}
