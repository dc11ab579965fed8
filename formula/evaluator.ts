import type { ValueType } from "./ast";
import { daysInMonth, makeDate, numberToText, roundHalfAwayFromZero, textToNumber } from "./semantics";
import type { TypedNode } from "./type-checker";

/**
 * Evaluates a typed formula in JS with the same results the compiled SQL gives (see
 * sql-compiler.ts and the conformance tests): SQL's three-valued logic, NULL in -> NULL out for
 * arithmetic and functions (except ISBLANK, BLANKVALUE, LEN, CONCAT and `&`, which treat NULL as
 * empty), division by zero -> NULL, dates as 'YYYY-MM-DD' and date-times as ISO UTC strings.
 */

export type FormulaValue = string | number | boolean | null;
/** Supplies the value of a field or rollup leaf (already loaded, e.g. by loadFormulaValues). */
export type LeafValues = (node: Extract<TypedNode, { kind: "field" | "rollup" }>) => unknown;
export type EvaluationClock = { now: Date };

function normalise(type: ValueType, value: unknown): FormulaValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && "id" in value) return String((value as { id: unknown }).id);
  switch (type) {
    case "number": {
      const number = typeof value === "number" ? value : Number(value);
      return Number.isFinite(number) ? number : null;
    }
    case "boolean":
      return value === true || value === 1 || value === "1" || value === "true" || value === "t";
    case "date":
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case "datetime":
      return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
    default:
      return String(value);
  }
}

function compare(op: string, a: FormulaValue, b: FormulaValue): boolean | null {
  if (a === null || b === null) return null;
  switch (op) {
    case "=": return a === b;
    case "!=": return a !== b;
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    default: return a >= b;
  }
}

function num(value: FormulaValue): number {
  return value as number;
}

function addDays(date: string, days: number): string | null {
  const time = Date.parse(`${date}T00:00:00.000Z`) + Math.floor(days) * 86_400_000;
  const result = new Date(time);
  if (Number.isNaN(time) || result.getUTCFullYear() < 1 || result.getUTCFullYear() > 9999) return null;
  return result.toISOString().slice(0, 10);
}

function toDate(type: ValueType, value: string): string {
  return type === "datetime" ? new Date(value).toISOString().slice(0, 10) : value;
}

function isBlank(value: FormulaValue): boolean {
  return value === null || value === "";
}

export function evaluateFormula(node: TypedNode, leaf: LeafValues, clock: EvaluationClock = { now: new Date() }): FormulaValue {
  // One closure per evaluation, not one per node: flows evaluate thousands of small formulas a second.
  const run = (child: TypedNode): FormulaValue => evaluateNode(child, run, leaf, clock);
  return run(node);
}

function evaluateNode(node: TypedNode, run: (node: TypedNode) => FormulaValue, leaf: LeafValues, clock: EvaluationClock): FormulaValue {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "field":
    case "rollup":
      return normalise(node.type, leaf(node));
    case "unary": {
      const value = run(node.operand);
      if (value === null) return null;
      return node.op === "-" ? (num(value) === 0 ? 0 : -num(value)) : !value;
    }
    case "binary": {
      if (node.op === "AND" || node.op === "OR") {
        const left = run(node.left);
        const right = run(node.right);
        if (node.op === "AND") {
          if (left === false || right === false) return false;
          return left === null || right === null ? null : true;
        }
        if (left === true || right === true) return true;
        return left === null || right === null ? null : false;
      }
      const left = run(node.left);
      const right = run(node.right);
      if (node.op === "&") return String(left ?? "") + String(right ?? "");
      if (left === null || right === null) return null;
      switch (node.op) {
        case "+": return num(left) + num(right);
        case "-": return num(left) - num(right);
        case "*": return num(left) * num(right);
        case "/": return num(right) === 0 ? null : num(left) / num(right);
        default: return compare(node.op, left, right);
      }
    }
    case "call":
      return callFunction(node, run, clock);
  }
}

function callFunction(node: Extract<TypedNode, { kind: "call" }>, run: (node: TypedNode) => FormulaValue, clock: EvaluationClock): FormulaValue {
  const args = node.args;
  const values = () => args.map(run);
  switch (node.name) {
    case "IF":
      return run(args[0]) === true ? run(args[1]) : args[2] ? run(args[2]) : null;
    case "IFS": {
      for (let i = 0; i + 1 < args.length; i += 2) if (run(args[i]) === true) return run(args[i + 1]);
      return args.length % 2 === 1 ? run(args[args.length - 1]) : null;
    }
    case "SWITCH": {
      const subject = run(args[0]);
      for (let i = 1; i + 1 < args.length; i += 2) if (compare("=", subject, run(args[i])) === true) return run(args[i + 1]);
      return args.length % 2 === 0 ? run(args[args.length - 1]) : null;
    }
    case "ISBLANK":
      return isBlank(run(args[0]));
    case "BLANKVALUE": {
      const value = run(args[0]);
      return isBlank(value) ? run(args[1]) : value;
    }
    case "LEN":
      return String(run(args[0]) ?? "").length === 0 ? 0 : [...String(run(args[0]))].length;
    case "CONCAT":
      return values().map((value) => String(value ?? "")).join("");
    case "TODAY":
      return clock.now.toISOString().slice(0, 10);
    case "NOW":
      return clock.now.toISOString();
  }
  const all = values();
  if (all.some((value) => value === null)) return null;
  const [a, b, c] = all;
  switch (node.name) {
    case "ROUND": return roundHalfAwayFromZero(num(a), num(b));
    case "ABS": return Math.abs(num(a));
    case "FLOOR": return Math.floor(num(a)) || 0;
    case "CEILING": return Math.ceil(num(a)) || 0;
    case "MIN": return Math.min(...(all as number[]));
    case "MAX": return Math.max(...(all as number[]));
    case "UPPER": return String(a).toUpperCase();
    case "LOWER": return String(a).toLowerCase();
    case "TRIM": return String(a).replace(/^ +| +$/g, "");
    case "LEFT": {
      const n = Math.floor(num(b));
      return n <= 0 ? "" : [...String(a)].slice(0, n).join("");
    }
    case "RIGHT": {
      const n = Math.floor(num(b));
      return n <= 0 ? "" : [...String(a)].slice(-n).join("");
    }
    case "CONTAINS": return String(a).includes(String(b));
    case "TEXT": {
      const type = args[0].type;
      if (type === "number") return numberToText(num(a));
      if (type === "boolean") return a ? "true" : "false";
      return String(a);
    }
    case "VALUE": return textToNumber(String(a));
    case "YEAR": return Number(toDate(args[0].type, String(a)).slice(0, 4));
    case "MONTH": return Number(toDate(args[0].type, String(a)).slice(5, 7));
    case "DAY": return Number(toDate(args[0].type, String(a)).slice(8, 10));
    case "DATE": return makeDate(num(a), num(b), num(c));
    case "ADDDAYS": return addDays(String(a), num(b));
    case "DAYSBETWEEN":
      return Math.round((Date.parse(`${String(b)}T00:00:00Z`) - Date.parse(`${String(a)}T00:00:00Z`)) / 86_400_000);
  }
  throw new Error(`formula function ${node.name} has no evaluator`);
}

export { daysInMonth };
