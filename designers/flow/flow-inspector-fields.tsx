"use client";
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { FilterTreeBuilder } from "@/components/runtime/filter-tree-builder";
import { Button, cn } from "@/components/ui";
import { Input, NativeSelect, Textarea } from "@/components/ui/input";
import type { ValueType } from "@/formula/ast";
import { valueTypeOfField } from "@/formula/type-checker";
import { flowRecordObject, type FlowDef, type FlowVariable } from "@/spec/flow";
import { isComputedField, type FieldDef, type ObjectDef } from "@/spec/object";
import { filterSchema, type Filter } from "@/spec/query";
import { formulaProblem, templateProblem, type FlowFormulaContext } from "./flow-formula";

const small = "h-8! py-1! text-sm";

/** A labelled control with the problem (from the check as typed, or from the publish refusal) under it. */
export function Row({ label, htmlFor, problem, children, help }: { label: string; htmlFor: string; problem?: string | null; children: ReactNode; help?: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-600">{label}</label>
      {children}
      {help && !problem && <p className="text-xs text-slate-500">{help}</p>}
      {problem && <p role="alert" className="text-xs text-red-600">{problem}</p>}
    </div>
  );
}

export function TextInput({ label, value, onChange, problem, help, mono }: { label: string; value: string; onChange: (value: string) => void; problem?: string | null; help?: string; mono?: boolean }) {
  const id = useId();
  return (
    <Row label={label} htmlFor={id} problem={problem} help={help}>
      <Input id={id} value={value} className={cn(small, mono && "font-mono")} aria-invalid={!!problem || undefined} onChange={(event) => onChange(event.target.value)} />
    </Row>
  );
}

/**
 * A formula over the flow's variables, type-checked as the admin types (the publish check's
 * message, "The expression is text, it must be number"); `issue` is the publish refusal's.
 */
export function FormulaInput({ label, value, onChange, context, expected, issue, template, help }: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  context: FlowFormulaContext;
  expected?: ValueType;
  issue?: string;
  /** Text with {!merge} fields rather than a formula. */
  template?: boolean;
  help?: string;
}) {
  const id = useId();
  const live = template ? templateProblem(value, context) : formulaProblem(value, context, expected);
  const problem = live ?? issue ?? null;
  const Control = template ? Textarea : Input;
  return (
    <Row label={label} htmlFor={id} problem={problem} help={help ?? (expected ? `A formula giving ${expected}` : undefined)}>
      <Control id={id} value={value} spellCheck={false} className={cn(template ? "min-h-16 text-sm" : small, "font-mono")} aria-invalid={!!problem || undefined}
        onChange={(event: { target: { value: string } }) => onChange(event.target.value)} data-formula />
    </Row>
  );
}

export function Select({ label, value, onChange, options, problem, placeholder = "Choose…" }: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  problem?: string | null;
  placeholder?: string | null;
}) {
  const id = useId();
  // A value that is no longer offered (a removed variable) stays visible, so the problem is legible.
  const missing = value !== "" && !options.some((option) => option.value === value);
  return (
    <Row label={label} htmlFor={id} problem={problem}>
      <NativeSelect id={id} value={value} className={small} aria-invalid={!!problem || undefined} onChange={(event) => onChange(event.target.value)}>
        {placeholder !== null && <option value="">{placeholder}</option>}
        {missing && <option value={value}>{value} (missing)</option>}
        {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </NativeSelect>
    </Row>
  );
}

/** The flow's variables with the `record` its start gives (record-triggered, scheduled over records). */
export function flowVariables(flow: FlowDef): FlowVariable[] {
  const recordObject = flowRecordObject(flow.start);
  return recordObject ? [{ name: "record", type: "record", object: recordObject, input: true, output: false }, ...flow.variables] : flow.variables;
}

/** The flow's variables of the given types (and of `object`, when given), as select options. */
export function variableOptions(flow: FlowDef, types: FlowVariable["type"][], object?: string) {
  return flowVariables(flow)
    .filter((variable) => types.includes(variable.type) && (!object || variable.object === object))
    .map((variable) => ({ value: variable.name, label: `${variable.name} (${variable.type}${variable.object ? ` of ${variable.object}` : ""})` }));
}

export function objectOptions(objects: ReadonlyMap<string, ObjectDef>) {
  return [...objects.values()].sort((a, b) => a.label.localeCompare(b.label)).map((object) => ({ value: object.name, label: `${object.label} (${object.name})` }));
}

/** Fields a flow may set (as flow-check.ts says: stored, not computed, not numbered). */
export function writableFields(object: ObjectDef): FieldDef[] {
  return object.fields.filter((field) => !isComputedField(field) && field.type !== "autonumber");
}

/** Rows of `field = formula` (create and update elements). */
export function FieldValuesEditor({ object, values, onChange, context, issueAt }: {
  object: ObjectDef | undefined;
  values: { field: string; value: string }[];
  onChange: (values: { field: string; value: string }[]) => void;
  context: FlowFormulaContext;
  issueAt: (property: string) => string | undefined;
}) {
  if (!object) return <p className="text-xs text-slate-500">Choose the object first.</p>;
  const fields = writableFields(object);
  const set = (index: number, patch: Partial<{ field: string; value: string }>) => onChange(values.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)));
  const free = fields.find((field) => !values.some((entry) => entry.field === field.name));
  return (
    <div className="space-y-2">
      {values.map((entry, index) => {
        const field = object.fields.find((candidate) => candidate.name === entry.field);
        return (
          <div key={index} className="space-y-1.5 rounded-md border border-slate-200 p-2" data-testid="field-value-row">
            <div className="flex items-end gap-1.5">
              <div className="flex-1">
                <Select label={`Field ${index + 1}`} value={entry.field} onChange={(value) => set(index, { field: value })} problem={issueAt(`${index}.field`)}
                  options={fields.map((candidate) => ({ value: candidate.name, label: `${candidate.label} (${candidate.name})` }))} />
              </div>
              <RemoveButton label={`Remove field ${index + 1}`} onClick={() => onChange(values.filter((_, i) => i !== index))} />
            </div>
            <FormulaInput label={`Value ${index + 1}`} value={entry.value} onChange={(value) => set(index, { value })} context={context}
              expected={field ? (valueTypeOfField(field) ?? undefined) : undefined} issue={issueAt(`${index}.value`)} />
          </div>
        );
      })}
      <Button size="sm" variant="ghost" disabled={!free} onClick={() => free && onChange([...values, { field: free.name, value: "" }])}>
        <Plus className="h-3.5 w-3.5" aria-hidden /> Add field value
      </Button>
    </div>
  );
}

export function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" aria-label={label} title={label} onClick={onClick}
      className="mb-0.5 rounded p-1.5 text-slate-400 hover:bg-red-50 hover:text-red-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
      <Trash2 className="h-3.5 w-3.5" aria-hidden />
    </button>
  );
}

export function MoveButtons({ index, count, onMove, what }: { index: number; count: number; onMove: (from: number, to: number) => void; what: string }) {
  return (
    <>
      <button type="button" aria-label={`Move ${what} up`} disabled={index === 0} onClick={() => onMove(index, index - 1)} className="rounded p-1 text-slate-400 hover:bg-slate-100 disabled:opacity-30">
        <ArrowUp className="h-3.5 w-3.5" aria-hidden />
      </button>
      <button type="button" aria-label={`Move ${what} down`} disabled={index === count - 1} onClick={() => onMove(index, index + 1)} className="rounded p-1 text-slate-400 hover:bg-slate-100 disabled:opacity-30">
        <ArrowDown className="h-3.5 w-3.5" aria-hidden />
      </button>
    </>
  );
}

/**
 * A filter: the filter builder the view designer uses, or its JSON, where any value may be a
 * `{!variable}` merge field (the builder's value inputs follow the field's type: a lookup
 * picks a record, so `{!record.id}` is typed in the JSON).
 */
export function FlowFilterEditor({ object, value, onChange, issues }: {
  object: ObjectDef | undefined;
  value: Filter | undefined;
  onChange: (filter: Filter | undefined) => void;
  issues: Record<string, string>;
}) {
  const [asJson, setAsJson] = useState(false);
  const [text, setText] = useState(() => (value ? JSON.stringify(value, null, 2) : ""));
  const [jsonProblem, setJsonProblem] = useState<string | null>(null);
  const id = useId();
  if (!object) return <p className="text-xs text-slate-500">Choose the object first.</p>;
  function editJson(next: string) {
    setText(next);
    if (next.trim() === "") return void (setJsonProblem(null), onChange(undefined));
    try {
      const parsed = filterSchema.safeParse(JSON.parse(next));
      if (!parsed.success) return void setJsonProblem(parsed.error.issues[0] ? `${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}` : "is not a filter");
      setJsonProblem(null);
      onChange(parsed.data);
    } catch {
      setJsonProblem("is not valid JSON");
    }
  }
  const general = Object.entries(issues).map(([path, message]) => (path ? `${path}: ${message}` : message));
  return (
    <div className="space-y-2">
      <label className="flex items-center gap-2 text-xs text-slate-600">
        <input type="checkbox" checked={asJson} className="h-3.5 w-3.5 accent-brand-600"
          onChange={(event) => { setAsJson(event.target.checked); setText(value ? JSON.stringify(value, null, 2) : ""); setJsonProblem(null); }} />
        Edit as JSON (merge fields like {"{!record.id}"} in any value)
      </label>
      {asJson ? (
        <Row label="Filter (JSON)" htmlFor={id} problem={jsonProblem ?? general[0]}>
          <Textarea id={id} value={text} rows={6} className="font-mono text-xs" spellCheck={false} onChange={(event) => editJson(event.target.value)}
            placeholder={'{ "field": "account", "operator": "=", "value": "{!record.account}" }'} />
        </Row>
      ) : (
        <FilterTreeBuilder object={object} value={value} onChange={onChange} issues={issues} />
      )}
    </div>
  );
}
