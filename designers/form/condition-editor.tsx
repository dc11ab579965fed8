"use client";
import { CircleAlert, CircleCheck, Code2, ListFilter, Plus, Trash2 } from "lucide-react";
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { Button, Input, NativeSelect, cn } from "@/components/ui";
import { compileCondition } from "@/formula/form-rules";
import type { FieldDef, ObjectDef } from "@/spec/object";
import {
  conditionExpression, conditionFields, conditionKind, needsValue, OPERATOR_LABELS, operatorsFor, parseCondition, rowProblem,
  type ConditionJoin, type ConditionModel, type ConditionOperator, type ConditionRow,
} from "./condition-model";

const loadCodeEditor = () => import("./condition-code-editor");
const ConditionCodeEditor = dynamic(loadCodeEditor, {
  ssr: false,
  loading: () => <div className="h-[72px] rounded-md border border-slate-300 p-2 text-xs text-slate-500">Loading editor…</div>,
});

function ValueInput({ id, field, row, onChange, label }: { id: string; field: FieldDef | undefined; row: ConditionRow; onChange: (value: string) => void; label: string }) {
  const kind = field ? conditionKind(field) : "text";
  if (field?.type === "select") {
    return (
      <NativeSelect id={id} aria-label={label} value={row.value} onChange={(e) => onChange(e.target.value)} className="h-8 text-xs">
        <option value="">Choose…</option>
        {field.options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </NativeSelect>
    );
  }
  if (kind === "boolean") {
    return (
      <NativeSelect id={id} aria-label={label} value={row.value || "true"} onChange={(e) => onChange(e.target.value)} className="h-8 text-xs">
        <option value="true">checked</option>
        <option value="false">unchecked</option>
      </NativeSelect>
    );
  }
  return (
    <Input id={id} aria-label={label} className="h-8 text-xs" value={row.value} onChange={(e) => onChange(e.target.value)}
      type={kind === "number" ? "number" : kind === "date" ? "date" : "text"} />
  );
}

/**
 * Edits one condition (visibleWhen, requiredWhen): a row builder (field, operator, value, joined
 * by AND or OR) or, for expressions the builder cannot show, the Monaco code editor. Either way
 * the compiler's verdict is shown under it.
 */
export function ConditionEditor({
  id,
  label,
  value,
  object,
  onChange,
  serverIssue,
  emptyText,
}: {
  id: string;
  label: string;
  value: string | undefined;
  object: ObjectDef;
  /** `coalesceKey` groups the edits of one input into one undo step. */
  onChange: (value: string | undefined, coalesceKey: string) => void;
  serverIssue?: string;
  /** What having no rule means, said plainly ("Always visible. ..."). */
  emptyText: string;
}) {
  const source = value ?? "";
  const parsed = parseCondition(source);
  const [mode, setMode] = useState<"builder" | "code">(parsed ? "builder" : "code");
  const [model, setModel] = useState<ConditionModel>(parsed ?? { join: "AND", rows: [] });
  // The last value this editor sent; any other value came from outside (undo, another element).
  const [emitted, setEmitted] = useState(source);
  if (source !== emitted) {
    setEmitted(source);
    const next = parseCondition(source);
    if (next) setModel(next);
    else setMode("code");
  }

  // Monaco is a large chunk: fetch it while the browser is idle, so "Code" opens at once
  // instead of after a download and parse (seconds on a slow link or a busy machine).
  useEffect(() => {
    if (typeof window.requestIdleCallback !== "function") return;
    const handle = window.requestIdleCallback(() => void loadCodeEditor().catch(() => undefined), { timeout: 5_000 });
    return () => window.cancelIdleCallback(handle);
  }, []);

  const fields = conditionFields(object);

  function emit(next: string | undefined, key: string) {
    setEmitted(next ?? "");
    onChange(next, key);
  }

  function updateModel(next: ConditionModel) {
    setModel(next);
    if (next.rows.some((row) => rowProblem(row, object) !== null)) return;
    const expression = conditionExpression(next, object);
    emit(expression === "" ? undefined : expression, `${id}.builder`);
  }

  function updateRow(index: number, patch: Partial<ConditionRow>) {
    const rows = model.rows.map((row, i) => {
      if (i !== index) return row;
      const next = { ...row, ...patch };
      if (patch.field !== undefined && patch.field !== row.field) {
        const field = object.fields.find((candidate) => candidate.name === patch.field);
        if (!operatorsFor(field).includes(next.operator)) next.operator = "=";
        next.value = field?.type === "boolean" ? "true" : "";
      }
      return next;
    });
    updateModel({ ...model, rows });
  }

  const check = source.trim() === "" ? null : compileCondition(source, object);
  const switchToBuilder = () => {
    const next = parseCondition(source);
    if (next) {
      setModel(next);
      setMode("builder");
    }
  };

  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-2" aria-label={label}>
      <div className="flex items-center justify-between">
        <span className="text-sm font-medium text-slate-700">{label}</span>
        <div className="flex rounded-md border border-slate-200 text-xs" role="group" aria-label={`${label} editor`}>
          <button type="button" aria-pressed={mode === "builder"} onClick={switchToBuilder} disabled={mode === "builder" || !parseCondition(source)}
            title={parseCondition(source) ? "Edit with the condition builder" : "This expression is too complex for the builder"}
            className={cn("inline-flex items-center gap-1 rounded-l-md px-2 py-1", mode === "builder" ? "bg-slate-100 font-medium" : "hover:bg-slate-50 disabled:opacity-50")}>
            <ListFilter className="h-3 w-3" aria-hidden /> Builder
          </button>
          <button type="button" aria-pressed={mode === "code"} onClick={() => setMode("code")}
            className={cn("inline-flex items-center gap-1 rounded-r-md border-l border-slate-200 px-2 py-1", mode === "code" ? "bg-slate-100 font-medium" : "hover:bg-slate-50")}>
            <Code2 className="h-3 w-3" aria-hidden /> Code
          </button>
        </div>
      </div>

      {mode === "builder" ? (
        <div className="space-y-2">
          {model.rows.length === 0 && <p className="text-xs text-slate-500" data-testid={`${id}-empty`}>{emptyText}</p>}
          {model.rows.map((row, index) => {
            const field = object.fields.find((candidate) => candidate.name === row.field);
            const problem = rowProblem(row, object);
            const n = index + 1;
            return (
              <div key={index} className="space-y-1" data-testid={`${id}-row-${n}`}>
                {index > 0 && (
                  <NativeSelect aria-label={`${label}: join rules with`} value={model.join} className="h-7 w-20 text-xs"
                    onChange={(e) => updateModel({ ...model, join: e.target.value as ConditionJoin })}>
                    <option value="AND">AND</option>
                    <option value="OR">OR</option>
                  </NativeSelect>
                )}
                <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] gap-1">
                  <NativeSelect aria-label={`${label} rule ${n} field`} value={row.field} className="h-8 text-xs"
                    onChange={(e) => updateRow(index, { field: e.target.value })}>
                    <option value="">Field…</option>
                    {fields.map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label}</option>)}
                  </NativeSelect>
                  <NativeSelect aria-label={`${label} rule ${n} operator`} value={row.operator} className="h-8 text-xs"
                    onChange={(e) => updateRow(index, { operator: e.target.value as ConditionOperator })}>
                    {operatorsFor(field).map((operator) => <option key={operator} value={operator}>{OPERATOR_LABELS[operator]}</option>)}
                  </NativeSelect>
                  <Button variant="ghost" size="sm" className="px-1.5" aria-label={`Remove ${label.toLowerCase()} rule ${n}`}
                    onClick={() => updateModel({ ...model, rows: model.rows.filter((_, i) => i !== index) })}>
                    <Trash2 className="h-3.5 w-3.5" aria-hidden />
                  </Button>
                </div>
                {needsValue(row.operator) && (
                  <ValueInput id={`${id}-row-${n}-value`} label={`${label} rule ${n} value`} field={field} row={row} onChange={(next) => updateRow(index, { value: next })} />
                )}
                {problem && <p className="text-xs text-amber-700">{problem}</p>}
              </div>
            );
          })}
          <Button size="sm" onClick={() => setModel({ ...model, rows: [...model.rows, { field: "", operator: "=", value: "" }] })}>
            <Plus className="h-3.5 w-3.5" aria-hidden /> Add rule
          </Button>
        </div>
      ) : (
        <ConditionCodeEditor id={id} value={source} object={object} ariaLabel={`${label} expression`}
          onChange={(next) => emit(next.trim() === "" ? undefined : next, `${id}.code`)} />
      )}

      {source.trim() !== "" && (
        <p className="break-all font-mono text-[11px] text-slate-500" data-testid={`${id}-expression`}>{source}</p>
      )}
      {check && !check.ok ? (
        <p role="alert" className="flex items-start gap-1 text-xs text-red-700">
          <CircleAlert className="mt-0.5 h-3 w-3 shrink-0" aria-hidden />
          <span>This condition does not compile: {check.message} (line {check.line}, column {check.column}).</span>
        </p>
      ) : check?.ok ? (
        <p className="flex items-center gap-1 text-xs text-emerald-700"><CircleCheck className="h-3 w-3" aria-hidden /> Valid condition</p>
      ) : null}
      {serverIssue && (check === null || check.ok) && <p role="alert" className="text-xs text-red-700">{serverIssue}</p>}
    </fieldset>
  );
}
