import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeysManager } from "@/designers/api-keys/api-keys-manager";
import { PageHeader } from "@/designers/shared/page-header";

export const metadata: Metadata = { title: "API keys" };

/** Every user's REST API keys; an admin may create one for any active user. */
export default function StudioApiKeysPage() {
  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/studio" className="hover:underline">Studio</Link>}
        title="API keys"
        meta="Keys for the REST API (/api/v1). Each acts as its user, with that user's permissions."
      />
      <main className="mx-auto w-full max-w-6xl px-6 py-6">
        <ApiKeysManager admin />
      </main>
    </>
  );
}
