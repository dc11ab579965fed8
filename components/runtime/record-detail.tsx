"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Trash2 } from "lucide-react";
import { useState, type ReactNode } from "react";
import type { FieldDef, ObjectDef } from "@/spec";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Alert, Spinner } from "@/components/ui/feedback";
import { errorMessage, useTRPC } from "@/components/trpc";
import { FieldValue, formatDateTime } from "./field-value";
import { RecordForm } from "./record-form";
import { accessOf, type DescribedObjectDef } from "./record-access";
import { RecordHistorySection } from "./record-detail-history";
import { asRecord, recordTitle, type DataRecord } from "./types";

/** A read-only view of a record's fields as a two-column description list. */
export function RecordFields({ object, record }: { object: ObjectDef; record: DataRecord }) {
  const wide = (field: FieldDef) => field.type === "textarea" || field.type === "json" || field.type === "multiselect";
  return (
    <dl className="grid grid-cols-1 gap-x-8 gap-y-5 md:grid-cols-2">
      {object.fields.map((field) => (
        <div key={field.name} className={cn("min-w-0 border-b border-slate-100 pb-2", wide(field) && "md:col-span-2")} data-testid={`field-${field.name}`}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{field.label}</dt>
          <dd className={cn("mt-1 min-h-5 break-words text-sm text-slate-900", field.type === "textarea" && "whitespace-pre-wrap")}>
            {field.type === "json" && record[field.name] !== null && record[field.name] !== undefined ? (
              <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs">{JSON.stringify(record[field.name], null, 2)}</pre>
            ) : (
              <FieldValue field={field} value={record[field.name]} />
            )}
          </dd>
        </div>
      ))}
    </dl>
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
};

/** A record page body: loads the record, shows its fields, "Edit" toggles the form, "Delete" confirms. */
export function RecordDetail({ object, recordId, onDeleted, breadcrumb, initialEditing = false, actions }: RecordDetailProps) {
  const access = accessOf(object);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(initialEditing && access.edit);
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
          <RecordForm
            key={record.id}
            object={object}
            record={record}
            onSaved={() => {
              setEditing(false);
              setSaved(true);
              void queryClient.invalidateQueries({ queryKey: trpc.data.history.queryKey({ object: object.name, id: recordId }) });
            }}
            onCancel={() => setEditing(false)}
          />
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
