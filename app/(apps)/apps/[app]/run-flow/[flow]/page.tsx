import type { Metadata } from "next";
import { NotFoundMessage } from "../../../_components/not-found-message";
import { getCaller, loadApp, navLabel, requireUser, startableScreenFlows } from "../../../_lib/server";
import { recordTitle, type DataRecord } from "@/components/runtime/types";
import { ScreenFlowPage } from "./screen-flow-page";

export const dynamic = "force-dynamic";

type Params = Promise<{ app: string; flow: string }>;
type Search = Promise<{ record?: string | string[]; run?: string | string[] }>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { flow } = await params;
  const found = (await startableScreenFlows().catch(() => [])).find((candidate) => candidate.name === flow);
  return { title: found?.label ?? "Flow" };
}

/**
 * A screen flow in an app (`?record=<id>` for a flow that runs on a record, `?run=<id>` once
 * started): the flow's screens one after the other. The folder's name has a hyphen, which no
 * object name can have, so it never hides an object's pages.
 */
export default async function RunFlowPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { app: appName, flow: flowName } = await params;
  const search = await searchParams;
  const recordId = one(search.record);
  const runId = one(search.run);
  await requireUser(`/apps/${appName}/run-flow/${flowName}`);
  const loaded = await loadApp(appName);
  if (!loaded) return null; // the layout explains that the app does not exist
  const flow = (await startableScreenFlows()).find((candidate) => candidate.name === flowName);
  if (!flow) {
    return (
      <NotFoundMessage title="Flow not found" message={`There is no published screen flow named “${flowName}” that you may run.`} backHref={`/apps/${appName}`} backLabel={`Back to ${loaded.app.label}`} />
    );
  }
  const object = flow.object ? loaded.objects.find((candidate) => candidate.name === flow.object) : undefined;
  const done = flow.object && recordId
    ? { href: `/apps/${appName}/${flow.object}/${encodeURIComponent(recordId)}`, label: `Back to the ${object?.label.toLowerCase() ?? flow.object}` }
    : { href: `/apps/${appName}`, label: `Back to ${loaded.app.label}` };
  // The record the flow runs on, by its name (as the user may read it; the flow itself checks again).
  const record = flow.object && recordId && object ? ((await (await getCaller()).data.get({ object: object.name, id: recordId }).catch(() => null)) as DataRecord | null) : null;
  const crumbs = flow.object && recordId && object
    ? [{ label: navLabel(loaded, object.name), href: `/apps/${appName}/${object.name}` }, { label: record ? recordTitle(object, record) : object.label, href: done.href }, { label: flow.label }]
    : [{ label: flow.label }];
  return (
    <div className="mx-auto max-w-2xl">
      <ScreenFlowPage flowName={flowName} recordId={recordId} runId={runId} done={done} crumbs={crumbs} />
    </div>
  );
}
