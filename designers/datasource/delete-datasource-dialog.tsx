"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Button, Dialog, Spinner } from "@/components/ui";

/**
 * "Delete data source": names the objects imported from it. With objects, deleting needs an
 * explicit tick to delete them too (their external tables are not touched); the server still
 * refuses, naming them, when an app or another object uses one. Mounted only while open.
 */
export function DeleteDatasourceDialog({ name, label, onClose }: { name: string; label: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const objects = useQuery(trpc.datasources.importedObjects.queryOptions({ name }));
  const [withObjects, setWithObjects] = useState(false);
  const remove = useMutation(
    trpc.datasources.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.datasources.pathKey() });
        router.push("/studio/datasources");
      },
    }),
  );
  const count = objects.data?.length ?? 0;

  return (
    <Dialog open onOpenChange={(open) => { if (!open) onClose(); }} title={`Delete data source ${label}?`}
      description="The data source's definition and history are deleted. The external database is not changed.">
      <div className="space-y-3 text-sm">
        {remove.isError && <Alert>{errorMessage(remove.error)}</Alert>}
        {objects.isPending ? (
          <Spinner label="Loading imported objects" />
        ) : objects.isError ? (
          <Alert>{errorMessage(objects.error)}</Alert>
        ) : count === 0 ? (
          <p className="text-slate-600">No objects were imported from it.</p>
        ) : (
          <>
            <p className="text-slate-700">
              {count === 1 ? "This object reads" : `These ${count} objects read`} its tables:
            </p>
            <ul className="list-inside list-disc rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
              {objects.data.map((object) => (
                <li key={object.name}>{object.label} <span className="font-mono text-xs text-slate-500">({object.name})</span></li>
              ))}
            </ul>
            <label className="flex items-start gap-2 text-slate-700">
              <input type="checkbox" className="mt-0.5" checked={withObjects} onChange={(e) => setWithObjects(e.target.checked)} />
              <span>
                {count === 1
                  ? "Also delete this object (its definition and history; the external table stays)."
                  : `Also delete these ${count} objects (their definitions and history; the external tables stay).`}
              </span>
            </label>
          </>
        )}
      </div>
      <div className="mt-6 flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" disabled={objects.isPending || remove.isPending || (count > 0 && !withObjects)}
          onClick={() => remove.mutate({ name, deleteObjects: withObjects })}>
          {remove.isPending ? "Deleting…" : "Delete data source"}
        </Button>
      </div>
    </Dialog>
  );
}
