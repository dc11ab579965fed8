"use client";
import { Plus } from "lucide-react";
import { useId, type ReactNode } from "react";
import { Button } from "@/components/ui";
import { Input, Textarea } from "@/components/ui/input";
import { HTTP_CALLOUT_METHODS, type FlowDef, type FlowElement } from "@/spec/flow";
import { jsonTemplateProblem } from "@/server/automation/flow-check";
import type { FlowFormulaContext } from "./flow-formula";
import { FormulaInput, RemoveButton, Row, Select, TextInput, variableOptions } from "./flow-inspector-fields";

/**
 * Inspector forms of the elements that reach outside the run: HTTP callout, script, send email
 * (flow-inspector.tsx picks them by type). Text properties take {!merge} fields, checked as typed.
 */

type Outside = Extract<FlowElement, { type: "http_callout" | "script" | "send_email" }>;
type Props<T extends Outside> = {
  element: T;
  flow: FlowDef;
  context: FlowFormulaContext;
  /** The publish refusal for a property path of this element. */
  at: (property: string) => string | undefined;
  patch: (value: Partial<T>, key?: string) => void;
};

const ALL_TYPES = ["text", "number", "boolean", "date", "datetime", "record", "records"] as const;

function NumberInput({ label, value, min, max, onChange, problem }: { label: string; value: number; min: number; max: number; onChange: (value: number) => void; problem?: string }) {
  const id = useId();
  return (
    <Row label={label} htmlFor={id} problem={problem}>
      <Input id={id} type="number" min={min} max={max} value={value} className="h-8! py-1! text-sm"
        onChange={(event) => { const next = Number(event.target.value); if (Number.isInteger(next)) onChange(Math.min(max, Math.max(min, next))); }} />
    </Row>
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (value: boolean) => void }) {
  return <label className="flex items-center gap-1.5 text-sm"><input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} /> {label}</label>;
}

function Rows({ title, children, onAdd, addLabel }: { title: string; children: ReactNode; onAdd: () => void; addLabel: string }) {
  return (
    <div className="space-y-1.5">
      <p className="text-xs font-medium text-slate-600">{title}</p>
      {children}
      <Button size="sm" variant="ghost" onClick={onAdd}><Plus className="h-3.5 w-3.5" aria-hidden /> {addLabel}</Button>
    </div>
  );
}

export function HttpCalloutForm({ element, flow, context, at, patch }: Props<Extract<FlowElement, { type: "http_callout" }>>) {
  const setAt = <K extends "headers" | "mappings">(key: K, index: number, value: Partial<(typeof element)[K][number]>, coalesce?: string) =>
    patch({ [key]: element[key].map((row, i) => (i === index ? { ...row, ...value } : row)) } as Partial<typeof element>, coalesce ? `${key}.${coalesce}.${index}` : undefined);
  return (
    <>
      <Select label="Method" value={element.method} placeholder={null} onChange={(method) => patch({ method: method as typeof element.method })} options={HTTP_CALLOUT_METHODS.map((method) => ({ value: method, label: method }))} problem={at("method")} />
      <FormulaInput label="URL" template value={element.url} onChange={(url) => patch({ url }, "url")} context={context} issue={at("url")}
        help="http:// or https://; {!variable} merge fields. Private and loopback addresses are refused unless allow-listed (FLOW_HTTP_ALLOW_HOSTS)." />
      <Rows title="Headers" addLabel="Add header" onAdd={() => patch({ headers: [...element.headers, { name: "", value: "" }] })}>
        {element.headers.map((header, index) => (
          <div key={index} className="flex items-end gap-1.5" data-testid="header-row">
            <div className="w-2/5"><TextInput label={`Header ${index + 1} name`} mono value={header.name} onChange={(name) => setAt("headers", index, { name }, "name")} problem={at(`headers.${index}.name`)} /></div>
            <div className="flex-1"><TextInput label={`Header ${index + 1} value`} mono value={header.value} onChange={(value) => setAt("headers", index, { value }, "value")} problem={at(`headers.${index}.value`)} /></div>
            <RemoveButton label={`Remove header ${index + 1}`} onClick={() => patch({ headers: element.headers.filter((_, i) => i !== index) })} />
          </div>
        ))}
      </Rows>
      <Select label="Body" value={element.bodyType} placeholder={null} onChange={(bodyType) => patch({ bodyType: bodyType as typeof element.bodyType })}
        options={[{ value: "none", label: "No body" }, { value: "text", label: "Text" }, { value: "json", label: "JSON template" }]} />
      {element.bodyType !== "none" && (
        <FormulaInput label="Body template" template value={element.body} onChange={(body) => patch({ body }, "body")} context={context}
          issue={(element.bodyType === "json" ? jsonTemplateProblem(element.body) : null) ?? at("body")}
          help={element.bodyType === "json" ? 'Merge fields are filled in as JSON values: {"name": {!name}} (no quotes around them).' : "Text; {!variable} merge fields are filled in."} />
      )}
      <div className="grid grid-cols-2 gap-2">
        <NumberInput label="Timeout (ms)" value={element.timeoutMs} min={100} max={60_000} onChange={(timeoutMs) => patch({ timeoutMs }, "timeoutMs")} problem={at("timeoutMs")} />
        <NumberInput label="Retries" value={element.retries} min={0} max={5} onChange={(retries) => patch({ retries }, "retries")} problem={at("retries")} />
      </div>
      <Check label="Retry POST and PATCH too" checked={element.retryNonIdempotent} onChange={(retryNonIdempotent) => patch({ retryNonIdempotent })} />
      <Check label="Send an Idempotency-Key header (run and step)" checked={element.idempotencyKey} onChange={(idempotencyKey) => patch({ idempotencyKey })} />
      <Check label="4xx/5xx answers take the fault path" checked={element.failOnHttpError} onChange={(failOnHttpError) => patch({ failOnHttpError })} />
      <Select label="Status code into" value={element.statusInto ?? ""} placeholder="Not kept" onChange={(value) => patch({ statusInto: value || undefined })} options={variableOptions(flow, ["number", "text"])} problem={at("statusInto")} />
      <Select label="Response body into" value={element.bodyInto ?? ""} placeholder="Not kept" onChange={(value) => patch({ bodyInto: value || undefined })} options={variableOptions(flow, ["text"])} problem={at("bodyInto")} />
      <Rows title="JSON response into variables" addLabel="Add mapping" onAdd={() => patch({ mappings: [...element.mappings, { path: "", into: "" }] })}>
        {element.mappings.map((mapping, index) => (
          <div key={index} className="flex items-end gap-1.5" data-testid="mapping-row">
            <div className="w-1/2"><TextInput label={`Path ${index + 1}`} mono value={mapping.path} onChange={(path) => setAt("mappings", index, { path }, "path")} problem={at(`mappings.${index}.path`)} help="data.items[0].id" /></div>
            <div className="flex-1"><Select label={`Into ${index + 1}`} value={mapping.into} onChange={(into) => setAt("mappings", index, { into })} options={variableOptions(flow, [...ALL_TYPES])} problem={at(`mappings.${index}.into`)} /></div>
            <RemoveButton label={`Remove mapping ${index + 1}`} onClick={() => patch({ mappings: element.mappings.filter((_, i) => i !== index) })} />
          </div>
        ))}
      </Rows>
    </>
  );
}

export function ScriptForm({ element, flow, at, patch }: Props<Extract<FlowElement, { type: "script" }>>) {
  const codeId = useId();
  const variables = variableOptions(flow, [...ALL_TYPES]);
  return (
    <>
      <Row label="JavaScript" htmlFor={codeId} problem={at("code")} help="A function body: read input.<variable>, return { key: value }. No network, files or timers; console.log goes into the run's log.">
        <Textarea id={codeId} value={element.code} spellCheck={false} className="min-h-32 font-mono text-xs" onChange={(event) => patch({ code: event.target.value }, "code")} />
      </Row>
      <div className="space-y-1" role="group" aria-label="Inputs">
        <p className="text-xs font-medium text-slate-600">Inputs (as input.&lt;name&gt;)</p>
        {variables.length === 0 && <p className="text-xs text-slate-500">The flow has no variables.</p>}
        {variables.map((option) => (
          <Check key={option.value} label={option.label} checked={element.inputs.includes(option.value)}
            onChange={(on) => patch({ inputs: on ? [...element.inputs, option.value] : element.inputs.filter((name) => name !== option.value) })} />
        ))}
      </div>
      <Rows title="Outputs (keys of the returned object)" addLabel="Add output" onAdd={() => patch({ outputs: [...element.outputs, { key: "", into: "" }] })}>
        {element.outputs.map((output, index) => (
          <div key={index} className="flex items-end gap-1.5" data-testid="output-row">
            <div className="w-2/5"><TextInput label={`Key ${index + 1}`} mono value={output.key} onChange={(key) => patch({ outputs: element.outputs.map((row, i) => (i === index ? { ...row, key } : row)) }, `outputs.key.${index}`)} problem={at(`outputs.${index}.key`)} /></div>
            <div className="flex-1"><Select label={`Into ${index + 1}`} value={output.into} onChange={(into) => patch({ outputs: element.outputs.map((row, i) => (i === index ? { ...row, into } : row)) })} options={variables} problem={at(`outputs.${index}.into`)} /></div>
            <RemoveButton label={`Remove output ${index + 1}`} onClick={() => patch({ outputs: element.outputs.filter((_, i) => i !== index) })} />
          </div>
        ))}
      </Rows>
      <div className="grid grid-cols-2 gap-2">
        <NumberInput label="CPU time limit (ms)" value={element.timeoutMs} min={10} max={10_000} onChange={(timeoutMs) => patch({ timeoutMs }, "timeoutMs")} problem={at("timeoutMs")} />
        <NumberInput label="Memory limit (MB)" value={element.memoryMb} min={1} max={64} onChange={(memoryMb) => patch({ memoryMb }, "memoryMb")} problem={at("memoryMb")} />
      </div>
    </>
  );
}

export function SendEmailForm({ element, context, at, patch }: Props<Extract<FlowElement, { type: "send_email" }>>) {
  return (
    <>
      <FormulaInput label="To" template value={element.to} onChange={(to) => patch({ to }, "to")} context={context} issue={at("to")} help="Addresses separated by commas; {!record.email} merge fields." />
      <FormulaInput label="Cc" template value={element.cc} onChange={(cc) => patch({ cc }, "cc")} context={context} issue={at("cc")} help="Optional." />
      <FormulaInput label="Subject" template value={element.subject} onChange={(subject) => patch({ subject }, "subject")} context={context} issue={at("subject")} />
      <FormulaInput label="Body" template value={element.body} onChange={(body) => patch({ body }, "body")} context={context} issue={at("body")}
        help="Text; {!variable.field} merge fields are filled in. Sent through SMTP when configured, else filed in the Outbox." />
    </>
  );
}
