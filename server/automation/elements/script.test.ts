import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness, defineObject, systemCtx } from "@/server/objectql/test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "@/server/objectql/test-support/test-databases";
import { runSandboxed } from "@/server/sandbox/js-sandbox";
import { flowsOver } from "./test-support/flow-over";

/**
 * The script element and its WebAssembly sandbox: limits that stop runaway code (CPU time,
 * memory), nothing of Node inside, outputs converted to their variables' types, console output
 * in the step log, and every failure on the fault path with its reason.
 */

const limits = { timeoutMs: 300, memoryBytes: 8 * 1024 * 1024 };

describe("JavaScript sandbox", () => {
  it("stops an infinite loop at the CPU time limit", async () => {
    const started = Date.now();
    const result = await runSandboxed("while (true) {}", {}, limits);
    expect(result).toMatchObject({ ok: false, kind: "timeout", error: "the script ran longer than 300 ms and was stopped" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("stops a huge allocation at the memory limit", async () => {
    const result = await runSandboxed("const parts = []; for (;;) parts.push({ n: parts.length, s: 'item ' + parts.length }); return {};", {}, { ...limits, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, kind: "memory" });
    expect((result as { error: string }).error).toMatch(/^the script used more than 8 MB of memory and was stopped/);
    expect(await runSandboxed("return { s: 'x'.repeat(50 * 1024 * 1024).length }", {}, limits)).toMatchObject({ ok: false, kind: "memory" });
  });

  it("turns runaway recursion into a stack overflow inside the sandbox, and the next script runs", async () => {
    expect(await runSandboxed("(function f() { f(); })(); return {}", {}, limits)).toMatchObject({ ok: false, kind: "error", error: expect.stringMatching(/InternalError.*stack overflow/) });
    expect(await runSandboxed("return { two: 1 + 1 }", {}, limits)).toEqual({ ok: true, value: { two: 2 }, logs: [] });
  });

  it("has no require, process, fetch, timers or file access", async () => {
    const result = await runSandboxed(
      "return { kinds: [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof XMLHttpRequest, typeof Deno, typeof Bun, typeof std, typeof os, typeof WebAssembly].join(',') }",
      {},
      limits,
    );
    expect(result).toEqual({ ok: true, value: { kinds: Array(10).fill("undefined").join(",") }, logs: [] });
    expect(await runSandboxed("return require('fs')", {}, limits)).toMatchObject({ ok: false, kind: "error", error: expect.stringMatching(/ReferenceError.*require/) });
    // import() of a module: QuickJS here has no module loader.
    expect(await runSandboxed("import('fs'); return {}", {}, limits)).toMatchObject({ ok: true });
  });

  it("reports syntax errors and throws with the line of the admin's code", async () => {
    expect(await runSandboxed("let x = ;", {}, limits)).toMatchObject({ ok: false, kind: "syntax", error: expect.stringMatching(/^syntax error \(line 1\)/) });
    expect(await runSandboxed("const a = 1;\nthrow new TypeError('bad ' + a);", {}, limits)).toMatchObject({ ok: false, kind: "error", error: "TypeError (line 2): bad 1" });
    expect(await runSandboxed("throw 'plain'", {}, limits)).toMatchObject({ ok: false, error: 'the script threw "plain"' });
  });

  it("captures console output, bounded", async () => {
    const result = await runSandboxed("for (let i = 0; i < 500; i++) console.log('line', i, { i }); console.warn('w'); return {}", {}, limits);
    expect(result.ok).toBe(true);
    expect(result.logs[0]).toBe('line 0 {"i":0}');
    expect(result.logs).toHaveLength(101);
    expect(result.logs.at(-1)).toBe("(more console output left out)");
  });
});

const order = defineObject({
  name: "purchase",
  label: "Order",
  pluralLabel: "Orders",
  fields: [{ id: "o1", name: "title", label: "Title", type: "text", required: true }, { id: "o2", name: "amount", label: "Amount", type: "number", scale: 2 }],
});

describe("script element", () => {
  let test: TestDatabase;
  let harness: Harness;
  beforeEach(async () => {
    test = await sqliteFactory.create();
    harness = new Harness(test.db);
    await harness.sync(order);
  });
  afterEach(() => test.cleanup());

  const scriptFlow = (code: string, outputs: { key: string; into: string }[], extra: Record<string, unknown> = {}) => ({
    name: "calc",
    label: "Calc",
    start: { type: "autolaunched" as const },
    variables: [
      { name: "amount", type: "number" as const, input: true },
      { name: "the_order", type: "record" as const, object: "purchase", input: true },
      { name: "total", type: "number" as const },
      { name: "label", type: "text" as const },
      { name: "flag", type: "boolean" as const },
      { name: "when", type: "date" as const },
      { name: "same", type: "record" as const, object: "purchase" },
      { name: "problem", type: "text" as const },
    ],
    elements: [
      { id: "calc", label: "Compute", type: "script", code, inputs: ["amount", "the_order"], outputs, timeoutMs: 500, ...extra },
      { id: "caught", label: "Fault", type: "assignment", assignments: [{ target: "problem", value: "fault_message" }] },
    ],
    edges: [{ source: "start", target: "calc" }, { source: "calc", handle: "fault", target: "caught" }],
  });

  it("passes inputs in as JSON and copies outputs into variables, converted to their types", async () => {
    const flows = flowsOver(harness);
    const record = await harness.ql.insert(systemCtx, "purchase", { title: "Desk", amount: 120 });
    flows.publish(scriptFlow(
      "console.log('order', input.the_order.title);\nreturn { total: input.amount * 1.2, label: input.the_order.title.toUpperCase(), flag: 'true', when: '2026-12-31', same: input.the_order.id, extra: 1 };",
      [{ key: "total", into: "total" }, { key: "label", into: "label" }, { key: "flag", into: "flag" }, { key: "when", into: "when" }, { key: "same", into: "same" }],
    ));
    const { state, steps, variables } = await flows.run("calc", { amount: 10, the_order: record });
    expect(state.status).toBe("finished");
    expect(variables).toMatchObject({ total: 12, label: "DESK", flag: true, when: "2026-12-31", problem: null });
    expect((variables.same as { title: string }).title).toBe("Desk");
    expect(steps[0]!.outputs).toMatchObject({ log: ["order Desk"], result: { total: 12, extra: 1 } });
  });

  it("takes the fault path on a throw, a timeout, a result that does not fit, or a missing return", async () => {
    const flows = flowsOver(harness);
    const cases: [string, string | RegExp][] = [
      ["throw new Error('no stock')", "Script: Error (line 1): no stock"],
      ["while (true) {}", "Script: the script ran longer than 500 ms and was stopped"],
      ["return { total: 'lots' }", `Script output 'total': the value for 'total' must be a finite number (got "lots")`],
      ["console.log('about to'); return 5", /^Script: it must return an object with 'total' \(it returned number\) $|^Script: it must return an object with 'total' \(it returned number\)$/],
      ["return fetch('http://example.com')", /^Script: ReferenceError \(line 1\): '?fetch'? is not defined/],
    ];
    for (const [code, message] of cases) {
      flows.publish(scriptFlow(code, [{ key: "total", into: "total" }]));
      const { state, variables, steps } = await flows.run("calc", { amount: 1 });
      expect(state.status, code).toBe("finished");
      expect(steps[0]!.handle, code).toBe("fault");
      if (typeof message === "string") expect(variables.problem, code).toBe(message);
      else expect(variables.problem, code).toMatch(message);
    }
  });
});
