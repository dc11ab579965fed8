import { ArrowLeft, LayoutGrid } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/server/auth/current-user";
import { ApiKeysManager } from "@/designers/api-keys/api-keys-manager";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My API keys" };

/** Any signed-in user's own REST API keys. */
export default async function AccountApiKeysPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/account/api-keys");
  return (
    <div className="min-h-full">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-6">
          <Link href="/apps" className="flex items-center gap-2 font-semibold text-slate-900">
            <LayoutGrid className="h-5 w-5 text-brand-600" aria-hidden /> ObjectStudio
          </Link>
          <span className="text-sm text-slate-600" data-testid="signed-in-user">{user.email}</span>
        </div>
      </header>
      <main className="mx-auto max-w-6xl space-y-4 px-6 py-8">
        <Link href="/apps" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900">
          <ArrowLeft className="h-4 w-4" aria-hidden /> Apps
        </Link>
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">My API keys</h1>
          <p className="mt-1 text-sm text-slate-500">
            Keys for the REST API (<code className="font-mono">/api/v1</code>). A key can read and change exactly what you can; revoke it when it is no longer needed.
          </p>
        </div>
        <ApiKeysManager admin={false} />
      </main>
    </div>
  );
}
