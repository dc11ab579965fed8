import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flowSchema } from "@/spec/flow";
import { runSandboxed } from "@/server/sandbox/js-sandbox";
import { flowMetadataIssues } from "../flow-check";
import { parseAddresses } from "./send-email";

/**
 * Publish checks of script and send_email (http_callout's are in http-callout.test.ts), and
 * property tests over their input surfaces: any script text and any recipient text end in a
 * result or a clear error, never a crash.
 */

const base = {
  name: "outside",
  label: "Outside",
  variables: [{ name: "n", type: "number" }, { name: "when", type: "date" }],
  edges: [{ source: "start", target: "el" }],
};

describe("publish checks", () => {
  it("refuses callouts and email in a before-save flow, naming the element", () => {
    for (const element of [
      { id: "el", label: "Call", type: "http_callout", url: "https://example.com/" },
      { id: "el", label: "Mail", type: "send_email", to: "a@example.com", subject: "s" },
    ]) {
      const def = flowSchema.parse({ ...base, start: { type: "record", object: "deal", when: "before_save", on: "create" }, elements: [element] });
      const issues = flowMetadataIssues(def, () => undefined, () => undefined);
      expect(issues).toContainEqual({ path: ["elements", "0", "type"], message: expect.stringMatching(new RegExp(`^Element 'el' \\(${element.label}\\): a before-save flow changes only the record being saved .* use an after-save flow to (call web services|send email)$`)) });
    }
  });

  it("checks a script's input and output variables and an email's merge fields", () => {
    const script = flowSchema.parse({ ...base, start: { type: "autolaunched" }, elements: [{ id: "el", label: "Run", type: "script", code: "return {}", inputs: ["n", "ghost"], outputs: [{ key: "x", into: "nothing" }] }] });
    expect(flowMetadataIssues(script, () => undefined, () => undefined)).toEqual([
      { path: ["elements", "0", "inputs", "1"], message: "Element 'el' (Run): input: there is no variable 'ghost'" },
      { path: ["elements", "0", "outputs", "0", "into"], message: "Element 'el' (Run): output 'x': there is no variable 'nothing'" },
    ]);
    const mail = flowSchema.parse({ ...base, start: { type: "autolaunched" }, elements: [{ id: "el", label: "Mail", type: "send_email", to: "{!n + 'x'}", subject: "Hi {!nope}", body: "{!when" }] });
    const byPath = Object.fromEntries(flowMetadataIssues(mail, () => undefined, () => undefined).map((issue) => [issue.path.join("."), issue.message]));
    expect(Object.keys(byPath).sort()).toEqual(["elements.0.body", "elements.0.subject", "elements.0.to"]);
    expect(byPath["elements.0.subject"]).toMatch(/^Element 'el' \(Mail\): merge field \{!nope\}: /);
    expect(byPath["elements.0.body"]).toMatch(/'\{!' has no closing '\}'/);
    // Required properties are refused by the schema with their path.
    const missing = flowSchema.safeParse({ ...base, start: { type: "autolaunched" }, elements: [{ id: "el", label: "Mail", type: "send_email", to: "", subject: "" }] });
    expect(missing.error!.issues.map((issue) => issue.path.join("."))).toEqual(["elements.0.to", "elements.0.subject"]);
  });
});

describe("input surfaces (property tests)", () => {
  it("any script text runs to a result or a described error", async () => {
    const fragments = fc.constantFrom("return {a:1}", "while(1){}", "throw 1", "}", "{", "input.x.y", "console.log(input)", "return input", "(function f(){f()})()", "'\\u0000'", "return new Proxy({}, {})", "globalThis.constructor.constructor('return this')()");
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.array(fragments, { maxLength: 4 }).map((parts) => parts.join(";\n"))), fc.jsonValue(), async (code, input) => {
        const result = await runSandboxed(code, { x: input }, { timeoutMs: 50, memoryBytes: 4 * 1024 * 1024 });
        if (!result.ok) expect(result.error.length).toBeGreaterThan(0);
        expect(Array.isArray(result.logs)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("any recipient text gives checked addresses or an error naming the property", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.oneof(fc.emailAddress(), fc.string()), { maxLength: 60 }).map((parts) => parts.join(", "))), (text) => {
        try {
          const addresses = parseAddresses(text, "cc", false);
          for (const address of addresses) expect(address).toMatch(/^[^\s,;]+@[A-Za-z0-9.-]+$/);
        } catch (error) {
          expect((error as Error).message).toMatch(/^cc: /);
        }
      }),
      { numRuns: 500 },
    );
  });
});
