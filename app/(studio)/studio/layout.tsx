import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getCurrentUser } from "@/server/auth/current-user";
import { StudioSidebar } from "@/designers/shared/studio-sidebar";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: { default: "Studio", template: "%s · Studio · ObjectStudio" } };

/** The studio is for admins: others are sent to sign in, or answered 403 (`../forbidden.tsx` says why). */
export default async function StudioLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/studio");
  if (user.role !== "admin") forbidden();
  return (
    <div className="flex h-full min-h-screen">
      <StudioSidebar user={{ name: user.name, email: user.email }} />
      <div className="flex min-w-0 flex-1 flex-col">{children}</div>
    </div>
  );
}
