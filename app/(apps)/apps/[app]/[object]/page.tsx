import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Spinner } from "@/components/ui/feedback";
import { firstBlockInput, gridQueryOf, gridStateFromParams, type GridFirstBlock } from "@/components/runtime/grid-query";
import type { DescribedObjectDef } from "@/components/runtime/record-access";
import { chooseView, type ObjectViews } from "@/components/runtime/view-selection";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { loadApp, loadObjectRoute, objectOfApp } from "../../_lib/server";
import { ObjectNotFound } from "../../_components/object-not-found";
import { ObjectList } from "./object-list";

export const dynamic = "force-dynamic";

type Params = Promise<{ app: string; object: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

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

/**
 * The first block of records the grid will ask for (the chosen view's and the URL's sort, search
 * and filters, with the total), read with the user's permissions: its rows are rendered into the
 * HTML and the grid does not ask for them again. Only for ungrouped grid views (kanban and
 * calendar views, and grouped grids, load on the client); undefined when it cannot be read (the
 * grid then asks and shows the error).
 */
async function loadFirstBlock(object: DescribedObjectDef, views: ObjectViews, searchParams: Awaited<SearchParams>): Promise<GridFirstBlock | undefined> {
  const get = (name: string) => {
    const value = searchParams[name];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  };
  const { choice } = chooseView(views, get("view"));
  const view = choice.kind === "generated" ? undefined : choice.view;
  if (view && (view.type ?? "grid") !== "grid") return undefined;
  const query = gridQueryOf(object, view, gridStateFromParams(get));
  if (query.groupField) return undefined;
  const input = firstBlockInput({ object: object.name, ...query });
  try {
    const caller = createCaller(await createContext());
    return { input, result: await caller.data.find(input), fetchedAt: Date.now() };
  } catch {
    return undefined;
  }
}

/** An object's list page: heading, "New record", the view switcher and the chosen list view. */
export default async function ObjectListPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { app: appName, object: objectName } = await params;
  const { loaded, object, noAccess } = await loadObjectRoute(appName, objectName, `/apps/${appName}/${objectName}`);
  if (!loaded) return null; // the layout explains that the app does not exist
  if (!object) return <ObjectNotFound loaded={loaded} objectName={objectName} noAccess={noAccess} />;
  const views = await loadViews(object.name);
  const initialFirstBlock = await loadFirstBlock(object, views, await searchParams);
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
        <ObjectList appName={loaded.app.name} object={object} initialViews={views} initialFirstBlock={initialFirstBlock} />
      </Suspense>
    </div>
  );
}
