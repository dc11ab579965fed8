import type { ObjectDef } from "@/spec/object";
import { describePosition } from "./ast";
import { FormulaError } from "./errors";
import { evaluateFormula, type FormulaValue } from "./evaluator";
import { checkFormula, type ObjectLookup } from "./type-checker";

/**
 * Evaluates a formula on a sample record without a database, for the studio's formula editor:
 * `record` holds field values; a lookup may hold the related record as a nested object
 * (`{ account: { name: "Acme" } }`) for cross-object references. Errors come back as data.
 */
export function previewFormula(
  expression: string,
  object: ObjectDef,
  objects: ObjectLookup,
  record: Record<string, unknown>,
  now = new Date(),
): { ok: true; value: FormulaValue; type: string } | { ok: false; message: string; line: number; column: number } {
  try {
    const typed = checkFormula(expression, object, objects);
    const value = evaluateFormula(
      typed,
      (leaf) => {
        let current: unknown = record;
        for (const step of leaf.steps) current = (current as Record<string, unknown> | null)?.[step.field.name] ?? null;
        return typeof current === "object" && current !== null ? (current as Record<string, unknown>)[leaf.field.name] ?? null : null;
      },
      { now },
    );
    return { ok: true, value, type: typed.type };
  } catch (error) {
    if (error instanceof FormulaError) return { ok: false, message: `${error.detail} (at ${describePosition(error.pos)})`, line: error.pos.line, column: error.pos.column };
    throw error;
  }
}
