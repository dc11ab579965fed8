import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/feedback";
import { loadApp, requireUser } from "../_lib/server";

export const dynamic = "force-dynamic";

/** An app's home: its first object page, or an empty state when it has none. */
export default async function AppHomePage({ params }: { params: Promise<{ app: string }> }) {
  const { app: appName } = await params;
  await requireUser(`/apps/${appName}`);
  const loaded = await loadApp(appName);
  if (!loaded) return null; // the layout explains that the app does not exist
  const first = loaded.app.navigation.find(
    (item) => item.type === "object" && loaded.objects.some((object) => object.name === item.object),
  );
  if (first && first.type === "object") redirect(`/apps/${loaded.app.name}/${first.object}`);
  return (
    <div className="mx-auto max-w-2xl pt-6">
      <h1 className="mb-4 text-2xl font-semibold text-slate-900">{loaded.app.label}</h1>
      <EmptyState title="This app has no pages yet">
        {loaded.app.description ? <p className="mb-1">{loaded.app.description}</p> : null}
        An admin can add objects to its navigation in the Studio.
      </EmptyState>
    </div>
  );
}
