"use client";
import { useState, type FormEvent } from "react";
import { Alert, Button, Dialog } from "@/components/ui";
import { toApiName } from "@/designers/shared/api-name";
import { LabelAndApiNameFields, useCreateDocument, validateCommon, type Errors } from "@/designers/shared/new-document-dialogs";
import { ConnectionFields, connectionBody, connectionErrors, type Connection } from "./connection-fields";

const EMPTY: Connection = { driver: "postgres", url: "", schema: "" };

/** "New data source": label, API name, driver and URL (a password only through env:NAME). */
export function NewDatasourceDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [connection, setConnection] = useState<Connection>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | null>(null);

  const create = useCreateDocument((name) => `/studio/datasources/${name}`, onOpenChange, setServerError, setErrors);

  function reset() {
    setLabel(""); setName(""); setNameTouched(false); setConnection(EMPTY);
    setErrors({}); setServerError(null); create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = { ...validateCommon(label, name), ...connectionErrors(connection) };
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0) return;
    create.mutate({ kind: "datasource", body: { name, label: label.trim(), ...connectionBody(connection) } });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
      title="New data source"
      description="Attach a PostgreSQL, MySQL or SQLite database to read its tables as objects."
    >
      <form onSubmit={submit} className="space-y-3" noValidate>
        {serverError && <Alert>{serverError}</Alert>}
        <LabelAndApiNameFields idPrefix="new-datasource" label={label} name={name} errors={errors} placeholder="Legacy CRM"
          nameHelp="Lowercase letters, digits and underscores; cannot be changed later."
          onLabel={(value) => { setLabel(value); if (!nameTouched) setName(toApiName(value)); }}
          onName={(value) => { setName(value); setNameTouched(true); }} />
        <ConnectionFields idPrefix="new-datasource" value={connection} errors={errors} onChange={setConnection} />
        <div className="flex justify-end gap-2 pt-3">
          <Button onClick={() => { reset(); onOpenChange(false); }}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create data source"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
