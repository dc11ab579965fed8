import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/feedback";
import { loadApp, readableObjects, requireUser, startableScreenFlows } from "../_lib/server";

export const dynamic = "force-dynamic";

/** An app's home: its first navigation page the user may open (an object's, or a screen flow's), or an empty state when there is none. */
export default async function AppHomePage({ params }: { params: Promise<{ app: string }> }) {
  const { app: appName } = await params;
  await requireUser(`/apps/${appName}`);
  const loaded = await loadApp(appName);
  if (!loaded) return null; // the layout explains that the app does not exist
  // The first object page the user may open.
  const readable = await readableObjects(loaded);
  const first = loaded.app.navigation.find((item) => item.type === "object" && readable.has(item.object));
  if (first?.type === "object") redirect(`/apps/${loaded.app.name}/${first.object}`);
  // No object page: the first screen flow tab (opening it starts a run, so objects come first).
  const flows = loaded.app.navigation.some((item) => item.type === "flow") ? await startableScreenFlows() : [];
  const flow = loaded.app.navigation.find((item) => item.type === "flow" && flows.some((candidate) => candidate.name === item.flow && !candidate.object));
  if (flow?.type === "flow") redirect(`/apps/${loaded.app.name}/run-flow/${flow.flow}`);
  return (
    <div className="mx-auto max-w-2xl pt-6">
      <h1 className="mb-4 text-2xl font-semibold text-slate-900">{loaded.app.label}</h1>
      {loaded.objects.length > 0 ? (
        <EmptyState title="No pages for you here">Your permissions do not let you see any of this app&apos;s objects.</EmptyState>
      ) : (
        <EmptyState title="This app has no pages yet">
          {loaded.app.description ? <p className="mb-1">{loaded.app.description}</p> : null}
          An admin can add objects to its navigation in the Studio.
        </EmptyState>
      )}
    </div>
  );
}
