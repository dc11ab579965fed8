import type { FormulaValue } from "@/formula/evaluator";
import type { FlowElement } from "@/spec/flow";
import type { ElementContext, ElementOutcome } from "./element-context";

/**
 * The wait element: works out when the run wakes (a number of minutes, hours or days from now,
 * or the date or date-time a formula gives). A time already past goes on at once; a later one
 * hands `wakeAt` to the interpreter, which leaves the run `waiting` (saved, held by no worker)
 * until a worker takes it at that time (flow-service.ts). A blank or unusable time is an error
 * naming the property: the element's fault path. A wait for a platform event hands `waitFor`
 * (the event, its key, when it times out) to the interpreter instead: the run waits until
 * `FlowService.publishEvent` wakes it (or its time runs out: the fault path).
 */

type Wait = Extract<FlowElement, { type: "wait" }>;

const UNIT_MS: Record<Wait["unit"], number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
/** The longest wait (about ten years): a wake time further out is surely a mistake. */
export const MAX_WAIT_MS = 3650 * 86_400_000;

/** When a wait that starts at `now` ends, from its formula's value; throws naming the property. */
export function wakeTime(element: Pick<Wait, "mode" | "unit">, value: FormulaValue, now: Date): Date {
  if (element.mode === "duration") {
    if (value === null) throw new Error("amount: the formula gave nothing (blank)");
    if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`amount: ${JSON.stringify(value)} is not a number`);
    if (value < 0) throw new Error(`amount: ${value} is negative`);
    const ms = value * UNIT_MS[element.unit];
    if (ms > MAX_WAIT_MS) throw new Error(`amount: ${value} ${element.unit} is longer than the longest wait (3,650 days)`);
    return new Date(now.getTime() + ms);
  }
  if (value === null) throw new Error("until: the formula gave nothing (blank)");
  if (typeof value !== "string") throw new Error(`until: ${JSON.stringify(value)} is not a date or date-time`);
  // A date wakes at its midnight (UTC, as dates are stored).
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (!Number.isFinite(time)) throw new Error(`until: '${value.slice(0, 60)}' is not a date or date-time`);
  if (time - now.getTime() > MAX_WAIT_MS) throw new Error(`until: ${value} is more than 3,650 days away`);
  return new Date(time);
}

/** What a run waiting for a platform event waits for. */
export type EventWait = { event: string; key: string; timeoutAt?: string };

export async function runWait(element: Wait, context: ElementContext): Promise<ElementOutcome & { wakeAt?: string; waitFor?: EventWait }> {
  const now = context.env.clock?.() ?? new Date();
  if (element.mode === "event") {
    const key = element.key ? (await context.render(element.key)).trim() : "";
    const amount = element.amount === undefined ? undefined : await context.evaluate(element.amount);
    const timeoutAt = amount === undefined ? undefined : wakeTime({ mode: "duration", unit: element.unit }, amount, now).toISOString();
    const waitFor: EventWait = { event: element.event!, key, ...(timeoutAt ? { timeoutAt } : {}) };
    return { handle: "next", inputs: { event: element.event, key, ...(amount === undefined ? {} : { amount, unit: element.unit }) }, outputs: { waitingFor: element.event, ...(timeoutAt ? { timeoutAt } : {}) }, waitFor };
  }
  const value = await context.evaluate(element.mode === "duration" ? element.amount! : element.until!);
  const wake = wakeTime(element, value, now);
  const wakeAt = wake.toISOString();
  const inputs = element.mode === "duration" ? { amount: value, unit: element.unit } : { until: value };
  if (wake.getTime() <= now.getTime()) return { handle: "next", inputs, outputs: { wakeAt, waited: false } };
  return { handle: "next", inputs, outputs: { wakeAt, waited: true }, wakeAt };
}
