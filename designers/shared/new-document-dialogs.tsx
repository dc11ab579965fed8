"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc";
import { Alert, Button, Dialog, FormField, Input } from "@/components/ui";
import { identifier } from "@/spec/identifier";
import { toApiName } from "./api-name";
import { describeError, issuesByPath } from "./issues";

export type Errors = Record<string, string>;

/**
 * The `metadata.create` call both dialogs make: on success refresh the lists, close, and open
 * the new document's editor; on failure show the server's message and its per-field issues.
 */
export function useCreateDocument(
  editorPath: (name: string) => string,
  onOpenChange: (open: boolean) => void,
  setServerError: (message: string | null) => void,
  setErrors: (errors: Errors) => void,
) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation(
    trpc.metadata.create.mutationOptions({
      onSuccess: async (detail) => {
        await queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() });
        onOpenChange(false);
        router.push(editorPath(detail.name));
      },
      onError: (error) => {
        const { message, issues } = describeError(error);
        setServerError(message);
        setErrors(issuesByPath(issues));
      },
    }),
  );
}

export function validateCommon(label: string, name: string): Errors {
  const errors: Errors = {};
  if (label.trim() === "") errors.label = "is required";
  const parsed = identifier.safeParse(name);
  if (!parsed.success) errors.name = parsed.error.issues[0]?.message ?? "is not a valid API name";
  return errors;
}

/** "New object": label, plural label, API name (derived from the label until edited), icon. */
export function NewObjectDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [label, setLabel] = useState("");
  const [pluralLabel, setPluralLabel] = useState("");
  const [pluralTouched, setPluralTouched] = useState(false);
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [icon, setIcon] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | null>(null);

  const create = useCreateDocument((name) => `/studio/objects/${name}`, onOpenChange, setServerError, setErrors);

  function reset() {
    setLabel(""); setPluralLabel(""); setPluralTouched(false); setName(""); setNameTouched(false); setIcon("");
    setErrors({}); setServerError(null); create.reset();
  }

  function onLabelChange(value: string) {
    setLabel(value);
    if (!nameTouched) setName(toApiName(value));
    if (!pluralTouched) setPluralLabel(value.trim() === "" ? "" : `${value.trim()}s`);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateCommon(label, name);
    if (pluralLabel.trim() === "") local.pluralLabel = "is required";
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0) return;
    create.mutate({
      kind: "object",
      body: {
        name,
        label: label.trim(),
        pluralLabel: pluralLabel.trim(),
        ...(icon.trim() ? { icon: icon.trim() } : {}),
        fields: [],
      },
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
      title="New object"
      description="An object is a table of records, such as Accounts or Invoices. Add fields after creating it."
    >
      <form onSubmit={submit} className="space-y-3" noValidate>
        {serverError && <Alert>{serverError}</Alert>}
        <FormField label="Label" htmlFor="new-object-label" required error={errors.label}>
          <Input id="new-object-label" value={label} onChange={(e) => onLabelChange(e.target.value)} autoFocus
            placeholder="Account" aria-invalid={!!errors.label} />
        </FormField>
        <FormField label="Plural label" htmlFor="new-object-plural" required error={errors.pluralLabel}>
          <Input id="new-object-plural" value={pluralLabel} placeholder="Accounts" aria-invalid={!!errors.pluralLabel}
            onChange={(e) => { setPluralLabel(e.target.value); setPluralTouched(true); }} />
        </FormField>
        <FormField label="API name" htmlFor="new-object-name" required error={errors.name}
          help="Used in the database and the API. Lowercase letters, digits and underscores; cannot be changed later.">
          <Input id="new-object-name" value={name} className="font-mono" aria-invalid={!!errors.name}
            onChange={(e) => { setName(e.target.value); setNameTouched(true); }} />
        </FormField>
        <FormField label="Icon" htmlFor="new-object-icon" error={errors.icon} help="Optional lucide icon name, e.g. building-2.">
          <Input id="new-object-icon" value={icon} onChange={(e) => setIcon(e.target.value)} placeholder="database" />
        </FormField>
        <div className="flex justify-end gap-2 pt-3">
          <Button onClick={() => { reset(); onOpenChange(false); }}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create object"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** "New app": label and API name. */
export function NewAppDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | null>(null);

  const create = useCreateDocument((name) => `/studio/apps/${name}`, onOpenChange, setServerError, setErrors);

  function reset() {
    setLabel(""); setName(""); setNameTouched(false); setErrors({}); setServerError(null); create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateCommon(label, name);
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0) return;
    create.mutate({ kind: "app", body: { name, label: label.trim(), navigation: [] } });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
      title="New app"
      description="An app groups objects into a navigation for end users."
    >
      <form onSubmit={submit} className="space-y-3" noValidate>
        {serverError && <Alert>{serverError}</Alert>}
        <LabelAndApiNameFields idPrefix="new-app" label={label} name={name} errors={errors} placeholder="Sales"
          nameHelp="Used in the app's URL. Lowercase letters, digits and underscores."
          onLabel={(value) => { setLabel(value); if (!nameTouched) setName(toApiName(value)); }}
          onName={(value) => { setName(value); setNameTouched(true); }} />
        <div className="flex justify-end gap-2 pt-3">
          <Button onClick={() => { reset(); onOpenChange(false); }}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create app"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** The Label and API name inputs of a "New …" dialog: the API name follows the label until edited. */
export function LabelAndApiNameFields({
  idPrefix, label, name, errors, placeholder, nameHelp, onLabel, onName,
}: {
  idPrefix: string;
  label: string;
  name: string;
  errors: Errors;
  placeholder: string;
  nameHelp: string;
  onLabel: (label: string) => void;
  onName: (name: string) => void;
}) {
  return (
    <>
      <FormField label="Label" htmlFor={`${idPrefix}-label`} required error={errors.label}>
        <Input id={`${idPrefix}-label`} value={label} autoFocus placeholder={placeholder} aria-invalid={!!errors.label}
          onChange={(e) => onLabel(e.target.value)} />
      </FormField>
      <FormField label="API name" htmlFor={`${idPrefix}-name`} required error={errors.name} help={nameHelp}>
        <Input id={`${idPrefix}-name`} value={name} className="font-mono" aria-invalid={!!errors.name}
          onChange={(e) => onName(e.target.value)} />
      </FormField>
    </>
  );
}
