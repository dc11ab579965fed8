import type { FlowElement } from "@/spec/flow";
import { runSandboxed } from "@/server/sandbox/js-sandbox";
import type { FlowValue } from "../runtime/flow-interpreter";
import { valueForVariable, type ElementContext, type ElementOutcome } from "./element-context";

/**
 * The script element: the admin's JavaScript in the WebAssembly sandbox (server/sandbox), with
 * the element's CPU-time and memory limits. Its inputs are the chosen variables (as JSON); it
 * returns an object whose keys the element copies into variables (converted to their types);
 * console output goes into the step's log. A syntax error, a throw, the time or memory limit,
 * or a result that does not fit takes the fault path with the reason.
 */

type Script = Extract<FlowElement, { type: "script" }>;

export async function runScript(element: Script, context: ElementContext): Promise<ElementOutcome> {
  const input: Record<string, unknown> = {};
  for (const name of element.inputs) input[name] = context.variables[name] ?? null;
  const result = await runSandboxed(element.code, input, { timeoutMs: element.timeoutMs, memoryBytes: element.memoryMb * 1024 * 1024 });
  if (!result.ok) {
    const log = result.logs.length ? ` [console: ${result.logs.slice(-3).join(" | ").slice(0, 300)}]` : "";
    throw new Error(`Script: ${result.error}${log}`);
  }
  const changed: Record<string, FlowValue> = {};
  if (element.outputs.length > 0) {
    const value = result.value;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`Script: it must return an object with ${element.outputs.map((output) => `'${output.key}'`).join(", ")} (it returned ${value === null ? "nothing" : Array.isArray(value) ? "an array" : typeof value})`);
    }
    for (const output of element.outputs) {
      const given = Object.hasOwn(value, output.key) ? (value as Record<string, unknown>)[output.key] : null;
      changed[output.into] = await valueForVariable(context, output.into, given, `Script output '${output.key}'`);
    }
  }
  return { handle: "next", inputs: { variables: element.inputs }, outputs: { result: result.value, log: result.logs }, changed };
}
