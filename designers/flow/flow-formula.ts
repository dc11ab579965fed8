import { checkFlowExpression, flowScopeObject, templateParts } from "@/formula/flow-expressions";
import { FormulaError } from "@/formula/errors";
import type { ValueType } from "@/formula/ast";
import type { ObjectLookup } from "@/formula/type-checker";
import type { FlowDef } from "@/spec/flow";
import type { ObjectDef } from "@/spec/object";

/** What formulas of one flow are checked against: its variables' scope and the published objects. */
export type FlowFormulaContext = { scope: ObjectDef; objects: ObjectLookup; priorRecord: boolean };

export function flowFormulaContext(flow: Pick<FlowDef, "variables" | "start">, objects: ObjectLookup): FlowFormulaContext {
  return { scope: flowScopeObject(flow), objects, priorRecord: flow.start.type === "record" };
}

/**
 * The problem with a formula as the admin types it (null: none, or nothing typed yet): a parse or
 * type error, or a result of the wrong type. The same check publishing runs (flow-check.ts).
 */
export function formulaProblem(source: string, context: FlowFormulaContext, expected?: ValueType): string | null {
  if (source.trim() === "") return null;
  try {
    const typed = checkFlowExpression(source, context.scope, context.objects, { priorRecord: context.priorRecord });
    if (expected && typed.type !== "null" && typed.type !== expected) return `The expression is ${typed.type}, it must be ${expected}`;
    return null;
  } catch (error) {
    if (error instanceof FormulaError) return error.message;
    throw error;
  }
}

/** The problems of the merge fields in a `{!...}` template. */
export function templateProblem(source: string, context: FlowFormulaContext): string | null {
  let parts;
  try {
    parts = templateParts(source);
  } catch (error) {
    if (error instanceof FormulaError) return `${error.detail} (at character ${error.pos.offset + 1})`;
    throw error;
  }
  for (const part of parts) {
    if (!("expression" in part)) continue;
    const problem = part.expression.trim() === "" ? "is empty" : formulaProblem(part.expression, context);
    if (problem) return `{!${part.expression}}: ${problem}`;
  }
  return null;
}
