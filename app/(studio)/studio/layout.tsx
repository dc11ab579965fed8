import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getCurrentUser } from "@/server/auth/current-user";
import { StudioSidebar } from "@/designers/shared/studio-sidebar";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: { default: "Studio", template: "%s · Studio · ObjectStudio" } };

/** The studio is for admins: others are sent to sign in, or told they cannot use it. */
export default async function StudioLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/studio");
  if (user.role !== "admin") {
    return (
      <main className="flex min-h-full items-center justify-center p-6">
        <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
          <h1 className="text-xl font-semibold">Access denied</h1>
          <p className="mt-2 text-sm text-slate-600">
            The studio is for admins. Your account ({user.email}) can use the apps.
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
  return (
    <div className="flex h-full min-h-screen">
      <StudioSidebar user={{ name: user.name, email: user.email }} />
      <div className="flex min-w-0 flex-1 flex-col">{children}</div>
    </div>
  );
}
