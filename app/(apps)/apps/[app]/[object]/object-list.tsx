"use client";
import type { DescribedObjectDef } from "@/components/runtime/record-access";
import { RecordGrid } from "@/components/runtime/record-grid";

/** The object's records in the app: the grid with its query kept in the URL. */
export function ObjectList({ appName, object }: { appName: string; object: DescribedObjectDef }) {
  const base = `/apps/${appName}/${object.name}`;
  return (
    <RecordGrid
      object={object}
      urlState
      newHref={`${base}/new`}
      showNewButton={false}
      recordHref={(record) => `${base}/${encodeURIComponent(record.id)}`}
    />
  );
}
