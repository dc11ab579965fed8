import type { Metadata } from "next";
import { loadApp, loadObjectRoute, navLabel, objectOfApp } from "../../../_lib/server";
import { Breadcrumb } from "../../../_components/breadcrumb";
import { ObjectNotFound } from "../../../_components/object-not-found";
import { Alert } from "@/components/ui/feedback";
import { formForRequest } from "@/server/forms/request-form";
import { NewRecord } from "./new-record";

export const dynamic = "force-dynamic";

type Params = Promise<{ app: string; object: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { app, object } = await params;
  const loaded = await loadApp(app).catch(() => null);
  const def = loaded ? objectOfApp(loaded, object) : null;
  return { title: def ? `New ${def.label}` : "Not found" };
}

/** The create form of an object. */
export default async function NewRecordPage({ params }: { params: Params }) {
  const { app: appName, object: objectName } = await params;
  const { loaded, object, noAccess } = await loadObjectRoute(appName, objectName, `/apps/${appName}/${objectName}/new`);
  if (!loaded) return null;
  if (!object) return <ObjectNotFound loaded={loaded} objectName={objectName} noAccess={noAccess} />;
  // The published form this user gets for a new record (by profile, else the object's default).
  const form = await formForRequest(object.name);
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <Breadcrumb items={[{ label: navLabel(loaded, object.name), href: `/apps/${loaded.app.name}/${object.name}` }, { label: "New" }]} />
      <h1 className="text-2xl font-semibold text-slate-900">New {object.label}</h1>
      {object.access?.create === false ? (
        <Alert tone="warning">Your permissions do not let you create {object.pluralLabel.toLowerCase()}.</Alert>
      ) : (
        <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs">
          <NewRecord appName={loaded.app.name} object={object} form={form} />
        </section>
      )}
    </div>
  );
}
