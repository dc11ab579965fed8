"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { CheckCircle2, Lock, Pencil, Search, XCircle } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { asRecords, recordTitle } from "@/components/runtime/types";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, EmptyState, FormField, Input, NativeSelect, Spinner, cn } from "@/components/ui";
import type { SecurityTabProps } from "./tab-props";

const ACCESS_LABELS = { edit: "Edit", read: "Read only", none: "Hidden" } as const;

function Verdict({ label, allowed }: { label: string; allowed: boolean }) {
  const Icon = allowed ? CheckCircle2 : XCircle;
  return (
    <div data-testid={`verdict-${label.toLowerCase()}`} data-allowed={allowed}
      className={cn("flex items-center gap-2 rounded-lg border px-3 py-2 text-sm font-medium",
        allowed ? "border-emerald-200 bg-emerald-50 text-emerald-800" : "border-red-200 bg-red-50 text-red-800")}>
      <Icon className="h-4 w-4" aria-hidden />
      {allowed ? `Can ${label.toLowerCase()}` : `Cannot ${label.toLowerCase()}`}
    </div>
  );
}

/** Picks one record of an object by searching its records (as the admin sees them: every record). */
function RecordPicker({ objectName, value, onChange, catalog }: {
  objectName: string; value: string | null; onChange: (id: string | null) => void; catalog: SecurityTabProps["catalog"];
}) {
  const trpc = useTRPC();
  const searchId = useId();
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const definition = catalog.objects.find((object) => object.name === objectName)?.definition ?? null;
  const found = useQuery({
    ...trpc.data.find.queryOptions({ object: objectName, search: search || undefined, limit: 8 }),
    enabled: objectName !== "",
    placeholderData: keepPreviousData,
  });
  const records = asRecords(found.data?.records);
  const titleOf = (record: (typeof records)[number]) => (definition ? recordTitle(definition, record) : record.id);
  return (
    <div className="space-y-2">
      <FormField label="Record" htmlFor={searchId} help="Search by name; the list shows every record (admins see them all).">
        <div className="relative">
          <Search className="pointer-events-none absolute left-2.5 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-400" aria-hidden />
          <Input id={searchId} type="search" value={text} onChange={(event) => setText(event.target.value)} className="pl-8" maxLength={200}
            placeholder="Search records…" disabled={objectName === ""} />
        </div>
      </FormField>
      {found.isError ? (
        <Alert>{errorMessage(found.error)}</Alert>
      ) : found.isPending && objectName !== "" ? (
        <Spinner label="Searching" />
      ) : (
        <ul className="max-h-72 space-y-0.5 overflow-y-auto" aria-label="Matching records">
          {records.length === 0 && objectName !== "" && <li className="px-2 py-1 text-sm text-slate-500">No records match.</li>}
          {records.map((record) => (
            <li key={record.id}>
              <button type="button" onClick={() => onChange(record.id)} aria-current={record.id === value ? "true" : undefined}
                className={cn("w-full truncate rounded-md px-2 py-1.5 text-left text-sm",
                  record.id === value ? "bg-brand-50 font-medium text-brand-700 ring-1 ring-brand-100" : "text-slate-700 hover:bg-slate-100")}>
                {titleOf(record)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Tab 7: access explain. Pick a user, an object and a record: whether the user can read, edit
 * and delete it under the *published* model, why (profiles, org-wide default, ownership and
 * role hierarchy, sharing rules, manual shares), and which fields they may edit, read or not see.
 */
export function AccessExplainTab({ catalog }: SecurityTabProps) {
  const trpc = useTRPC();
  const ids = { user: useId(), object: useId() };
  const [userId, setUserId] = useState("");
  const [objectName, setObjectName] = useState("");
  const [recordId, setRecordId] = useState<string | null>(null);
  const ready = userId !== "" && objectName !== "" && recordId !== null;
  const explain = useQuery({
    ...trpc.access.explain.queryOptions({ userId, object: objectName, recordId: recordId ?? "" }),
    enabled: ready,
    retry: false,
  });
  const result = explain.data;

  if (catalog.objects.length === 0) {
    return <EmptyState title={catalog.objectsLoading ? "Loading objects…" : "No published objects yet"}>Access explain applies to records of published objects.</EmptyState>;
  }
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
      <aside className="space-y-4 self-start rounded-lg border border-slate-200 bg-white p-4" aria-label="What to explain">
        <FormField label="User" htmlFor={ids.user}>
          <NativeSelect id={ids.user} value={userId} onChange={(event) => setUserId(event.target.value)}>
            <option value="">Choose a user…</option>
            {catalog.users.map((user) => <option key={user.id} value={user.id}>{user.name ?? user.email} ({user.email})</option>)}
          </NativeSelect>
        </FormField>
        <FormField label="Object" htmlFor={ids.object}>
          <NativeSelect id={ids.object} value={objectName} onChange={(event) => { setObjectName(event.target.value); setRecordId(null); }}>
            <option value="">Choose an object…</option>
            {catalog.objects.map((object) => <option key={object.name} value={object.name}>{object.label}</option>)}
          </NativeSelect>
        </FormField>
        <RecordPicker key={objectName} objectName={objectName} value={recordId} onChange={setRecordId} catalog={catalog} />
      </aside>

      <section aria-label="Explanation" className="min-w-0 space-y-4">
        <p className="text-xs text-slate-500">Explains the <strong>published</strong> security model: publish your changes to see their effect here.</p>
        {!ready ? (
          <EmptyState title="Pick a user, an object and a record">See whether the user can read and edit the record, and why.</EmptyState>
        ) : explain.isError ? (
          <Alert>{errorMessage(explain.error)}</Alert>
        ) : !result ? (
          <Spinner label="Working it out" />
        ) : (
          <>
            <div className="rounded-lg border border-slate-200 bg-white p-4">
              <h2 className="text-sm font-semibold text-slate-800">
                {result.user.name ?? result.user.email} and this {catalog.objects.find((object) => object.name === result.object)?.label.toLowerCase() ?? result.object}
                {result.user.role === "admin" && <Badge color="#7c3aed" className="ml-2">Admin</Badge>}
              </h2>
              <div className="mt-3 grid grid-cols-1 gap-2 sm:grid-cols-3" aria-label="Verdict">
                <Verdict label="Read" allowed={result.read} />
                <Verdict label="Edit" allowed={result.edit} />
                <Verdict label="Delete" allowed={result.delete} />
              </div>
              <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Why</h3>
              <ol className="mt-1 space-y-1 text-sm text-slate-700" aria-label="Reasons" data-testid="explain-reasons">
                {result.reasons.map((reason, index) => (
                  <li key={index} className={cn("flex gap-2", reason.startsWith("  ") && "pl-6 text-slate-600", reason.startsWith("So ") && "font-medium text-slate-900")}>
                    <span aria-hidden className="text-slate-400">•</span>
                    <span>{reason.trim()}</span>
                  </li>
                ))}
              </ol>
            </div>
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-sm" aria-label="Field access">
                <thead className="bg-slate-50 text-left text-xs text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2 font-medium">Field</th>
                    <th scope="col" className="w-32 px-3 py-2 font-medium">Access</th>
                    <th scope="col" className="px-3 py-2 font-medium">Why</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {result.fields.map((field) => (
                    <tr key={field.name} data-field={field.name}>
                      <th scope="row" className="px-3 py-1.5 text-left font-normal">
                        <span className="font-medium text-slate-800">{field.label}</span> <span className="font-mono text-xs text-slate-500">{field.name}</span>
                      </th>
                      <td className="px-3 py-1.5">
                        <span className={cn("inline-flex items-center gap-1 text-xs font-medium",
                          field.access === "edit" ? "text-emerald-700" : field.access === "read" ? "text-amber-700" : "text-red-700")}>
                          {field.access === "edit" ? <Pencil className="h-3 w-3" aria-hidden /> : <Lock className="h-3 w-3" aria-hidden />}
                          {ACCESS_LABELS[field.access]}
                        </span>
                      </td>
                      <td className="px-3 py-1.5 text-xs text-slate-500">{field.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
