import { getQuickJS, shouldInterruptAfterDeadline, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from "quickjs-emscripten";

/**
 * JavaScript from admins (the flow's script element; agents' tools later), run in QuickJS
 * compiled to WebAssembly: a separate heap with a memory limit, an interrupt handler that stops
 * it after a CPU-time budget, and nothing of Node's: no require, process, fetch, timers, files
 * or network (QuickJS has none, and the host gives it none). It sees only `input` (JSON) and a
 * `console` whose lines are collected (bounded). The code is a function body: `return {...}`.
 */

export type SandboxResult =
  | { ok: true; value: unknown; logs: string[] }
  | { ok: false; error: string; kind: "syntax" | "error" | "timeout" | "memory" | "output"; logs: string[] };

export type SandboxOptions = { timeoutMs: number; memoryBytes: number; maxLogLines?: number; maxLogChars?: number; maxOutputChars?: number };

let wasmModule: Promise<QuickJSWASMModule> | null = null;
const SANDBOX_STACK_BYTES = 192 * 1024;
/** The WebAssembly module, loaded once per process. */
function quickJS(): Promise<QuickJSWASMModule> {
  wasmModule ??= getQuickJS();
  return wasmModule;
}

function show(vm: QuickJSContext, handle: QuickJSHandle): string {
  const type = vm.typeof(handle);
  if (type === "string") return vm.getString(handle);
  if (type === "number" || type === "boolean" || type === "undefined") return String(vm.dump(handle));
  try {
    return JSON.stringify(vm.dump(handle)) ?? String(vm.dump(handle));
  } catch {
    return `[${type}]`;
  }
}

export async function runSandboxed(code: string, input: unknown, options: SandboxOptions): Promise<SandboxResult> {
  const QuickJS = await quickJS();
  const maxLines = options.maxLogLines ?? 100;
  const maxChars = options.maxLogChars ?? 10_000;
  const logs: string[] = [];
  let logChars = 0;
  const runtime = QuickJS.newRuntime();
  runtime.setMemoryLimit(options.memoryBytes);
  // QuickJS's frames live on the host's stack too: a limit well under Node's own (about 1 MB)
  // makes deep recursion a JavaScript "stack overflow" inside the sandbox, not a host crash.
  runtime.setMaxStackSize(SANDBOX_STACK_BYTES);
  const deadline = Date.now() + options.timeoutMs;
  runtime.setInterruptHandler(shouldInterruptAfterDeadline(deadline));
  const vm = runtime.newContext();
  try {
    const consoleObject = vm.newObject();
    for (const level of ["log", "info", "warn", "error", "debug"]) {
      const fn = vm.newFunction(level, (...args) => {
        if (logs.length >= maxLines || logChars >= maxChars) return;
        let line = args.map((arg) => show(vm, arg)).join(" ");
        if (level !== "log" && level !== "info") line = `[${level}] ${line}`;
        line = line.slice(0, Math.max(0, maxChars - logChars));
        logChars += line.length;
        logs.push(line);
        if (logs.length === maxLines) logs.push(`(more console output left out)`);
      });
      vm.setProp(consoleObject, level, fn);
      fn.dispose();
    }
    vm.setProp(vm.global, "console", consoleObject);
    consoleObject.dispose();
    const json = vm.newString(JSON.stringify(input ?? {}));
    vm.setProp(vm.global, "__input_json", json);
    json.dispose();
    // The admin's code is a function body; the result goes out as JSON (plain data only).
    const wrapped = `"use strict";\nconst input = JSON.parse(__input_json);\nJSON.stringify((function (input) {\n${code}\n})(input) ?? null);`;
    const result = vm.evalCode(wrapped, "script.js");
    if (result.error) {
      const error = vm.dump(result.error) as { name?: string; message?: string; lineNumber?: number; stack?: string } | string;
      result.error.dispose();
      return { ok: false, logs, ...describeError(error, options) };
    }
    const text = vm.typeof(result.value) === "string" ? vm.getString(result.value) : "null";
    result.value.dispose();
    const maxOutput = options.maxOutputChars ?? 1_000_000;
    if (text.length > maxOutput) return { ok: false, logs, kind: "output", error: `the script's result is larger than ${maxOutput.toLocaleString("en-US")} characters` };
    return { ok: true, value: JSON.parse(text) as unknown, logs };
  } catch (error) {
    // The host failed inside the sandbox (its stack ran out): this module's state cannot be
    // trusted any more, so the next script gets a fresh one.
    wasmModule = null;
    return { ok: false, logs, kind: "error", error: `the script stopped the sandbox (${error instanceof Error ? error.message : String(error)})` };
  } finally {
    try {
      vm.dispose();
      runtime.dispose();
    } catch {
      wasmModule = null;
    }
  }
}

function describeError(error: { name?: string; message?: string; stack?: string } | string, options: SandboxOptions): { kind: "syntax" | "error" | "timeout" | "memory"; error: string } {
  if (typeof error !== "object" || error === null) return { kind: "error", error: `the script threw ${JSON.stringify(error) ?? String(error)}` };
  const message = error.message ?? String(error);
  if (error.name === "InternalError" && message === "interrupted") return { kind: "timeout", error: `the script ran longer than ${options.timeoutMs} ms and was stopped` };
  if (/out of memory/i.test(message) || (error.name === "RangeError" && /stack|memory/i.test(message))) {
    return { kind: "memory", error: `the script used more than ${Math.round(options.memoryBytes / 1024 / 1024)} MB of memory and was stopped (${message})` };
  }
  // Line numbers of the admin's code: the wrapper adds three lines before it.
  const line = /script\.js:(\d+)(?::(\d+))?/.exec(error.stack ?? "");
  const where = line ? ` (line ${Math.max(1, Number(line[1]) - 3)})` : "";
  if (error.name === "SyntaxError") return { kind: "syntax", error: `syntax error${where}: ${message}` };
  return { kind: "error", error: `${error.name ?? "Error"}${where}: ${message}` };
}
