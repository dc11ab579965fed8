import { sql, type RawBuilder } from "kysely";
import type { DataDialect } from "@/server/db/data-db";
import { isComputedField, type FieldDef, type FieldOf, type ObjectDef } from "@/spec/object";
import { ObjectQLError, type ObjectQLIssue } from "../errors";
import { rollupSql } from "./rollup-sql";
import type { ValueType } from "@/formula/ast";
import { FormulaError } from "@/formula/errors";
import { compileFormulaSql, type FormulaDialect } from "./sql-compiler";
import { checkFormula, finishFormula, rollupValueType, type ObjectLookup, type TypedNode } from "@/formula/type-checker";

/**
 * The bridge between computed fields (formula, rollup) and the query engine: the SQL of a
 * computed field for a row of a table alias (`computedFieldSql`, used wherever a column would be
 * selected, filtered or sorted), the stored-field type its value behaves as (`computedValueField`,
 * for operators and decoding), and the publish-time checks with errors naming `fields.N.expression`.
 */

export type ComputedScope = {
  object: ObjectDef;
  dialect: DataDialect;
  /** Alias of `object`'s table in the statement. */
  alias: string;
  objects: ObjectLookup;
  /** "Now" for relative dates in rollup filters. */
  now?: Date;
  depth?: number;
};

/** Typed trees per formula field definition: definitions are immutable once loaded, so parse once. */
const typedCache = new WeakMap<FieldDef, TypedNode>();

function formulaMessage(object: ObjectDef, field: FieldDef, error: FormulaError): string {
  return `Formula of field '${field.name}' on object '${object.name}': ${error.message}`;
}

/** The typed tree of a formula field (checked against the current metadata), or BAD_REQUEST. */
export function typedFormulaOf(object: ObjectDef, field: FieldOf<"formula">, objects: ObjectLookup): TypedNode {
  const cached = typedCache.get(field);
  if (cached) return cached;
  try {
    const typed = finishFormula(checkFormula(field.expression, object, objects, field), field, { offset: 0, line: 1, column: 1 });
    typedCache.set(field, typed);
    return typed;
  } catch (error) {
    if (error instanceof FormulaError) {
      const message = formulaMessage(object, field, error);
      throw new ObjectQLError("BAD_REQUEST", message, { path: [field.name], issues: [{ path: [field.name], message }] });
    }
    throw error;
  }
}

function sqlScope(scope: ComputedScope) {
  return {
    dialect: scope.dialect as FormulaDialect,
    alias: scope.alias,
    depth: scope.depth ?? 0,
    rollupSql: (node: Extract<TypedNode, { kind: "rollup" }>, parentId: RawBuilder<unknown>, depth: number) =>
      rollupSql(node.field, parentId, { dialect: scope.dialect, objects: scope.objects, depth, now: scope.now }),
  };
}

/** The SQL expression computing `field` (formula or rollup) for the row of `scope.alias`. */
export function computedFieldSql(field: FieldDef, scope: ComputedScope): RawBuilder<unknown> {
  if (field.type === "formula") return compileFormulaSql(typedFormulaOf(scope.object, field, scope.objects), sqlScope(scope));
  if (field.type === "rollup") {
    return rollupSql(field, sql.ref(`${scope.alias}.id`), { dialect: scope.dialect, objects: scope.objects, depth: (scope.depth ?? 0) + 1, now: scope.now });
  }
  throw new Error(`computedFieldSql: '${field.name}' is a stored ${field.type} field`);
}

/** A stored-field definition with the value type of a computed field (operators, decoding, sorting). */
export function computedValueField(field: FieldDef, objects: ObjectLookup): FieldDef {
  if (!isComputedField(field)) return field;
  const base = { id: field.id, name: field.name, label: field.label, required: false, unique: false };
  let type: ValueType;
  let scale = 2;
  if (field.type === "formula") {
    type = field.returnType === "currency" || field.returnType === "percent" ? "number" : field.returnType;
    scale = field.scale;
  } else {
    const result = rollupValueType(field, objects);
    type = "error" in result ? "number" : result.type;
    scale = field.function === "count" ? 0 : field.scale;
  }
  switch (type) {
    case "number": return { ...base, type: "number", scale };
    case "boolean": return { ...base, type: "boolean" };
    case "date": return { ...base, type: "date" };
    case "datetime": return { ...base, type: "datetime" };
    default: return { ...base, type: "text", maxLength: 10000 };
  }
}

/**
 * Publish-time checks of an object's formulas, rollups, formula defaults and validation rules
 * against all objects as they will be after publishing. Issues name the metadata path
 * (`fields.3.expression`, `validationRules.0.expression`) and the position in the expression.
 */
export function checkComputedMetadata(object: ObjectDef, allObjects: ObjectDef[]): ObjectQLIssue[] {
  const byName = new Map(allObjects.map((candidate) => [candidate.name, candidate]));
  byName.set(object.name, object);
  const objects: ObjectLookup = (name) => byName.get(name);
  const issues: ObjectQLIssue[] = [];
  const formulaIssue = (path: (string | number)[], what: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof FormulaError) && !(error instanceof ObjectQLError)) throw error;
      issues.push({ path, message: `${what} (${path.join(".")}): ${error.message}` });
    }
  };
  object.fields.forEach((field, index) => {
    if (field.type === "formula") {
      formulaIssue(["fields", index, "expression"], `Formula of field '${field.name}'`, () => {
        finishFormula(checkFormula(field.expression, object, objects, field), field, { offset: 0, line: 1, column: 1 });
      });
    } else if (field.type === "rollup") {
      const result = rollupValueType(field, objects);
      if ("error" in result) issues.push({ path: ["fields", index], message: `Roll-up field '${field.name}' (fields.${index}): ${result.error}` });
      const child = objects(field.childObject);
      const link = child?.fields.find((candidate) => candidate.name === field.childField);
      if (link && "reference" in link && link.reference !== object.name) {
        issues.push({ path: ["fields", index, "childField"], message: `Roll-up field '${field.name}': '${field.childObject}.${field.childField}' refers to '${link.reference}', not to '${object.name}'` });
      }
      // Compiling (never running) the subquery checks the filter's fields and operators against the child.
      if (!("error" in result)) {
        formulaIssue(["fields", index, "filter"], `Filter of roll-up field '${field.name}'`, () => void rollupSql(field, sql`null`, { dialect: "sqlite", objects, depth: 1 }));
      }
    }
    if (field.defaultFormula !== undefined) {
      formulaIssue(["fields", index, "defaultFormula"], `Default formula of field '${field.name}'`, () => {
        if (isComputedField(field)) throw new FormulaError("a computed field has no default", { offset: 0, line: 1, column: 1 });
        const typed = checkFormula(field.defaultFormula!, object, objects);
        const expected = computedValueType(field);
        if (typed.type !== "null" && typed.type !== expected) {
          throw new FormulaError(`the expression is ${typed.type} but field '${field.name}' holds ${expected} values`, { offset: 0, line: 1, column: 1 });
        }
      });
    }
  });
  object.validationRules.forEach((rule, index) => {
    formulaIssue(["validationRules", index, "expression"], `Validation rule '${rule.name}'`, () => {
      const typed = checkFormula(rule.expression, object, objects);
      if (typed.type !== "boolean" && typed.type !== "null") {
        throw new FormulaError(`the expression must be true/false (it is ${typed.type})`, { offset: 0, line: 1, column: 1 });
      }
    });
  });
  return issues;
}

function computedValueType(field: FieldDef): ValueType | "other" {
  switch (field.type) {
    case "number": case "currency": case "percent": return "number";
    case "boolean": return "boolean";
    case "date": return "date";
    case "datetime": return "datetime";
    case "multiselect": case "json": return "other";
    default: return "text";
  }
}
