import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/server/auth/current-user";
import { AccountSecurity } from "@/designers/account/account-security";
import { AccountPage } from "../_components/account-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign-in & security" };

/** Any signed-in user's sessions (end one or all) and password. */
export default async function AccountSecurityPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/account/security");
  return (
    <AccountPage email={user.email} title="Sign-in & security" intro="The browsers signed in to your account, and your password.">
      <AccountSecurity />
    </AccountPage>
  );
}
