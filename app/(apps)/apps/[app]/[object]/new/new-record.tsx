"use client";
import { useRouter } from "next/navigation";
import type { DescribedObjectDef } from "@/components/runtime/record-access";
import { RecordForm } from "@/components/runtime/record-form";

/** Creates a record, then opens it. */
export function NewRecord({ appName, object }: { appName: string; object: DescribedObjectDef }) {
  const router = useRouter();
  const base = `/apps/${appName}/${object.name}`;
  return (
    <RecordForm
      object={object}
      onSaved={(record) => router.push(`${base}/${encodeURIComponent(record.id)}`)}
      onCancel={() => router.push(base)}
    />
  );
}
