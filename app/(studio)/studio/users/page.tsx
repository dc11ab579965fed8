import type { Metadata } from "next";
import Link from "next/link";
import { UsersAdmin } from "@/designers/users/users-admin";
import { PageHeader } from "@/designers/shared/page-header";

export const metadata: Metadata = { title: "Users" };

/** Every platform user: status and live sessions; sign out everywhere, deactivate, reactivate. */
export default function StudioUsersPage() {
  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/studio" className="hover:underline">Studio</Link>}
        title="Users"
        meta="Signing a user out or deactivating them ends their sessions at once. Profiles, roles and groups: Permissions."
      />
      <main className="mx-auto w-full max-w-6xl px-6 py-6">
        <UsersAdmin />
      </main>
    </>
  );
}
