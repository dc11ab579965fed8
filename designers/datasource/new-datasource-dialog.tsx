"use client";
import { useState, type FormEvent } from "react";
import { Alert, Button, Dialog, FormField, Input, NativeSelect } from "@/components/ui";
import { DATASOURCE_DRIVERS, type DatasourceDriver } from "@/spec/datasource";
import { toApiName } from "@/designers/shared/api-name";
import { LabelAndApiNameFields, useCreateDocument, validateCommon, type Errors } from "@/designers/shared/new-document-dialogs";

const DRIVER_LABELS: Record<DatasourceDriver, string> = { postgres: "PostgreSQL", mysql: "MySQL / MariaDB", sqlite: "SQLite" };
const URL_PLACEHOLDERS: Record<DatasourceDriver, string> = {
  postgres: "env:CRM_DATABASE_URL",
  mysql: "env:ERP_DATABASE_URL",
  sqlite: "file:./data/other.db",
};

/** "New data source": label, API name, driver and URL (a password only through env:NAME). */
export function NewDatasourceDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [driver, setDriver] = useState<DatasourceDriver>("postgres");
  const [url, setUrl] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | null>(null);

  const create = useCreateDocument((name) => `/studio/datasources/${name}`, onOpenChange, setServerError, setErrors);

  function reset() {
    setLabel(""); setName(""); setNameTouched(false); setDriver("postgres"); setUrl("");
    setErrors({}); setServerError(null); create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateCommon(label, name);
    if (url.trim() === "") local.url = "is required";
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0) return;
    create.mutate({ kind: "datasource", body: { name, label: label.trim(), driver, url: url.trim() } });
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
        <FormField label="Driver" htmlFor="new-datasource-driver" required error={errors.driver}>
          <NativeSelect id="new-datasource-driver" value={driver} onChange={(e) => setDriver(e.target.value as DatasourceDriver)}>
            {DATASOURCE_DRIVERS.map((value) => <option key={value} value={value}>{DRIVER_LABELS[value]}</option>)}
          </NativeSelect>
        </FormField>
        <FormField label="URL" htmlFor="new-datasource-url" required error={errors.url}
          help="A URL without a password, or env:NAME to read it from the server's environment variable NAME.">
          <Input id="new-datasource-url" value={url} className="font-mono" placeholder={URL_PLACEHOLDERS[driver]}
            aria-invalid={!!errors.url} onChange={(e) => setUrl(e.target.value)} />
        </FormField>
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
