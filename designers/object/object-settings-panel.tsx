"use client";
import { Plus, Trash2, X } from "lucide-react";
import { Badge, Button, Input, NativeSelect, Textarea } from "@/components/ui";
import { FormField } from "@/components/ui";
import { nameFieldOf, type ObjectDef } from "@/spec/object";
import type { ObjectDesignerStore } from "./object-designer-store";

const NAME_FIELD_TYPES = ["text", "email", "phone", "url", "autonumber"];

/** Object-level settings: labels, description, icon, the record-name field and the indexes. */
export function ObjectSettingsPanel({
  store,
  object,
  errors,
}: {
  store: ObjectDesignerStore;
  object: ObjectDef;
  /** Object-level issues keyed by dotted path ("pluralLabel", "indexes.0.fields.1"). */
  errors: Record<string, string>;
}) {
  const nameCandidates = object.fields.filter((field) => NAME_FIELD_TYPES.includes(field.type));
  const indexable = [
    ...object.fields.filter((field) => !["multiselect", "json", "textarea"].includes(field.type)).map((field) => ({ name: field.name, label: field.label })),
    { name: "created_at", label: "Created at" },
    { name: "updated_at", label: "Updated at" },
  ];
  const labelOf = (name: string) => indexable.find((item) => item.name === name)?.label ?? name;

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <section aria-labelledby="object-details-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="object-details-heading" className="text-sm font-semibold text-slate-800">Details</h2>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <FormField label="Label" htmlFor="object-label" required error={errors.label}>
            <Input id="object-label" value={object.label} aria-invalid={!!errors.label}
              onChange={(e) => store.updateObject({ label: e.target.value }, { coalesceKey: "label" })} />
          </FormField>
          <FormField label="Plural label" htmlFor="object-plural-label" required error={errors.pluralLabel}>
            <Input id="object-plural-label" value={object.pluralLabel} aria-invalid={!!errors.pluralLabel}
              onChange={(e) => store.updateObject({ pluralLabel: e.target.value }, { coalesceKey: "pluralLabel" })} />
          </FormField>
          <FormField label="API name" htmlFor="object-name" help="Cannot be changed after creation.">
            <Input id="object-name" value={object.name} readOnly disabled className="font-mono" />
          </FormField>
          <FormField label="Icon" htmlFor="object-icon" error={errors.icon} help="A lucide icon name, e.g. building-2.">
            <Input id="object-icon" value={object.icon} aria-invalid={!!errors.icon}
              onChange={(e) => store.updateObject({ icon: e.target.value }, { coalesceKey: "icon" })} />
          </FormField>
          <div className="sm:col-span-2">
            <FormField label="Description" htmlFor="object-description" error={errors.description}>
              <Textarea id="object-description" value={object.description ?? ""} rows={3}
                onChange={(e) => store.updateObject({ description: e.target.value === "" ? undefined : e.target.value }, { coalesceKey: "description" })} />
            </FormField>
          </div>
          <div className="sm:col-span-2">
            <FormField label="Name field" htmlFor="object-name-field" error={errors.nameField}
              help={`The field shown as a record's title and in lookups. Now: ${nameFieldOf(object)}.`}>
              <NativeSelect id="object-name-field" value={object.nameField ?? ""} aria-invalid={!!errors.nameField}
                onChange={(e) => store.updateObject({ nameField: e.target.value === "" ? undefined : e.target.value })}>
                <option value="">Automatic (first text field)</option>
                {nameCandidates.map((field) => (
                  <option key={field.id} value={field.name}>{field.label} ({field.name})</option>
                ))}
                {object.nameField && !nameCandidates.some((field) => field.name === object.nameField) && (
                  <option value={object.nameField}>{object.nameField}</option>
                )}
              </NativeSelect>
            </FormField>
          </div>
        </div>
      </section>

      <section aria-labelledby="object-indexes-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex items-center justify-between">
          <h2 id="object-indexes-heading" className="text-sm font-semibold text-slate-800">Indexes</h2>
          <Button size="sm" disabled={indexable.length === 0}
            onClick={() => store.addIndex({ fields: [indexable[0].name], unique: false })}>
            <Plus className="h-3.5 w-3.5" aria-hidden /> Add index
          </Button>
        </div>
        <p className="text-xs text-slate-500">Indexes speed up filtering and sorting; a unique index refuses duplicate combinations.</p>
        {object.indexes.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-500">No indexes.</p>
        ) : (
          <ol className="space-y-2">
            {object.indexes.map((index, position) => {
              const n = position + 1;
              const issues = Object.entries(errors).filter(([key]) => key === `indexes.${position}` || key.startsWith(`indexes.${position}.`));
              return (
                <li key={position} className="rounded-md border border-slate-200 p-3">
                  <div className="flex flex-wrap items-center gap-1.5">
                    <span className="mr-1 text-xs font-medium text-slate-500">Index {n}</span>
                    {index.fields.map((name, fieldPosition) => (
                      <Badge key={`${name}-${fieldPosition}`} className="gap-1 pr-1">
                        {labelOf(name)}
                        <button type="button" aria-label={`Remove ${labelOf(name)} from index ${n}`} className="rounded-full p-0.5 hover:bg-slate-200"
                          onClick={() => {
                            const fields = index.fields.filter((_, i) => i !== fieldPosition);
                            if (fields.length === 0) store.removeIndex(position);
                            else store.updateIndex(position, { ...index, fields });
                          }}>
                          <X className="h-3 w-3" aria-hidden />
                        </button>
                      </Badge>
                    ))}
                  </div>
                  <div className="mt-2 flex flex-wrap items-center gap-3">
                    <label htmlFor={`index-${n}-add`} className="sr-only">Add field to index {n}</label>
                    <NativeSelect id={`index-${n}-add`} value="" className="h-8 w-48 text-xs"
                      onChange={(e) => {
                        if (e.target.value) store.updateIndex(position, { ...index, fields: [...index.fields, e.target.value] });
                      }}>
                      <option value="">Add field to index…</option>
                      {indexable.filter((item) => !index.fields.includes(item.name)).map((item) => (
                        <option key={item.name} value={item.name}>{item.label}</option>
                      ))}
                    </NativeSelect>
                    <span className="flex items-center gap-1.5">
                      <input id={`index-${n}-unique`} type="checkbox" checked={index.unique} className="h-4 w-4 rounded border-slate-300"
                        onChange={(e) => store.updateIndex(position, { ...index, unique: e.target.checked })} />
                      <label htmlFor={`index-${n}-unique`} className="text-sm text-slate-700">Unique (index {n})</label>
                    </span>
                    <Button variant="ghost" size="sm" className="ml-auto hover:bg-red-50 hover:text-red-700" aria-label={`Remove index ${n}`}
                      onClick={() => store.removeIndex(position)}>
                      <Trash2 className="h-3.5 w-3.5" aria-hidden /> Remove
                    </Button>
                  </div>
                  {issues.map(([key, message]) => (
                    <p key={key} role="alert" className="mt-1 text-xs text-red-600">{message}</p>
                  ))}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </div>
  );
}
