"use client";
import { Database, History } from "lucide-react";
import { Button, EmptyState } from "@/components/ui";
import { isComputedField } from "@/spec/object";
import { issuesUnder, IssueMessages } from "./security-issues";
import { SideListItem } from "./side-list-item";
import type { SecurityTabProps } from "./tab-props";

/** Tab 6: which fields of each object record their changes in the field history. */
export function FieldHistoryTab({ store, doc, catalog, issues, view, setView }: SecurityTabProps) {
  const object = catalog.objects.find((candidate) => candidate.name === view.historyObject) ?? catalog.objects[0];
  const tracked = object ? (doc.trackedFields[object.name] ?? []) : [];
  // Formula and rollup fields have no stored value of their own, so there is no change to record.
  const fields = (object?.definition?.fields ?? []).filter((field) => !isComputedField(field));

  if (catalog.objects.length === 0) {
    return <EmptyState title={catalog.objectsLoading ? "Loading objects…" : "No published objects yet"}>Field history applies to published objects.</EmptyState>;
  }
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
      <aside className="self-start rounded-lg border border-slate-200 bg-white p-3" aria-label="Objects">
        <h2 className="mb-1 px-2 text-xs font-semibold uppercase tracking-wider text-slate-500">Objects</h2>
        <ul className="space-y-0.5">
          {catalog.objects.map((candidate) => (
            <li key={candidate.name}>
              <SideListItem active={candidate === object} label={candidate.label} onSelect={() => setView({ historyObject: candidate.name })}
                icon={<Database className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />}
                count={doc.trackedFields[candidate.name]?.length ?? 0} countTitle="Tracked fields"
                hasIssues={issuesUnder(issues, ["trackedFields", candidate.name]).length > 0} />
            </li>
          ))}
        </ul>
      </aside>
      {object && (
        <section aria-labelledby="history-heading" className="min-w-0 space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <div className="flex flex-wrap items-start gap-3">
            <History className="mt-0.5 h-5 w-5 text-slate-400" aria-hidden />
            <div className="flex-1">
              <h2 id="history-heading" className="text-sm font-semibold text-slate-800">Tracked fields of {object.label}</h2>
              <p className="text-xs text-slate-500">Each change to a tracked field is recorded with its old and new value, who made it and when.</p>
            </div>
            <Button size="sm" onClick={() => store.setTrackedFields(object.name, fields.map((field) => field.name))} disabled={fields.length === 0}>Track all</Button>
            <Button size="sm" onClick={() => store.setTrackedFields(object.name, [])} disabled={tracked.length === 0}>Track none</Button>
          </div>
          <IssueMessages issues={issuesUnder(issues, ["trackedFields", object.name]).map((issue) => issue.message)} />
          {object.definition === null ? (
            <p className="text-sm text-slate-500">Loading fields…</p>
          ) : fields.length === 0 ? (
            <p className="text-sm text-slate-500">{object.label} has no stored fields.</p>
          ) : (
            <fieldset>
              <legend className="sr-only">Tracked fields of {object.label}</legend>
              <ul className="grid grid-cols-1 gap-1 md:grid-cols-2 xl:grid-cols-3">
                {fields.map((field) => {
                  const id = `track-${object.name}-${field.name}`;
                  return (
                    <li key={field.name}>
                      <label htmlFor={id} className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-100 px-2.5 py-1.5 text-sm hover:bg-slate-50">
                        <input id={id} type="checkbox" className="h-4 w-4 rounded border-slate-300 accent-brand-600" checked={tracked.includes(field.name)}
                          aria-label={`Track ${field.label}`}
                          onChange={(e) => store.setFieldTracked(object.name, field.name, e.target.checked)} />
                        <span className="min-w-0 flex-1 truncate font-medium text-slate-800">{field.label}</span>
                        <span className="font-mono text-xs text-slate-500">{field.name}</span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          )}
        </section>
      )}
    </div>
  );
}
