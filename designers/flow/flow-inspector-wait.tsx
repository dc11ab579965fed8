"use client";
import { WAIT_UNITS, type FlowDef, type FlowElement } from "@/spec/flow";
import type { FlowFormulaContext } from "./flow-formula";
import { FormulaInput, Select, TextInput, variableOptions } from "./flow-inspector-fields";

/** The wait element's inspector form: a duration (number formula and unit), a time to wait until, or a platform event. */

type Wait = Extract<FlowElement, { type: "wait" }>;

export function WaitForm({ element, flow, context, at, patch }: {
  element: Wait;
  flow: FlowDef;
  context: FlowFormulaContext;
  at: (property: string) => string | undefined;
  patch: (value: Partial<Wait>, key?: string) => void;
}) {
  return (
    <>
      <Select label="Wait" value={element.mode} placeholder={null} problem={at("mode")}
        onChange={(mode) => patch(mode === "duration" ? { mode, amount: element.amount ?? "1" } : mode === "event" ? { mode, event: element.event ?? "", amount: undefined } : { mode: "until", until: element.until ?? "NOW()" })}
        options={[{ value: "duration", label: "For a duration" }, { value: "until", label: "Until a date or time" }, { value: "event", label: "For a platform event" }]} />
      {element.mode === "event" ? (
        <>
          <TextInput label="Event" mono value={element.event ?? ""} onChange={(event) => patch({ event }, "event")} problem={at("event")}
            help="Its name, as it is published (POST /api/v1/events/<name>, or tRPC flows.publishEvent)." />
          <FormulaInput label="Key" template value={element.key ?? ""} onChange={(key) => patch({ key: key === "" ? undefined : key }, "key")} context={context} issue={at("key")}
            help="Only an event published with this key wakes the run ({!record.id}); empty: any." />
          <Select label="Payload into" value={element.payloadInto ?? ""} placeholder="Not kept" onChange={(payloadInto) => patch({ payloadInto: payloadInto || undefined })}
            options={variableOptions(flow, ["text"])} problem={at("payloadInto")} />
          <FormulaInput label="Longest wait" value={element.amount ?? ""} expected="number" onChange={(amount) => patch({ amount: amount.trim() === "" ? undefined : amount }, "amount")} context={context}
            issue={at("amount")} help="Optional: after this long without the event, the fault path." />
          {element.amount !== undefined && (
            <Select label="Unit" value={element.unit} placeholder={null} onChange={(unit) => patch({ unit: unit as Wait["unit"] })} problem={at("unit")}
              options={WAIT_UNITS.map((unit) => ({ value: unit, label: unit[0]!.toUpperCase() + unit.slice(1) }))} />
          )}
        </>
      ) : element.mode === "duration" ? (
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
