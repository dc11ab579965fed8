"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { DatabaseZap, Download, Upload } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Button, Spinner } from "@/components/ui";
import { DocumentStatus } from "@/designers/shared/document-status";
import { PageHeader } from "@/designers/shared/page-header";

type Datasource = { name: string; label: string; driver: string; url: string; schema?: string };

/**
 * /studio/datasources/<name>: the data source's settings and status, "Publish" (which checks the
 * database can be reached), then "Introspect" to list its tables and import the selected ones.
 */
export function DatasourcePage({ name }: { name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.metadata.get.queryOptions({ kind: "datasource", name }));
  const [introspecting, setIntrospecting] = useState(false);
  const introspection = useQuery({ ...trpc.datasources.introspect.queryOptions({ name }), enabled: introspecting, retry: false });
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const publish = useMutation(
    trpc.metadata.publish.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() }),
    }),
  );
  const importObjects = useMutation(
    trpc.datasources.importObjects.mutationOptions({
      onSuccess: async () => {
        setSelected(new Set());
        await queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.datasources.pathKey() });
      },
    }),
  );

  if (detail.isPending) return <Spinner label="Loading data source" />;
  if (detail.isError) return <main className="p-6"><Alert>{errorMessage(detail.error)}</Alert></main>;
  const datasource = (detail.data.draft ?? detail.data.published) as Datasource | null;
  const published = detail.data.publishedVersion !== null;

  function toggle(table: string, checked: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (checked) next.add(table);
      else next.delete(table);
      return next;
    });
  }

  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / <Link href="/studio/datasources" className="hover:underline">Data sources</Link></>}
        title={detail.data.label}
        meta={<><span className="font-mono">{name}</span><DocumentStatus publishedVersion={detail.data.publishedVersion} hasDraft={detail.data.hasDraft} /></>}
        actions={
          <>
            {detail.data.hasDraft && (
              <Button onClick={() => publish.mutate({ kind: "datasource", name })} disabled={publish.isPending}>
                <Upload className="h-4 w-4" aria-hidden /> {publish.isPending ? "Publishing…" : "Publish"}
              </Button>
            )}
            <Button variant="primary" disabled={!published || introspection.isFetching}
              onClick={() => (introspecting ? void introspection.refetch() : setIntrospecting(true))}>
              <DatabaseZap className="h-4 w-4" aria-hidden /> {introspection.isFetching ? "Introspecting…" : "Introspect"}
            </Button>
          </>
        }
      />
      <main className="mx-auto w-full max-w-6xl space-y-6 px-6 py-6">
        {publish.isError && <Alert>{errorMessage(publish.error)}</Alert>}
        {!published && !publish.isError && <Alert tone="info">Publish the data source (its database must be reachable) to introspect its tables.</Alert>}
        {datasource && (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
            <dt className="text-slate-500">Driver</dt><dd>{datasource.driver}</dd>
            <dt className="text-slate-500">URL</dt><dd className="font-mono text-xs">{datasource.url}</dd>
            {datasource.schema && <><dt className="text-slate-500">Schema</dt><dd className="font-mono text-xs">{datasource.schema}</dd></>}
          </dl>
        )}
        {introspection.isError && <Alert>{errorMessage(introspection.error)}</Alert>}
        {importObjects.isError && <Alert>{errorMessage(importObjects.error)}</Alert>}
        {importObjects.data && (
          <Alert tone="success">
            Imported {importObjects.data.imported.map((object) => object.name).join(", ")}.
            {importObjects.data.skipped.length > 0 && ` Left out: ${importObjects.data.skipped.map((entry) => `${entry.table}${entry.column ? `.${entry.column}` : ""} (${entry.reason})`).join("; ")}.`}
          </Alert>
        )}
        {introspection.data && (
          <section aria-labelledby="tables-heading" className="space-y-3">
            <div className="flex items-center justify-between">
              <h2 id="tables-heading" className="text-sm font-semibold text-slate-800">Tables</h2>
              <Button variant="primary" size="sm" disabled={selected.size === 0 || importObjects.isPending}
                onClick={() => importObjects.mutate({ datasource: name, tables: [...selected] })}>
                <Download className="h-4 w-4" aria-hidden /> {importObjects.isPending ? "Importing…" : "Import selected tables"}
              </Button>
            </div>
            <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-sm">
                <caption className="sr-only">Tables of {detail.data.label}</caption>
                <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="w-10 px-4 py-2"><span className="sr-only">Select</span></th>
                    <th scope="col" className="px-4 py-2">Table</th>
                    <th scope="col" className="px-4 py-2">Columns</th>
                    <th scope="col" className="px-4 py-2">Object</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {introspection.data.tables.map((table) => {
                    const reason = introspection.data.skipped.find((entry) => entry.table === table.name && !entry.column)?.reason;
                    return (
                      <tr key={table.name}>
                        <td className="px-4 py-2">
                          <input type="checkbox" aria-label={`Import ${table.name}`} disabled={!table.object || !!table.importedAs}
                            checked={selected.has(table.name)} onChange={(e) => toggle(table.name, e.target.checked)} />
                        </td>
                        <td className="px-4 py-2 font-mono text-xs">{table.name}</td>
                        <td className="px-4 py-2 text-xs text-slate-600">{table.columns}</td>
                        <td className="px-4 py-2 text-xs">
                          {table.importedAs ? (
                            <Link href={`/studio/objects/${table.importedAs}`} className="text-brand-700 hover:underline">Imported as {table.importedAs}</Link>
                          ) : table.object ? (
                            <span className="font-mono text-slate-600">{table.object}</span>
                          ) : (
                            <span className="text-slate-500">Cannot import: {reason ?? "not mappable"}</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </main>
    </>
  );
}
