"use client";
import { useQuery } from "@tanstack/react-query";
import { Plus, Server } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Button, EmptyState, Spinner } from "@/components/ui";
import { DocumentStatus } from "@/designers/shared/document-status";
import { PageHeader } from "@/designers/shared/page-header";
import { NewDatasourceDialog } from "./new-datasource-dialog";

/** /studio/datasources: the attached external databases, and the way to attach another. */
export function DatasourceList() {
  const trpc = useTRPC();
  const datasources = useQuery(trpc.metadata.list.queryOptions({ kind: "datasource" }));
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/studio" className="hover:underline">Studio</Link>}
        title="Data sources"
        meta="External databases whose tables you can import as read-only objects."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            <Plus className="h-4 w-4" aria-hidden /> New data source
          </Button>
        }
      />
      <main className="mx-auto w-full max-w-6xl space-y-3 px-6 py-6">
        {datasources.isPending ? (
          <Spinner label="Loading data sources" />
        ) : datasources.isError ? (
          <Alert>{errorMessage(datasources.error)}</Alert>
        ) : datasources.data.length === 0 ? (
          <EmptyState title="No data sources yet">
            Attach a PostgreSQL, MySQL or SQLite database, then import its tables.
          </EmptyState>
        ) : (
          <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <caption className="sr-only">Data sources</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-2">Label</th>
                  <th scope="col" className="px-4 py-2">API name</th>
                  <th scope="col" className="px-4 py-2">Status</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {datasources.data.map((row) => (
                  <tr key={row.name} className="hover:bg-slate-50">
                    <td className="px-4 py-2">
                      <Link href={`/studio/datasources/${row.name}`} className="inline-flex items-center gap-2 font-medium text-brand-700 hover:underline">
                        <Server className="h-4 w-4 text-slate-400" aria-hidden />
                        {row.label}
                      </Link>
                    </td>
                    <td className="px-4 py-2 font-mono text-xs text-slate-600">{row.name}</td>
                    <td className="px-4 py-2"><DocumentStatus publishedVersion={row.publishedVersion} hasDraft={row.hasDraft} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </main>
      <NewDatasourceDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
