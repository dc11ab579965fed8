"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Dialog, EmptyState, Spinner } from "@/components/ui";
import { RecordForm } from "@/components/runtime/record-form";
import { RecordGrid } from "@/components/runtime/record-grid";
import { MetadataIcon } from "@/components/runtime/metadata-icon";
import type { DataRecord } from "@/components/runtime/types";
import { PageHeader } from "@/designers/shared/page-header";
import type { ObjectDef } from "@/spec/object";

function RecordDialog({ object, recordId, onClose }: { object: ObjectDef; recordId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isNew = recordId === "new";
  const record = useQuery({ ...trpc.data.get.queryOptions({ object: object.name, id: recordId }), enabled: !isNew });

  async function saved() {
    await queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
    onClose();
  }

  return (
    <Dialog open onOpenChange={(open) => { if (!open) onClose(); }} width="40rem"
      title={isNew ? `New ${object.label}` : `Edit ${object.label}`}>
      {isNew ? (
        <RecordForm object={object} onSaved={() => void saved()} onCancel={onClose} />
      ) : record.isPending ? (
        <Spinner label="Loading record" />
      ) : record.isError ? (
        <Alert>{errorMessage(record.error)}</Alert>
      ) : (
        <RecordForm object={object} record={record.data as DataRecord} onSaved={() => void saved()} onCancel={onClose} />
      )}
    </Dialog>
  );
}

/** /studio/objects/[name]/data: the published object's records, edited in a dialog. */
export function ObjectDataViewer({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const describe = useQuery(trpc.data.describe.queryOptions({ object: name }));
  const recordId = searchParams.get("record");

  function closeRecord() {
    const params = new URLSearchParams(searchParams.toString());
    params.delete("record");
    const query = params.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }

  function hrefFor(id: string) {
    const params = new URLSearchParams(searchParams.toString());
    params.set("record", id);
    return `${pathname}?${params.toString()}`;
  }

  const back = (
    <Link href={`/studio/objects/${name}`} className="inline-flex items-center gap-1 hover:underline">
      <ArrowLeft className="h-3 w-3" aria-hidden /> Back to the object designer
    </Link>
  );

  if (describe.isPending) return <div className="p-6"><Spinner label="Loading object" /></div>;
  if (describe.isError) {
    return (
      <>
        <PageHeader breadcrumb={back} title={`${name} data`} />
        <main className="p-6">
          <EmptyState title="No data to show">
            {errorMessage(describe.error)} Publish the object to create its table.
          </EmptyState>
        </main>
      </>
    );
  }
  const object = describe.data as ObjectDef;
  return (
    <>
      <PageHeader
        breadcrumb={back}
        title={<span className="inline-flex items-center gap-2"><MetadataIcon name={object.icon} className="h-5 w-5 text-slate-400" />{object.pluralLabel} data</span>}
        meta={<span>Published records of <span className="font-mono">{object.name}</span>. Changes here are live for app users.</span>}
      />
      <main className="flex-1 px-6 py-4">
        <RecordGrid object={object} recordHref={(record) => hrefFor(record.id)} newHref={hrefFor("new")} />
      </main>
      {recordId && <RecordDialog key={recordId} object={object} recordId={recordId} onClose={closeRecord} />}
    </>
  );
}
