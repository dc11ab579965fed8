"use client";
import { useRouter } from "next/navigation";
import type { ObjectDef } from "@/spec";
import { RecordDetail } from "@/components/runtime/record-detail";
import { Breadcrumb } from "../../../_components/breadcrumb";

/** One record: its fields, Edit in place, Delete back to the list. */
export function RecordPage({ appName, object, recordId, listLabel }: { appName: string; object: ObjectDef; recordId: string; listLabel: string }) {
  const router = useRouter();
  const listHref = `/apps/${appName}/${object.name}`;
  return (
    <RecordDetail
      object={object}
      recordId={recordId}
      breadcrumb={<Breadcrumb items={[{ label: listLabel, href: listHref }, { label: object.label }]} />}
      onDeleted={() => router.push(listHref)}
    />
  );
}
