"use client";
import { ChevronLeft, ChevronRight, Download } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent, type ReactNode } from "react";
import { errorIssues, errorMessage, type ErrorIssue } from "@/components/trpc";
import { Alert, Button, EmptyState, FormField, Input, NativeSelect, Spinner } from "@/components/ui";
import { PageHeader } from "@/designers/shared/page-header";

/** Date and time to the second, in the reader's time zone: audit rows are read for exact times. */
export function formatTime(value: Date | string | null): string {
  if (!value) return "";
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

/** The filter fields that are set, as a query string for the CSV export (same names as the procedure's input). */
function exportHref(path: string, filter: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** Drops empty strings, so an unset field is not sent as a filter. */
function setFields(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ""));
}

/**
 * An audit page's filter: the form's draft, the applied filter (only its set fields) and the
 * page. Applying or resetting goes back to page 1.
 */
export function useAuditFilter(empty: { from: string; to: string } & Record<string, string>) {
  const [draft, setDraft] = useState(empty);
  const [applied, setApplied] = useState(empty);
  const [page, setPage] = useState(1);
  return {
    draft,
    filter: setFields(applied),
    page,
    setPage,
    set: (field: string) => (value: string) => setDraft((current) => ({ ...current, [field]: value })),
    bar: {
      from: draft.from,
      to: draft.to,
      onFrom: (value: string) => setDraft((current) => ({ ...current, from: value })),
      onTo: (value: string) => setDraft((current) => ({ ...current, to: value })),
      onApply: () => { setApplied(draft); setPage(1); },
      onReset: () => { setDraft(empty); setApplied(empty); setPage(1); },
    },
  };
}

function fieldError(issues: ErrorIssue[], field: string): string | undefined {
  return issues.find((issue) => issue.path[0] === field)?.message;
}

/** Downloads the log as CSV with the applied filter (at most 10,000 rows, newest first). */
function ExportCsvLink({ href }: { href: string }) {
  return (
    <a href={href} download className="inline-flex h-9 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
      <Download className="h-4 w-4" aria-hidden /> Export CSV
    </a>
  );
}

/** The filter form above an audit table: its fields, From/To dates, Apply and Reset. */
function AuditFilterBar({
  children,
  from,
  to,
  onFrom,
  onTo,
  issues,
  onApply,
  onReset,
}: {
  children: ReactNode;
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
  issues: ErrorIssue[];
  onApply: () => void;
  onReset: () => void;
}) {
  function submit(event: FormEvent) {
    event.preventDefault();
    onApply();
  }
  return (
    <form onSubmit={submit} role="search" aria-label="Filter" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
      {children}
      <div className="w-40">
        <FormField label="From" htmlFor="filter-from" error={fieldError(issues, "from")}>
          <Input id="filter-from" type="date" value={from} onChange={(event) => onFrom(event.target.value)} aria-invalid={!!fieldError(issues, "from")} />
        </FormField>
      </div>
      <div className="w-40">
        <FormField label="To" htmlFor="filter-to" error={fieldError(issues, "to")}>
          <Input id="filter-to" type="date" value={to} onChange={(event) => onTo(event.target.value)} aria-invalid={!!fieldError(issues, "to")} />
        </FormField>
      </div>
      <div className="flex gap-2">
        <Button type="submit" variant="primary">Apply</Button>
        <Button onClick={onReset}>Reset</Button>
      </div>
    </form>
  );
}

type AuditQuery = { isPending: boolean; isError: boolean; error: unknown; data?: { total: number; rows: unknown[] } };

/** Loading, error, empty, or the table with "a–b of n" and previous/next page buttons. */
function AuditResults({
  caption,
  query,
  page,
  pageSize,
  onPage,
  columns,
  children,
}: {
  caption: string;
  query: AuditQuery;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  columns: string[];
  children: ReactNode;
}) {
  if (query.isPending) return <Spinner label={`Loading ${caption.toLowerCase()}`} />;
  if (query.isError) {
    // Field problems are shown next to their inputs; anything else here.
    return errorIssues(query.error).length > 0 ? null : <Alert>{errorMessage(query.error)}</Alert>;
  }
  const { total, rows } = query.data!;
  if (total === 0) return <EmptyState title="Nothing matches">Change or reset the filter.</EmptyState>;
  const first = (page - 1) * pageSize + 1;
  const last = first + rows.length - 1;
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>{columns.map((column) => <th key={column} scope="col" className="px-4 py-2">{column}</th>)}</tr>
          </thead>
          <tbody className="divide-y divide-slate-100">{children}</tbody>
        </table>
      </div>
      <div className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-xs text-slate-600">
        <span data-testid="audit-range">{first}–{last} of {total}</span>
        <div className="flex gap-1">
          <Button size="sm" variant="ghost" disabled={page <= 1} onClick={() => onPage(page - 1)} aria-label="Previous page">
            <ChevronLeft className="h-4 w-4" aria-hidden /> Previous
          </Button>
          <Button size="sm" variant="ghost" disabled={last >= total} onClick={() => onPage(page + 1)} aria-label="Next page">
            Next <ChevronRight className="h-4 w-4" aria-hidden />
          </Button>
        </div>
      </div>
    </div>
  );
}

/** A text filter ("part of ...") in the filter bar; the server's issue for it shows below. */
export function TextFilter({ name, label, placeholder, width, filter, issues }: {
  name: string; label: string; placeholder: string; width: string;
  filter: { draft: Record<string, string>; set: (field: string) => (value: string) => void };
  issues: ErrorIssue[];
}) {
  return (
    <div className={width}>
      <FormField label={label} htmlFor={`filter-${name}`} error={fieldError(issues, name)}>
        <Input id={`filter-${name}`} type="search" placeholder={placeholder} value={filter.draft[name]} onChange={(event) => filter.set(name)(event.target.value)} />
      </FormField>
    </div>
  );
}

/** A choice filter in the filter bar, "Any" first. */
export function ChoiceFilter({ name, label, width, options, filter }: {
  name: string; label: string; width: string; options: [value: string, label: string][];
  filter: { draft: Record<string, string>; set: (field: string) => (value: string) => void };
}) {
  return (
    <div className={width}>
      <FormField label={label} htmlFor={`filter-${name}`}>
        <NativeSelect id={`filter-${name}`} value={filter.draft[name]} onChange={(event) => filter.set(name)(event.target.value)}>
          <option value="">Any</option>
          {options.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </NativeSelect>
      </FormField>
    </div>
  );
}

/**
 * An audit log page: header with the CSV export, the filter bar (`fields` plus the date range),
 * and the paged table (`children` are its rows).
 */
export function AuditLogPage({ title, meta, exportPath, filter, query, pageSize, fields, columns, children }: {
  title: string;
  meta: string;
  exportPath: string;
  filter: ReturnType<typeof useAuditFilter>;
  query: AuditQuery;
  pageSize: number;
  fields: ReactNode;
  columns: string[];
  children: ReactNode;
}) {
  const issues = errorIssues(query.error);
  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / Audit</>}
        title={title}
        meta={meta}
        actions={<ExportCsvLink href={exportHref(exportPath, filter.filter)} />}
      />
      <main className="mx-auto w-full max-w-6xl space-y-3 px-6 py-6">
        <AuditFilterBar {...filter.bar} issues={issues}>{fields}</AuditFilterBar>
        <AuditResults caption={title} query={query} page={filter.page} pageSize={pageSize} onPage={filter.setPage} columns={columns}>
          {children}
        </AuditResults>
      </main>
    </>
  );
}
