import type { BinaryOperator, FormulaNode } from "./ast";
import { FormulaError } from "./errors";
import { tokenize, type Token } from "./lexer";

/**
 * Recursive-descent parser. Precedence, lowest first: OR, AND, NOT, comparison
 * (= != <> < <= > >=), & (text concatenation), + -, * /, unary minus. `&&`/`||`/`!` are
 * accepted for AND/OR/NOT and `==`/`<>` for `=`/`!=`. Function names are case-insensitive.
 */

const MAX_DEPTH = 64;
const COMPARISONS: Record<string, BinaryOperator> = { "=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

export function parseFormula(source: string): FormulaNode {
  const tokens = tokenize(source);
  let index = 0;
  let depth = 0;
  const peek = (): Token => tokens[index];
  const next = (): Token => tokens[index++];
  const isOp = (value: string) => peek().kind === "op" && (peek() as { value: string }).value === value;
  const isKeyword = (word: string) => peek().kind === "ident" && (peek() as { value: string }).value.toUpperCase() === word;
  const describe = (token: Token) => (token.kind === "eof" ? "end of formula" : `'${String(token.value)}'`);
  const expectOp = (value: string) => {
    if (!isOp(value)) throw new FormulaError(`Expected '${value}' but found ${describe(peek())}`, peek().pos);
    next();
  };
  const nested = <T>(parse: () => T): T => {
    if (++depth > MAX_DEPTH) throw new FormulaError(`Formula is nested too deeply (more than ${MAX_DEPTH} levels)`, peek().pos);
    try {
      return parse();
    } finally {
      depth--;
    }
  };

  function orExpr(): FormulaNode {
    let left = andExpr();
    while (isKeyword("OR") || isOp("||")) {
      const pos = next().pos;
      left = { kind: "binary", op: "OR", left, right: andExpr(), pos };
    }
    return left;
  }
  function andExpr(): FormulaNode {
    let left = notExpr();
    while (isKeyword("AND") || isOp("&&")) {
      const pos = next().pos;
      left = { kind: "binary", op: "AND", left, right: notExpr(), pos };
    }
    return left;
  }
  function notExpr(): FormulaNode {
    // NOT(x) reads as NOT applied to (x), so the function-call spelling works too.
    if (isKeyword("NOT") || isOp("!")) {
      const pos = next().pos;
      return { kind: "unary", op: "NOT", operand: nested(notExpr), pos };
    }
    return comparison();
  }
  function comparison(): FormulaNode {
    let left = concat();
    while (peek().kind === "op" && COMPARISONS[(peek() as { value: string }).value]) {
      const token = next() as { value: string; pos: FormulaNode["pos"] };
      left = { kind: "binary", op: COMPARISONS[token.value], left, right: concat(), pos: token.pos };
    }
    return left;
  }
  function concat(): FormulaNode {
    let left = additive();
    while (isOp("&")) {
      const pos = next().pos;
      left = { kind: "binary", op: "&", left, right: additive(), pos };
    }
    return left;
  }
  function additive(): FormulaNode {
    let left = multiplicative();
    while (isOp("+") || isOp("-")) {
      const token = next() as { value: "+" | "-"; pos: FormulaNode["pos"] };
      left = { kind: "binary", op: token.value, left, right: multiplicative(), pos: token.pos };
    }
    return left;
  }
  function multiplicative(): FormulaNode {
    let left = unary();
    while (isOp("*") || isOp("/")) {
      const token = next() as { value: "*" | "/"; pos: FormulaNode["pos"] };
      left = { kind: "binary", op: token.value, left, right: unary(), pos: token.pos };
    }
    return left;
  }
  function unary(): FormulaNode {
    if (isOp("-") || isOp("+")) {
      const token = next() as { value: string; pos: FormulaNode["pos"] };
      const operand = nested(unary);
      return token.value === "-" ? { kind: "unary", op: "-", operand, pos: token.pos } : operand;
    }
    return primary();
  }
  function primary(): FormulaNode {
    const token = peek();
    if (token.kind === "number") {
      next();
      return { kind: "literal", value: token.value, pos: token.pos };
    }
    if (token.kind === "string") {
      next();
      return { kind: "literal", value: token.value, pos: token.pos };
    }
    if (isOp("(")) {
      next();
      const inner = nested(orExpr);
      expectOp(")");
      return inner;
    }
    if (token.kind === "ident") {
      next();
      const word = token.value.toUpperCase();
      if (isOp("(")) {
        next();
        const args: FormulaNode[] = [];
        if (!isOp(")")) {
          do args.push(nested(orExpr));
          while (isOp(",") && next());
        }
        expectOp(")");
        return { kind: "call", name: word, args, pos: token.pos };
      }
      if (word === "TRUE" || word === "FALSE") return { kind: "literal", value: word === "TRUE", pos: token.pos };
      if (word === "NULL") return { kind: "literal", value: null, pos: token.pos };
      const path = [token.value];
      while (isOp(".")) {
        next();
        const part = next();
        if (part.kind !== "ident") throw new FormulaError(`Expected a field name after '.' but found ${describe(part)}`, part.pos);
        path.push(part.value);
      }
      return { kind: "ref", path, pos: token.pos };
    }
    throw new FormulaError(`Expected a value, field or function but found ${describe(token)}`, token.pos);
  }

  const tree = orExpr();
  if (peek().kind !== "eof") throw new FormulaError(`Unexpected ${describe(peek())} after the end of the expression`, peek().pos);
  return tree;
}
