"use client";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormField, Input } from "@/components/ui/input";
import { errorIssues, errorMessage } from "@/components/trpc";

/** A dialog asking for a view's label; server issues about the label show under the input. */
export function ViewLabelDialog({ open, onOpenChange, title, description, note, initialLabel, submitLabel, onSubmit }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  note?: string;
  initialLabel: string;
  submitLabel: string;
  onSubmit: (label: string) => Promise<void>;
}) {
  const inputId = useId();
  const formId = useId();
  // Mounted only while open, so every opening starts from `initialLabel`.
  const [label, setLabel] = useState(initialLabel);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = label.trim();
    if (!trimmed) {
      setError("Give the view a name");
      return;
    }
    setPending(true);
    setError(null);
    try {
      await onSubmit(trimmed);
      onOpenChange(false);
    } catch (caught) {
      const issue = errorIssues(caught).find((candidate) => candidate.path.join(".").endsWith("label"));
      setError(issue ? `Name ${issue.message}` : errorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} disabled={pending}>{pending ? "Saving…" : submitLabel}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="space-y-3">
        <FormField label="View name" htmlFor={inputId} required error={error ?? undefined}>
          <Input id={inputId} value={label} maxLength={120} autoFocus onChange={(event) => setLabel(event.target.value)} aria-invalid={error ? true : undefined} />
        </FormField>
        {note && <p className="text-xs text-slate-500">{note}</p>}
      </form>
    </Dialog>
  );
}
