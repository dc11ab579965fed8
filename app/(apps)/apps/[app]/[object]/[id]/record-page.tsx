"use client";
import { useQuery } from "@tanstack/react-query";
import { Workflow } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormDef } from "@/spec/form";
import { accessOf, type DescribedObjectDef } from "@/components/runtime/record-access";
import { RecordDetail } from "@/components/runtime/record-detail";
import { RecordSharingButton } from "@/components/runtime/record-sharing-dialog";
import { useTRPC } from "@/components/trpc";
import { Breadcrumb } from "../../../_components/breadcrumb";

/** One record: its fields, Edit in place, Delete back to the list, Sharing (owner and manual shares), and the screen flows that run on it. */
export function RecordPage({
  appName,
  object,
  recordId,
  listLabel,
  form,
  startEditing = false,
}: {
  appName: string;
  object: DescribedObjectDef;
  recordId: string;
  listLabel: string;
  /** The published form the user gets for this record; null: the generated form. */
  form: FormDef | null;
  /** Open the form at once (`?edit=1`, the grid's "Edit" row action). */
  startEditing?: boolean;
}) {
  const router = useRouter();
  const trpc = useTRPC();
  const listHref = `/apps/${appName}/${object.name}`;
  // The object's permissions narrowed to this record (a read-only share, someone else's record under public read).
  const mine = useQuery({ ...trpc.data.recordAccess.queryOptions({ object: object.name, id: recordId }), retry: false });
  const flows = useQuery({ ...trpc.flows.screenFlows.queryOptions(), select: (list) => list.filter((flow) => flow.object === object.name) });
  const access = accessOf(object);
  const narrowed: DescribedObjectDef = {
    ...object,
    access: { ...access, edit: access.edit && mine.data?.edit === true, delete: access.delete && mine.data?.delete === true },
  };
  return (
    <RecordDetail
      object={narrowed}
      recordId={recordId}
      form={form}
      initialEditing={startEditing}
      breadcrumb={<Breadcrumb items={[{ label: listLabel, href: listHref }, { label: object.label }]} />}
      onDeleted={() => router.push(listHref)}
      actions={
        <>
          {(flows.data ?? []).map((flow) => (
            <Link key={flow.name} href={`/apps/${appName}/run-flow/${flow.name}?record=${encodeURIComponent(recordId)}`} title={flow.description}
              className="inline-flex h-9 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-700 hover:bg-slate-50">
              <Workflow className="h-4 w-4 text-slate-400" aria-hidden /> {flow.label}
            </Link>
          ))}
          {object.source ? null : <RecordSharingButton object={object} recordId={recordId} />}
        </>
      }
    />
  );
}
