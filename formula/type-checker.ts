import { isReferenceField, type FieldDef, type FieldOf, type ObjectDef } from "@/spec/object";
import type { BinaryOperator, FormulaNode, Position, ValueType } from "./ast";
import { FormulaError } from "./errors";
import { parseFormula } from "./parser";

/**
 * Resolves the field references of a parsed formula against metadata and infers/checks the type
 * of every node. The result is a typed tree the evaluator and the SQL compiler work from:
 * references to other formula fields are inlined (with cycle detection), so only stored fields
 * and rollups remain as leaves, each with the lookup steps that lead to it.
 */

export type RefStep = { object: ObjectDef; field: FieldOf<"lookup"> | FieldOf<"master_detail">; target: ObjectDef };

export type TypedNode =
  | { kind: "literal"; type: ValueType; value: string | number | boolean | null }
  | { kind: "field"; type: ValueType; steps: RefStep[]; object: ObjectDef; field: FieldDef }
  | { kind: "rollup"; type: ValueType; steps: RefStep[]; object: ObjectDef; field: FieldOf<"rollup"> }
  | { kind: "unary"; type: ValueType; op: "-" | "NOT"; operand: TypedNode }
  | { kind: "binary"; type: ValueType; op: BinaryOperator; left: TypedNode; right: TypedNode; operandType: ValueType }
  | { kind: "call"; type: ValueType; name: string; args: TypedNode[] };

export type ObjectLookup = (name: string) => ObjectDef | undefined;

/** How many lookups a reference may go through (`a.b.c.d.e.field`). */
export const MAX_REFERENCE_DEPTH = 5;

// A Map: formulas name fields freely, and `constructor` must not find Object's.
const SYSTEM_FIELD_TYPES = new Map<string, ValueType>([
  ["id", "text"], ["created_at", "datetime"], ["updated_at", "datetime"], ["created_by", "text"], ["updated_by", "text"], ["owner_id", "text"],
]);

/** The formula value type of a stored field, or null when it cannot be used in formulas. */
export function valueTypeOfField(field: FieldDef): ValueType | null {
  switch (field.type) {
    case "text": case "textarea": case "email": case "url": case "phone": case "select": case "autonumber":
    case "lookup": case "master_detail":
      return "text";
    case "number": case "currency": case "percent":
      return "number";
    case "boolean": return "boolean";
    case "date": return "date";
    case "datetime": return "datetime";
    case "formula":
      return field.returnType === "currency" || field.returnType === "percent" ? "number" : field.returnType;
    case "rollup":
      return null;
    default:
      return null;
  }
}

type Context = { object: ObjectDef; objects: ObjectLookup; prefix: RefStep[]; visiting: Set<string> };

function unify(a: ValueType, b: ValueType): ValueType | null {
  if (a === "null") return b;
  if (b === "null" || a === b) return a;
  return null;
}

const FUNCTION_NAMES = [
  "IF", "IFS", "SWITCH", "ISBLANK", "BLANKVALUE", "ROUND", "ABS", "FLOOR", "CEILING", "MIN", "MAX",
  "LEN", "UPPER", "LOWER", "TRIM", "LEFT", "RIGHT", "CONTAINS", "CONCAT", "TEXT", "VALUE",
  "TODAY", "NOW", "YEAR", "MONTH", "DAY", "DATE", "ADDDAYS", "DAYSBETWEEN",
] as const;
export type FormulaFunction = (typeof FUNCTION_NAMES)[number];

function isFunction(name: string): name is FormulaFunction {
  return (FUNCTION_NAMES as readonly string[]).includes(name);
}

/** The rollup's result type; the child field must exist and fit the function. */
export function rollupValueType(field: FieldOf<"rollup">, objects: ObjectLookup): { type: ValueType } | { error: string } {
  const child = objects(field.childObject);
  if (!child) return { error: `child object '${field.childObject}' does not exist` };
  const link = child.fields.find((candidate) => candidate.name === field.childField);
  if (!link || !isReferenceField(link)) return { error: `'${field.childField}' is not a lookup or master-detail field of '${field.childObject}'` };
  if (field.function === "count") return { type: "number" };
  if (!field.field) return { error: `${field.function} needs the child field to aggregate ('field')` };
  const target = child.fields.find((candidate) => candidate.name === field.field);
  if (!target) return { error: `'${field.field}' is not a field of '${field.childObject}'` };
  if (target.type === "formula" || target.type === "rollup") return { error: `'${field.field}' is a computed field and cannot be aggregated` };
  const type = valueTypeOfField(target);
  if (field.function === "sum" || field.function === "avg") {
    return type === "number" ? { type: "number" } : { error: `${field.function} needs a number field, but '${field.field}' is ${target.type}` };
  }
  return type === "number" || type === "date" || type === "datetime"
    ? { type }
    : { error: `${field.function} needs a number, date or date-time field, but '${field.field}' is ${target.type}` };
}

/** The object a flow's variables are the fields of (formula/flow-expressions.ts). */
export const FLOW_SCOPE_OBJECT = "_flow";

/** A name that is not there: a flow's variables are named as variables, not as fields of its scope object. */
function unknownName(path: readonly string[], root: ObjectDef, last: ObjectDef): string {
  const written = path.join(".");
  if (root.name !== FLOW_SCOPE_OBJECT) return `Unknown field '${written}' on object '${root.name}'`;
  if (path.length === 1) return `Unknown variable '${written}'`;
  return `Unknown field '${path[path.length - 1]}' on object '${last.name}' (in '${written}')`;
}

function resolveRef(node: Extract<FormulaNode, { kind: "ref" }>, ctx: Context): TypedNode {
  if (node.path.length - 1 > MAX_REFERENCE_DEPTH) {
    throw new FormulaError(`Reference '${node.path.join(".")}' goes through more than ${MAX_REFERENCE_DEPTH} lookups`, node.pos);
  }
  let object = ctx.object;
  const steps: RefStep[] = [];
  node.path.forEach((name, index) => {
    if (index === node.path.length - 1) return;
    const field = object.fields.find((candidate) => candidate.name === name);
    const walked = node.path.slice(0, index + 1).join(".");
    if (!field) throw new FormulaError(unknownName(node.path.slice(0, index + 1), object, object), node.pos);
    if (!isReferenceField(field)) {
      throw new FormulaError(`'${walked}' is a ${field.type} field, not a lookup: only lookups can be followed with '.'`, node.pos);
    }
    const target = ctx.objects(field.reference);
    if (!target) throw new FormulaError(`'${walked}' refers to object '${field.reference}', which does not exist`, node.pos);
    steps.push({ object, field, target });
    object = target;
  });
  const name = node.path[node.path.length - 1];
  const allSteps = [...ctx.prefix, ...steps];
  const systemType = SYSTEM_FIELD_TYPES.get(name);
  if (systemType) {
    const field: FieldDef = { id: `_${name}`, name, label: name, required: false, unique: false, type: systemType === "datetime" ? "datetime" : "text", maxLength: 255 } as FieldDef;
    return { kind: "field", type: systemType, steps: allSteps, object, field };
  }
  const field = object.fields.find((candidate) => candidate.name === name);
  if (!field) throw new FormulaError(unknownName(node.path, ctx.object, object), node.pos);
  if (field.type === "rollup") {
    const result = rollupValueType(field, ctx.objects);
    if ("error" in result) throw new FormulaError(`Roll-up field '${node.path.join(".")}' cannot be used: ${result.error}`, node.pos);
    return { kind: "rollup", type: result.type, steps: allSteps, object, field };
  }
  if (field.type === "formula") {
    const key = `${object.name}.${field.name}`;
    if (ctx.visiting.has(key)) throw new FormulaError(`Formula '${node.path.join(".")}' refers back to itself (circular reference through '${key}')`, node.pos);
    let typed: TypedNode;
    try {
      typed = checkNode(parseFormula(field.expression), { object, objects: ctx.objects, prefix: allSteps, visiting: new Set([...ctx.visiting, key]) });
    } catch (error) {
      if (error instanceof FormulaError) throw new FormulaError(`Formula field '${node.path.join(".")}' cannot be used: ${error.message}`, node.pos);
      throw error;
    }
    return finishFormula(typed, field, node.pos);
  }
  const type = valueTypeOfField(field);
  if (!type) throw new FormulaError(`Field '${node.path.join(".")}' (${field.type}) cannot be used in formulas`, node.pos);
  return { kind: "field", type, steps: allSteps, object, field };
}

/** Checks a formula's result against its declared return type and applies its rounding. */
export function finishFormula(typed: TypedNode, field: FieldOf<"formula">, pos: Position): TypedNode {
  const expected = valueTypeOfField(field)!;
  if (unify(expected, typed.type) !== expected) {
    throw new FormulaError(`The expression is ${typed.type} but the formula's return type is ${field.returnType}`, pos);
  }
  if (expected === "number") {
    return { kind: "call", type: "number", name: "ROUND", args: [typed, { kind: "literal", type: "number", value: field.scale }] };
  }
  return { ...typed, type: expected };
}

function checkCall(node: Extract<FormulaNode, { kind: "call" }>, ctx: Context): TypedNode {
  const name = node.name;
  if (!isFunction(name)) throw new FormulaError(`Unknown function ${name}()`, node.pos);
  const args = node.args.map((arg) => checkNode(arg, ctx));
  const arity = (min: number, max = min) => {
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw new FormulaError(`${name}() takes ${expected} argument(s), got ${args.length}`, node.pos);
    }
  };
  const want = (index: number, ...types: ValueType[]) => {
    const type = args[index].type;
    if (type !== "null" && !types.includes(type)) {
      throw new FormulaError(`Argument ${index + 1} of ${name}() must be ${types.join(" or ")}, got ${type}`, node.args[index].pos);
    }
  };
  const same = (indexes: number[]): ValueType => {
    let type: ValueType = "null";
    for (const index of indexes) {
      const merged = unify(type, args[index].type);
      if (!merged) throw new FormulaError(`Argument ${index + 1} of ${name}() is ${args[index].type} but the other results are ${type}`, node.args[index].pos);
      type = merged;
    }
    return type;
  };
  const call = (type: ValueType): TypedNode => ({ kind: "call", type, name, args });

  switch (name) {
    case "IF":
      arity(2, 3);
      want(0, "boolean");
      return call(same(args.length === 3 ? [1, 2] : [1]));
    case "IFS": {
      arity(2, Infinity);
      const results: number[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) {
        want(i, "boolean");
        results.push(i + 1);
      }
      if (args.length % 2 === 1) results.push(args.length - 1);
      return call(same(results));
    }
    case "SWITCH": {
      arity(3, Infinity);
      const results: number[] = [];
      for (let i = 1; i + 1 < args.length; i += 2) {
        if (!unify(args[0].type, args[i].type)) throw new FormulaError(`SWITCH() compares ${args[0].type} with ${args[i].type}`, node.args[i].pos);
        results.push(i + 1);
      }
      if (args.length % 2 === 0) results.push(args.length - 1);
      return call(same(results));
    }
    case "ISBLANK":
      arity(1);
      return call("boolean");
    case "BLANKVALUE":
      arity(2);
      return call(same([0, 1]));
    case "ROUND": {
      arity(1, 2);
      want(0, "number");
      const digits = node.args[1];
      if (digits && !(digits.kind === "literal" && typeof digits.value === "number" && Number.isInteger(digits.value) && digits.value >= 0 && digits.value <= 10)) {
        throw new FormulaError("Argument 2 of ROUND() must be a whole number from 0 to 10 written in the formula", digits.pos);
      }
      return { kind: "call", type: "number", name, args: [args[0], args[1] ?? { kind: "literal", type: "number", value: 0 }] };
    }
    case "ABS": case "FLOOR": case "CEILING":
      arity(1);
      want(0, "number");
      return call("number");
    case "MIN": case "MAX":
      arity(1, Infinity);
      args.forEach((_, index) => want(index, "number"));
      return call("number");
    case "LEN":
      arity(1);
      want(0, "text");
      return call("number");
    case "UPPER": case "LOWER": case "TRIM":
      arity(1);
      want(0, "text");
      return call("text");
    case "LEFT": case "RIGHT":
      arity(2);
      want(0, "text");
      want(1, "number");
      return call("text");
    case "CONTAINS":
      arity(2);
      want(0, "text");
      want(1, "text");
      return call("boolean");
    case "CONCAT":
      arity(1, Infinity);
      args.forEach((_, index) => want(index, "text"));
      return call("text");
    case "TEXT":
      arity(1);
      return call("text");
    case "VALUE":
      arity(1);
      want(0, "text");
      return call("number");
    case "TODAY":
      arity(0);
      return call("date");
    case "NOW":
      arity(0);
      return call("datetime");
    case "YEAR": case "MONTH": case "DAY":
      arity(1);
      want(0, "date", "datetime");
      return call("number");
    case "DATE":
      arity(3);
      [0, 1, 2].forEach((index) => want(index, "number"));
      return call("date");
    case "ADDDAYS":
      arity(2);
      want(0, "date");
      want(1, "number");
      return call("date");
    case "DAYSBETWEEN":
      arity(2);
      want(0, "date");
      want(1, "date");
      return call("number");
  }
}

function checkNode(node: FormulaNode, ctx: Context): TypedNode {
  switch (node.kind) {
    case "literal": {
      const type: ValueType = node.value === null ? "null" : typeof node.value === "number" ? "number" : typeof node.value === "boolean" ? "boolean" : "text";
      return { kind: "literal", type, value: node.value };
    }
    case "ref":
      return resolveRef(node, ctx);
    case "call":
      return checkCall(node, ctx);
    case "unary": {
      const operand = checkNode(node.operand, ctx);
      const wanted: ValueType = node.op === "-" ? "number" : "boolean";
      if (operand.type !== "null" && operand.type !== wanted) {
        throw new FormulaError(`${node.op === "-" ? "Minus" : "NOT"} needs a ${wanted}, got ${operand.type}`, node.pos);
      }
      return { kind: "unary", type: wanted, op: node.op, operand };
    }
    case "binary": {
      const left = checkNode(node.left, ctx);
      const right = checkNode(node.right, ctx);
      const mismatch = (wanted: string) =>
        new FormulaError(`Operator '${node.op}' needs ${wanted}, got ${left.type} and ${right.type}`, node.pos);
      const operandType = unify(left.type, right.type);
      switch (node.op) {
        case "+": case "-": case "*": case "/":
          if (operandType !== "number" && operandType !== "null") throw mismatch("numbers");
          return { kind: "binary", type: "number", op: node.op, left, right, operandType: "number" };
        case "&":
          if (operandType !== "text" && operandType !== "null") throw mismatch("text (use TEXT() to convert)");
          return { kind: "binary", type: "text", op: node.op, left, right, operandType: "text" };
        case "AND": case "OR":
          if (operandType !== "boolean" && operandType !== "null") throw mismatch("true/false values");
          return { kind: "binary", type: "boolean", op: node.op, left, right, operandType: "boolean" };
        default:
          if (!operandType) throw mismatch("two values of the same type");
          if (operandType === "boolean" && node.op !== "=" && node.op !== "!=") throw mismatch("numbers, text or dates (true/false can only be compared with = and !=)");
          return { kind: "binary", type: "boolean", op: node.op, left, right, operandType };
      }
    }
  }
}

/** Type-checks an already parsed (or rewritten) formula on `object`. Throws FormulaError with a position. */
export function checkFormulaNode(node: FormulaNode, object: ObjectDef, objects: ObjectLookup): TypedNode {
  return checkNode(node, { object, objects, prefix: [], visiting: new Set() });
}

/** Parses and type-checks `expression` on `object`. Throws FormulaError with a position. */
export function checkFormula(expression: string, object: ObjectDef, objects: ObjectLookup, self?: FieldDef): TypedNode {
  const visiting = new Set<string>(self ? [`${object.name}.${self.name}`] : []);
  return checkNode(parseFormula(expression), { object, objects, prefix: [], visiting });
}
