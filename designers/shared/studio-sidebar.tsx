"use client";
import { useQuery } from "@tanstack/react-query";
import { Activity, AppWindow, Boxes, Database, ExternalLink, KeyRound, LayoutGrid, LogIn, LogOut, Server } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTRPC } from "@/components/trpc";
import { ShieldCheck, UserCog, Users } from "lucide-react";
import { FileClock, History, PanelsTopLeft, Rows3, Workflow } from "lucide-react";
import { cn } from "@/components/ui";
import { useFlowProblems } from "@/designers/flow/flow-problems";

function NavLink({ href, active, children }: { href: string; active: boolean; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "flex items-center gap-2 truncate rounded-md px-2 py-1.5 text-sm",
        active ? "bg-slate-800 font-medium text-white" : "text-slate-300 hover:bg-slate-800/60 hover:text-white",
      )}
    >
      {children}
    </Link>
  );
}

/** The studio's left navigation: overview, every object, app and data source, security pages, and the way out. */
export function StudioSidebar({ user }: { user: { name: string | null; email: string } }) {
  const pathname = usePathname();
  const trpc = useTRPC();
  const objects = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  const apps = useQuery(trpc.metadata.list.queryOptions({ kind: "app" }));
  const datasources = useQuery(trpc.metadata.list.queryOptions({ kind: "datasource" }));
  const brokenFlows = useFlowProblems().data?.length ?? 0;

  return (
    <aside className="sticky top-0 flex h-screen w-60 shrink-0 flex-col bg-slate-900 text-slate-100" aria-label="Studio navigation">
      <div className="flex h-12 items-center gap-2 border-b border-slate-800 px-4">
        <Boxes className="h-5 w-5 text-brand-500" aria-hidden />
        <Link href="/studio" className="text-sm font-semibold tracking-tight">ObjectStudio</Link>
        <span className="ml-auto rounded bg-slate-800 px-1.5 py-0.5 text-[10px] font-medium uppercase tracking-wide text-slate-400">Studio</span>
      </div>
      <nav className="flex-1 space-y-5 overflow-y-auto px-2 py-3">
        <div>
          <NavLink href="/studio" active={pathname === "/studio"}>
            <LayoutGrid className="h-4 w-4" aria-hidden /> Overview
          </NavLink>
        </div>
        <div>
          <p className="px-2 pb-1 text-[11px] font-semibold uppercase tracking-wider text-slate-500">Objects</p>
          <ul className="space-y-0.5">
            {objects.data?.map((object) => (
              <li key={object.name}>
                <NavLink href={`/studio/objects/${object.name}`} active={pathname.startsWith(`/studio/objects/${object.name}`)}>
                  <Database className="h-4 w-4 shrink-0" aria-hidden />
                  <span className="truncate">{object.label}</span>
                </NavLink>
              </li>
            ))}
            {objects.data?.length === 0 && <li className="px-2 text-xs text-slate-500">No objects yet</li>}
            {objects.isPending && <li className="px-2 text-xs text-slate-500">Loading…</li>}
          </ul>
        </div>
        <div>
          <p className="px-2 pb-1 text-[11px] font-semibold uppercase tracking-wider text-slate-500">Apps</p>
          <ul className="space-y-0.5">
            {apps.data?.map((app) => (
              <li key={app.name}>
                <NavLink href={`/studio/apps/${app.name}`} active={pathname.startsWith(`/studio/apps/${app.name}`)}>
                  <AppWindow className="h-4 w-4 shrink-0" aria-hidden />
                  <span className="truncate">{app.label}</span>
                </NavLink>
              </li>
            ))}
            {apps.data?.length === 0 && <li className="px-2 text-xs text-slate-500">No apps yet</li>}
            {apps.isPending && <li className="px-2 text-xs text-slate-500">Loading…</li>}
          </ul>
        </div>
        <div>
          <p className="px-2 pb-1 text-[11px] font-semibold uppercase tracking-wider text-slate-500">Layouts</p>
          <ul className="space-y-0.5">
            <li><NavLink href="/studio/forms" active={pathname.startsWith("/studio/forms")}><PanelsTopLeft className="h-4 w-4 shrink-0" aria-hidden /> Forms</NavLink></li>
            <li><NavLink href="/studio/views" active={pathname.startsWith("/studio/views")}><Rows3 className="h-4 w-4 shrink-0" aria-hidden /> Views</NavLink></li>
          </ul>
        </div>
        <div>
          <p className="px-2 pb-1 text-[11px] font-semibold uppercase tracking-wider text-slate-500">Automation</p>
          <ul className="space-y-0.5">
            <li><NavLink href="/studio/flows" active={pathname.startsWith("/studio/flows")}><Workflow className="h-4 w-4 shrink-0" aria-hidden /> Flows
              {brokenFlows > 0 && (
                <span className="ml-auto rounded-full bg-red-600 px-1.5 py-0.5 text-[10px] font-semibold leading-none text-white" data-testid="broken-flows"
                  title={`${brokenFlows} published flow${brokenFlows === 1 ? " is" : "s are"} broken`}>
                  {brokenFlows}<span className="sr-only"> broken</span>
                </span>
              )}
            </NavLink></li>
          </ul>
        </div>
        <div>
          <Link href="/studio/datasources"
            className={cn("block px-2 pb-1 text-[11px] font-semibold uppercase tracking-wider hover:text-white", pathname === "/studio/datasources" ? "text-white" : "text-slate-500")}>
            Data sources
          </Link>
          <ul className="space-y-0.5">
            {datasources.data?.map((datasource) => (
              <li key={datasource.name}>
                <NavLink href={`/studio/datasources/${datasource.name}`} active={pathname.startsWith(`/studio/datasources/${datasource.name}`)}>
                  <Server className="h-4 w-4 shrink-0" aria-hidden />
                  <span className="truncate">{datasource.label}</span>
                </NavLink>
              </li>
            ))}
            {datasources.data?.length === 0 && <li className="px-2 text-xs text-slate-500">No data sources yet</li>}
          </ul>
        </div>
        <div>
          <p className="px-2 pb-1 text-[11px] font-semibold uppercase tracking-wider text-slate-500">Security</p>
          <ul className="space-y-0.5">
            <li><NavLink href="/studio/security" active={pathname.startsWith("/studio/security")}><ShieldCheck className="h-4 w-4 shrink-0" aria-hidden /> Permissions</NavLink></li>
            <li><NavLink href="/studio/users" active={pathname.startsWith("/studio/users")}><Users className="h-4 w-4 shrink-0" aria-hidden /> Users</NavLink></li>
            <li>
              <NavLink href="/studio/audit/logins" active={pathname.startsWith("/studio/audit/logins")}>
                <LogIn className="h-4 w-4 shrink-0" aria-hidden /> Login history
              </NavLink>
            </li>
            <li>
              <NavLink href="/studio/audit/api-usage" active={pathname.startsWith("/studio/audit/api-usage")}>
                <Activity className="h-4 w-4 shrink-0" aria-hidden /> API usage
              </NavLink>
            </li>
            <li><NavLink href="/studio/audit/records" active={pathname.startsWith("/studio/audit/records")}><History className="h-4 w-4 shrink-0" aria-hidden /> Record history</NavLink></li>
            <li><NavLink href="/studio/audit/metadata" active={pathname.startsWith("/studio/audit/metadata")}><FileClock className="h-4 w-4 shrink-0" aria-hidden /> Metadata changes</NavLink></li>
            <li>
              <NavLink href="/studio/api-keys" active={pathname.startsWith("/studio/api-keys")}>
                <KeyRound className="h-4 w-4 shrink-0" aria-hidden /> API keys
              </NavLink>
            </li>
          </ul>
        </div>
      </nav>
      <div className="space-y-2 border-t border-slate-800 p-3">
        <Link href="/apps" className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-300 hover:bg-slate-800/60 hover:text-white">
          <ExternalLink className="h-4 w-4" aria-hidden /> Open apps
        </Link>
        <div className="flex items-center gap-2 px-2">
          <div className="min-w-0 flex-1">
            {user.name && <p className="truncate text-sm font-medium">{user.name}</p>}
            <p className="truncate text-xs text-slate-400" data-testid="signed-in-user">{user.email}</p>
          </div>
          <Link href="/account/security" title="Sign-in & security" aria-label="Sign-in & security"
            className="flex items-center rounded px-1.5 py-1 text-xs text-slate-300 hover:bg-slate-800 hover:text-white">
            <UserCog className="h-3.5 w-3.5" aria-hidden />
          </Link>
          <Link href="/signout" className="flex items-center gap-1 rounded px-1.5 py-1 text-xs text-slate-300 hover:bg-slate-800 hover:text-white">
            <LogOut className="h-3.5 w-3.5" aria-hidden /> Sign out
          </Link>
        </div>
      </div>
    </aside>
  );
}
