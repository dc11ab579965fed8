import { ArrowRight, LayoutGrid, Wrench } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/feedback";
import { MetadataIcon } from "@/components/runtime/metadata-icon";
import { listApps, requireUser } from "./_lib/server";
import { UserMenu } from "./_components/user-menu";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Apps" };

/** The app launcher: every published app the user can open. */
export default async function AppsLauncherPage() {
  const user = await requireUser("/apps");
  const apps = await listApps();
  return (
    <div className="min-h-full">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-6">
          <div className="flex items-center gap-2 font-semibold text-slate-900">
            <LayoutGrid className="h-5 w-5 text-brand-600" aria-hidden />
            ObjectStudio
          </div>
          <div className="flex items-center gap-3">
            {user.role === "admin" && (
              <Link
                href="/studio"
                className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
              >
                <Wrench className="h-4 w-4" aria-hidden />
                Open Studio
              </Link>
            )}
            <UserMenu user={user} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">
        <h1 className="text-2xl font-semibold text-slate-900">Apps</h1>
        <p className="mt-1 text-sm text-slate-500">Choose an app to work with its records.</p>
        {apps.length === 0 ? (
          <div className="mt-8">
            <EmptyState title="No apps yet">
              {user.role === "admin" ? (
                <>
                  Build and publish an app in the{" "}
                  <Link href="/studio" className="font-medium text-brand-600 hover:underline">Studio</Link>.
                </>
              ) : (
                "Your admin has not published any apps yet."
              )}
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Apps">
            {apps.map((app) => (
              <li key={app.name}>
                <Link
                  href={`/apps/${app.name}`}
                  data-testid="app-card"
                  className="group flex h-full items-start gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-xs transition hover:border-brand-500 hover:shadow-md"
                >
                  <span className="flex h-11 w-11 shrink-0 items-center justify-center rounded-lg bg-brand-50 text-brand-600">
                    <MetadataIcon name={app.icon} className="h-5 w-5" />
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="flex items-center justify-between gap-2">
                      <span className="truncate font-semibold text-slate-900">{app.label}</span>
                      <ArrowRight className="h-4 w-4 shrink-0 text-slate-300 transition group-hover:translate-x-0.5 group-hover:text-brand-600" aria-hidden />
                    </span>
                    <span className="mt-1 line-clamp-2 block text-sm text-slate-500">{app.description || "No description"}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}
