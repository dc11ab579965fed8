import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/server/auth/current-user";
import { ApiKeysManager } from "@/designers/api-keys/api-keys-manager";
import { AccountPage } from "../_components/account-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My API keys" };

/** Any signed-in user's own REST API keys. */
export default async function AccountApiKeysPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/account/api-keys");
  return (
    <AccountPage email={user.email} title="My API keys" intro={
      <>Keys for the REST API (<code className="font-mono">/api/v1</code>). A key can read and change exactly what you can; revoke it when it is no longer needed.</>
    }>
      <ApiKeysManager admin={false} />
    </AccountPage>
  );
}
