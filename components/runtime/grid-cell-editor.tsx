"use client";
import { useId, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";
import type { FieldDef } from "@/spec";
import { cn } from "@/components/ui/cn";
import { LookupPicker } from "./lookup-picker";
import { cellEditorKind, toEditorValue, type CellEditorValue } from "./grid-cell-value";
import { isLookupValue } from "./types";

export type FieldEditorProps = {
  field: FieldDef;
  value: CellEditorValue;
  onChange: (value: CellEditorValue) => void;
  id?: string;
  autoFocus?: boolean;
  className?: string;
  invalid?: boolean;
};

const inputClass = "h-8 w-full rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30";

/** An input fitting the field's type (text, number, select, date, date-time, checkbox or lookup picker). */
export function FieldEditor({ field, value, onChange, id: givenId, autoFocus, className, invalid }: FieldEditorProps) {
  const fallbackId = useId();
  const id = givenId ?? fallbackId;
  const kind = cellEditorKind(field);
  const text = typeof value === "string" ? value : "";
  const common = { id, autoFocus, "aria-label": field.label, "aria-invalid": invalid || undefined };
  switch (kind) {
    case "boolean":
      return (
        <input {...common} type="checkbox" className={cn("h-4 w-4 rounded border-slate-300", className)} checked={value === true} onChange={(event) => onChange(event.target.checked)} />
      );
    case "select":
      return (
        <select {...common} className={cn(inputClass, "py-0", className)} value={text} onChange={(event) => onChange(event.target.value)}>
          <option value="">—</option>
          {field.type === "select" && field.options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </select>
      );
    case "lookup":
      return (
        <div className={className}>
          <LookupPicker
            id={id}
            reference={field.type === "lookup" || field.type === "master_detail" ? field.reference : ""}
            value={isLookupValue(value) ? value : null}
            onChange={onChange}
            label={field.label}
            invalid={invalid}
            required={field.required}
          />
        </div>
      );
    case "number":
      return <input {...common} type="number" step="any" inputMode="decimal" className={cn(inputClass, "text-right tabular-nums", className)} value={text} onChange={(event) => onChange(event.target.value)} />;
    case "date":
      return <input {...common} type="date" className={cn(inputClass, className)} value={text} onChange={(event) => onChange(event.target.value)} />;
    case "datetime":
      return <input {...common} type="datetime-local" className={cn(inputClass, className)} value={text} onChange={(event) => onChange(event.target.value)} />;
    default:
      return <input {...common} type={field.type === "email" ? "email" : "text"} className={cn(inputClass, className)} value={text} onChange={(event) => onChange(event.target.value)} />;
  }
}

/**
 * The editor open in a grid cell: Enter or leaving the cell saves, Escape cancels; picking a
 * record in a lookup saves at once. The server's answer to a failed save shows under the cell.
 */
export function CellEditor({
  field,
  initial,
  error,
  saving,
  onCommit,
  onCancel,
}: {
  field: FieldDef;
  initial: unknown;
  error: string | null;
  saving: boolean;
  onCommit: (value: CellEditorValue) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState<CellEditorValue>(() => toEditorValue(field, initial));
  const closed = useRef(false);
  const kind = cellEditorKind(field);

  function commit(next: CellEditorValue) {
    if (closed.current || saving) return;
    onCommit(next);
  }
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closed.current = true;
      onCancel();
    } else if (event.key === "Enter" && kind !== "lookup") {
      event.preventDefault();
      event.stopPropagation();
      commit(value);
    }
  }
  function onBlur(event: FocusEvent<HTMLDivElement>) {
    if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
    // A lookup saves when a record is picked; leaving it without picking changes nothing.
    if (kind === "lookup") {
      closed.current = true;
      onCancel();
    } else commit(value);
  }

  return (
    <div className="relative" onKeyDown={onKeyDown} onBlur={onBlur} data-testid="cell-editor">
      <FieldEditor
        field={field}
        value={value}
        autoFocus
        invalid={!!error}
        onChange={(next) => {
          setValue(next);
          if (kind === "lookup") commit(next);
        }}
      />
      {error && (
        <p role="alert" className="absolute left-0 top-full z-30 mt-1 w-max max-w-xs whitespace-normal rounded-md border border-red-200 bg-red-50 px-2 py-1 text-xs text-red-700 shadow-sm">
          {error}
        </p>
      )}
    </div>
  );
}
