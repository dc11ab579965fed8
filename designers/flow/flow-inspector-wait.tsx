"use client";
import { WAIT_UNITS, type FlowElement } from "@/spec/flow";
import type { FlowFormulaContext } from "./flow-formula";
import { FormulaInput, Select } from "./flow-inspector-fields";

/** The wait element's inspector form: a duration (number formula and unit) or a time to wait until. */

type Wait = Extract<FlowElement, { type: "wait" }>;

export function WaitForm({ element, context, at, patch }: {
  element: Wait;
  context: FlowFormulaContext;
  at: (property: string) => string | undefined;
  patch: (value: Partial<Wait>, key?: string) => void;
}) {
  return (
    <>
      <Select label="Wait" value={element.mode} placeholder={null} problem={at("mode")}
        onChange={(mode) => patch(mode === "duration" ? { mode, amount: element.amount ?? "1" } : { mode: "until", until: element.until ?? "NOW()" })}
        options={[{ value: "duration", label: "For a duration" }, { value: "until", label: "Until a date or time" }]} />
      {element.mode === "duration" ? (
        <>
          <FormulaInput label="Amount" value={element.amount ?? ""} expected="number" onChange={(amount) => patch({ amount }, "amount")} context={context} issue={at("amount")}
            help="A number formula: 2, or record.days_to_wait." />
          <Select label="Unit" value={element.unit} placeholder={null} onChange={(unit) => patch({ unit: unit as Wait["unit"] })} problem={at("unit")}
            options={WAIT_UNITS.map((unit) => ({ value: unit, label: unit[0]!.toUpperCase() + unit.slice(1) }))} />
        </>
      ) : (
        <FormulaInput label="Until" value={element.until ?? ""} onChange={(until) => patch({ until }, "until")} context={context} issue={at("until")}
          help="A date (wakes at its midnight, UTC) or date-time formula: record.close_date, ADDDAYS(TODAY(), 1). A time already past goes on at once." />
      )}
      <p className="text-xs text-slate-500">The run is saved and waits without holding a worker; a debug run does not wait (it shows when it would wake).</p>
    </>
  );
}
