import type { Metadata } from "next";
import { loadApp, loadObjectRoute, navLabel, objectOfApp } from "../../../_lib/server";
import { ObjectNotFound } from "../../../_components/object-not-found";
import { formForRequest } from "@/server/forms/request-form";
import { RecordPage } from "./record-page";

export const dynamic = "force-dynamic";

type Params = Promise<{ app: string; object: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { app, object } = await params;
  const loaded = await loadApp(app).catch(() => null);
  const def = loaded ? objectOfApp(loaded, object) : null;
  return { title: def ? def.label : "Not found" };
}

/** A record's page. */
export default async function RecordRoutePage({ params, searchParams }: { params: Params; searchParams: Promise<{ edit?: string | string[] }> }) {
  const { app: appName, object: objectName, id } = await params;
  const { edit } = await searchParams;
  let recordId = id;
  try {
    recordId = decodeURIComponent(id);
  } catch {
    // already decoded
  }
  const { loaded, object, noAccess } = await loadObjectRoute(appName, objectName, `/apps/${appName}/${objectName}/${id}`);
  if (!loaded) return null;
  if (!object) return <ObjectNotFound loaded={loaded} objectName={objectName} noAccess={noAccess} />;
  // The published form this user gets for this record (by record type, profile, default).
  const form = await formForRequest(object.name, recordId);
  return (
    <div className="mx-auto max-w-5xl">
      <RecordPage appName={loaded.app.name} object={object} recordId={recordId} listLabel={navLabel(loaded, object.name)} form={form} startEditing={edit === "1"} />
    </div>
  );
}
