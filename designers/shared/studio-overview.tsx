"use client";
import { useQuery } from "@tanstack/react-query";
import { AppWindow, Database, Plus } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Button, EmptyState, Spinner } from "@/components/ui";
import { DocumentStatus } from "./document-status";
import { NewAppDialog, NewObjectDialog } from "./new-document-dialogs";
import { PageHeader } from "./page-header";

type Summary = {
  name: string;
  label: string;
  hasDraft: boolean;
  publishedVersion: number | null;
  updatedAt: Date | string;
};

function formatDate(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function DocumentTable({
  caption,
  rows,
  hrefFor,
  icon,
}: {
  caption: string;
  rows: Summary[];
  hrefFor: (name: string) => string;
  icon: React.ReactNode;
}) {
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2">Label</th>
            <th scope="col" className="px-4 py-2">API name</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2">Last changed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.name} className="hover:bg-slate-50">
              <td className="px-4 py-2">
                <Link href={hrefFor(row.name)} className="inline-flex items-center gap-2 font-medium text-brand-700 hover:underline">
                  {icon}
                  {row.label}
                </Link>
              </td>
              <td className="px-4 py-2 font-mono text-xs text-slate-600">{row.name}</td>
              <td className="px-4 py-2">
                <DocumentStatus publishedVersion={row.publishedVersion} hasDraft={row.hasDraft} />
              </td>
              <td className="px-4 py-2 text-xs text-slate-500">{formatDate(row.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** /studio: every object and app with its publish status, and the way to create new ones. */
export function StudioOverview() {
  const trpc = useTRPC();
  const objects = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  const apps = useQuery(trpc.metadata.list.queryOptions({ kind: "app" }));
  const [newObject, setNewObject] = useState(false);
  const [newApp, setNewApp] = useState(false);

  return (
    <>
      <PageHeader
        title="Studio"
        meta="Design objects and apps, then publish them to your users."
        actions={
          <>
            <Button onClick={() => setNewApp(true)}>
              <Plus className="h-4 w-4" aria-hidden /> New app
            </Button>
            <Button variant="primary" onClick={() => setNewObject(true)}>
              <Plus className="h-4 w-4" aria-hidden /> New object
            </Button>
          </>
        }
      />
      <main className="mx-auto w-full max-w-6xl space-y-8 px-6 py-6">
        <section aria-labelledby="objects-heading" className="space-y-3">
          <div className="flex items-center justify-between">
            <h2 id="objects-heading" className="text-sm font-semibold text-slate-800">Objects</h2>
            <span className="text-xs text-slate-500">{objects.data ? `${objects.data.length} total` : ""}</span>
          </div>
          {objects.isPending ? (
            <Spinner label="Loading objects" />
          ) : objects.isError ? (
            <Alert>{errorMessage(objects.error)}</Alert>
          ) : objects.data.length === 0 ? (
            <EmptyState title="No objects yet">
              Create your first object, then add fields and publish it.
              <div className="mt-3">
                <Button variant="primary" size="sm" onClick={() => setNewObject(true)}>Create an object</Button>
              </div>
            </EmptyState>
          ) : (
            <DocumentTable caption="Objects" rows={objects.data} hrefFor={(name) => `/studio/objects/${name}`}
              icon={<Database className="h-4 w-4 text-slate-400" aria-hidden />} />
          )}
        </section>
        <section aria-labelledby="apps-heading" className="space-y-3">
          <div className="flex items-center justify-between">
            <h2 id="apps-heading" className="text-sm font-semibold text-slate-800">Apps</h2>
            <span className="text-xs text-slate-500">{apps.data ? `${apps.data.length} total` : ""}</span>
          </div>
          {apps.isPending ? (
            <Spinner label="Loading apps" />
          ) : apps.isError ? (
            <Alert>{errorMessage(apps.error)}</Alert>
          ) : apps.data.length === 0 ? (
            <EmptyState title="No apps yet">
              An app puts published objects in a navigation for your users.
              <div className="mt-3">
                <Button size="sm" onClick={() => setNewApp(true)}>Create an app</Button>
              </div>
            </EmptyState>
          ) : (
            <DocumentTable caption="Apps" rows={apps.data} hrefFor={(name) => `/studio/apps/${name}`}
              icon={<AppWindow className="h-4 w-4 text-slate-400" aria-hidden />} />
          )}
        </section>
      </main>
      <NewObjectDialog open={newObject} onOpenChange={setNewObject} />
      <NewAppDialog open={newApp} onOpenChange={setNewApp} />
    </>
  );
}
