"use client";
import { ArrowDown, ArrowUp, Plus, X } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Alert, Button, Dialog, Input, NativeSelect, Textarea, cn } from "@/components/ui";
import { FormField } from "@/components/ui";
import { toApiName } from "@/designers/shared/api-name";
import { FORMULA_RETURN_TYPES, isComputedField, type FieldDef, type FieldType, type FormulaReturnType } from "@/spec/object";
import {
  emptyFieldForm, fieldFormFrom, hasDefaultFormula, isNumericResult, optionRow, optionValueFrom, OPTION_COLOURS, validateFieldForm,
  type FieldForm, type OptionRow,
} from "./field-form";
import { RollupSettings } from "./rollup-settings";
import { FIELD_TYPE_INFO, FIELD_TYPE_OPTIONS, FieldTypeIcon } from "./field-types";

export type ObjectChoice = { name: string; label: string };

const SCALE_MAX: Partial<Record<FieldType, number>> = { number: 10, percent: 10, currency: 4, formula: 10, rollup: 10 };

const RESULT_TYPE_LABELS: Record<FormulaReturnType, string> = {
  text: "Text", number: "Number", currency: "Currency", percent: "Percent", boolean: "Checkbox", date: "Date", datetime: "Date and time",
};

function Checkbox({ id, label, checked, onChange, disabled, help }: {
  id: string; label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean; help?: string;
}) {
  return (
    <div className="flex items-start gap-2">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)}
        className="mt-0.5 h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500" />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-700">{label}</label>
        {help && <p className="text-xs text-slate-500">{help}</p>}
      </div>
    </div>
  );
}

/**
 * Adds a field or edits one: type, label, API name (derived from the label until edited),
 * flags, help text and the settings of the chosen type. Validated with the spec's fieldSchema.
 */
export function FieldDialog({
  open,
  onOpenChange,
  field,
  newId,
  otherFields,
  objects,
  currentObject,
  serverErrors,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The field being edited; absent to add one. */
  field?: FieldDef;
  /** The id a new field gets. */
  newId: string;
  otherFields: readonly FieldDef[];
  objects: readonly ObjectChoice[];
  currentObject: ObjectChoice;
  /** Issues the server reported for this field, keyed by field-relative path ("options.0.value"). */
  serverErrors?: Record<string, string>;
  /** Applies the field; returns an error message if the store refused it. */
  onSubmit: (field: FieldDef) => string | null;
}) {
  const editing = field !== undefined;
  const [form, setForm] = useState<FieldForm>(() => (field ? fieldFormFrom(field) : emptyFieldForm(newId)));
  const [errors, setErrors] = useState<Record<string, string>>(serverErrors ?? {});
  const [formError, setFormError] = useState<string | null>(null);
  const idFor = (key: string) => `field-${key}`;
  const err = (key: string) => errors[key];

  function update(patch: Partial<FieldForm>) {
    setForm((current) => ({ ...current, ...patch }));
  }

  function setType(type: FieldType) {
    setForm((current) => ({
      ...current,
      type,
      required: type === "master_detail" ? true : type === "formula" || type === "rollup" ? false : current.required,
      unique: ["master_detail", "multiselect", "json", "boolean", "formula", "rollup"].includes(type) ? false : current.unique,
      defaultText: current.type === type ? current.defaultText : "",
      scale: SCALE_MAX[type] !== undefined && SCALE_MAX[current.type] !== undefined ? current.scale : "",
      maxLength: (type === "text" || type === "textarea") && current.type === type ? current.maxLength : "",
    }));
    setErrors({});
  }

  function setOption(index: number, patch: Partial<OptionRow>) {
    setForm((current) => ({
      ...current,
      options: current.options.map((row, i) => {
        if (i !== index) return row;
        const next = { ...row, ...patch };
        if (patch.label !== undefined && !row.valueTouched) next.value = optionValueFrom(patch.label);
        return next;
      }),
    }));
  }

  function moveOption(index: number, delta: number) {
    setForm((current) => {
      const options = current.options.slice();
      const target = index + delta;
      if (target < 0 || target >= options.length) return current;
      [options[index], options[target]] = [options[target], options[index]];
      return { ...current, options };
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const result = validateFieldForm(form, otherFields);
    if (!result.ok) {
      setErrors(result.errors);
      setFormError("Fix the highlighted settings.");
      return;
    }
    setErrors({});
    const refused = onSubmit(result.field);
    if (refused) setFormError(refused);
  }

  const isNumeric = form.type === "number" || form.type === "percent" || form.type === "currency";
  const isSelect = form.type === "select" || form.type === "multiselect";
  const hasTextDefault = ["text", "textarea", "email", "url", "phone"].includes(form.type);
  const computed = form.type === "formula" || form.type === "rollup";
  const fieldNames = otherFields.filter((other) => !isComputedField(other) || other.type === "formula" || other.type === "rollup")
    .filter((other) => other.type !== "multiselect" && other.type !== "json").map((other) => other.name);
  const otherErrors = Object.entries(errors).filter(
    ([key]) => !["label", "name", "type", "helpText", "description", "maxLength", "scale", "min", "max", "currencyCode",
      "options", "reference", "format", "startAt", "defaultValue", "required", "unique", "expression", "returnType",
      "childObject", "childField", "function", "field", "defaultFormula"].includes(key) && !key.startsWith("options."),
  );

  return (
    <Dialog open={open} onOpenChange={onOpenChange} width="44rem"
      title={editing ? `Edit field ${field.label}` : "New field"}
      description={editing ? `API name ${field.name} · ${FIELD_TYPE_INFO[field.type].label}` : "Choose a type, name the field and set its options."}>
      <form onSubmit={submit} noValidate className="space-y-5">
        {formError && <Alert>{formError}</Alert>}
        {otherErrors.length > 0 && (
          <Alert>
            <ul className="list-disc pl-4">
              {otherErrors.map(([key, message]) => <li key={key}>{key}: {message}</li>)}
            </ul>
          </Alert>
        )}
        <section className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <FormField label="Field type" htmlFor={idFor("type")} error={err("type")} help={FIELD_TYPE_INFO[form.type].description}>
              <div className="flex items-center gap-2">
                <span className="flex h-9 w-9 shrink-0 items-center justify-center rounded-md border border-slate-200 bg-slate-50 text-slate-600">
                  <FieldTypeIcon type={form.type} />
                </span>
                <NativeSelect id={idFor("type")} value={form.type} onChange={(e) => setType(e.target.value as FieldType)}>
                  {FIELD_TYPE_OPTIONS.map((option) => (
                    <option key={option.value} value={option.value}>{option.label}</option>
                  ))}
                </NativeSelect>
              </div>
            </FormField>
          </div>
          <FormField label="Field label" htmlFor={idFor("label")} required error={err("label")}>
            <Input id={idFor("label")} value={form.label} autoFocus aria-invalid={!!err("label")} placeholder="Annual revenue"
              onChange={(e) => update({ label: e.target.value, ...(form.nameTouched ? {} : { name: toApiName(e.target.value) }) })} />
          </FormField>
          <FormField label="Field name" htmlFor={idFor("name")} required error={err("name")}
            help={editing ? "Renaming keeps the data (the column is renamed)." : "API name: lowercase letters, digits, underscores."}>
            <Input id={idFor("name")} value={form.name} className="font-mono" aria-invalid={!!err("name")}
              onChange={(e) => update({ name: e.target.value, nameTouched: true })} />
          </FormField>
          <div className="flex flex-wrap gap-6 sm:col-span-2">
            <Checkbox id={idFor("required")} label="Required" checked={form.required} disabled={form.type === "master_detail" || form.type === "autonumber" || computed}
              help={form.type === "master_detail" ? "Master-detail fields are always required." : computed ? "Computed fields are never entered." : "Every record must have a value."}
              onChange={(checked) => update({ required: checked })} />
            <Checkbox id={idFor("unique")} label="Unique" checked={form.unique}
              disabled={["master_detail", "multiselect", "json", "boolean", "formula", "rollup"].includes(form.type)}
              help="No two records may have the same value." onChange={(checked) => update({ unique: checked })} />
          </div>
          <div className="sm:col-span-2">
            <FormField label="Help text" htmlFor={idFor("help")} error={err("helpText")} help="Shown under the input in forms.">
              <Input id={idFor("help")} value={form.helpText} onChange={(e) => update({ helpText: e.target.value })} />
            </FormField>
          </div>
        </section>

        <section aria-labelledby="field-settings-heading" className="space-y-3 rounded-lg border border-slate-200 bg-slate-50/60 p-4">
          <h3 id="field-settings-heading" className="flex items-center gap-2 text-sm font-semibold text-slate-700">
            <FieldTypeIcon type={form.type} /> {FIELD_TYPE_INFO[form.type].label} settings
          </h3>

          {(form.type === "text" || form.type === "textarea") && (
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <FormField label="Maximum length" htmlFor={idFor("maxLength")} error={err("maxLength")}
                help={`Characters; default ${form.type === "text" ? 255 : 32000}.`}>
                <Input id={idFor("maxLength")} type="number" min={1} value={form.maxLength} aria-invalid={!!err("maxLength")}
                  placeholder={form.type === "text" ? "255" : "32000"} onChange={(e) => update({ maxLength: e.target.value })} />
              </FormField>
            </div>
          )}

          {isNumeric && (
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              <FormField label="Decimal places" htmlFor={idFor("scale")} error={err("scale")}>
                <Input id={idFor("scale")} type="number" min={0} max={SCALE_MAX[form.type]} value={form.scale}
                  placeholder={form.type === "currency" ? "2" : "0"} aria-invalid={!!err("scale")}
                  onChange={(e) => update({ scale: e.target.value })} />
              </FormField>
              <FormField label="Minimum" htmlFor={idFor("min")} error={err("min")}>
                <Input id={idFor("min")} type="number" value={form.min} aria-invalid={!!err("min")} onChange={(e) => update({ min: e.target.value })} />
              </FormField>
              <FormField label="Maximum" htmlFor={idFor("max")} error={err("max")}>
                <Input id={idFor("max")} type="number" value={form.max} aria-invalid={!!err("max")} onChange={(e) => update({ max: e.target.value })} />
              </FormField>
              {form.type === "currency" && (
                <FormField label="Currency code" htmlFor={idFor("currency")} error={err("currencyCode")}>
                  <Input id={idFor("currency")} value={form.currencyCode} maxLength={3} className="uppercase" aria-invalid={!!err("currencyCode")}
                    onChange={(e) => update({ currencyCode: e.target.value.toUpperCase() })} />
                </FormField>
              )}
            </div>
          )}

          {isSelect && (
            <fieldset className="space-y-2" aria-describedby={err("options") ? idFor("options-error") : undefined}>
              <legend className="text-sm font-medium text-slate-700">Options</legend>
              <div className="grid grid-cols-[1.5rem_1fr_1fr_9.5rem_auto] items-center gap-2 text-xs font-medium text-slate-500">
                <span aria-hidden>#</span><span aria-hidden>Label</span><span aria-hidden>Value</span><span aria-hidden>Colour</span><span />
              </div>
              <ol className="space-y-1.5">
                {form.options.map((row, index) => {
                  const n = index + 1;
                  const valueError = err(`options.${index}.value`);
                  const labelError = err(`options.${index}.label`);
                  const colorError = err(`options.${index}.color`);
                  return (
                    <li key={row.key}>
                      <div className="grid grid-cols-[1.5rem_1fr_1fr_9.5rem_auto] items-center gap-2">
                        <span className="text-right text-xs text-slate-400">{n}</span>
                        <div>
                          <label htmlFor={idFor(`option-label-${n}`)} className="sr-only">Option label {n}</label>
                          <Input id={idFor(`option-label-${n}`)} value={row.label} aria-invalid={!!labelError} placeholder="Label"
                            onChange={(e) => setOption(index, { label: e.target.value })} />
                        </div>
                        <div>
                          <label htmlFor={idFor(`option-value-${n}`)} className="sr-only">Option value {n}</label>
                          <Input id={idFor(`option-value-${n}`)} value={row.value} className="font-mono" aria-invalid={!!valueError} placeholder="value"
                            onChange={(e) => setOption(index, { value: e.target.value, valueTouched: true })} />
                        </div>
                        <div className="flex items-center gap-1.5">
                          <span className="h-3 w-3 shrink-0 rounded-full border border-slate-300" style={{ backgroundColor: row.color || "transparent" }} aria-hidden />
                          <label htmlFor={idFor(`option-color-${n}`)} className="sr-only">Option colour {n}</label>
                          <NativeSelect id={idFor(`option-color-${n}`)} value={row.color} className="h-8 px-2 text-xs"
                            onChange={(e) => setOption(index, { color: e.target.value })}>
                            <option value="">No colour</option>
                            {OPTION_COLOURS.map((colour) => <option key={colour.hex} value={colour.hex}>{colour.name}</option>)}
                            {row.color && !OPTION_COLOURS.some((colour) => colour.hex === row.color) && <option value={row.color}>{row.color}</option>}
                          </NativeSelect>
                        </div>
                        <div className="flex items-center">
                          <Button variant="ghost" size="sm" className="px-1.5" aria-label={`Move option ${n} up`} disabled={index === 0}
                            onClick={() => moveOption(index, -1)}><ArrowUp className="h-3.5 w-3.5" aria-hidden /></Button>
                          <Button variant="ghost" size="sm" className="px-1.5" aria-label={`Move option ${n} down`} disabled={index === form.options.length - 1}
                            onClick={() => moveOption(index, 1)}><ArrowDown className="h-3.5 w-3.5" aria-hidden /></Button>
                          <Button variant="ghost" size="sm" className="px-1.5 text-slate-500 hover:text-red-600" aria-label={`Remove option ${n}`}
                            onClick={() => update({ options: form.options.filter((_, i) => i !== index) })}><X className="h-3.5 w-3.5" aria-hidden /></Button>
                        </div>
                      </div>
                      {(valueError || labelError || colorError) && (
                        <p role="alert" className="ml-8 mt-0.5 text-xs text-red-600">
                          {[labelError && `Label: ${labelError}`, valueError && `Value: ${valueError}`, colorError && `Colour: ${colorError}`].filter(Boolean).join(" · ")}
                        </p>
                      )}
                    </li>
                  );
                })}
              </ol>
              {err("options") && <p id={idFor("options-error")} role="alert" className="text-xs text-red-600">Options {err("options")}</p>}
              <Button size="sm" onClick={() => update({ options: [...form.options, optionRow()] })}>
                <Plus className="h-3.5 w-3.5" aria-hidden /> Add option
              </Button>
            </fieldset>
          )}

          {(form.type === "lookup" || form.type === "master_detail") && (
            <FormField label="Related object" htmlFor={idFor("reference")} required error={err("reference")}
              help={form.type === "master_detail" ? "Records are deleted with their parent record." : "The value is cleared when the related record is deleted."}>
              <NativeSelect id={idFor("reference")} value={form.reference} aria-invalid={!!err("reference")}
                onChange={(e) => update({ reference: e.target.value })}>
                <option value="">Choose an object…</option>
                {objects.filter((object) => object.name !== currentObject.name).map((object) => (
                  <option key={object.name} value={object.name}>{object.label} ({object.name})</option>
                ))}
                <option value={currentObject.name}>{currentObject.label} (this object)</option>
                {form.reference && form.reference !== currentObject.name && !objects.some((object) => object.name === form.reference) && (
                  <option value={form.reference}>{form.reference} (missing)</option>
                )}
              </NativeSelect>
            </FormField>
          )}

          {form.type === "autonumber" && (
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <FormField label="Display format" htmlFor={idFor("format")} error={err("format")} help="{0000} is the zero-padded counter, e.g. INV-{0000}.">
                <Input id={idFor("format")} value={form.format} className="font-mono" aria-invalid={!!err("format")}
                  onChange={(e) => update({ format: e.target.value })} />
              </FormField>
              <FormField label="Start at" htmlFor={idFor("startAt")} error={err("startAt")}>
                <Input id={idFor("startAt")} type="number" min={0} value={form.startAt} aria-invalid={!!err("startAt")}
                  onChange={(e) => update({ startAt: e.target.value })} />
              </FormField>
            </div>
          )}

          {(hasTextDefault || isNumeric || form.type === "date" || form.type === "datetime") && (
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <FormField label="Default value" htmlFor={idFor("default")} error={err("defaultValue")}>
                {form.type === "textarea" ? (
                  <Textarea id={idFor("default")} value={form.defaultText} onChange={(e) => update({ defaultText: e.target.value })} />
                ) : (
                  <Input id={idFor("default")} value={form.defaultText} aria-invalid={!!err("defaultValue")}
                    type={isNumeric ? "number" : form.type === "date" ? "date" : form.type === "datetime" ? "datetime-local" : form.type === "email" ? "email" : "text"}
                    onChange={(e) => update({ defaultText: e.target.value })} />
                )}
              </FormField>
            </div>
          )}
          {form.type === "boolean" && (
            <FormField label="Default value" htmlFor={idFor("default")} error={err("defaultValue")}>
              <NativeSelect id={idFor("default")} value={form.defaultBoolean} className="sm:w-1/2"
                onChange={(e) => update({ defaultBoolean: e.target.value as FieldForm["defaultBoolean"] })}>
                <option value="">No default</option>
                <option value="true">Checked</option>
                <option value="false">Unchecked</option>
              </NativeSelect>
            </FormField>
          )}
          {form.type === "select" && (
            <FormField label="Default value" htmlFor={idFor("default")} error={err("defaultValue")}>
              <NativeSelect id={idFor("default")} value={form.defaultText} className="sm:w-1/2"
                onChange={(e) => update({ defaultText: e.target.value })}>
                <option value="">No default</option>
                {form.options.filter((row) => row.value.trim() !== "").map((row) => (
                  <option key={row.key} value={row.value.trim()}>{row.label || row.value}</option>
                ))}
              </NativeSelect>
            </FormField>
          )}
          {form.type === "multiselect" && form.options.some((row) => row.value.trim() !== "") && (
            <fieldset>
              <legend className="text-sm font-medium text-slate-700">Default values</legend>
              <div className="mt-1 flex flex-wrap gap-4">
                {form.options.filter((row) => row.value.trim() !== "").map((row) => {
                  const value = row.value.trim();
                  return (
                    <Checkbox key={row.key} id={idFor(`default-${row.key}`)} label={row.label || value}
                      checked={form.defaultMulti.includes(value)}
                      onChange={(checked) => update({
                        defaultMulti: checked ? [...form.defaultMulti, value] : form.defaultMulti.filter((v) => v !== value),
                      })} />
                  );
                })}
              </div>
            </fieldset>
          )}
          {form.type === "formula" && (
            <div className="space-y-3">
              <FormField label="Formula" htmlFor={idFor("expression")} required error={err("expression")}
                help="Operators: + - * / ( ), & joins text, = != < <= > >=, AND OR NOT. Functions such as IF, ISBLANK, BLANKVALUE, ROUND, TEXT, TODAY, ADDDAYS. Use field API names; follow lookups with a dot (account.name).">
                <Textarea id={idFor("expression")} value={form.expression} rows={4} spellCheck={false} aria-invalid={!!err("expression")}
                  className="font-mono text-sm" placeholder="amount * probability / 100"
                  onChange={(e) => update({ expression: e.target.value })} />
              </FormField>
              {fieldNames.length > 0 && (
                <p className="text-xs text-slate-500">
                  Fields: {fieldNames.map((name, i) => <span key={name}>{i > 0 && ", "}<code className="font-mono">{name}</code></span>)}
                </p>
              )}
              <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
                <FormField label="Result type" htmlFor={idFor("returnType")} error={err("returnType")}>
                  <NativeSelect id={idFor("returnType")} value={form.returnType}
                    onChange={(e) => update({ returnType: e.target.value as FormulaReturnType })}>
                    {FORMULA_RETURN_TYPES.map((type) => <option key={type} value={type}>{RESULT_TYPE_LABELS[type]}</option>)}
                  </NativeSelect>
                </FormField>
                {isNumericResult(form.returnType) && (
                  <FormField label="Decimal places" htmlFor={idFor("scale")} error={err("scale")} help="The result is rounded to this; default 2.">
                    <Input id={idFor("scale")} type="number" min={0} max={10} value={form.scale} placeholder="2" aria-invalid={!!err("scale")}
                      onChange={(e) => update({ scale: e.target.value })} />
                  </FormField>
                )}
              </div>
              <p className="text-xs text-slate-500">The server checks the formula against the fields when you publish.</p>
            </div>
          )}

          {form.type === "rollup" && (
            <RollupSettings form={form} update={update} objects={objects} currentObject={currentObject} idFor={idFor} err={err} />
          )}

          {hasDefaultFormula(form.type) && form.type !== "master_detail" && (
            <FormField label="Default formula" htmlFor={idFor("defaultFormula")} error={err("defaultFormula")}
              help="Optional: computed when a record is created without a value (wins over the default value), e.g. TODAY() or ADDDAYS(TODAY(), 30).">
              <Input id={idFor("defaultFormula")} value={form.defaultFormula} className="font-mono" spellCheck={false}
                aria-invalid={!!err("defaultFormula")} onChange={(e) => update({ defaultFormula: e.target.value })} />
            </FormField>
          )}

          {form.type === "json" && <p className="text-sm text-slate-500">JSON fields have no extra settings.</p>}
        </section>

        <div className="flex items-center justify-between border-t border-slate-100 pt-4">
          <p className="text-xs text-slate-400">Field id <span className="font-mono">{form.id}</span></p>
          <div className={cn("flex gap-2")}>
            <Button onClick={() => onOpenChange(false)}>Cancel</Button>
            <Button type="submit" variant="primary">{editing ? "Save field" : "Add field"}</Button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}
