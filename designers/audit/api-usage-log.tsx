"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { errorIssues, useTRPC } from "@/components/trpc";
import { Badge } from "@/components/ui";
import { AuditLogPage, ChoiceFilter, TextFilter, formatTime, useAuditFilter } from "./audit-table";

const PAGE_SIZE = 50;
type ApiCallFilter = { user?: string; status?: "2xx" | "4xx" | "5xx"; path?: string; from?: string; to?: string };

function statusColor(status: number) {
  return status >= 500 ? "#b91c1c" : status >= 400 ? "#b45309" : "#047857";
}

/** /studio/audit/api-usage: every REST API call, filterable, paged, exportable. */
export function ApiUsageLog() {
  const trpc = useTRPC();
  const filter = useAuditFilter({ user: "", status: "", path: "", from: "", to: "" });
  const calls = useQuery({
    ...trpc.audit.apiCalls.queryOptions({ ...(filter.filter as ApiCallFilter), page: filter.page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const issues = errorIssues(calls.error);

  return (
    <AuditLogPage
      title="API usage"
      meta="Every call to the REST API (/api/v1): which key, as whom, what, and the answer."
      exportPath="/api/audit/api-calls.csv"
      filter={filter}
      query={calls}
      pageSize={PAGE_SIZE}
      fields={
        <>
          <TextFilter name="user" label="User" placeholder="part of an email" width="w-56" filter={filter} issues={issues} />
          <TextFilter name="path" label="Path" placeholder="/api/v1/objects/account" width="w-56" filter={filter} issues={issues} />
          <ChoiceFilter name="status" label="Status" width="w-32" filter={filter} options={[["2xx", "2xx"], ["4xx", "4xx"], ["5xx", "5xx"]]} />
        </>
      }
      columns={["Time", "User", "Key", "Request", "Status", "ms", "IP"]}
    >
      {calls.data?.rows.map((row) => (
        <tr key={row.id} className="hover:bg-slate-50">
          <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatTime(row.createdAt)}</td>
          <td className="max-w-48 truncate px-4 py-2 text-slate-800" title={row.userEmail ?? undefined}>{row.userEmail ?? <span className="text-slate-400">(no valid key)</span>}</td>
          <td className="px-4 py-2">
            {row.keyName && <div className="max-w-40 truncate text-slate-800" title={row.keyName}>{row.keyName}</div>}
            {row.keyPrefix && <div className="font-mono text-xs text-slate-500">{row.keyPrefix}…</div>}
          </td>
          <td className="max-w-64 break-all px-4 py-2 font-mono text-xs text-slate-700">{row.method} {row.path}</td>
          <td className="px-4 py-2"><Badge color={statusColor(row.status)}>{row.status}</Badge></td>
          <td className="px-4 py-2 tabular-nums text-slate-600">{row.durationMs}</td>
          <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600">{row.ip}</td>
        </tr>
      ))}
    </AuditLogPage>
  );
}
