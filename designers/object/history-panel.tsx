"use client";
import { VersionHistory } from "@/designers/shared/version-history";
import type { ServerDetail } from "@/designers/shared/draft-sync";
import type { ObjectDef } from "@/spec/object";
import { FIELD_TYPE_INFO, FieldTypeIcon } from "./field-types";

/** What an object version holds: labels, name field, indexes and the fields table. */
function ObjectVersionSummary({ object, version }: { object: ObjectDef; version: number }) {
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Label</dt><dd>{object.label} / {object.pluralLabel}</dd>
        <dt className="text-slate-500">Name field</dt><dd className="font-mono text-xs leading-5">{object.nameField ?? "automatic"}</dd>
        {object.description && (<><dt className="text-slate-500">Description</dt><dd>{object.description}</dd></>)}
        <dt className="text-slate-500">Indexes</dt>
        <dd>{(object.indexes ?? []).length === 0 ? "None" : object.indexes.map((index, i) => (
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
              <td className="py-1.5 pr-3 text-xs">{FIELD_TYPE_INFO[field.type]?.label ?? field.type}</td>
              <td className="py-1.5 text-xs text-slate-500">{[field.required && "required", field.unique && "unique"].filter(Boolean).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The object's published versions: compare, restore, and each version's fields. */
export function HistoryPanel({ name, draft, baseRevision, dirty, onRestored }: {
  name: string;
  draft: ObjectDef;
  baseRevision: number;
  dirty: boolean;
  onRestored: (detail: ServerDetail, version: number) => void;
}) {
  return (
    <VersionHistory kind="object" name={name} draft={draft} baseRevision={baseRevision} dirty={dirty} onRestored={onRestored}
      renderVersion={(document, version) => <ObjectVersionSummary object={document as ObjectDef} version={version} />} />
  );
}
