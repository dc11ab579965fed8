"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc";
import { Alert, Button, Dialog, FormField, Input } from "@/components/ui";
import { describeError, issuesByPath } from "@/designers/shared/issues";
import type { DatasourceDef } from "@/spec/datasource";
import { ConnectionFields, connectionBody, connectionErrors, type Connection } from "./connection-fields";

/**
 * "Edit data source": label and connection settings, saved as a draft of the document (the API
 * name stays). The published definition keeps serving until the draft is published, which checks
 * the new settings can reach the database. Mounted only while open, so it starts from `datasource`.
 */
export function EditDatasourceDialog({ datasource, baseRevision, onClose, onSaved }: {
  datasource: DatasourceDef;
  baseRevision: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [label, setLabel] = useState(datasource.label);
  const [connection, setConnection] = useState<Connection>({ driver: datasource.driver, url: datasource.url, schema: datasource.schema ?? "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation(
    trpc.metadata.saveDraft.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() });
        onSaved();
        onClose();
      },
      onError: (error) => setErrors(issuesByPath(describeError(error).issues)),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = { ...(label.trim() === "" ? { label: "is required" } : {}), ...connectionErrors(connection) };
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    save.mutate({
      kind: "datasource",
      name: datasource.name,
      baseRevision,
      body: { name: datasource.name, label: label.trim(), readOnly: datasource.readOnly, ...connectionBody(connection) },
    });
  }

  return (
    <Dialog open onOpenChange={(open) => { if (!open) onClose(); }} title="Edit data source"
      description="Changes are saved as a draft; publishing them checks that the database can be reached.">
      <form onSubmit={submit} className="space-y-3" noValidate>
        {save.isError && <Alert>{describeError(save.error).message}</Alert>}
        <FormField label="Label" htmlFor="edit-datasource-label" required error={errors.label}>
          <Input id="edit-datasource-label" value={label} aria-invalid={!!errors.label}
            onChange={(e) => { setLabel(e.target.value); setErrors(({ label: _fixed, ...rest }) => rest); }} />
        </FormField>
        <FormField label="API name" htmlFor="edit-datasource-name" help="Cannot be changed: objects refer to the data source by it.">
          <Input id="edit-datasource-name" value={datasource.name} className="font-mono" readOnly disabled />
        </FormField>
        <ConnectionFields idPrefix="edit-datasource" value={connection} errors={errors}
          onChange={(next) => { setConnection(next); setErrors(({ label }): Record<string, string> => (label ? { label } : {})); }} />
        <div className="flex justify-end gap-2 pt-3">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save changes"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
