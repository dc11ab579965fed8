"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import { ClipboardList, Plus } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, Button, Dialog, EmptyState, FormField, Input, NativeSelect, Spinner } from "@/components/ui";
import { toApiName } from "@/designers/shared/api-name";
import { DocumentStatus } from "@/designers/shared/document-status";
import { LabelAndApiNameFields, useCreateDocument, validateCommon, type Errors } from "@/designers/shared/new-document-dialogs";
import { PageHeader } from "@/designers/shared/page-header";
import type { FormDef, FormInput } from "@/spec/form";
import { identifier } from "@/spec/identifier";
import type { FieldDef, ObjectDef } from "@/spec/object";
import { useFormObjects } from "./use-form-objects";

type SelectField = Extract<FieldDef, { type: "select" }>;

/** "New form": the object, label and API name, and who gets it (default, profiles, record type). */
function NewFormDialog({ open, onOpenChange, objects, initialObject, objectsWithForms }: {
  open: boolean; onOpenChange: (open: boolean) => void; objects: ObjectDef[]; initialObject?: string;
  /** Objects that have a form already: an object's first form is its default unless the admin says otherwise. */
  objectsWithForms: ReadonlySet<string> | null;
}) {
  const [objectName, setObjectName] = useState(initialObject ?? "");
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  // Until the admin ticks or clears it: ticked for an object's first form (else its users would
  // silently keep the generated form).
  const [defaultChoice, setDefaultChoice] = useState<boolean | null>(null);
  const isFirst = objectsWithForms !== null && objectName !== "" && !objectsWithForms.has(objectName);
  const isDefault = defaultChoice ?? isFirst;
  const [profiles, setProfiles] = useState("");
  const [recordField, setRecordField] = useState("");
  const [recordValue, setRecordValue] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const create = useCreateDocument((created) => `/studio/forms/${created}`, onOpenChange, setServerError, setErrors);

  const object = objects.find((candidate) => candidate.name === objectName);
  const selectFields = (object?.fields ?? []).filter((field): field is SelectField => field.type === "select");
  const typeField = selectFields.find((field) => field.name === recordField);

  function reset() {
    setObjectName(initialObject ?? ""); setLabel(""); setName(""); setNameTouched(false); setDefaultChoice(null); setProfiles("");
    setRecordField(""); setRecordValue(""); setErrors({}); setServerError(null); create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateCommon(label, name);
    if (!object) local.object = "Choose an object";
    const profileList = profiles.split(",").map((part) => part.trim()).filter(Boolean);
    const bad = profileList.find((profile) => !identifier.safeParse(profile).success);
    if (bad) local.profiles = `'${bad}' is not a valid profile name`;
    if (recordField && !recordValue) local["recordType.value"] = "Choose a value";
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0 || !object) return;
    const body: FormInput = {
      name,
      label: label.trim(),
      object: object.name,
      isDefault,
      profiles: profileList,
      ...(recordField ? { recordType: { field: recordField, value: recordValue } } : {}),
      tabs: [{ id: "tab_details", label: "Details", sections: [{ id: "sec_details", type: "fields", label: "Details", columns: 2, items: [] }] }],
    };
    create.mutate({ kind: "form", body });
  }

  return (
    <Dialog open={open} onOpenChange={(next) => { if (!next) reset(); onOpenChange(next); }} title="New form"
      description="A form lays out an object's records for viewing and editing. Several forms per object can target profiles or record types.">
      <form onSubmit={submit} className="space-y-3" noValidate>
        {serverError && <Alert>{serverError}</Alert>}
        <FormField label="Object" htmlFor="new-form-object" required error={errors.object}>
          <NativeSelect id="new-form-object" value={objectName} onChange={(e) => { setObjectName(e.target.value); setRecordField(""); setRecordValue(""); }}>
            <option value="">Choose an object…</option>
            {objects.map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label} ({candidate.name})</option>)}
          </NativeSelect>
        </FormField>
        <LabelAndApiNameFields idPrefix="new-form" label={label} name={name} errors={errors} placeholder="Sales opportunity"
          nameHelp="Identifies the form. Lowercase letters, digits and underscores; cannot be changed later."
          onLabel={(value) => { setLabel(value); if (!nameTouched) setName(toApiName(value)); }}
          onName={(value) => { setName(value); setNameTouched(true); }} />
        <label htmlFor="new-form-default" className="flex items-center gap-2 text-sm text-slate-700">
          <input id="new-form-default" type="checkbox" className="h-4 w-4 accent-brand-600" checked={isDefault} onChange={(e) => setDefaultChoice(e.target.checked)} />
          Default form of the object
          {isFirst && <span className="text-xs text-slate-500">(its first form)</span>}
        </label>
        <FormField label="Profiles" htmlFor="new-form-profiles" error={errors.profiles} help="Optional: API names of the profiles that get this form, separated by commas.">
          <Input id="new-form-profiles" value={profiles} className="font-mono" onChange={(e) => setProfiles(e.target.value)} />
        </FormField>
        {selectFields.length > 0 && (
          <div className="grid grid-cols-2 gap-2">
            <FormField label="Record type field" htmlFor="new-form-record-field" error={errors["recordType.field"]}>
              <NativeSelect id="new-form-record-field" value={recordField} onChange={(e) => { setRecordField(e.target.value); setRecordValue(""); }}>
                <option value="">No record type</option>
                {selectFields.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
              </NativeSelect>
            </FormField>
            {typeField && (
              <FormField label="Record type value" htmlFor="new-form-record-value" error={errors["recordType.value"]}>
                <NativeSelect id="new-form-record-value" value={recordValue} onChange={(e) => setRecordValue(e.target.value)}>
                  <option value="">Choose…</option>
                  {typeField.options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
                </NativeSelect>
              </FormField>
            )}
          </div>
        )}
        <div className="flex justify-end gap-2 pt-3">
          <Button onClick={() => { reset(); onOpenChange(false); }}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create form"}</Button>
        </div>
      </form>
    </Dialog>
  );
}

/** /studio/forms: every form, grouped by its object, and "New form". */
export function FormList() {
  const trpc = useTRPC();
  const forms = useQuery(trpc.metadata.list.queryOptions({ kind: "form" }));
  const details = useQueries({ queries: (forms.data ?? []).map((summary) => trpc.metadata.get.queryOptions({ kind: "form", name: summary.name })) });
  const { objects, pending: objectsPending } = useFormObjects();
  const [creating, setCreating] = useState(false);
  const objectList = [...objects.values()].sort((a, b) => a.label.localeCompare(b.label));

  const groups = new Map<string, { summary: NonNullable<typeof forms.data>[number]; form: FormDef | null }[]>();
  (forms.data ?? []).forEach((summary, i) => {
    const detail = details[i]?.data;
    const form = (detail?.draft ?? detail?.published ?? null) as FormDef | null;
    const key = form?.object ?? "";
    groups.set(key, [...(groups.get(key) ?? []), { summary, form }]);
  });
  const loading = forms.isPending || objectsPending || details.some((query) => query.isPending);

  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/studio" className="hover:underline">Studio</Link>}
        title="Forms"
        meta="How records are laid out for viewing and editing: tabs, sections, conditional fields."
        actions={<Button variant="primary" onClick={() => setCreating(true)} disabled={objectsPending}><Plus className="h-4 w-4" aria-hidden /> New form</Button>}
      />
      <main className="mx-auto w-full max-w-6xl space-y-4 px-6 py-6">
        {loading ? (
          <Spinner label="Loading forms" />
        ) : forms.isError ? (
          <Alert>{errorMessage(forms.error)}</Alert>
        ) : forms.data!.length === 0 ? (
          <EmptyState title="No forms yet">Objects use a generated form until you design one.</EmptyState>
        ) : (
          [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([objectName, rows]) => {
            const object = objects.get(objectName);
            return (
              <section key={objectName} aria-labelledby={`forms-of-${objectName}`} className="overflow-hidden rounded-lg border border-slate-200 bg-white">
                <h2 id={`forms-of-${objectName}`} className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm font-semibold text-slate-700">
                  {object?.label ?? objectName} <span className="font-mono text-xs font-normal text-slate-500">{objectName}</span>
                </h2>
                <ul className="divide-y divide-slate-100">
                  {rows.map(({ summary, form }) => (
                    <li key={summary.name} className="flex flex-wrap items-center gap-3 px-4 py-2 text-sm">
                      <Link href={`/studio/forms/${summary.name}`} className="inline-flex items-center gap-2 font-medium text-brand-700 hover:underline">
                        <ClipboardList className="h-4 w-4 text-slate-400" aria-hidden /> {summary.label}
                      </Link>
                      <span className="font-mono text-xs text-slate-500">{summary.name}</span>
                      {form?.isDefault && <Badge color="#0369a1">Default</Badge>}
                      {form && form.profiles.length > 0 && <Badge color="#6d28d9">Profiles: {form.profiles.join(", ")}</Badge>}
                      {form?.recordType && <Badge color="#b45309">Record type: {form.recordType.field} = {form.recordType.value}</Badge>}
                      <span className="ml-auto"><DocumentStatus publishedVersion={summary.publishedVersion} hasDraft={summary.hasDraft} /></span>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })
        )}
      </main>
      <NewFormDialog open={creating} onOpenChange={setCreating} objects={objectList} objectsWithForms={loading ? null : new Set(groups.keys())} />
    </>
  );
}
