import { LayoutGrid, Workflow } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { MetadataIcon } from "@/components/runtime/metadata-icon";
import { loadApp, navLabel, readableObjects, requireUser, startableScreenFlows } from "../_lib/server";
import { AppNav, type AppNavItem } from "../_components/app-nav";
import { NotFoundMessage } from "../_components/not-found-message";
import { UserMenu } from "../_components/user-menu";

export const dynamic = "force-dynamic";

/** The generated app's shell: top bar (app, user) and the app's navigation. */
export default async function AppLayout({ children, params }: { children: ReactNode; params: Promise<{ app: string }> }) {
  const { app: appName } = await params;
  const user = await requireUser(`/apps/${appName}`);
  const loaded = await loadApp(appName);

  const topBar = (label: ReactNode, icon?: string) => (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white">
      <div className="flex h-14 items-center justify-between gap-4 px-4 md:px-6">
        <div className="flex min-w-0 items-center gap-3">
          <Link href="/apps" className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900" title="All apps" aria-label="All apps">
            <LayoutGrid className="h-5 w-5" aria-hidden />
          </Link>
          <span className="h-6 w-px bg-slate-200" aria-hidden />
          <Link href={`/apps/${appName}`} className="flex min-w-0 items-center gap-2 font-semibold text-slate-900">
            <span className="flex h-7 w-7 items-center justify-center rounded-md bg-brand-600 text-white">
              <MetadataIcon name={icon} className="h-4 w-4" />
            </span>
            <span className="truncate" data-testid="app-label">{label}</span>
          </Link>
        </div>
        <UserMenu user={user} />
      </div>
    </header>
  );

  if (!loaded) {
    return (
      <div className="min-h-full">
        {topBar("ObjectStudio")}
        <main className="px-6 py-12">
          <NotFoundMessage
            title="App not found"
            message={`There is no published app named “${appName}”, or you cannot open it.`}
            backHref="/apps"
            backLabel="Back to all apps"
          />
        </main>
      </div>
    );
  }

  const { app } = loaded;
  const readable = await readableObjects(loaded);
  const screenFlows = app.navigation.some((item) => item.type === "flow") ? await startableScreenFlows() : [];
  const items: AppNavItem[] = app.navigation.flatMap((item): AppNavItem[] => {
    if (item.type === "url") return [{ type: "url", href: item.url, label: item.label }];
    if (item.type === "flow") {
      // Only a published screen flow this user may start, that runs on no record.
      const flow = screenFlows.find((candidate) => candidate.name === item.flow && !candidate.object);
      return flow ? [{ type: "object", href: `/apps/${app.name}/run-flow/${flow.name}`, label: item.label ?? flow.label, icon: <Workflow className="h-4 w-4" aria-hidden /> }] : [];
    }
    const object = loaded.objects.find((candidate) => candidate.name === item.object);
    if (!object || !readable.has(object.name)) return [];
    return [{ type: "object", href: `/apps/${app.name}/${object.name}`, label: navLabel(loaded, object.name), icon: <MetadataIcon name={object.icon} className="h-4 w-4" /> }];
  });

  return (
    <div className="flex min-h-full flex-col">
      {topBar(app.label, app.icon)}
      <div className="flex flex-1 flex-col md:flex-row">
        <aside className="border-b border-slate-200 bg-white px-3 py-2 md:w-56 md:shrink-0 md:border-b-0 md:border-r md:py-4">
          <AppNav label={app.label} items={items} />
        </aside>
        <main className="min-w-0 flex-1 px-4 py-6 md:px-8">{children}</main>
      </div>
    </div>
  );
}
