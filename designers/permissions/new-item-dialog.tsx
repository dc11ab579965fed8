"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import { Alert, Button, Dialog } from "@/components/ui";
import { toApiName } from "@/designers/shared/api-name";
import { LabelAndApiNameFields, validateCommon, type Errors } from "@/designers/shared/new-document-dialogs";
import { useCommandRefusal } from "./use-command-refusal";

/**
 * "New profile / role / group / rule": label and API name (derived from the label until edited),
 * plus any `children` fields. `onCreate` runs a store command; a refusal is shown in the dialog.
 */
export function NewItemDialog({
  open,
  onOpenChange,
  title,
  description,
  idPrefix,
  placeholder,
  submitLabel,
  onCreate,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  idPrefix: string;
  placeholder: string;
  submitLabel: string;
  /** Runs the command; throwing a SecurityCommandError refuses it with that message. */
  onCreate: (item: { label: string; name: string }) => void;
  children?: ReactNode;
}) {
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const { refusal, run, clear } = useCommandRefusal();

  function close() {
    setLabel(""); setName(""); setNameTouched(false); setErrors({}); clear();
    onOpenChange(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateCommon(label, name);
    setErrors(local);
    clear();
    if (Object.keys(local).length > 0) return;
    if (run(() => onCreate({ label: label.trim(), name }))) close();
  }

  return (
    <Dialog open={open} onOpenChange={(next) => { if (!next) close(); }} title={title} description={description}>
      <form onSubmit={submit} className="space-y-3" noValidate>
        {refusal && <Alert>{refusal}</Alert>}
        <LabelAndApiNameFields idPrefix={idPrefix} label={label} name={name} errors={errors} placeholder={placeholder}
          nameHelp="Lowercase letters, digits and underscores; other settings refer to it, so it cannot be changed later."
          onLabel={(value) => { setLabel(value); if (!nameTouched) setName(toApiName(value)); }}
          onName={(value) => { setName(value); setNameTouched(true); }} />
        {children}
        <div className="flex justify-end gap-2 pt-3">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary">{submitLabel}</Button>
        </div>
      </form>
    </Dialog>
  );
}
