"use client";
import { useId, useState } from "react";
import type { FieldDef } from "@/spec";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FieldEditor } from "./grid-cell-editor";
import { fromEditorValue, toEditorValue, type CellEditorValue } from "./grid-cell-value";

/**
 * Asks the value a bulk "update" action sets on the selected rows (when the view's action has
 * none), with the field's own editor; `onApply` gets the value to save.
 */
export default function GridBulkUpdateDialog({
  open,
  onOpenChange,
  label,
  field,
  count,
  error,
  pending,
  onApply,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  label: string;
  field: FieldDef;
  count: number;
  error: string | null;
  pending: boolean;
  onApply: (value: unknown) => void;
}) {
  const id = useId();
  const [value, setValue] = useState<CellEditorValue>(() => toEditorValue(field, null));
  const [invalid, setInvalid] = useState<string | null>(null);
  function apply() {
    const converted = fromEditorValue(field, value);
    if ("error" in converted) return setInvalid(converted.error);
    setInvalid(null);
    onApply(converted.value);
  }
  const problem = invalid ?? error;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={label}
      description={`Sets ${field.label} on ${count} selected ${count === 1 ? "record" : "records"}.`}
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" onClick={apply} disabled={pending}>
            {pending ? "Updating…" : `Update ${count} ${count === 1 ? "record" : "records"}`}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          apply();
        }}
        className="space-y-1.5"
      >
        <label htmlFor={id} className="block text-sm font-medium text-slate-700">{field.label}</label>
        <FieldEditor id={id} field={field} value={value} onChange={setValue} autoFocus invalid={!!problem} />
        {problem && <p role="alert" className="text-xs text-red-700">{problem}</p>}
      </form>
    </Dialog>
  );
}
