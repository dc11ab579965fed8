import { ArrowLeft, KeyRound, LayoutGrid, ShieldCheck } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";

/** The frame of a signed-in user's own account pages: top bar, way back to the apps, the account's pages, title. */
export function AccountPage({ email, title, intro, children }: { email: string; title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <div className="min-h-full">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-6">
          <Link href="/apps" className="flex items-center gap-2 font-semibold text-slate-900">
            <LayoutGrid className="h-5 w-5 text-brand-600" aria-hidden /> ObjectStudio
          </Link>
          <nav aria-label="Account" className="flex items-center gap-1 text-sm">
            <Link href="/account/security" className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
              <ShieldCheck className="h-4 w-4" aria-hidden /> Sign-in &amp; security
            </Link>
            <Link href="/account/api-keys" className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
              <KeyRound className="h-4 w-4" aria-hidden /> API keys
            </Link>
            <span className="ml-2 text-slate-600" data-testid="signed-in-user">{email}</span>
          </nav>
        </div>
      </header>
      <main className="mx-auto max-w-6xl space-y-4 px-6 py-8">
        <Link href="/apps" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900">
          <ArrowLeft className="h-4 w-4" aria-hidden /> Apps
        </Link>
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
          <p className="mt-1 text-sm text-slate-500">{intro}</p>
        </div>
        {children}
      </main>
    </div>
  );
}
