import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flowSchema, WAIT_UNITS } from "@/spec/flow";
import { flowMetadataIssues } from "../flow-check";
import { MAX_WAIT_MS, wakeTime } from "./wait";

/**
 * The wait element's publish checks, its wake-time arithmetic, and property tests over its input
 * surface (the schema, and any formula value at run time). The runtime (waiting, being taken at
 * the time by one worker, resuming) is tested on every driver in flow-waits.suite.ts.
 */

const base = {
  name: "pause",
  label: "Pause",
  variables: [{ name: "n", type: "number" }, { name: "day", type: "date" }, { name: "at", type: "datetime" }, { name: "word", type: "text" }],
  edges: [{ source: "start", target: "el" }],
};
const issuesOf = (element: Record<string, unknown>, start: Record<string, unknown> = { type: "autolaunched" }) =>
  flowMetadataIssues(flowSchema.parse({ ...base, start, elements: [element] }), () => undefined, () => undefined);

describe("wait: publish checks", () => {
  it("accepts number durations and date or date-time times", () => {
    for (const element of [
      { mode: "duration", amount: "n * 2", unit: "days" },
      { mode: "duration", amount: "3" },
      { mode: "until", until: "day" },
      { mode: "until", until: "at" },
      { mode: "until", until: "NOW()" },
      { mode: "until", until: "ADDDAYS(TODAY(), n)" },
      { mode: "until", until: "TODAY()" },
    ]) {
      expect(issuesOf({ id: "el", label: "Hold", type: "wait", ...element })).toEqual([]);
    }
  });

  it("refuses a formula of the wrong type, naming the element and the property", () => {
    expect(issuesOf({ id: "el", label: "Hold", type: "wait", mode: "duration", amount: "word" })).toEqual([
      { path: ["elements", "0", "amount"], message: "Element 'el' (Hold): amount: the expression is text, it must be number" },
    ]);
    expect(issuesOf({ id: "el", label: "Hold", type: "wait", mode: "until", until: "n + 1" })).toEqual([
      { path: ["elements", "0", "until"], message: "Element 'el' (Hold): until: the expression is number, it must be a date or date-time" },
    ]);
    expect(issuesOf({ id: "el", label: "Hold", type: "wait", mode: "until", until: "ghost" })[0]).toMatchObject({ path: ["elements", "0", "until"], message: expect.stringMatching(/^Element 'el' \(Hold\): until: /) });
  });

  it("refuses a wait in a before-save flow, naming the element", () => {
    const issues = issuesOf({ id: "el", label: "Hold", type: "wait", mode: "duration", amount: "1" }, { type: "record", object: "deal", when: "before_save", on: "create" });
    expect(issues).toContainEqual({ path: ["elements", "0", "type"], message: expect.stringMatching(/^Element 'el' \(Hold\): a before-save flow .* use an after-save flow to wait/) });
  });

  it("has a next and a fault path, and refuses edges out of anything else", () => {
    const def = flowSchema.parse({
      ...base, start: { type: "autolaunched" },
      elements: [{ id: "el", label: "Hold", type: "wait", amount: "1" }, { id: "after", label: "After", type: "assignment", assignments: [{ target: "n", value: "1" }] }, { id: "oops", label: "Oops", type: "custom_error", message: "x" }],
      edges: [...base.edges, { source: "el", target: "after" }, { source: "el", handle: "fault", target: "oops" }, { source: "el", handle: "each", target: "after" }],
    });
    const issues = flowMetadataIssues(def, () => undefined, () => undefined);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(["edges", "3", "handle"]);
  });

  it("the schema requires the property of the mode and names it", () => {
    const parse = (element: Record<string, unknown>) => flowSchema.safeParse({ ...base, start: { type: "autolaunched" }, elements: [{ id: "el", label: "Hold", type: "wait", ...element }] });
    expect(parse({ mode: "duration" }).error!.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["elements.0.amount", "is required for a wait of a duration"]]);
    expect(parse({ mode: "until", amount: "1" }).error!.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["elements.0.until", "is required for a wait until a time"]]);
    expect(parse({ amount: "1", unit: "weeks" }).error!.issues[0]!.path.join(".")).toBe("elements.0.unit");
  });
});

describe("wait: the wake time", () => {
  const now = new Date("2026-12-07T10:00:00Z");
  it("adds a duration, reads dates at their midnight (UTC) and date-times as given", () => {
    expect(wakeTime({ mode: "duration", unit: "minutes" }, 90, now).toISOString()).toBe("2026-12-07T11:30:00.000Z");
    expect(wakeTime({ mode: "duration", unit: "hours" }, 1.5, now).toISOString()).toBe("2026-12-07T11:30:00.000Z");
    expect(wakeTime({ mode: "duration", unit: "days" }, 2, now).toISOString()).toBe("2026-12-09T10:00:00.000Z");
    expect(wakeTime({ mode: "until", unit: "minutes" }, "2026-12-24", now).toISOString()).toBe("2026-12-24T00:00:00.000Z");
    expect(wakeTime({ mode: "until", unit: "minutes" }, "2026-12-07T10:00:05.000Z", now).toISOString()).toBe("2026-12-07T10:00:05.000Z");
  });
  it("refuses blank, negative, unusable and absurdly far times, naming the property", () => {
    expect(() => wakeTime({ mode: "duration", unit: "minutes" }, null, now)).toThrow(/^amount: the formula gave nothing/);
    expect(() => wakeTime({ mode: "duration", unit: "minutes" }, -1, now)).toThrow(/^amount: -1 is negative/);
    expect(() => wakeTime({ mode: "duration", unit: "days" }, 4000, now)).toThrow(/^amount: .* longest wait/);
    expect(() => wakeTime({ mode: "until", unit: "minutes" }, null, now)).toThrow(/^until: the formula gave nothing/);
    expect(() => wakeTime({ mode: "until", unit: "minutes" }, "soon", now)).toThrow(/^until: 'soon' is not a date/);
    expect(() => wakeTime({ mode: "until", unit: "minutes" }, "9999-01-01", now)).toThrow(/^until: .* 3,650 days away/);
  });
});

describe("wait: input surfaces (property tests)", () => {
  it("any wait element input parses to a checked element or is refused with a path into it", () => {
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("1", "n", "NOW() + 1", "day", "", "  ", "record.close"));
    const element = fc.record(
      { id: fc.oneof(fc.constant("el"), fc.string({ maxLength: 8 })), label: fc.oneof(fc.constant("Hold"), fc.string({ maxLength: 4 })), type: fc.constant("wait"), mode: fc.oneof(fc.constantFrom("duration", "until"), fc.string({ maxLength: 6 })), amount: text, until: text, unit: fc.oneof(fc.constantFrom(...WAIT_UNITS), fc.string({ maxLength: 6 }), fc.integer()) },
      { requiredKeys: ["type"] },
    );
    fc.assert(
      fc.property(element, (input) => {
        const parsed = flowSchema.safeParse({ ...base, start: { type: "autolaunched" }, elements: [input] });
        if (!parsed.success) {
          for (const issue of parsed.error.issues) expect(issue.path.slice(0, 2)).toEqual(["elements", 0]);
          return;
        }
        const wait = parsed.data.elements[0]!;
        if (wait.type !== "wait") throw new Error("not a wait");
        expect(WAIT_UNITS).toContain(wait.unit);
        expect(wait.mode === "duration" ? wait.amount : wait.until).toBeTruthy();
        // Publishing it never throws: problems are listed.
        expect(Array.isArray(flowMetadataIssues(parsed.data, () => undefined, () => undefined))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("any value a formula gives wakes at a valid time within bounds, or is an error naming the property", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    const value = fc.oneof(fc.constant(null), fc.double(), fc.integer(), fc.string({ maxLength: 30 }), fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)), fc.boolean());
    fc.assert(
      fc.property(fc.constantFrom("duration", "until") as fc.Arbitrary<"duration" | "until">, fc.constantFrom(...WAIT_UNITS), value, (mode, unit, given) => {
        try {
          const wake = wakeTime({ mode, unit }, given as never, now);
          expect(Number.isFinite(wake.getTime())).toBe(true);
          expect(wake.getTime() - now.getTime()).toBeLessThanOrEqual(MAX_WAIT_MS);
          if (mode === "duration") expect(wake.getTime()).toBeGreaterThanOrEqual(now.getTime());
        } catch (error) {
          expect((error as Error).message).toMatch(mode === "duration" ? /^amount: / : /^until: /);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
