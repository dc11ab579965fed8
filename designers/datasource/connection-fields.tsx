"use client";
import { FormField, Input, NativeSelect } from "@/components/ui";
import { DATASOURCE_DRIVERS, type DatasourceDriver } from "@/spec/datasource";

export const DRIVER_LABELS: Record<DatasourceDriver, string> = { postgres: "PostgreSQL", mysql: "MySQL / MariaDB", sqlite: "SQLite" };
const URL_PLACEHOLDERS: Record<DatasourceDriver, string> = {
  postgres: "env:CRM_DATABASE_URL",
  mysql: "env:ERP_DATABASE_URL",
  sqlite: "file:./data/other.db",
};

export type Connection = { driver: DatasourceDriver; url: string; schema: string };

/**
 * Driver, URL and (PostgreSQL only) schema of a data source, shared by the New and Edit dialogs.
 * There is no password field on purpose: definitions are stored and exported, so a password
 * lives only in the server's environment (`env:NAME`) and never reaches the browser.
 */
export function ConnectionFields({ idPrefix, value, errors, onChange }: {
  idPrefix: string;
  value: Connection;
  errors: Record<string, string>;
  onChange: (value: Connection) => void;
}) {
  return (
    <>
      <FormField label="Driver" htmlFor={`${idPrefix}-driver`} required error={errors.driver}>
        <NativeSelect id={`${idPrefix}-driver`} value={value.driver} onChange={(e) => onChange({ ...value, driver: e.target.value as DatasourceDriver })}>
          {DATASOURCE_DRIVERS.map((driver) => <option key={driver} value={driver}>{DRIVER_LABELS[driver]}</option>)}
        </NativeSelect>
      </FormField>
      <FormField label="URL" htmlFor={`${idPrefix}-url`} required error={errors.url}
        help="A URL without a password, or env:NAME to read it (password included) from the server's environment variable NAME.">
        <Input id={`${idPrefix}-url`} value={value.url} className="font-mono" placeholder={URL_PLACEHOLDERS[value.driver]}
          aria-invalid={!!errors.url} onChange={(e) => onChange({ ...value, url: e.target.value })} />
      </FormField>
      {value.driver === "postgres" && (
        <FormField label="Schema" htmlFor={`${idPrefix}-schema`} error={errors.schema} help="The PostgreSQL schema to read (default: public).">
          <Input id={`${idPrefix}-schema`} value={value.schema} className="font-mono" placeholder="public"
            aria-invalid={!!errors.schema} onChange={(e) => onChange({ ...value, schema: e.target.value })} />
        </FormField>
      )}
    </>
  );
}

/** The definition fields of a connection: trimmed, schema only for PostgreSQL and only when set. */
export function connectionBody(value: Connection): { driver: DatasourceDriver; url: string; schema?: string } {
  const schema = value.driver === "postgres" ? value.schema.trim() : "";
  return { driver: value.driver, url: value.url.trim(), ...(schema ? { schema } : {}) };
}

/** Local checks before the server's (which name the same fields). */
export function connectionErrors(value: Connection): Record<string, string> {
  return value.url.trim() === "" ? { url: "is required" } : {};
}
