"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { DatabaseZap, Download, Pencil, Trash2, Undo2, Upload } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Button, Spinner } from "@/components/ui";
import { DocumentStatus } from "@/designers/shared/document-status";
import { describeError, issuesByPath } from "@/designers/shared/issues";
import { PageHeader } from "@/designers/shared/page-header";
import type { DatasourceDef } from "@/spec/datasource";
import { DRIVER_LABELS } from "./connection-fields";
import { DeleteDatasourceDialog } from "./delete-datasource-dialog";
import { EditDatasourceDialog } from "./edit-datasource-dialog";
import { ImportTablesTable, type TableChoice } from "./import-tables-table";

/**
 * /studio/datasources/<name>: the data source's settings and status; "Edit" (saved as a draft),
 * "Publish" (which checks the database can be reached), "Delete"; then "Introspect" to list its
 * tables and import the selected ones, each under the object name and label the admin chooses.
 */
export function DatasourcePage({ name }: { name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.metadata.get.queryOptions({ kind: "datasource", name }));
  const imported = useQuery(trpc.datasources.importedObjects.queryOptions({ name }));
  const [introspecting, setIntrospecting] = useState(false);
  const introspection = useQuery({ ...trpc.datasources.introspect.queryOptions({ name }), enabled: introspecting, retry: false });
  const [choices, setChoices] = useState<Map<string, TableChoice>>(new Map());
  const [dialog, setDialog] = useState<"edit" | "delete" | null>(null);

  const invalidate = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.datasources.pathKey() });
  };
  const publish = useMutation(trpc.metadata.publish.mutationOptions({ onSuccess: invalidate }));
  // A refused publish is about the draft: its message goes once the draft is discarded or edited.
  const discard = useMutation(trpc.metadata.discardDraft.mutationOptions({ onSuccess: async () => { publish.reset(); await invalidate(); } }));
  const importObjects = useMutation(
    trpc.datasources.importObjects.mutationOptions({
      onSuccess: async () => {
        setChoices(new Map());
        await invalidate();
      },
    }),
  );

  if (detail.isPending) return <Spinner label="Loading data source" />;
  if (detail.isError) return <main className="p-6"><Alert>{errorMessage(detail.error)}</Alert></main>;
  const datasource = (detail.data.draft ?? detail.data.published) as DatasourceDef | null;
  const published = detail.data.publishedVersion !== null;
  const changed = published && detail.data.hasDraft;

  function importSelected() {
    const tables = introspection.data?.tables ?? [];
    const rename: Record<string, { name?: string; label?: string }> = {};
    for (const [table, choice] of choices) {
      const suggested = tables.find((entry) => entry.name === table);
      const chosen = {
        ...(choice.name.trim() !== suggested?.object ? { name: choice.name.trim() } : {}),
        ...(choice.label.trim() !== suggested?.label ? { label: choice.label.trim() } : {}),
      };
      if (Object.keys(chosen).length > 0) rename[table] = chosen;
    }
    importObjects.mutate({ datasource: name, tables: [...choices.keys()], rename });
  }

  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / <Link href="/studio/datasources" className="hover:underline">Data sources</Link></>}
        title={detail.data.label}
        meta={<><span className="font-mono">{name}</span><DocumentStatus publishedVersion={detail.data.publishedVersion} hasDraft={detail.data.hasDraft} /></>}
        actions={
          <>
            <Button onClick={() => setDialog("edit")} disabled={!datasource}>
              <Pencil className="h-4 w-4" aria-hidden /> Edit
            </Button>
            <Button onClick={() => setDialog("delete")}>
              <Trash2 className="h-4 w-4" aria-hidden /> Delete
            </Button>
            {changed && (
              <Button onClick={() => discard.mutate({ kind: "datasource", name })} disabled={discard.isPending}>
                <Undo2 className="h-4 w-4" aria-hidden /> Discard changes
              </Button>
            )}
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
        {discard.isError && <Alert>{errorMessage(discard.error)}</Alert>}
        {!published && !publish.isError && <Alert tone="info">Publish the data source (its database must be reachable) to introspect its tables.</Alert>}
        {changed && !publish.isError && (
          <Alert tone="warning">These settings are a draft: the published version keeps serving its objects until you publish (the database must be reachable).</Alert>
        )}
        {datasource && (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
            <dt className="text-slate-500">Driver</dt><dd>{DRIVER_LABELS[datasource.driver]}</dd>
            <dt className="text-slate-500">URL</dt><dd className="font-mono text-xs">{datasource.url}</dd>
            {datasource.schema && <><dt className="text-slate-500">Schema</dt><dd className="font-mono text-xs">{datasource.schema}</dd></>}
            <dt className="text-slate-500">Objects</dt>
            <dd>
              {imported.data && imported.data.length > 0
                ? imported.data.map((object, index) => (
                  <span key={object.name}>{index > 0 && ", "}<Link href={`/studio/objects/${object.name}`} className="text-brand-700 hover:underline">{object.label}</Link></span>
                ))
                : <span className="text-slate-500">None imported yet</span>}
            </dd>
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
              <Button variant="primary" size="sm" disabled={choices.size === 0 || importObjects.isPending} onClick={importSelected}>
                <Download className="h-4 w-4" aria-hidden /> {importObjects.isPending ? "Importing…" : "Import selected tables"}
              </Button>
            </div>
            <ImportTablesTable caption={`Tables of ${detail.data.label}`} introspection={introspection.data} choices={choices} onChoices={setChoices}
              errors={importObjects.isError ? issuesByPath(describeError(importObjects.error).issues) : {}} />
          </section>
        )}
      </main>
      {dialog === "edit" && datasource && (
        <EditDatasourceDialog datasource={datasource} baseRevision={detail.data.draftRevision}
          onClose={() => setDialog(null)} onSaved={() => publish.reset()} />
      )}
      {dialog === "delete" && <DeleteDatasourceDialog name={name} label={detail.data.label} onClose={() => setDialog(null)} />}
    </>
  );
}
