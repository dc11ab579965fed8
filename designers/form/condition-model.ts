import type { FormulaNode } from "@/formula/ast";
import { FormulaError } from "@/formula/errors";
import { parseFormula } from "@/formula/parser";
import type { FieldDef, ObjectDef } from "@/spec/object";

/**
 * The condition builder's model: rows of `field operator value` joined by AND or OR, written
 * out as a formula expression (`stage = "closed_lost"`, `amount > 1000 AND stage != "closed_won"`,
 * `ISBLANK(notes)`), and read back from an expression when it has that shape. Anything else
 * (functions, nesting, mixed AND/OR) is only editable in the code editor.
 */

export const CONDITION_OPERATORS = ["=", "!=", ">", ">=", "<", "<=", "contains", "is_blank", "is_not_blank"] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];
export type ConditionRow = { field: string; operator: ConditionOperator; value: string };
export type ConditionJoin = "AND" | "OR";
export type ConditionModel = { join: ConditionJoin; rows: ConditionRow[] };

export const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  "=": "equals",
  "!=": "does not equal",
  ">": "is greater than",
  ">=": "is at least",
  "<": "is less than",
  "<=": "is at most",
  contains: "contains",
  is_blank: "is blank",
  is_not_blank: "is not blank",
};

type Kind = "text" | "number" | "boolean" | "date" | "datetime";

/** How a field's value reads in a condition (lookups compare their record id); null: not usable. */
export function conditionKind(field: FieldDef): Kind | null {
  switch (field.type) {
    case "text": case "textarea": case "email": case "url": case "phone": case "select": case "autonumber": case "lookup": case "master_detail":
      return "text";
    case "number": case "currency": case "percent":
      return "number";
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "datetime":
      return "datetime";
    case "formula":
      return field.returnType === "currency" || field.returnType === "percent" ? "number" : field.returnType;
    default:
      return null;
  }
}

/** The fields a condition row can test. */
export function conditionFields(object: ObjectDef): FieldDef[] {
  return object.fields.filter((field) => conditionKind(field) !== null);
}

/** The operators that make sense for a field. */
export function operatorsFor(field: FieldDef | undefined): ConditionOperator[] {
  const kind = field ? conditionKind(field) : null;
  if (kind === "boolean") return ["=", "is_blank", "is_not_blank"];
  if (kind === "text" && field?.type !== "autonumber" && field?.type !== "select" && field?.type !== "lookup" && field?.type !== "master_detail") {
    return ["=", "!=", "contains", "is_blank", "is_not_blank"];
  }
  if (kind === "text") return ["=", "!=", "is_blank", "is_not_blank"];
  return ["=", "!=", ">", ">=", "<", "<=", "is_blank", "is_not_blank"];
}

export const needsValue = (operator: ConditionOperator) => operator !== "is_blank" && operator !== "is_not_blank";

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A row's value as a formula literal for the field's kind (dates as DATE(y, m, d)). */
function literal(field: FieldDef | undefined, value: string): string {
  const kind = field ? conditionKind(field) : "text";
  if (kind === "number") return value.trim() === "" ? "NULL" : String(Number(value));
  if (kind === "boolean") return value === "true" ? "TRUE" : "FALSE";
  if (kind === "date") {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
    return match ? `DATE(${Number(match[1])}, ${Number(match[2])}, ${Number(match[3])})` : quote(value);
  }
  return quote(value);
}

/** What is wrong with a row, or null (the builder shows it next to the row). */
export function rowProblem(row: ConditionRow, object: ObjectDef): string | null {
  const field = object.fields.find((candidate) => candidate.name === row.field);
  if (!field) return "Choose a field";
  if (!needsValue(row.operator)) return null;
  const kind = conditionKind(field);
  if (kind === "number" && (row.value.trim() === "" || !Number.isFinite(Number(row.value)))) return "Enter a number";
  if (kind === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(row.value.trim())) return "Enter a date (YYYY-MM-DD)";
  if ((kind === "text" || kind === "datetime") && row.value === "" && row.operator === "contains") return "Enter the text to look for";
  return null;
}

function rowExpression(row: ConditionRow, object: ObjectDef): string {
  const field = object.fields.find((candidate) => candidate.name === row.field);
  if (row.operator === "is_blank") return `ISBLANK(${row.field})`;
  if (row.operator === "is_not_blank") return `NOT(ISBLANK(${row.field}))`;
  if (row.operator === "contains") return `CONTAINS(${row.field}, ${quote(row.value)})`;
  return `${row.field} ${row.operator} ${literal(field, row.value)}`;
}

/** The expression for a model; empty when it has no rows. */
export function conditionExpression(model: ConditionModel, object: ObjectDef): string {
  return model.rows.map((row) => rowExpression(row, object)).join(` ${model.join} `);
}

function fieldOf(node: FormulaNode): string | null {
  return node.kind === "ref" && node.path.length === 1 ? node.path[0]! : null;
}

function literalText(node: FormulaNode): string | null {
  if (node.kind === "literal") {
    if (node.value === null) return "";
    return String(node.value);
  }
  if (node.kind === "call" && node.name === "DATE" && node.args.length === 3 && node.args.every((arg) => arg.kind === "literal" && typeof arg.value === "number")) {
    const [y, m, d] = node.args.map((arg) => (arg as { value: number }).value);
    return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }
  return null;
}

function rowOf(node: FormulaNode): ConditionRow | null {
  if (node.kind === "call" && node.name === "ISBLANK" && node.args.length === 1) {
    const field = fieldOf(node.args[0]!);
    return field ? { field, operator: "is_blank", value: "" } : null;
  }
  if (node.kind === "unary" && node.op === "NOT") {
    const inner = rowOf(node.operand);
    return inner?.operator === "is_blank" ? { ...inner, operator: "is_not_blank" } : null;
  }
  if (node.kind === "call" && node.name === "CONTAINS" && node.args.length === 2) {
    const field = fieldOf(node.args[0]!);
    const value = node.args[1]!.kind === "literal" && typeof (node.args[1] as { value: unknown }).value === "string" ? String((node.args[1] as { value: string }).value) : null;
    return field && value !== null ? { field, operator: "contains", value } : null;
  }
  if (node.kind === "binary" && (["=", "!=", ">", ">=", "<", "<="] as string[]).includes(node.op)) {
    const field = fieldOf(node.left);
    const value = literalText(node.right);
    return field && value !== null ? { field, operator: node.op as ConditionOperator, value } : null;
  }
  return null;
}

/**
 * Reads an expression back into builder rows: `null` when it has another shape (the builder
 * then says to use the code editor); an empty string is an empty model.
 */
export function parseCondition(source: string): ConditionModel | null {
  if (source.trim() === "") return { join: "AND", rows: [] };
  let tree: FormulaNode;
  try {
    tree = parseFormula(source);
  } catch (error) {
    if (error instanceof FormulaError) return null;
    throw error;
  }
  const join: ConditionJoin | null = tree.kind === "binary" && (tree.op === "AND" || tree.op === "OR") ? tree.op : null;
  const parts: FormulaNode[] = [];
  const collect = (node: FormulaNode) => {
    if (join && node.kind === "binary" && node.op === join) {
      collect(node.left);
      collect(node.right);
    } else parts.push(node);
  };
  collect(tree);
  const rows = parts.map(rowOf);
  if (rows.some((row) => row === null)) return null;
  return { join: join ?? "AND", rows: rows as ConditionRow[] };
}
