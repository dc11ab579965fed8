"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc";
import { Alert, Button, Dialog, FormField, Input, NativeSelect } from "@/components/ui";
import { DATASOURCE_DRIVERS, type DatasourceDriver } from "@/spec/datasource";
import { identifier } from "@/spec/identifier";
import { toApiName } from "@/designers/shared/api-name";
import { describeError, issuesByPath } from "@/designers/shared/issues";

const DRIVER_LABELS: Record<DatasourceDriver, string> = { postgres: "PostgreSQL", mysql: "MySQL / MariaDB", sqlite: "SQLite" };
const URL_PLACEHOLDERS: Record<DatasourceDriver, string> = {
  postgres: "env:CRM_DATABASE_URL",
  mysql: "env:ERP_DATABASE_URL",
  sqlite: "file:./data/other.db",
};

/** "New data source": label, API name, driver and URL (a password only through env:NAME). */
export function NewDatasourceDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [driver, setDriver] = useState<DatasourceDriver>("postgres");
  const [url, setUrl] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string | null>(null);

  const create = useMutation(
    trpc.metadata.create.mutationOptions({
      onSuccess: async (detail) => {
        await queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() });
        onOpenChange(false);
        router.push(`/studio/datasources/${detail.name}`);
      },
      onError: (error) => {
        const { message, issues } = describeError(error);
        setServerError(message);
        setErrors(issuesByPath(issues));
      },
    }),
  );

  function reset() {
    setLabel(""); setName(""); setNameTouched(false); setDriver("postgres"); setUrl("");
    setErrors({}); setServerError(null); create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (label.trim() === "") local.label = "is required";
    const parsed = identifier.safeParse(name);
    if (!parsed.success) local.name = parsed.error.issues[0]?.message ?? "is not a valid API name";
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
        <FormField label="Label" htmlFor="new-datasource-label" required error={errors.label}>
          <Input id="new-datasource-label" value={label} autoFocus placeholder="Legacy CRM" aria-invalid={!!errors.label}
            onChange={(e) => { setLabel(e.target.value); if (!nameTouched) setName(toApiName(e.target.value)); }} />
        </FormField>
        <FormField label="API name" htmlFor="new-datasource-name" required error={errors.name}
          help="Lowercase letters, digits and underscores; cannot be changed later.">
          <Input id="new-datasource-name" value={name} className="font-mono" aria-invalid={!!errors.name}
            onChange={(e) => { setName(e.target.value); setNameTouched(true); }} />
        </FormField>
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
