"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Lock } from "lucide-react";
import { Tabs } from "radix-ui";
import { useId, useMemo, useState, type FormEvent, type ReactNode } from "react";
import type { FieldDef, ObjectDef } from "@/spec";
import type { FieldsSection, FormDef, FormFieldItem } from "@/spec/form";
import { formFieldStates, type FieldRuleState, type FormValues } from "@/formula/form-rules";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { FormField, Input, NativeSelect, Textarea } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { errorIssues, errorMessage, useTRPC } from "@/components/trpc";
import { LookupPicker } from "./lookup-picker";
import { fieldEditable, type DescribedObjectDef } from "./record-access";
import { convert, initialValue, isComputed, ruleValue, sameValue, stepFor, versionOf, type FormState, type FormValue } from "./form-values";
import { itemSpanClass, RelatedList, SectionFrame, sectionGridClass, TAB_TRIGGER_CLASS, useCollapsedSections, type FormLayoutMode } from "./form-layout";
import { asRecord, isLookupValue, recordTitle, type DataRecord } from "./types";

export type FormRendererProps = {
  /** As `data.describe` returns it: only the fields the user may read, and `access`. */
  object: DescribedObjectDef;
  /** null: the generated form (generatedForm(object)). */
  form: FormDef | null;
  /** Omit to create. */
  record?: DataRecord;
  onSaved: (record: DataRecord) => void;
  onCancel?: () => void;
  /** preview: live conditions on real values, Save disabled ("Preview: saving is off"). */
  mode?: "edit" | "preview";
  /** Reads (lookup options, related lists) as this user (admin preview). */
  asUser?: string;
  /** mobile: every section one column (also automatic on narrow screens). */
  layout?: FormLayoutMode;
  submitLabel?: string;
  className?: string;
  /**
   * Instead of saving a record: every shown field's checked value goes here (a flow's screen).
   * A rejection with issues (`values.<field>`) shows them on the fields, as a save's would.
   */
  onSubmitValues?: (values: Record<string, unknown>) => Promise<unknown>;
  /** Buttons before Cancel and Submit (a screen's Back). */
  secondaryActions?: ReactNode;
  /** The form's accessible name (default: "New <object>" or "Edit <object>"). */
  formLabel?: string;
  /** The submit button's label while it works (default "Saving…"). */
  pendingLabel?: string;
};

/** A wide field takes the whole row of the generated two-column form. */
function isWide(field: FieldDef): boolean {
  return field.type === "textarea" || field.type === "json" || field.type === "multiselect";
}

/**
 * The form an object gets without a published one: one tab, one two-column section with every
 * field (or only `fields`, in that order), wide fields spanning both columns.
 */
export function generatedForm(object: ObjectDef, fields?: string[]): FormDef {
  const chosen = fields
    ? fields.map((name) => object.fields.find((field) => field.name === name)).filter((field): field is FieldDef => field !== undefined)
    : object.fields;
  const items: FormFieldItem[] = chosen.map((field) => ({
    id: `item_${field.name}`,
    type: "field",
    field: field.name,
    span: isWide(field) ? 2 : 1,
    required: false,
    readOnly: false,
    widget: "default",
  }));
  return {
    name: `${object.name}_generated`,
    label: object.label,
    object: object.name,
    isDefault: false,
    profiles: [],
    tabs: [{ id: "details", label: "Details", sections: [{ id: "fields", type: "fields", columns: 2, collapsible: false, collapsed: false, items }] }],
  };
}

/** Under a field the user may read but not change. */
function ReadOnlyHint({ onForm }: { onForm?: boolean }) {
  return (
    <p className="inline-flex items-center gap-1 text-xs text-slate-500" data-testid="read-only-hint">
      <Lock className="h-3 w-3" aria-hidden />
      {onForm ? "Read only on this form" : "Read only: your permissions do not let you change this field"}
    </p>
  );
}

type Placement = { tab: string; section: string };

/** Nothing entered yet (a malformed entry is not blank: it gets its own message). */
function isBlank(raw: FormValue): boolean {
  return raw === null || (typeof raw === "string" && raw.trim() === "") || (Array.isArray(raw) && raw.length === 0);
}

/**
 * A record form laid out by a form definition: tabs, sections in 1-4 columns, item overrides,
 * conditions evaluated live (formula/form-rules.ts, as the server does), dependent lookups and
 * related lists. Validates on the client first, then creates or updates through tRPC with the
 * form's name (the server checks its rules again); server issues appear next to their fields.
 */
export function FormRenderer(props: FormRendererProps) {
  return <LaidOutForm {...props} />;
}

/** FormRenderer, plus the generated form's choice of fields (RecordForm's `fields`). */
export function LaidOutForm({
  object,
  form: given,
  fields: onlyFields,
  record,
  onSaved,
  onCancel,
  mode = "edit",
  asUser,
  layout = "desktop",
  submitLabel = "Save",
  className,
  onSubmitValues,
  secondaryActions,
  formLabel,
  pendingLabel = "Saving…",
}: FormRendererProps & { fields?: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formId = useId();
  const onlyKey = onlyFields?.join(",");
  // Only the names matter: a new array with the same names keeps the same form.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const form = useMemo(() => given ?? generatedForm(object, onlyFields), [given, object, onlyKey]);
  const fieldsByName = useMemo(() => new Map(object.fields.map((field) => [field.name, field])), [object]);
  const placements = useMemo(() => {
    const map = new Map<string, Placement>();
    for (const tab of form.tabs) {
      for (const section of tab.sections) {
        if (section.type === "fields") for (const item of section.items) map.set(item.field, { tab: tab.id, section: section.id });
      }
    }
    return map;
  }, [form]);
  const items = useMemo(
    () => form.tabs.flatMap((tab) => tab.sections.flatMap((section) => (section.type === "fields" ? section.items : []))).filter((item) => fieldsByName.has(item.field)),
    [form, fieldsByName],
  );

  // The record as loaded: what the user's edits are compared with (a background refetch does not move it).
  const [loaded] = useState(record);
  // Derived, so a form edited in the designer's live preview shows new fields and defaults at once.
  const initial = useMemo<FormState>(
    () => Object.fromEntries(items.map((item) => [item.field, initialValue(fieldsByName.get(item.field)!, loaded, item.defaultValue)])),
    [items, fieldsByName, loaded],
  );
  const [edits, setEdits] = useState<FormState>({});
  const values = useMemo<FormState>(() => ({ ...initial, ...edits }), [initial, edits]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [chosenTab, setActiveTab] = useState(form.tabs[0]?.id ?? "");
  // A tab removed meanwhile (the designer's live preview) falls back to the first.
  const activeTab = form.tabs.some((tab) => tab.id === chosenTab) ? chosenTab : (form.tabs[0]?.id ?? "");
  const sections = useMemo(() => form.tabs.flatMap((tab) => tab.sections), [form]);
  const collapsed = useCollapsedSections(sections);

  /** The record as the form's conditions see it: stored values, overlaid with what is being edited. */
  const ruleValues = useMemo(() => {
    const current: FormValues = { ...(record ?? {}) };
    for (const item of items) {
      const field = fieldsByName.get(item.field)!;
      if (!isComputed(field)) current[field.name] = ruleValue(field, values[field.name] ?? null);
    }
    return current;
  }, [record, items, fieldsByName, values]);
  const states = useMemo(() => formFieldStates(form, object, ruleValues), [form, object, ruleValues]);

  const onSuccess = async (saved: unknown) => {
    await queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
    onSaved(asRecord(saved) ?? (record as DataRecord));
  };
  const create = useMutation(trpc.data.create.mutationOptions());
  const update = useMutation(trpc.data.update.mutationOptions());
  const [submitting, setSubmitting] = useState(false);
  const pending = create.isPending || update.isPending || submitting;
  const preview = mode === "preview";
  // A generated form is no published document: nothing for the server to re-check.
  const formName = given ? given.name : undefined;

  const inputId = (name: string) => `${formId}-${name}`;
  /** Stored fields the user may read but not change. */
  const lockedByAccess = (field: FieldDef) => !fieldEditable(object, field) && !isComputed(field);
  const locked = (field: FieldDef, state: FieldRuleState | undefined) => lockedByAccess(field) || !!state?.readOnly;

  function setValue(name: string, value: FormValue) {
    const field = fieldsByName.get(name);
    const changed = field && !sameValue(ruleValue(field, values[name] ?? null), ruleValue(field, value));
    // Lookups filtered by this field no longer fit once it changes: they are emptied.
    const dependents = changed ? items.filter((item) => item.lookupFilter?.equalsField === name && values[item.field]) : [];
    setEdits((current) => ({ ...current, [name]: value, ...Object.fromEntries(dependents.map((item) => [item.field, null])) }));
    setFieldErrors((current) => {
      const cleared = [name, ...dependents.map((item) => item.field)].filter((key) => key in current);
      if (cleared.length === 0) return current;
      return Object.fromEntries(Object.entries(current).filter(([key]) => !cleared.includes(key)));
    });
  }

  /** Shows the first invalid field: its tab, its (unfolded) section, focus on it. */
  function revealFirstError(errors: Record<string, string>) {
    const first = items.find((item) => errors[item.field]);
    if (!first) return;
    const where = placements.get(first.field);
    if (where) {
      setActiveTab(where.tab);
      collapsed.expand([where.section]);
    }
    requestAnimationFrame(() => requestAnimationFrame(() => document.getElementById(inputId(first.field))?.focus()));
  }

  function showServerError(error: unknown) {
    const issues = errorIssues(error);
    const next: Record<string, string> = {};
    let unmatched = false;
    for (const issue of issues) {
      const path = issue.path[0] === "values" ? issue.path.slice(1) : issue.path;
      const name = String(path[0] ?? "");
      if (states.get(name)?.visible) next[name] = next[name] ? `${next[name]}; ${issue.message}` : issue.message;
      else unmatched = true;
    }
    setFieldErrors(next);
    const matched = Object.keys(next).length > 0;
    setFormError(!matched || unmatched ? errorMessage(error) : "Some fields need attention: see the messages below.");
    revealFirstError(next);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending || preview) return;
    const errors: Record<string, string> = {};
    const payload: Record<string, unknown> = {};
    for (const item of items) {
      const field = fieldsByName.get(item.field)!;
      const state = states.get(field.name);
      // Hidden by a condition: neither checked nor sent. Computed: never written by hand.
      if (!state?.visible || isComputed(field)) continue;
      // Read-only for this user: the server would refuse the write, so it is not sent.
      if (lockedByAccess(field)) continue;
      // Read-only on this form: a new record gets the form's default, an existing one keeps its value.
      if (state.readOnly && record) continue;
      const raw = values[field.name] ?? null;
      if (state.required && field.type !== "boolean" && isBlank(raw)) {
        errors[field.name] = item.requiredMessage ?? (field.type === "multiselect" ? "Choose at least one option" : "Required");
        continue;
      }
      const converted = convert(field, raw, false);
      if ("error" in converted) {
        errors[field.name] = converted.error;
        continue;
      }
      if (onSubmitValues) {
        payload[field.name] = converted.value;
      } else if (record) {
        const before = convert(field, initial[field.name] ?? null, false);
        if ("value" in before && sameValue(before.value, converted.value)) continue;
        payload[field.name] = converted.value;
      } else if (converted.value !== null) {
        payload[field.name] = converted.value;
      }
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setFormError("Some fields need attention: see the messages below.");
      revealFirstError(errors);
      return;
    }
    setFormError(null);
    if (onSubmitValues) {
      setSubmitting(true);
      onSubmitValues(payload)
        .catch(showServerError)
        .finally(() => setSubmitting(false));
      return;
    }
    if (record) {
      if (Object.keys(payload).length === 0) {
        onSaved(record);
        return;
      }
      // Optimistic concurrency: if someone saved this record since it was loaded, the server
      // refuses (CONFLICT) and the user's edits stay in the form.
      update.mutate(
        { object: object.name, id: record.id, values: payload, expectedUpdatedAt: versionOf(record.updated_at), form: formName },
        { onSuccess, onError: showServerError },
      );
    } else {
      create.mutate({ object: object.name, values: payload, form: formName }, { onSuccess, onError: showServerError });
    }
  }

  function renderControl(field: FieldDef, item: FormFieldItem, state: FieldRuleState | undefined): ReactNode {
    const id = inputId(field.name);
    const error = fieldErrors[field.name];
    const disabled = pending || locked(field, state);
    const common = {
      id,
      name: field.name,
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? `${id}-error` : undefined,
      "aria-required": state?.required || undefined,
      disabled,
      placeholder: item.placeholder,
    } as const;
    const raw = values[field.name];
    const text = typeof raw === "string" ? raw : "";
    const onText = (event: { target: { value: string } }) => setValue(field.name, event.target.value);
    if (item.widget === "textarea" && (field.type === "text" || field.type === "textarea")) {
      return <Textarea {...common} value={text} onChange={onText} rows={4} maxLength={field.maxLength} />;
    }
    switch (field.type) {
      case "text":
        return <Input {...common} type="text" value={text} onChange={onText} maxLength={field.maxLength} />;
      case "email":
        return <Input {...common} type="email" value={text} onChange={onText} autoComplete="off" />;
      case "url":
        return <Input {...common} type="url" value={text} onChange={onText} placeholder={item.placeholder ?? "https://"} />;
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
            <option value="">{item.placeholder ?? "— None —"}</option>
            {field.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </NativeSelect>
        );
      case "lookup":
      case "master_detail": {
        const filter = item.lookupFilter;
        const parent = filter ? fieldsByName.get(filter.equalsField) : undefined;
        const parentValue = filter ? ruleValues[filter.equalsField] : undefined;
        return (
          <LookupPicker
            id={id}
            reference={field.reference}
            label={item.label ?? field.label}
            value={isLookupValue(raw) ? raw : null}
            onChange={(value) => setValue(field.name, value)}
            invalid={!!error}
            describedBy={error ? `${id}-error` : undefined}
            disabled={disabled}
            required={state?.required}
            asUser={asUser}
            filter={
              filter
                ? {
                    field: filter.field,
                    value: typeof parentValue === "string" || typeof parentValue === "number" || typeof parentValue === "boolean" ? parentValue : null,
                    parentLabel: (parent?.label ?? filter.equalsField).toLowerCase(),
                  }
                : undefined
            }
          />
        );
      }
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

  function hints(field: FieldDef, item: FormFieldItem, state: FieldRuleState | undefined, error: string | undefined, id: string) {
    const help = item.helpText ?? field.helpText;
    return (
      <>
        {lockedByAccess(field) ? <ReadOnlyHint /> : state?.readOnly ? <ReadOnlyHint onForm /> : null}
        {help && !error && <p className="text-xs text-slate-500">{help}</p>}
        {error && <p id={`${id}-error`} role="alert" className="text-xs text-red-600">{error}</p>}
      </>
    );
  }

  function renderItem(item: FormFieldItem, section: FieldsSection): ReactNode {
    const field = fieldsByName.get(item.field);
    const state = states.get(item.field);
    if (!field || !state?.visible) return null;
    const id = inputId(field.name);
    const error = fieldErrors[field.name];
    const label = item.label ?? field.label;
    const span = itemSpanClass(item.span, section.columns, layout);
    const disabled = pending || locked(field, state);
    const testId = `form-field-${field.name}`;
    if (field.type === "boolean") {
      // A checkbox or switch has no label above it: in a row with other fields it lines up with
      // their input boxes (below their labels), whatever their height; aligned to the row's foot
      // it sat at the bottom of a textarea beside it.
      const sharesRow = layout === "desktop" && section.columns > 1 && item.span < section.columns;
      const place = cn("space-y-1 self-start", sharesRow && "md:pt-8", span);
      const checked = values[field.name] === true;
      if (item.widget === "toggle") {
        return (
          <div key={item.id} className={place} data-testid={testId}>
            <div className="flex items-center gap-2">
              <button
                id={id}
                type="button"
                role="switch"
                aria-checked={checked}
                aria-labelledby={`${id}-label`}
                disabled={disabled}
                onClick={() => setValue(field.name, !checked)}
                className={cn(
                  "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-60",
                  checked ? "bg-brand-600" : "bg-slate-300",
                )}
              >
                <span className={cn("inline-block h-4 w-4 rounded-full bg-white shadow transition-transform", checked ? "translate-x-4" : "translate-x-0.5")} />
              </button>
              <span id={`${id}-label`} className="text-sm font-medium text-slate-700">{label}</span>
            </div>
            {hints(field, item, state, error, id)}
          </div>
        );
      }
      return (
        <div key={item.id} className={place} data-testid={testId}>
          <label htmlFor={id} className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
            <input
              id={id}
              type="checkbox"
              name={field.name}
              checked={checked}
              onChange={(event) => setValue(field.name, event.target.checked)}
              disabled={disabled}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
            />
            {label}
          </label>
          {hints(field, item, state, error, id)}
        </div>
      );
    }
    if (field.type === "multiselect" || (field.type === "select" && item.widget === "radio")) {
      const multiple = field.type === "multiselect";
      const raw = values[field.name];
      const selected = multiple ? (Array.isArray(raw) ? raw : []) : typeof raw === "string" && raw ? [raw] : [];
      return (
        <fieldset
          key={item.id}
          className={cn("space-y-1", span)}
          role={multiple ? undefined : "radiogroup"}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          data-testid={testId}
        >
          <legend className="text-sm font-medium text-slate-700">
            {label}
            {state.required && <span className="ml-0.5 text-red-600" aria-hidden>*</span>}
          </legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1.5 rounded-md border border-slate-200 bg-white px-3 py-2">
            {field.options.map((option, index) => {
              const optionId = index === 0 ? id : `${id}-${index}`;
              return (
                <label key={option.value} htmlFor={optionId} className="inline-flex items-center gap-1.5 text-sm text-slate-700">
                  <input
                    id={optionId}
                    type={multiple ? "checkbox" : "radio"}
                    name={multiple ? undefined : `${id}-options`}
                    checked={selected.includes(option.value)}
                    disabled={disabled}
                    onChange={(event) =>
                      setValue(
                        field.name,
                        !multiple ? option.value : event.target.checked ? [...selected, option.value] : selected.filter((value) => value !== option.value),
                      )
                    }
                    className={cn("h-4 w-4 border-slate-300 text-brand-600 focus:ring-brand-500", multiple && "rounded")}
                  />
                  {option.label}
                </label>
              );
            })}
          </div>
          {hints(field, item, state, error, id)}
        </fieldset>
      );
    }
    const help = item.helpText ?? field.helpText;
    return (
      <div key={item.id} className={span} data-testid={testId}>
        <FormField label={label} htmlFor={id} required={state.required} help={help} error={error}>
          {renderControl(field, item, state)}
          {lockedByAccess(field) ? <ReadOnlyHint /> : state.readOnly ? <ReadOnlyHint onForm /> : null}
        </FormField>
      </div>
    );
  }

  const tabErrors = (tabId: string) => Object.keys(fieldErrors).some((name) => placements.get(name)?.tab === tabId);

  function renderTab(tabId: string) {
    const tab = form.tabs.find((candidate) => candidate.id === tabId)!;
    return (
      <div className="space-y-6">
        {tab.sections.map((section) => {
          if (section.type === "related") {
            // A new record has no children yet.
            if (!record) return null;
            return (
              <SectionFrame key={section.id} section={section} collapsed={collapsed.isCollapsed(section.id)} onToggle={() => collapsed.toggle(section.id)}>
                <RelatedList section={section} recordId={record.id} recordName={recordTitle(object, record)} asUser={asUser} />
              </SectionFrame>
            );
          }
          const shown = section.items.filter((item) => states.get(item.field)?.visible);
          // A section whose condition fails (or whose every field is hidden) is left out.
          if (shown.length === 0) return null;
          return (
            <SectionFrame key={section.id} section={section} collapsed={collapsed.isCollapsed(section.id)} onToggle={() => collapsed.toggle(section.id)}>
              <div className={sectionGridClass(section.columns, layout)}>{shown.map((item) => renderItem(item, section))}</div>
            </SectionFrame>
          );
        })}
      </div>
    );
  }

  const body =
    form.tabs.length === 1 ? (
      renderTab(form.tabs[0]!.id)
    ) : (
      <Tabs.Root value={activeTab} onValueChange={setActiveTab} className="space-y-4">
        <Tabs.List className="flex gap-1 overflow-x-auto border-b border-slate-200" aria-label={`${form.label} tabs`}>
          {form.tabs.map((tab) => (
            <Tabs.Trigger
              key={tab.id}
              value={tab.id}
              className={TAB_TRIGGER_CLASS}
            >
              {tab.label}
              {tabErrors(tab.id) && (
                <span className="h-2 w-2 rounded-full bg-red-500" data-testid="tab-error-marker" aria-label="has fields that need attention" role="img" />
              )}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {form.tabs.map((tab) => (
          // Kept mounted (hidden when inactive) so an invalid field on another tab can be focused at once.
          <Tabs.Content key={tab.id} value={tab.id} forceMount className="data-[state=inactive]:hidden">
            {renderTab(tab.id)}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    );

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className={cn("space-y-5", className)}
      aria-label={formLabel ?? (record ? `Edit ${object.label}` : `New ${object.label}`)}
      data-layout={layout}
    >
      {formError && <Alert>{formError}</Alert>}
      {body}
      <div className="flex items-center justify-end gap-2 border-t border-slate-200 pt-4">
        {preview && <p className="mr-auto text-xs text-slate-500">Preview: saving is off</p>}
        {secondaryActions}
        {onCancel && (
          <Button onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        )}
        <Button type="submit" variant="primary" disabled={pending || preview}>
          {pending ? pendingLabel : submitLabel}
        </Button>
      </div>
    </form>
  );
}
