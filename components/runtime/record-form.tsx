"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Lock } from "lucide-react";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { FieldDef } from "@/spec";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { FormField, Input, NativeSelect, Textarea } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { errorIssues, errorMessage, useTRPC } from "@/components/trpc";
import { LookupPicker } from "./lookup-picker";
import { fieldEditable, type DescribedObjectDef } from "./record-access";
import { asRecord, isLookupValue, type DataRecord, type LookupValue } from "./types";

export type RecordFormProps = {
  /** With `access` (as `data.describe` returns it), fields the user may only read are shown locked and never sent. */
  object: DescribedObjectDef;
  /** The record to edit; omit to create a new one. */
  record?: DataRecord;
  /** Called with the saved record (the server's answer) after a create or update. */
  onSaved: (record: DataRecord) => void;
  onCancel?: () => void;
  /** Only these fields (by name, in this order); default: every field of the object. */
  fields?: string[];
  submitLabel?: string;
  className?: string;
};

type FormValue = string | boolean | string[] | LookupValue | null;
type FormState = Record<string, FormValue>;
type Converted = { value: unknown } | { error: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function pad(number: number): string {
  return String(number).padStart(2, "0");
}

/** An ISO instant as the value of a datetime-local input (local time, minutes). */
export function toDateTimeLocal(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function toDateInput(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

function stepFor(scale: number): string {
  return scale > 0 ? `0.${"0".repeat(scale - 1)}1` : "1";
}

/** The form's raw value of a field: from the record, else (on create) the field's default. */
function initialValue(field: FieldDef, record: DataRecord | undefined): FormValue {
  const value: unknown = record ? record[field.name] : "defaultValue" in field ? field.defaultValue : undefined;
  const missing = value === null || value === undefined;
  switch (field.type) {
    case "boolean":
      return value === true || value === 1 || value === "true";
    case "multiselect":
      return Array.isArray(value) ? value.map(String) : [];
    case "lookup":
    case "master_detail":
      if (isLookupValue(value)) return value;
      return typeof value === "string" && value ? { id: value, name: value } : null;
    case "date":
      return missing ? "" : toDateInput(value);
    case "datetime":
      return missing ? "" : toDateTimeLocal(value);
    case "json":
      if (missing) return "";
      return typeof value === "string" ? value : JSON.stringify(value, null, 2);
    default:
      return missing ? "" : String(value);
  }
}

/** Validates a raw form value against the field's metadata and converts it to the wire type. */
function convert(field: FieldDef, raw: FormValue): Converted {
  const required = field.required;
  switch (field.type) {
    case "boolean":
      return { value: raw === true };
    case "multiselect": {
      const values = Array.isArray(raw) ? raw : [];
      if (required && values.length === 0) return { error: "Choose at least one option" };
      return { value: values };
    }
    case "lookup":
    case "master_detail": {
      const id = isLookupValue(raw) ? raw.id : null;
      if (required && !id) return { error: "Required" };
      return { value: id };
    }
    case "autonumber":
      return { value: undefined };
    default:
      break;
  }
  const text = typeof raw === "string" ? raw : "";
  const trimmed = text.trim();
  if (trimmed === "") {
    if (required) return { error: "Required" };
    return { value: null };
  }
  switch (field.type) {
    case "text":
    case "textarea":
      if (text.length > field.maxLength) return { error: `Must be at most ${field.maxLength} characters` };
      return { value: text };
    case "email":
      if (!EMAIL.test(trimmed)) return { error: "Enter a valid email address" };
      return { value: trimmed };
    case "url":
      try {
        const url = new URL(trimmed);
        if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("protocol");
      } catch {
        return { error: "Enter a valid URL starting with http:// or https://" };
      }
      return { value: trimmed };
    case "phone":
      return { value: trimmed };
    case "number":
    case "currency":
    case "percent": {
      const number = Number(trimmed);
      if (!Number.isFinite(number)) return { error: "Enter a number" };
      if (field.min !== undefined && number < field.min) return { error: `Must be at least ${field.min}` };
      if (field.max !== undefined && number > field.max) return { error: `Must be at most ${field.max}` };
      return { value: number };
    }
    case "date":
      if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return { error: "Enter a date" };
      return { value: trimmed };
    case "datetime": {
      const date = new Date(trimmed);
      if (Number.isNaN(date.getTime())) return { error: "Enter a date and time" };
      return { value: date.toISOString() };
    }
    case "select":
      if (!field.options.some((option) => option.value === trimmed)) return { error: "Choose one of the options" };
      return { value: trimmed };
    case "json":
      try {
        return { value: JSON.parse(text) };
      } catch (error) {
        return { error: `Enter valid JSON (${error instanceof Error ? error.message : "parse error"})` };
      }
    default:
      return { value: text };
  }
}

/** Under a field the user may read but not change. */
function ReadOnlyHint() {
  return (
    <p className="inline-flex items-center gap-1 text-xs text-slate-500" data-testid="read-only-hint">
      <Lock className="h-3 w-3" aria-hidden />
      Read only: your permissions do not let you change this field
    </p>
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A wide field takes the whole row of the two-column form. */
function isWide(field: FieldDef): boolean {
  return field.type === "textarea" || field.type === "json" || field.type === "multiselect";
}

/**
 * A form for one record of `object`, generated from its field metadata: validates on the client
 * first, then creates or updates through tRPC; server issues appear next to their fields.
 */
/** The record's version as the server sent it (`updated_at`, an ISO string). */
function versionOf(updatedAt: unknown): string | undefined {
  if (updatedAt instanceof Date) return updatedAt.toISOString();
  return typeof updatedAt === "string" && updatedAt !== "" ? updatedAt : undefined;
}

export function RecordForm({ object, record, onSaved, onCancel, fields: only, submitLabel = "Save", className }: RecordFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const fields = only
    ? only.map((name) => object.fields.find((field) => field.name === name)).filter((field): field is FieldDef => !!field)
    : object.fields;
  const [initial] = useState<FormState>(() => Object.fromEntries(fields.map((field) => [field.name, initialValue(field, record)])));
  const [values, setValues] = useState<FormState>(initial);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const onSuccess = async (saved: unknown) => {
    await queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
    onSaved(asRecord(saved) ?? (record as DataRecord));
  };
  const create = useMutation(trpc.data.create.mutationOptions());
  const update = useMutation(trpc.data.update.mutationOptions());
  const pending = create.isPending || update.isPending;

  const inputId = (field: FieldDef) => `${formId}-${field.name}`;
  /** Stored fields the user may read but not change. */
  const locked = (field: FieldDef) => !fieldEditable(object, field) && field.type !== "autonumber" && field.type !== "formula" && field.type !== "rollup";

  function setValue(name: string, value: FormValue) {
    setValues((current) => ({ ...current, [name]: value }));
    setFieldErrors((current) => {
      if (!(name in current)) return current;
      const { [name]: _removed, ...rest } = current;
      return rest;
    });
  }

  function showServerError(error: unknown) {
    const issues = errorIssues(error);
    const known = new Set(fields.map((field) => field.name));
    const next: Record<string, string> = {};
    let unmatched = false;
    for (const issue of issues) {
      const path = issue.path[0] === "values" ? issue.path.slice(1) : issue.path;
      const name = String(path[0] ?? "");
      if (known.has(name)) next[name] = next[name] ? `${next[name]}; ${issue.message}` : issue.message;
      else unmatched = true;
    }
    setFieldErrors(next);
    const matched = Object.keys(next).length > 0;
    setFormError(!matched || unmatched ? errorMessage(error) : "Some fields need attention: see the messages below.");
    focusFirstError(next);
  }

  function focusFirstError(errors: Record<string, string>) {
    const first = fields.find((field) => errors[field.name]);
    if (first) requestAnimationFrame(() => document.getElementById(inputId(first))?.focus());
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const errors: Record<string, string> = {};
    const payload: Record<string, unknown> = {};
    for (const field of fields) {
      // Generated and computed fields are never sent: the server refuses writes to them.
      if (field.type === "autonumber" || field.type === "formula" || field.type === "rollup") continue;
      // Read-only for this user: the server would refuse the write, so it is not sent.
      if (locked(field)) continue;
      const converted = convert(field, values[field.name] ?? null);
      if ("error" in converted) {
        errors[field.name] = converted.error;
        continue;
      }
      if (record) {
        const before = convert(field, initial[field.name] ?? null);
        if ("value" in before && sameValue(before.value, converted.value)) continue;
        payload[field.name] = converted.value;
      } else if (converted.value !== null) {
        payload[field.name] = converted.value;
      }
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setFormError("Some fields need attention: see the messages below.");
      focusFirstError(errors);
      return;
    }
    setFormError(null);
    if (record) {
      if (Object.keys(payload).length === 0) {
        onSaved(record);
        return;
      }
      // Optimistic concurrency: if someone saved this record since it was loaded, the server
      // refuses (CONFLICT) and the user's edits stay in the form.
      update.mutate(
        { object: object.name, id: record.id, values: payload, expectedUpdatedAt: versionOf(record.updated_at) },
        { onSuccess, onError: showServerError },
      );
    } else {
      create.mutate({ object: object.name, values: payload }, { onSuccess, onError: showServerError });
    }
  }

  function renderControl(field: FieldDef): ReactNode {
    const id = inputId(field);
    const error = fieldErrors[field.name];
    const common = {
      id,
      name: field.name,
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? `${id}-error` : undefined,
      "aria-required": field.required || undefined,
      disabled: pending || locked(field),
    } as const;
    const raw = values[field.name];
    const text = typeof raw === "string" ? raw : "";
    const onText = (event: { target: { value: string } }) => setValue(field.name, event.target.value);
    switch (field.type) {
      case "text":
        return <Input {...common} type="text" value={text} onChange={onText} maxLength={field.maxLength} />;
      case "email":
        return <Input {...common} type="email" value={text} onChange={onText} autoComplete="off" />;
      case "url":
        return <Input {...common} type="url" value={text} onChange={onText} placeholder="https://" />;
      case "phone":
        return <Input {...common} type="tel" value={text} onChange={onText} />;
      case "textarea":
        return <Textarea {...common} value={text} onChange={onText} rows={4} />;
      case "number":
      case "currency":
      case "percent": {
        const prefix = field.type === "currency" ? field.currencyCode : null;
        const suffix = field.type === "percent" ? "%" : null;
        return (
          <div className="relative">
            {prefix && (
              <span className="pointer-events-none absolute left-3 top-1/2 -translate-y-1/2 text-xs font-medium text-slate-400" aria-hidden>
                {prefix}
              </span>
            )}
            <Input
              {...common}
              type="number"
              inputMode="decimal"
              step={stepFor(field.scale)}
              min={field.min}
              max={field.max}
              value={text}
              onChange={onText}
              className={cn("text-right tabular-nums", prefix && "pl-12", suffix && "pr-8")}
            />
            {suffix && (
              <span className="pointer-events-none absolute right-3 top-1/2 -translate-y-1/2 text-sm text-slate-400" aria-hidden>
                {suffix}
              </span>
            )}
          </div>
        );
      }
      case "date":
        return <Input {...common} type="date" value={text} onChange={onText} />;
      case "datetime":
        return <Input {...common} type="datetime-local" value={text} onChange={onText} />;
      case "select":
        return (
          <NativeSelect {...common} value={text} onChange={onText}>
            <option value="">— None —</option>
            {field.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </NativeSelect>
        );
      case "lookup":
      case "master_detail":
        return (
          <LookupPicker
            id={id}
            reference={field.reference}
            label={field.label}
            value={isLookupValue(raw) ? raw : null}
            onChange={(value) => setValue(field.name, value)}
            invalid={!!error}
            describedBy={error ? `${id}-error` : undefined}
            disabled={pending || locked(field)}
            required={field.required}
          />
        );
      case "json":
        return <Textarea {...common} value={text} onChange={onText} rows={5} spellCheck={false} className="font-mono text-xs" />;
      case "autonumber":
      case "formula":
      case "rollup":
        return (
          <Input
            id={id}
            readOnly
            value={text}
            placeholder={record ? "" : field.type === "autonumber" ? "Assigned automatically when saved" : "Computed when saved"}
            className="bg-slate-50 text-slate-600"
          />
        );
      default:
        return null;
    }
  }

  function renderField(field: FieldDef): ReactNode {
    const id = inputId(field);
    const error = fieldErrors[field.name];
    const wide = isWide(field);
    if (field.type === "boolean") {
      return (
        <div key={field.name} className="space-y-1 self-end pb-1.5">
          <label htmlFor={id} className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
            <input
              id={id}
              type="checkbox"
              name={field.name}
              checked={values[field.name] === true}
              onChange={(event) => setValue(field.name, event.target.checked)}
              disabled={pending || locked(field)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
            />
            {field.label}
          </label>
          {locked(field) && <ReadOnlyHint />}
          {field.helpText && !error && <p className="text-xs text-slate-500">{field.helpText}</p>}
          {error && <p id={`${id}-error`} role="alert" className="text-xs text-red-600">{error}</p>}
        </div>
      );
    }
    if (field.type === "multiselect") {
      const selected = Array.isArray(values[field.name]) ? (values[field.name] as string[]) : [];
      return (
        <fieldset key={field.name} className="space-y-1 md:col-span-2" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
          <legend className="text-sm font-medium text-slate-700">
            {field.label}
            {field.required && <span className="ml-0.5 text-red-600" aria-hidden>*</span>}
          </legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1.5 rounded-md border border-slate-200 bg-white px-3 py-2">
            {field.options.map((option, index) => {
              const optionId = index === 0 ? id : `${id}-${index}`;
              return (
                <label key={option.value} htmlFor={optionId} className="inline-flex items-center gap-1.5 text-sm text-slate-700">
                  <input
                    id={optionId}
                    type="checkbox"
                    checked={selected.includes(option.value)}
                    disabled={pending || locked(field)}
                    onChange={(event) =>
                      setValue(
                        field.name,
                        event.target.checked ? [...selected, option.value] : selected.filter((value) => value !== option.value),
                      )
                    }
                    className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
                  />
                  {option.label}
                </label>
              );
            })}
          </div>
          {locked(field) && <ReadOnlyHint />}
          {field.helpText && !error && <p className="text-xs text-slate-500">{field.helpText}</p>}
          {error && <p id={`${id}-error`} role="alert" className="text-xs text-red-600">{error}</p>}
        </fieldset>
      );
    }
    return (
      <div key={field.name} className={cn(wide && "md:col-span-2")}>
        <FormField label={field.label} htmlFor={id} required={field.required} help={field.helpText} error={error}>
          {renderControl(field)}
          {locked(field) && <ReadOnlyHint />}
        </FormField>
      </div>
    );
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className={cn("space-y-5", className)} aria-label={record ? `Edit ${object.label}` : `New ${object.label}`}>
      {formError && <Alert>{formError}</Alert>}
      <div className="grid grid-cols-1 gap-x-6 gap-y-4 md:grid-cols-2">{fields.map(renderField)}</div>
      <div className="flex items-center justify-end gap-2 border-t border-slate-200 pt-4">
        {onCancel && (
          <Button onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        )}
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
