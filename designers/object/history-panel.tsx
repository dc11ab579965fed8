"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, Button, EmptyState, Spinner, cn } from "@/components/ui";
import type { ObjectDef } from "@/spec/object";
import { FIELD_TYPE_INFO, FieldTypeIcon } from "./field-types";

function formatDate(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function VersionView({ name, version }: { name: string; version: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.metadata.getVersion.queryOptions({ kind: "object", name, version }));
  if (query.isPending) return <Spinner label={`Loading version ${version}`} />;
  if (query.isError) return <Alert>{errorMessage(query.error)}</Alert>;
  const object = query.data as ObjectDef;
  return (
    <div className="space-y-4" aria-label={`Version ${version}`}>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Label</dt><dd>{object.label} / {object.pluralLabel}</dd>
        <dt className="text-slate-500">Name field</dt><dd className="font-mono text-xs leading-5">{object.nameField ?? "automatic"}</dd>
        {object.description && (<><dt className="text-slate-500">Description</dt><dd>{object.description}</dd></>)}
        <dt className="text-slate-500">Indexes</dt>
        <dd>{object.indexes.length === 0 ? "None" : object.indexes.map((index, i) => (
          <span key={i} className="mr-2 font-mono text-xs">({index.fields.join(", ")}){index.unique ? " unique" : ""}</span>
        ))}</dd>
      </dl>
      <table className="w-full text-sm">
        <caption className="sr-only">Fields in version {version}</caption>
        <thead className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr><th className="py-1.5 pr-3">Field</th><th className="py-1.5 pr-3">API name</th><th className="py-1.5 pr-3">Type</th><th className="py-1.5">Flags</th></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {object.fields.map((field) => (
            <tr key={field.id}>
              <td className="py-1.5 pr-3"><span className="inline-flex items-center gap-1.5"><FieldTypeIcon type={field.type} className="h-3.5 w-3.5 text-slate-500" />{field.label}</span></td>
              <td className="py-1.5 pr-3 font-mono text-xs">{field.name}</td>
              <td className="py-1.5 pr-3 text-xs">{FIELD_TYPE_INFO[field.type].label}</td>
              <td className="py-1.5 text-xs text-slate-500">{[field.required && "required", field.unique && "unique"].filter(Boolean).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="rounded-md border border-slate-200 bg-slate-50">
        <summary className="cursor-pointer px-3 py-1.5 text-xs font-medium text-slate-600">JSON</summary>
        <pre className="max-h-80 overflow-auto px-3 py-2 text-xs">{JSON.stringify(object, null, 2)}</pre>
      </details>
    </div>
  );
}

/** Published versions of the object, newest first, each viewable. */
export function HistoryPanel({ name }: { name: string }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.metadata.history.queryOptions({ kind: "object", name }));
  const [selected, setSelected] = useState<number | null>(null);

  if (history.isPending) return <Spinner label="Loading history" />;
  if (history.isError) return <Alert>{errorMessage(history.error)}</Alert>;
  if (history.data.length === 0) return <EmptyState title="Not published yet">Each publish is kept here as a version.</EmptyState>;
  const current = selected ?? history.data[0].version;

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[18rem_minmax(0,1fr)]">
      <ol className="divide-y divide-slate-100 self-start rounded-lg border border-slate-200 bg-white" aria-label="Versions">
        {history.data.map((entry, index) => (
          <li key={entry.version}>
            <button type="button" onClick={() => setSelected(entry.version)} aria-current={entry.version === current ? "true" : undefined}
              aria-label={`View version ${entry.version}`}
              className={cn("block w-full px-3 py-2 text-left hover:bg-slate-50", entry.version === current && "bg-brand-50")}>
              <span className="flex items-center gap-2 text-sm font-medium">
                Version {entry.version}
                {index === 0 && <Badge color="#047857">Live</Badge>}
              </span>
              <span className="block text-xs text-slate-500">{formatDate(entry.publishedAt)}</span>
              {entry.note && <span className="block truncate text-xs text-slate-600">{entry.note}</span>}
            </button>
          </li>
        ))}
      </ol>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-sm font-semibold">Version {current}</h2>
          {selected !== null && <Button size="sm" variant="ghost" onClick={() => setSelected(null)}>Latest</Button>}
        </div>
        <VersionView name={name} version={current} />
      </section>
    </div>
  );
}
