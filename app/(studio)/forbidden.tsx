import Link from "next/link";
import { getCurrentUser } from "@/server/auth/current-user";

/**
 * What a signed-in non-admin sees at /studio and every page under it, with status 403 (the
 * studio layout calls `forbidden()`): what the studio is for, and where they can go instead.
 */
export default async function StudioForbidden() {
  const user = await getCurrentUser();
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Access denied</h1>
        <p className="mt-2 text-sm text-slate-600">
          The studio is for admins.{user ? ` Your account (${user.email}) can use the apps.` : ""}
        </p>
        <div className="mt-6 flex gap-2">
          <Link href="/apps" className="inline-flex h-9 items-center rounded-md bg-brand-600 px-3.5 text-sm font-medium text-white hover:bg-brand-700">
            Go to apps
          </Link>
          <Link href="/signout" className="inline-flex h-9 items-center rounded-md border border-slate-300 bg-white px-3.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
            Sign out
          </Link>
        </div>
      </div>
    </main>
  );
}
