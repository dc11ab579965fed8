import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { firstBlockInput, gridQueryOf, gridStateFromParams, type GridFirstBlock } from "@/components/runtime/grid-query";
import type { DescribedObjectDef } from "@/components/runtime/record-access";
import { chooseView, type ObjectViews } from "@/components/runtime/view-selection";
import { getCaller, loadApp, loadObjectRoute, objectOfApp } from "../../_lib/server";
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

/**
 * The object's shared views and the user's own, for the first render (the client keeps them
 * fresh). Asked for alongside the route's checks, so null when they cannot be read: the page
 * only uses them once the checks passed, and the client then asks again.
 */
async function loadViews(objectName: string): Promise<ObjectViews | null> {
  const caller = await getCaller();
  return caller.views.forObject({ object: objectName }).catch(() => null);
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
    const caller = await getCaller();
    return { input, result: await caller.data.find(input), fetchedAt: Date.now() };
  } catch {
    return undefined;
  }
}

/** An object's list page: heading, "New record", the view switcher and the chosen list view. */
export default async function ObjectListPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { app: appName, object: objectName } = await params;
  const [{ loaded, object, noAccess }, loadedViews] = await Promise.all([
    loadObjectRoute(appName, objectName, `/apps/${appName}/${objectName}`),
    loadViews(objectName),
  ]);
  if (!loaded) return null; // the layout explains that the app does not exist
  if (!object) return <ObjectNotFound loaded={loaded} objectName={objectName} noAccess={noAccess} />;
  const views = loadedViews ?? (await (await getCaller()).views.forObject({ object: object.name }));
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
      {/*
        No Suspense boundary here: the list's data is loaded above, and React streams a large
        boundary's content separately and reveals it only on an animation frame after the
        scripts have run (the rows then painted ~400 ms after the heading). In the page's own
        HTML, the rows paint with the first paint.
      */}
      <ObjectList appName={loaded.app.name} object={object} initialViews={views} initialFirstBlock={initialFirstBlock} />
    </div>
  );
}
