import type { FormulaValue } from "@/formula/evaluator";
import type { FlowDef, FlowVariable } from "@/spec/flow";
import type { SecurityContext } from "@/server/objectql";
import { coerceFlowValue } from "../runtime/flow-inputs";
import type { FlowEnvironment, FlowValue } from "../runtime/flow-interpreter";

/**
 * What an element that reaches outside the run (http_callout, script, send_email) gets from the
 * interpreter: its flow's variables, merge-field rendering with the run's security, and a way to
 * turn an outside value into a variable's value. Their runtime lives in this folder, one file
 * each; flow-interpreter.ts only dispatches to them.
 */
export type ElementContext = {
  def: FlowDef;
  variables: Readonly<Record<string, FlowValue>>;
  env: FlowEnvironment;
  runAs: SecurityContext;
  /** The step's number in its run (with env.runId: a key that stays the same when a resumed run repeats the step). */
  seq: number;
  /** Text with its `{!...}` merge fields filled in. */
  render(template: string): Promise<string>;
  /** One merge field's formula. */
  evaluate(expression: string): Promise<FormulaValue>;
};

/** The outcome an element hands back to the interpreter (as its other elements do). */
export type ElementOutcome = { handle: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; changed?: Record<string, FlowValue> };

/** A variable of the flow by name. */
export function flowVariable(def: FlowDef, name: string): FlowVariable | undefined {
  return def.variables.find((variable) => variable.name === name);
}

/**
 * A value from outside (JSON, a script's result) as the value of variable `name`: scalars are
 * converted where that is unambiguous (a number into a text variable, "42" into a number one),
 * then checked by coerceFlowValue (records by id, read with the run's security). A value that
 * does not fit throws an error naming `what` (it takes the element's fault path).
 */
export async function valueForVariable(context: ElementContext, name: string, value: unknown, what: string): Promise<FlowValue> {
  const variable = flowVariable(context.def, name);
  if (!variable) throw new Error(`${what}: there is no variable '${name}'`);
  let given = value === undefined ? null : value;
  if (variable.type === "text" && given !== null && typeof given !== "string") given = typeof given === "object" ? JSON.stringify(given) : String(given);
  if (variable.type === "number" && typeof given === "string" && given.trim() !== "" && Number.isFinite(Number(given))) given = Number(given);
  if (variable.type === "boolean" && (given === "true" || given === "false")) given = given === "true";
  if (variable.type === "record" && typeof given === "object" && given !== null && "id" in given) given = String((given as { id: unknown }).id);
  if (variable.type === "records" && Array.isArray(given)) given = given.map((item) => (typeof item === "object" && item !== null && "id" in item ? String((item as { id: unknown }).id) : item));
  if (variable.type === "text" && typeof given === "string" && given.length > 10_000) given = given.slice(0, 10_000);
  const coerced = await coerceFlowValue(variable, given, context.env.objectql, context.runAs);
  if ("message" in coerced) throw new Error(`${what}: the value for '${name}' ${coerced.message} (got ${describe(value)})`);
  return coerced.value;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The part of a JSON value at `path` (`data.items[0].id`, `$` the whole); undefined when absent. */
export function atJsonPath(value: unknown, path: string): unknown {
  const steps = [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((match) => (match[1] !== undefined ? Number(match[1]) : match[2]!));
  let current = value;
  for (const [index, step] of steps.entries()) {
    if (index === 0 && step === "$") continue;
    if (current === null || typeof current !== "object") return undefined;
    if (typeof step === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}
