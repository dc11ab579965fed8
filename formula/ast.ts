/**
 * The formula language's syntax tree. Every node keeps the position of its first character, so
 * errors can say where in the expression the problem is (line and column are 1-based).
 */

export type Position = { offset: number; line: number; column: number };

export type BinaryOperator = "+" | "-" | "*" | "/" | "&" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "AND" | "OR";

export type FormulaNode =
  | { kind: "literal"; value: string | number | boolean | null; pos: Position }
  | { kind: "ref"; path: string[]; pos: Position }
  | { kind: "unary"; op: "-" | "NOT"; operand: FormulaNode; pos: Position }
  | { kind: "binary"; op: BinaryOperator; left: FormulaNode; right: FormulaNode; pos: Position }
  | { kind: "call"; name: string; args: FormulaNode[]; pos: Position };

/** The value types of the language; currency and percent fields are numbers. `null` is the type of NULL. */
export type ValueType = "text" | "number" | "boolean" | "date" | "datetime" | "null";

export function describePosition(pos: Position): string {
  return `line ${pos.line}, column ${pos.column}`;
}
