import { sql, type Kysely } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isComputedField, type FieldDef, type ObjectDef } from "@/spec/object";
import { ObjectQLError, type ObjectQLIssue } from "../errors";
import { FormulaError } from "@/formula/errors";
import { evaluateFormula, type FormulaValue } from "@/formula/evaluator";
import { checkFormula, type ObjectLookup, type TypedNode } from "@/formula/type-checker";
import { fromColumnValue, timestampToIso } from "./codec";
import { rollupSql } from "../formula/rollup-sql";
import { tableName } from "../schema/sql-names";

/**
 * Validation rules and formula defaults, evaluated in JS (formula/evaluator.ts) on the record
 * being written, inside the write transaction: values of related records (through lookups)
 * and rollups are read through that transaction first, so a rule sees what will be committed.
 *
 * A rule's expression must hold: the write is refused when it is FALSE. NULL (unknown, e.g. a
 * blank field in `amount > 0`) passes, as in a SQL CHECK constraint; use ISBLANK() or
 * `required` to refuse blanks.
 */

type Executor = Kysely<any>;
type Leaf = Extract<TypedNode, { kind: "field" | "rollup" }>;

export type RuleContext = { executor: Executor; dialect: DataDialect; objects: ObjectLookup; now?: Date };

const typedRules = new WeakMap<object, TypedNode>();

function typedExpression(key: object, expression: string, object: ObjectDef, objects: ObjectLookup, what: string, path: (string | number)[]): TypedNode {
  const cached = typedRules.get(key);
  if (cached) return cached;
  try {
    const typed = checkFormula(expression, object, objects);
    typedRules.set(key, typed);
    return typed;
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    const message = `${what} on object '${object.name}' is invalid: ${error.message}`;
    throw new ObjectQLError("BAD_REQUEST", message, { path, issues: [{ path, message }] });
  }
}

function leavesOf(node: TypedNode, into: Leaf[] = []): Leaf[] {
  switch (node.kind) {
    case "field": case "rollup": into.push(node); break;
    case "unary": leavesOf(node.operand, into); break;
    case "binary": leavesOf(node.left, into); leavesOf(node.right, into); break;
    case "call": node.args.forEach((arg) => leavesOf(arg, into)); break;
  }
  return into;
}

function idOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && "id" in value) return String((value as { id: unknown }).id);
  return String(value);
}

function decode(field: FieldDef, raw: unknown, dialect: DataDialect): unknown {
  if (["created_at", "updated_at"].includes(field.name) && field.id.startsWith("_")) return timestampToIso(raw);
  return fromColumnValue(field, raw, dialect);
}

/** Loads the values of every leaf of `trees` for `record` (JS values of the record being written). */
async function loadLeafValues(ctx: RuleContext, record: Record<string, unknown>, trees: TypedNode[]): Promise<Map<Leaf, unknown>> {
  const rows = new Map<string, Record<string, unknown> | null>();
  async function rowOf(object: ObjectDef, id: string): Promise<Record<string, unknown> | null> {
    const key = `${object.name}\u0000${id}`;
    if (!rows.has(key)) {
      const row = await ctx.executor.selectFrom(tableName(object.name)).selectAll().where("id", "=", id).executeTakeFirst();
      rows.set(key, (row as Record<string, unknown> | undefined) ?? null);
    }
    return rows.get(key)!;
  }
  const values = new Map<Leaf, unknown>();
  for (const leaf of new Set(trees.flatMap((tree) => leavesOf(tree)))) {
    // Follow the lookups: the first step reads the record being written, the rest read rows.
    let id: string | null = leaf.steps.length === 0 ? idOf(record.id) : idOf(record[leaf.steps[0].field.name]);
    let row: Record<string, unknown> | null = null;
    for (let index = 0; index < leaf.steps.length && id !== null; index++) {
      row = await rowOf(leaf.steps[index].target, id);
      if (!row) id = null;
      else if (index + 1 < leaf.steps.length) id = idOf(row[leaf.steps[index + 1].field.name]);
    }
    if (leaf.kind === "rollup") {
      const parentId = leaf.steps.length === 0 ? id : row ? idOf(row.id) : null;
      if (parentId === null) {
        values.set(leaf, leaf.field.function === "count" || leaf.field.function === "sum" ? 0 : null);
        continue;
      }
      const expression = rollupSql(leaf.field, sql`${parentId}`, { dialect: ctx.dialect, objects: ctx.objects, depth: 1, now: ctx.now });
      const result = await sql<{ value: unknown }>`select ${expression} as value`.execute(ctx.executor);
      const value = result.rows[0]?.value;
      values.set(leaf, value instanceof Date ? value.toISOString() : value);
      continue;
    }
    if (leaf.steps.length === 0) values.set(leaf, record[leaf.field.name] ?? null);
    else values.set(leaf, id !== null && row ? decode(leaf.field, row[leaf.field.name], ctx.dialect) : null);
  }
  return values;
}

async function evaluateAll(ctx: RuleContext, record: Record<string, unknown>, trees: TypedNode[]): Promise<FormulaValue[]> {
  const values = await loadLeafValues(ctx, record, trees);
  const clock = { now: ctx.now ?? new Date() };
  return trees.map((tree) => evaluateFormula(tree, (leaf) => values.get(leaf), clock));
}

/**
 * Fills in fields that have a `defaultFormula` and no value in `values` (create only). The
 * formulas see the other values as sent, earlier defaults, and related records through lookups.
 */
export async function applyDefaultFormulas(ctx: RuleContext, object: ObjectDef, values: Record<string, unknown>): Promise<Record<string, unknown>> {
  const fields = object.fields.filter((field) => field.defaultFormula !== undefined && !isComputedField(field) && values[field.name] === undefined);
  if (fields.length === 0) return values;
  const filled = { ...values };
  // In field order, so a default may use the defaults of the fields before it.
  for (const field of fields) {
    const tree = typedExpression(field, field.defaultFormula!, object, ctx.objects, `Default formula of field '${field.name}'`, [field.name]);
    const [result] = await evaluateAll(ctx, filled, [tree]);
    if (result !== null) filled[field.name] = result;
  }
  return filled;
}

/** Evaluates the object's active validation rules on `record` (the merged record for updates); throws BAD_REQUEST listing every failed rule. */
export async function enforceValidationRules(ctx: RuleContext, object: ObjectDef, record: Record<string, unknown>): Promise<void> {
  const rules = object.validationRules.filter((rule) => rule.active);
  if (rules.length === 0) return;
  const trees = rules.map((rule, index) =>
    typedExpression(rule, rule.expression, object, ctx.objects, `Validation rule '${rule.name}'`, ["validationRules", index]),
  );
  const results = await evaluateAll(ctx, record, trees);
  const issues: ObjectQLIssue[] = [];
  rules.forEach((rule, index) => {
    if (results[index] === false) issues.push({ path: [rule.errorField ?? "_record"], message: rule.message, rule: rule.name });
  });
  if (issues.length > 0) {
    throw new ObjectQLError("BAD_REQUEST", `Invalid record for object '${object.name}': ${issues.map((issue) => issue.message).join("; ")}`, {
      path: issues[0].path,
      issues,
    });
  }
}

/** A stored row as the JS values the evaluator expects (lookups as ids). */
export function recordFromRow(object: ObjectDef, row: Record<string, unknown>, dialect: DataDialect): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id: row.id,
    created_at: timestampToIso(row.created_at),
    updated_at: timestampToIso(row.updated_at),
    created_by: row.created_by ?? null,
    updated_by: row.updated_by ?? null,
    owner_id: row.owner_id ?? null,
  };
  for (const field of object.fields) {
    if (!isComputedField(field)) record[field.name] = fromColumnValue(field, row[field.name], dialect);
  }
  return record;
}
