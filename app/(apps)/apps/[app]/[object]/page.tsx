import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Spinner } from "@/components/ui/feedback";
import type { ObjectViews } from "@/components/runtime/view-selection";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { loadApp, loadObjectRoute, objectOfApp } from "../../_lib/server";
import { ObjectNotFound } from "../../_components/object-not-found";
import { ObjectList } from "./object-list";

export const dynamic = "force-dynamic";

type Params = Promise<{ app: string; object: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { app, object } = await params;
  const loaded = await loadApp(app).catch(() => null);
  const def = loaded ? objectOfApp(loaded, object) : null;
  return { title: def ? `${def.pluralLabel} · ${loaded!.app.label}` : "Not found" };
}

/** The object's shared views and the user's own, for the first render (the client keeps them fresh). */
async function loadViews(objectName: string): Promise<ObjectViews> {
  const caller = createCaller(await createContext());
  return caller.views.forObject({ object: objectName });
}

/** An object's list page: heading, "New record", the view switcher and the chosen list view. */
export default async function ObjectListPage({ params }: { params: Params }) {
  const { app: appName, object: objectName } = await params;
  const { loaded, object, noAccess } = await loadObjectRoute(appName, objectName, `/apps/${appName}/${objectName}`);
  if (!loaded) return null; // the layout explains that the app does not exist
  if (!object) return <ObjectNotFound loaded={loaded} objectName={objectName} noAccess={noAccess} />;
  const views = await loadViews(object.name);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">{object.pluralLabel}</h1>
          {object.description && <p className="mt-1 max-w-3xl text-sm text-slate-500">{object.description}</p>}
        </div>
        {object.access?.create !== false && <Link
          href={`/apps/${loaded.app.name}/${object.name}/new`}
          className="inline-flex h-9 items-center gap-1.5 rounded-md bg-brand-600 px-3.5 text-sm font-medium text-white shadow-xs hover:bg-brand-700"
        >
          <Plus className="h-4 w-4" aria-hidden />
          New record
        </Link>}
      </div>
      <Suspense fallback={<Spinner label="Loading records" />}>
        <ObjectList appName={loaded.app.name} object={object} initialViews={views} />
      </Suspense>
    </div>
  );
}
