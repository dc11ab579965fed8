"use client";
import { useRouter } from "next/navigation";
import type { FormDef } from "@/spec/form";
import { FormRenderer } from "@/components/runtime/form-renderer";
import type { DescribedObjectDef } from "@/components/runtime/record-access";

/** Creates a record through the user's form (null: the generated one), then opens it. */
export function NewRecord({ appName, object, form }: { appName: string; object: DescribedObjectDef; form: FormDef | null }) {
  const router = useRouter();
  const base = `/apps/${appName}/${object.name}`;
  return (
    <FormRenderer
      object={object}
      form={form}
      onSaved={(record) => router.push(`${base}/${encodeURIComponent(record.id)}`)}
      onCancel={() => router.push(base)}
    />
  );
}
