"use client";
import { ArrowDown, ArrowUp, Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import type { FieldDef, ObjectDef } from "@/spec/object";
import type { ScalarValue } from "@/spec/query";
import type { BulkAction, RowAction, ViewDef } from "@/spec/view";
import type { ViewDesignerStore } from "./view-designer-store";

type Errors = Record<string, string>;

const SYSTEM_SORT_FIELDS = [
  { name: "created_at", label: "Created at" },
  { name: "updated_at", label: "Updated at" },
];
const UNSORTABLE = new Set<FieldDef["type"]>(["multiselect", "json", "textarea"]);

function RowError({ message }: { message?: string }) {
  return message ? <p role="alert" className="text-xs text-red-600">{message}</p> : null;
}

function MoveButtons({ index, length, what, onMove }: { index: number; length: number; what: string; onMove: (from: number, to: number) => void }) {
  return (
    <>
      <button type="button" aria-label={`Move ${what} up`} disabled={index === 0} onClick={() => onMove(index, index - 1)}
        className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 disabled:opacity-30">
        <ArrowUp className="h-3.5 w-3.5" aria-hidden />
      </button>
      <button type="button" aria-label={`Move ${what} down`} disabled={index === length - 1} onClick={() => onMove(index, index + 1)}
        className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 disabled:opacity-30">
        <ArrowDown className="h-3.5 w-3.5" aria-hidden />
      </button>
    </>
  );
}

function RemoveButton({ what, onClick }: { what: string; onClick: () => void }) {
  return (
    <button type="button" aria-label={`Remove ${what}`} onClick={onClick} className="rounded p-1 text-slate-400 hover:bg-red-50 hover:text-red-600">
      <X className="h-3.5 w-3.5" aria-hidden />
    </button>
  );
}

/** Sort: up to 5 fields, each ascending or descending, in priority order. */
export function SortPanel({ object, view, store, errors }: { object: ObjectDef; view: ViewDef; store: ViewDesignerStore; errors: Errors }) {
  const choices = [...object.fields.filter((field) => !UNSORTABLE.has(field.type)).map((field) => ({ name: field.name, label: field.label })), ...SYSTEM_SORT_FIELDS];
  const unused = choices.filter((choice) => !view.sort.some((order) => order.field === choice.name));
  return (
    <div className="space-y-1.5">
      {view.sort.length === 0 && <p className="text-xs text-slate-400">Records come in the order they were created.</p>}
      <ol aria-label="Sort" className="space-y-1">
        {view.sort.map((order, index) => (
          <li key={`${order.field}-${index}`} className="space-y-0.5">
            <div className="flex items-center gap-1">
              <span className="w-7 shrink-0 text-xs text-slate-400">{index === 0 ? "by" : "then"}</span>
              <NativeSelect aria-label={`Sort field ${index + 1}`} value={order.field} className="h-8! min-w-0 flex-1 py-0! text-xs"
                onChange={(event) => store.updateSort(index, { ...order, field: event.target.value })}>
                {!choices.some((choice) => choice.name === order.field) && <option value={order.field}>{order.field}</option>}
                {choices.map((choice) => <option key={choice.name} value={choice.name}>{choice.label}</option>)}
              </NativeSelect>
              <NativeSelect aria-label={`Sort direction ${index + 1}`} value={order.direction} className="h-8! w-32! shrink-0 py-0! text-xs"
                onChange={(event) => store.updateSort(index, { ...order, direction: event.target.value as "asc" | "desc" })}>
                <option value="asc">Ascending</option>
                <option value="desc">Descending</option>
              </NativeSelect>
              <MoveButtons index={index} length={view.sort.length} what={`sort ${index + 1}`} onMove={(from, to) => store.moveSort(from, to)} />
              <RemoveButton what={`sort ${index + 1}`} onClick={() => store.removeSort(index)} />
            </div>
            <RowError message={errors[`sort.${index}.field`]} />
          </li>
        ))}
      </ol>
      <RowError message={errors.sort} />
      {view.sort.length < 5 && unused.length > 0 && (
        <Button size="sm" variant="ghost" onClick={() => store.addSort({ field: unused[0]!.name, direction: "asc" })}>
          <Plus className="h-3.5 w-3.5" aria-hidden /> Add sort
        </Button>
      )}
    </div>
  );
}

export function GroupByPanel({ object, view, store, errors }: { object: ObjectDef; view: ViewDef; store: ViewDesignerStore; errors: Errors }) {
  const groupable = object.fields.filter((field) => !["multiselect", "json", "textarea"].includes(field.type));
  return (
    <div className="space-y-1">
      <label htmlFor="view-group-by" className="block text-xs font-medium text-slate-600">Group rows by</label>
      <NativeSelect id="view-group-by" value={view.groupBy ?? ""} className="h-8! py-0! text-sm" aria-invalid={!!errors.groupBy || undefined}
        onChange={(event) => store.setGroupBy(event.target.value || undefined)}>
        <option value="">No grouping</option>
        {groupable.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
      </NativeSelect>
      <RowError message={errors.groupBy} />
    </div>
  );
}

function parseValue(field: FieldDef | undefined, text: string): ScalarValue {
  if (!field) return text;
  if (field.type === "boolean") return text === "true";
  if (["number", "currency", "percent"].includes(field.type)) return text.trim() === "" || !Number.isFinite(Number(text)) ? null : Number(text);
  return text === "" ? null : text;
}

/** The value an "update" action sets: options for select fields, true/false, else typed text. */
function ActionValueInput({ field, value, label, optional, onChange }: { field: FieldDef | undefined; value: ScalarValue | undefined; label: string; optional?: boolean; onChange: (value: ScalarValue | undefined) => void }) {
  if (field?.type === "select") {
    return (
      <NativeSelect aria-label={label} value={value === undefined || value === null ? "" : String(value)} className="h-8! py-0! text-sm"
        onChange={(event) => onChange(event.target.value === "" ? (optional ? undefined : null) : event.target.value)}>
        <option value="">{optional ? "Ask the user" : "Empty"}</option>
        {field.options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </NativeSelect>
    );
  }
  if (field?.type === "boolean") {
    return (
      <NativeSelect aria-label={label} value={value === undefined ? "" : String(value)} className="h-8! py-0! text-sm"
        onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value === "true")}>
        {optional && <option value="">Ask the user</option>}
        <option value="true">True</option>
        <option value="false">False</option>
      </NativeSelect>
    );
  }
  return (
    <Input aria-label={label} value={value === undefined || value === null ? "" : String(value)} placeholder={optional ? "Ask the user" : "Empty"} className="h-8! text-sm"
      onChange={(event) => onChange(optional && event.target.value === "" ? undefined : parseValue(field, event.target.value))} />
  );
}

const ROW_ACTION_NAMES: Record<RowAction["type"], string> = { open: "Open", edit: "Edit", delete: "Delete", update: "Set a field" };
const BULK_ACTION_NAMES: Record<BulkAction["type"], string> = { delete: "Delete", export: "Export CSV", update: "Set a field" };

/** Row menu and toolbar actions: the built-in ones, and "set a field" actions (e.g. "Close" sets stage). */
export function ActionsPanel({ object, view, store, errors }: { object: ObjectDef; view: ViewDef; store: ViewDesignerStore; errors: Errors }) {
  const editable = object.fields.filter((field) => !["formula", "rollup", "autonumber", "json"].includes(field.type));
  const firstField = editable[0];
  const fieldOf = (name: string) => object.fields.find((field) => field.name === name);
  const missingRow = (["open", "edit", "delete"] as const).filter((type) => !view.rowActions.some((action) => action.type === type));
  const missingBulk = (["delete", "export"] as const).filter((type) => !view.bulkActions.some((action) => action.type === type));
  return (
    <div className="space-y-3">
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={view.inlineEdit} onChange={(event) => store.setInlineEdit(event.target.checked)} className="h-3.5 w-3.5 accent-brand-600" />
        Edit cells inline
      </label>
      <div className="space-y-1">
        <p className="text-xs font-medium text-slate-600">Row actions</p>
        <ol aria-label="Row actions" className="space-y-1">
          {view.rowActions.map((action, index) => (
            <li key={index} className="space-y-1 rounded-md border border-slate-200 p-1.5">
              <div className="flex items-center gap-1">
                <span className="flex-1 text-sm text-slate-700">{action.type === "update" ? action.label : ROW_ACTION_NAMES[action.type]}</span>
                <MoveButtons index={index} length={view.rowActions.length} what={`row action ${index + 1}`} onMove={(from, to) => store.moveRowAction(from, to)} />
                <RemoveButton what={`row action ${index + 1}`} onClick={() => store.removeRowAction(index)} />
              </div>
              {action.type === "update" && (
                <div className="grid grid-cols-3 gap-1">
                  <Input aria-label={`Row action ${index + 1} label`} value={action.label} className="h-8! text-sm"
                    onChange={(event) => store.updateRowAction(index, { ...action, label: event.target.value }, { coalesceKey: `row-action-label:${index}` })} />
                  <NativeSelect aria-label={`Row action ${index + 1} field`} value={action.field} className="h-8! py-0! text-sm"
                    onChange={(event) => store.updateRowAction(index, { ...action, field: event.target.value, value: null })}>
                    {editable.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
                  </NativeSelect>
                  <ActionValueInput field={fieldOf(action.field)} label={`Row action ${index + 1} value`} value={action.value}
                    onChange={(value) => store.updateRowAction(index, { ...action, value: value ?? null }, { coalesceKey: `row-action-value:${index}` })} />
                </div>
              )}
              <RowError message={errors[`rowActions.${index}.field`] ?? errors[`rowActions.${index}.label`] ?? errors[`rowActions.${index}`]} />
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap gap-1">
          {missingRow.map((type) => (
            <Button key={type} size="sm" variant="ghost" onClick={() => store.addRowAction({ type })}><Plus className="h-3.5 w-3.5" aria-hidden /> {ROW_ACTION_NAMES[type]}</Button>
          ))}
          {firstField && (
            <Button size="sm" variant="ghost" onClick={() => store.addRowAction({ type: "update", label: "Update", field: firstField.name, value: null })}>
              <Plus className="h-3.5 w-3.5" aria-hidden /> Set-a-field row action
            </Button>
          )}
        </div>
      </div>
      <div className="space-y-1">
        <p className="text-xs font-medium text-slate-600">Bulk actions</p>
        <ol aria-label="Bulk actions" className="space-y-1">
          {view.bulkActions.map((action, index) => (
            <li key={index} className="space-y-1 rounded-md border border-slate-200 p-1.5">
              <div className="flex items-center gap-1">
                <span className="flex-1 text-sm text-slate-700">{action.type === "update" ? action.label : BULK_ACTION_NAMES[action.type]}</span>
                <MoveButtons index={index} length={view.bulkActions.length} what={`bulk action ${index + 1}`} onMove={(from, to) => store.moveBulkAction(from, to)} />
                <RemoveButton what={`bulk action ${index + 1}`} onClick={() => store.removeBulkAction(index)} />
              </div>
              {action.type === "update" && (
                <div className="grid grid-cols-3 gap-1">
                  <Input aria-label={`Bulk action ${index + 1} label`} value={action.label} className="h-8! text-sm"
                    onChange={(event) => store.updateBulkAction(index, { ...action, label: event.target.value }, { coalesceKey: `bulk-action-label:${index}` })} />
                  <NativeSelect aria-label={`Bulk action ${index + 1} field`} value={action.field} className="h-8! py-0! text-sm"
                    onChange={(event) => {
                      const next: BulkAction = { type: "update", label: action.label, field: event.target.value };
                      store.updateBulkAction(index, next);
                    }}>
                    {editable.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
                  </NativeSelect>
                  <ActionValueInput field={fieldOf(action.field)} label={`Bulk action ${index + 1} value`} value={action.value} optional
                    onChange={(value) => {
                      const next: BulkAction = { type: "update", label: action.label, field: action.field, ...(value !== undefined ? { value } : {}) };
                      store.updateBulkAction(index, next, { coalesceKey: `bulk-action-value:${index}` });
                    }} />
                </div>
              )}
              <RowError message={errors[`bulkActions.${index}.field`] ?? errors[`bulkActions.${index}.label`] ?? errors[`bulkActions.${index}`]} />
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap gap-1">
          {missingBulk.map((type) => (
            <Button key={type} size="sm" variant="ghost" onClick={() => store.addBulkAction({ type })}><Plus className="h-3.5 w-3.5" aria-hidden /> {BULK_ACTION_NAMES[type]}</Button>
          ))}
          {firstField && (
            <Button size="sm" variant="ghost" onClick={() => store.addBulkAction({ type: "update", label: "Update", field: firstField.name })}>
              <Plus className="h-3.5 w-3.5" aria-hidden /> Set-a-field bulk action
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}
