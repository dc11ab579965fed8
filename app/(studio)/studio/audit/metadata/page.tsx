import type { Metadata } from "next";
import { MetadataChanges } from "@/designers/audit/metadata-changes";

export const metadata: Metadata = { title: "Metadata changes" };

export default function MetadataChangesPage() {
  return <MetadataChanges />;
}
