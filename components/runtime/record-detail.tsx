"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Trash2 } from "lucide-react";
import { Tabs } from "radix-ui";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { FieldDef, ObjectDef } from "@/spec";
import type { FormDef } from "@/spec/form";
import { formFieldStates } from "@/formula/form-rules";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Alert, Spinner } from "@/components/ui/feedback";
import { errorMessage, useTRPC } from "@/components/trpc";
import { FieldValue, formatDateTime } from "./field-value";
import { FormRenderer } from "./form-renderer";
import { itemSpanClass, RelatedList, SectionFrame, sectionGridClass, TAB_TRIGGER_CLASS, useCollapsedSections } from "./form-layout";
import { accessOf, type DescribedObjectDef } from "./record-access";
import { RecordHistorySection } from "./record-detail-history";
import { asRecord, recordTitle, type DataRecord } from "./types";

/** One field of the read-only view: label and formatted value. */
function FieldCell({ field, record, label, className }: { field: FieldDef; record: DataRecord; label?: string; className?: string }) {
  return (
    <div className={cn("min-w-0 border-b border-slate-100 pb-2", className)} data-testid={`field-${field.name}`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label ?? field.label}</dt>
      <dd className={cn("mt-1 min-h-5 break-words text-sm text-slate-900", field.type === "textarea" && "whitespace-pre-wrap")}>
        {field.type === "json" && record[field.name] !== null && record[field.name] !== undefined ? (
          <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs">{JSON.stringify(record[field.name], null, 2)}</pre>
        ) : (
          <FieldValue field={field} value={record[field.name]} />
        )}
      </dd>
    </div>
  );
}

/** A read-only view of a record's fields as a two-column description list. */
export function RecordFields({ object, record }: { object: ObjectDef; record: DataRecord }) {
  const wide = (field: FieldDef) => field.type === "textarea" || field.type === "json" || field.type === "multiselect";
  return (
    <dl className="grid grid-cols-1 gap-x-8 gap-y-5 md:grid-cols-2">
      {object.fields.map((field) => (
        <FieldCell key={field.name} field={field} record={record} className={cn(wide(field) && "md:col-span-2")} />
      ))}
    </dl>
  );
}

/**
 * A read-only view laid out by a published form: its tabs, sections and columns, the fields its
 * conditions show for this record (fields the user may not read are not there), related lists.
 */
export function FormRecordFields({ object, record, form }: { object: ObjectDef; record: DataRecord; form: FormDef }) {
  const states = useMemo(() => formFieldStates(form, object, record), [form, object, record]);
  const fields = useMemo(() => new Map(object.fields.map((field) => [field.name, field])), [object]);
  const collapsed = useCollapsedSections(form.tabs.flatMap((tab) => tab.sections));
  const [tab, setTab] = useState(form.tabs[0]?.id ?? "");
  const renderTab = (sections: FormDef["tabs"][number]["sections"]) => (
    <div className="space-y-6">
      {sections.map((section) => {
        const frame = (body: ReactNode) => (
          <SectionFrame key={section.id} section={section} collapsed={collapsed.isCollapsed(section.id)} onToggle={() => collapsed.toggle(section.id)}>
            {body}
          </SectionFrame>
        );
        if (section.type === "related") return frame(<RelatedList section={section} recordId={record.id} recordName={recordTitle(object, record)} />);
        const shown = section.items.filter((item) => states.get(item.field)?.visible);
        if (shown.length === 0) return null;
        return frame(
          <dl className={sectionGridClass(section.columns, "desktop")}>
            {shown.map((item) => (
              <FieldCell key={item.id} field={fields.get(item.field)!} record={record} label={item.label} className={itemSpanClass(item.span, section.columns, "desktop")} />
            ))}
          </dl>,
        );
      })}
    </div>
  );
  // Fields added to the object after the form was laid out still show (read only) until the form places them.
  const placed = new Set(form.tabs.flatMap((candidate) => candidate.sections.flatMap((section) => (section.type === "fields" ? section.items.map((item) => item.field) : []))));
  const unplaced = object.fields.filter((field) => !placed.has(field.name));
  const others =
    unplaced.length > 0 ? (
      <section className="space-y-3" aria-label="Other fields">
        <h3 className="border-b border-slate-200 pb-1.5 text-sm font-semibold text-slate-800">Other fields</h3>
        <RecordFields object={{ ...object, fields: unplaced }} record={record} />
      </section>
    ) : null;
  if (form.tabs.length === 1) {
    return (
      <div className="space-y-6">
        {renderTab(form.tabs[0]!.sections)}
        {others}
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <Tabs.Root value={tab} onValueChange={setTab} className="space-y-4">
        <Tabs.List className="flex gap-1 overflow-x-auto border-b border-slate-200" aria-label={`${form.label} tabs`}>
          {form.tabs.map((candidate) => (
            <Tabs.Trigger
              key={candidate.id}
              value={candidate.id}
              className={TAB_TRIGGER_CLASS}
            >
              {candidate.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {form.tabs.map((candidate) => (
          <Tabs.Content key={candidate.id} value={candidate.id}>
            {renderTab(candidate.sections)}
          </Tabs.Content>
        ))}
      </Tabs.Root>
      {others}
    </div>
  );
}

export type RecordDetailProps = {
  /** With `access` (as `data.describe` returns it), Edit and Delete show only when the user has the permission. */
  object: DescribedObjectDef;
  recordId: string;
  /** Called after the record was deleted (navigate away here). */
  onDeleted: () => void;
  /** Shown left of the title, e.g. a breadcrumb back to the list. */
  breadcrumb?: ReactNode;
  /** Start in edit mode. */
  initialEditing?: boolean;
  /** More buttons next to Edit and Delete (e.g. Sharing). */
  actions?: ReactNode;
  /** The published form the user gets for this record (data.form); null or absent: the generated form. */
  form?: FormDef | null;
};

/** A record page body: loads the record, shows its fields, "Edit" toggles the form, "Delete" confirms. */
export function RecordDetail({ object, recordId, onDeleted, breadcrumb, initialEditing = false, actions, form = null }: RecordDetailProps) {
  const access = accessOf(object);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(initialEditing && access.edit);
  // Opened for editing (a grid's "Edit" row action) before the record's own access was known: edit once it allows.
  const pendingEdit = useRef(initialEditing && !access.edit);
  useEffect(() => {
    if (pendingEdit.current && access.edit) {
      pendingEdit.current = false;
      setEditing(true);
    }
  }, [access.edit]);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [saved, setSaved] = useState(false);
  const query = useQuery(trpc.data.get.queryOptions({ object: object.name, id: recordId }));
  const remove = useMutation(
    trpc.data.delete.mutationOptions({
      onSuccess: async () => {
        queryClient.removeQueries({ queryKey: trpc.data.get.queryKey({ object: object.name, id: recordId }) });
        await queryClient.invalidateQueries({ queryKey: trpc.data.find.pathKey() });
        onDeleted();
      },
    }),
  );
  const record = asRecord(query.data);

  if (query.isPending) {
    return (
      <div className="py-10 text-center">
        <Spinner label="Loading record" />
      </div>
    );
  }
  if (query.isError || !record) {
    return (
      <div className="space-y-3">
        {breadcrumb}
        <Alert>{query.error ? errorMessage(query.error) : "This record could not be loaded."}</Alert>
      </div>
    );
  }

  const title = recordTitle(object, record);
  return (
    <div className="space-y-4">
      {breadcrumb}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{object.label}</p>
          <h1 className="truncate text-2xl font-semibold text-slate-900" title={title}>{title}</h1>
        </div>
        {!editing && (
          <div className="flex gap-2">
            {actions}
            {access.edit && (
              <Button onClick={() => { setEditing(true); setSaved(false); }}>
                <Pencil className="h-4 w-4" aria-hidden />
                Edit
              </Button>
            )}
            {access.delete && (
              <Button variant="danger" onClick={() => setConfirmOpen(true)} disabled={remove.isPending}>
                <Trash2 className="h-4 w-4" aria-hidden />
                Delete
              </Button>
            )}
          </div>
        )}
      </div>
      {saved && !editing && <Alert tone="success">Saved.</Alert>}
      {remove.error && <Alert>{errorMessage(remove.error)}</Alert>}
      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs">
        {editing ? (
          <FormRenderer
            key={record.id}
            object={object}
            form={form}
            record={record}
            onSaved={() => {
              setEditing(false);
              setSaved(true);
              void queryClient.invalidateQueries({ queryKey: trpc.data.history.queryKey({ object: object.name, id: recordId }) });
            }}
            onCancel={() => setEditing(false)}
          />
        ) : form ? (
          <FormRecordFields object={object} record={record} form={form} />
        ) : (
          <RecordFields object={object} record={record} />
        )}
      </section>
      <p className="text-xs text-slate-500">
        {record.created_at ? <>Created {formatDateTime(record.created_at)}</> : null}
        {record.updated_at ? <> · Last modified {formatDateTime(record.updated_at)}</> : null}
      </p>
      <RecordHistorySection object={object} recordId={recordId} />
      <ConfirmDialog
        open={confirmOpen}
        onOpenChange={setConfirmOpen}
        title={`Delete this ${object.label.toLowerCase()}?`}
        description={`“${title}” will be deleted permanently. Related detail records are deleted with it.`}
        confirmLabel="Delete"
        onConfirm={() => remove.mutate({ object: object.name, id: recordId })}
      />
    </div>
  );
}
