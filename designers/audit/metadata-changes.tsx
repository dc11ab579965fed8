"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorIssues, errorMessage, useTRPC } from "@/components/trpc";
import { Badge, Button, Spinner } from "@/components/ui";
import { AuditLogPage, ChoiceFilter, TextFilter, formatTime, useAuditFilter } from "./audit-table";
import type { MetadataChangeRow as Change } from "@/server/audit/metadata-changes";
import { METADATA_KINDS, type MetadataKind } from "@/spec/metadata";
import { AuditActor, AuditValue } from "./audit-values";

const PAGE_SIZE = 50;
const KIND_LABELS: Record<MetadataKind, string> = { object: "Object", app: "App", datasource: "Data source", security: "Security", form: "Form", view: "View", flow: "Flow" };
type ChangeFilter = { kind?: MetadataKind; name?: string; user?: string; from?: string; to?: string };

/** What one publish changed against the version before it, loaded when opened. */
function VersionChanges({ kind, name, version }: { kind: MetadataKind; name: string; version: number }) {
  const trpc = useTRPC();
  const change = useQuery(trpc.recordAudit.metadataChange.queryOptions({ kind, name, version }));
  if (change.isPending) return <Spinner label="Comparing" />;
  if (change.isError) return <span className="text-red-700">{errorMessage(change.error)}</span>;
  if (change.data.changes.length === 0) return <p className="text-slate-500">Published without changes.</p>;
  return (
    <table className="text-xs" aria-label={`Changes in version ${version}`}>
      <thead className="text-left text-[11px] uppercase tracking-wide text-slate-500">
        <tr><th className="py-0.5 pr-6 font-medium">Changed</th><th className="py-0.5 pr-6 font-medium">Version {version - 1}</th><th className="py-0.5 font-medium">Version {version}</th></tr>
      </thead>
      <tbody>
        {change.data.changes.map((entry) => (
          <tr key={entry.path} className="align-top">
            <td className="py-0.5 pr-6 font-mono text-slate-700">{entry.path}</td>
            <td className="py-0.5 pr-6 text-slate-500"><AuditValue value={entry.before} /></td>
            <td className="py-0.5 text-slate-900"><AuditValue value={entry.after} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One publish: who, when, the note; its changes open in a full-width row below it. */
function MetadataChangeRow({ row }: { row: Change }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr className="hover:bg-slate-50" data-testid="metadata-change-row">
        <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatTime(row.publishedAt)}</td>
        <td className="whitespace-nowrap px-4 py-2">
          <Badge>{KIND_LABELS[row.kind] ?? row.kind}</Badge>{" "}
          {row.href ? <Link href={row.href} className="font-medium text-brand-600 hover:underline">{row.name}</Link> : <span className="font-medium">{row.name}</span>}
        </td>
        <td className="px-4 py-2 tabular-nums text-slate-700">v{row.version}</td>
        <td className="whitespace-nowrap px-4 py-2 text-slate-600"><AuditActor actor={row.actor} /></td>
        <td className="px-4 py-2 text-slate-700"><div className="max-w-56 break-words">{row.note}</div></td>
        <td className="px-4 py-1 text-right">
          {row.version === 1 ? (
            <span className="text-xs text-slate-500">First version</span>
          ) : (
            <Button size="sm" variant="ghost" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? "Hide changes" : "Show changes"}</Button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="bg-slate-50/60">
          <td colSpan={6} className="px-4 py-2"><VersionChanges kind={row.kind} name={row.name} version={row.version} /></td>
        </tr>
      )}
    </>
  );
}

/** /studio/audit/metadata: every publish of every metadata document (who, when, note, what changed). */
export function MetadataChanges() {
  const trpc = useTRPC();
  const filter = useAuditFilter({ kind: "", name: "", user: "", from: "", to: "" });
  const changes = useQuery({
    ...trpc.recordAudit.metadataChanges.queryOptions({ ...(filter.filter as ChangeFilter), page: filter.page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchOnMount: "always", // an audit page shows what happened up to now, not a cached list
  });
  const issues = errorIssues(changes.error);

  return (
    <AuditLogPage
      title="Metadata changes"
      meta="Every publish of an object, app, data source or the security model: who, when, the note, and what changed."
      exportPath="/studio/audit/export/metadata-changes.csv"
      filter={filter}
      query={changes}
      pageSize={PAGE_SIZE}
      fields={
        <>
          <ChoiceFilter name="kind" label="Kind" width="w-40" filter={filter} options={METADATA_KINDS.map((kind) => [kind, KIND_LABELS[kind]])} />
          <TextFilter name="name" label="Name" placeholder="part of the API name" width="w-48" filter={filter} issues={issues} />
          <TextFilter name="user" label="User" placeholder="part of an email" width="w-48" filter={filter} issues={issues} />
        </>
      }
      columns={["Time", "Document", "Version", "User", "Note", "Changes"]}
    >
      {changes.data?.rows.map((row) => <MetadataChangeRow key={row.id} row={row} />)}
    </AuditLogPage>
  );
}
