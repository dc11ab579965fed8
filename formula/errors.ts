import { describePosition, type Position } from "./ast";

/**
 * A problem in a formula (syntax or type), at a position of its text. The caller adds which
 * field or rule the formula belongs to.
 */
export class FormulaError extends Error {
  constructor(
    readonly detail: string,
    readonly pos: Position,
  ) {
    super(`${detail} (at ${describePosition(pos)})`);
    this.name = "FormulaError";
  }
}
