import type { Position } from "./ast";
import { FormulaError } from "./errors";

/**
 * Splits a formula into tokens. Strings use single quotes ('it''s' or 'it\'s'); identifiers are
 * field names (letters, digits, '_'); keywords (AND, OR, NOT, TRUE, FALSE, NULL) are case-insensitive.
 */

export type Token =
  | { kind: "number"; value: number; pos: Position }
  | { kind: "string"; value: string; pos: Position }
  | { kind: "ident"; value: string; pos: Position }
  | { kind: "op"; value: string; pos: Position }
  | { kind: "eof"; pos: Position };

const OPERATORS = ["<=", ">=", "!=", "<>", "==", "&&", "||", "+", "-", "*", "/", "&", "=", "<", ">", "(", ")", ",", ".", "!"];
/** Longer than any sensible formula: a bound on the work a hostile expression can cause. */
export const MAX_FORMULA_TOKENS = 2000;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): Position => ({ offset, line, column: offset - lineStart + 1 });

  while (offset < source.length) {
    const char = source[offset];
    if (char === "\n") {
      offset++;
      line++;
      lineStart = offset;
      continue;
    }
    if (/\s/.test(char)) {
      offset++;
      continue;
    }
    if (tokens.length >= MAX_FORMULA_TOKENS) throw new FormulaError(`Formula is too long (more than ${MAX_FORMULA_TOKENS} tokens)`, here());
    const pos = here();
    if (/[0-9]/.test(char) || (char === "." && /[0-9]/.test(source[offset + 1] ?? ""))) {
      const match = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(source.slice(offset))!;
      offset += match[0].length;
      const value = Number(match[0]);
      if (!Number.isFinite(value)) throw new FormulaError(`Number '${match[0]}' is too large`, pos);
      tokens.push({ kind: "number", value, pos });
      continue;
    }
    if (char === "'" || char === '"') {
      let value = "";
      offset++;
      for (;;) {
        if (offset >= source.length) throw new FormulaError("Text is not closed: missing quote", pos);
        const c = source[offset];
        if (c === "\\" && offset + 1 < source.length) {
          value += source[offset + 1];
          offset += 2;
        } else if (c === char && source[offset + 1] === char) {
          value += char;
          offset += 2;
        } else if (c === char) {
          offset++;
          break;
        } else {
          if (c === "\n") {
            line++;
            lineStart = offset + 1;
          }
          value += c;
          offset++;
        }
      }
      tokens.push({ kind: "string", value, pos });
      continue;
    }
    if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(offset))!;
      offset += match[0].length;
      tokens.push({ kind: "ident", value: match[0], pos });
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, offset));
    if (!op) throw new FormulaError(`Unexpected character '${char}'`, pos);
    offset += op.length;
    tokens.push({ kind: "op", value: op, pos });
  }
  tokens.push({ kind: "eof", pos: here() });
  return tokens;
}
