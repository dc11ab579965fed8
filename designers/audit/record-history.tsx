"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorIssues, useTRPC } from "@/components/trpc";
import { Badge, FormField, NativeSelect } from "@/components/ui";
import { AuditLogPage, ChoiceFilter, TextFilter, formatTime, useAuditFilter } from "./audit-table";
import { AuditActor, AuditValue } from "./audit-values";

const PAGE_SIZE = 50;
type View = "fields" | "events";
const VIEWS: Record<View, { label: string; keys: string[]; export: string }> = {
  fields: { label: "Field changes", keys: ["object", "recordId", "field", "user", "from", "to"], export: "field-history.csv" },
  events: { label: "Created and deleted records", keys: ["object", "recordId", "kind", "user", "from", "to"], export: "record-events.csv" },
};

function pick(filter: Record<string, string>, keys: string[]) {
  return Object.fromEntries(Object.entries(filter).filter(([key]) => keys.includes(key)));
}

/** The record's id, in full on hover. */
function RecordIdCell({ id }: { id: string }) {
  return <td className="px-4 py-2 font-mono text-xs text-slate-600"><div className="max-w-28 truncate" title={id}>{id}</div></td>;
}

/**
 * /studio/audit/records: the field history of tracked fields (who changed which field of which
 * record, from what to what) and every record's creation and deletion; filterable, paged, exportable.
 */
export function RecordHistory() {
  const trpc = useTRPC();
  const [view, setView] = useState<View>("fields");
  const filter = useAuditFilter({ object: "", recordId: "", field: "", kind: "", user: "", from: "", to: "" });
  const objects = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  const labels = new Map((objects.data ?? []).map((object) => [object.name, object.label]));
  const input = { ...pick(filter.filter, VIEWS[view].keys), page: filter.page, pageSize: PAGE_SIZE };
  const fields = useQuery({ ...trpc.recordAudit.fieldHistory.queryOptions(input), enabled: view === "fields", placeholderData: keepPreviousData, refetchOnMount: "always" });
  const events = useQuery({ ...trpc.recordAudit.recordEvents.queryOptions(input as { kind?: "create" | "delete" }), enabled: view === "events", placeholderData: keepPreviousData, refetchOnMount: "always" });
  const query = view === "fields" ? fields : events;
  const issues = errorIssues(query.error);
  const objectCell = (name: string) => <td className="px-4 py-2 text-slate-800" title={name}>{labels.get(name) ?? name}</td>;

  return (
    <AuditLogPage
      title="Record history"
      meta="Changes of tracked fields (chosen in Permissions, Field history), and every record created or deleted."
      exportPath={`/studio/audit/export/${VIEWS[view].export}`}
      filter={filter}
      query={query}
      pageSize={PAGE_SIZE}
      fields={
        <>
          <div className="w-52">
            <FormField label="Show" htmlFor="filter-view">
              <NativeSelect id="filter-view" value={view} onChange={(event) => { setView(event.target.value as View); filter.setPage(1); }}>
                {(Object.keys(VIEWS) as View[]).map((key) => <option key={key} value={key}>{VIEWS[key].label}</option>)}
              </NativeSelect>
            </FormField>
          </div>
          <ChoiceFilter name="object" label="Object" width="w-40" filter={filter}
            options={(objects.data ?? []).map((object) => [object.name, object.label])} />
          <TextFilter name="recordId" label="Record id" placeholder="exact id" width="w-44" filter={filter} issues={issues} />
          {view === "fields" ? (
            <TextFilter name="field" label="Field" placeholder="API name" width="w-32" filter={filter} issues={issues} />
          ) : (
            <ChoiceFilter name="kind" label="Event" width="w-32" filter={filter} options={[["create", "Created"], ["delete", "Deleted"]]} />
          )}
          <TextFilter name="user" label="User" placeholder="part of an email" width="w-44" filter={filter} issues={issues} />
        </>
      }
      columns={view === "fields" ? ["Time", "Object", "Record", "Field", "Old value", "New value", "User"] : ["Time", "Object", "Record", "Event", "User", "Record as deleted"]}
    >
      {view === "fields"
        ? fields.data?.rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50" data-testid="field-history-row">
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatTime(row.at)}</td>
              {objectCell(row.object)}
              <RecordIdCell id={row.recordId} />
              {row.field === null ? (
                <td colSpan={3} className="px-4 py-2 text-slate-600">Created.</td>
              ) : (
                <>
                  <td className="px-4 py-2 font-mono text-xs text-slate-800">{row.field}</td>
                  <td className="px-4 py-2 text-slate-600"><AuditValue value={row.oldValue} /></td>
                  <td className="px-4 py-2 text-slate-900"><AuditValue value={row.newValue} /></td>
                </>
              )}
              <td className="whitespace-nowrap px-4 py-2 text-slate-600"><AuditActor actor={row.actor} /></td>
            </tr>
          ))
        : events.data?.rows.map((row) => (
            <tr key={row.id} className="align-top hover:bg-slate-50" data-testid="record-event-row">
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatTime(row.at)}</td>
              {objectCell(row.object)}
              <RecordIdCell id={row.recordId} />
              <td className="px-4 py-2">{row.kind === "create" ? <Badge color="#047857">Created</Badge> : <Badge color="#b91c1c">Deleted</Badge>}</td>
              <td className="whitespace-nowrap px-4 py-2 text-slate-600"><AuditActor actor={row.actor} /></td>
              <td className="px-4 py-2 text-xs">
                {row.snapshot && (
                  <details>
                    <summary className="cursor-pointer text-brand-600">View record</summary>
                    <pre className="mt-1 max-h-64 max-w-md overflow-auto rounded bg-slate-50 p-2 font-mono">{JSON.stringify(row.snapshot, null, 2)}</pre>
                  </details>
                )}
              </td>
            </tr>
          ))}
    </AuditLogPage>
  );
}
