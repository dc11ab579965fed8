"use client";
import { ArrowLeft, ArrowRight, Copy, Trash2 } from "lucide-react";
import type { ReactNode } from "react";
import { Button, FormField, Input, NativeSelect, Textarea, cn } from "@/components/ui";
import { FIELD_TYPE_INFO } from "@/designers/object/field-types";
import { widgetsFor } from "@/formula/form-rules";
import type { FieldsSection, FormDef, FormFieldItem, FormTab, RelatedSection } from "@/spec/form";
import { identifier } from "@/spec/identifier";
import { isReferenceField, type FieldDef, type ObjectDef } from "@/spec/object";
import { ConditionEditor } from "./condition-editor";
import { locateElement, type CommandResult, type FormDesignerStore } from "./form-designer-store";
import { issuesOf, type ElementIssue } from "./form-issues";

export type RelatedCandidate = { object: string; lookupField: string; label: string };

/** Objects with a lookup (or master-detail) to `object`: what a related list can show. */
export function relatedCandidates(object: ObjectDef, objects: Map<string, ObjectDef>): RelatedCandidate[] {
  return [...objects.values()].flatMap((child) =>
    child.fields
      .filter((field) => isReferenceField(field) && field.reference === object.name)
      .map((field) => ({ object: child.name, lookupField: field.name, label: `${child.pluralLabel} (${field.label})` })),
  );
}

type InspectorProps = {
  form: FormDef;
  object: ObjectDef;
  objects: Map<string, ObjectDef>;
  store: FormDesignerStore;
  selection: string | null;
  issues: ElementIssue[];
  onRefused: (result: CommandResult) => void;
};

function Panel({ title, subtitle, actions, children }: { title: string; subtitle?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <div className="space-y-3">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 className="truncate text-sm font-semibold text-slate-800">{title}</h2>
          {subtitle && <p className="text-xs text-slate-500">{subtitle}</p>}
        </div>
        {actions && <div className="flex shrink-0 gap-1">{actions}</div>}
      </div>
      {children}
    </div>
  );
}

function Check({ id, label, checked, disabled, onChange, help }: { id: string; label: string; checked: boolean; disabled?: boolean; onChange: (checked: boolean) => void; help?: string }) {
  return (
    <div>
      <label htmlFor={id} className={cn("flex items-center gap-2 text-sm text-slate-700", disabled && "opacity-50")}>
        <input id={id} type="checkbox" className="h-4 w-4 rounded border-slate-300 accent-brand-600" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
      {help && <p className="ml-6 text-xs text-slate-500">{help}</p>}
    </div>
  );
}

const optional = (value: string) => (value === "" ? undefined : value);

function firstIssue(issues: ElementIssue[], id: string | null, property: string): string | undefined {
  const found = issuesOf(issues, id, property)[0];
  return found ? found.message : undefined;
}

function FormPanel({ form, object, store, issues }: InspectorProps) {
  const selectFields = object.fields.filter((field): field is Extract<FieldDef, { type: "select" }> => field.type === "select");
  const recordField = selectFields.find((field) => field.name === form.recordType?.field);
  const profilesText = form.profiles.join(", ");
  const badProfile = form.profiles.find((profile) => !identifier.safeParse(profile).success);
  return (
    <Panel title="Form" subtitle={`${form.name} · for ${object.label}`}>
      <FormField label="Label" htmlFor="form-label" required error={firstIssue(issues, null, "label")}>
        <Input id="form-label" value={form.label} onChange={(e) => store.updateForm({ label: e.target.value }, { coalesceKey: "form.label" })} />
      </FormField>
      <FormField label="Description" htmlFor="form-description" error={firstIssue(issues, null, "description")}>
        <Textarea id="form-description" rows={2} value={form.description ?? ""} onChange={(e) => store.updateForm({ description: optional(e.target.value) }, { coalesceKey: "form.description" })} />
      </FormField>
      <Check id="form-default" label={`Default form of ${object.label}`} checked={form.isDefault} onChange={(isDefault) => store.updateForm({ isDefault })}
        help="Users get it unless a profile or record-type form applies." />
      <FormField label="Profiles" htmlFor="form-profiles" error={firstIssue(issues, null, "profiles") ?? (badProfile ? `'${badProfile}' is not a valid profile name` : undefined)}
        help="API names of the profiles that get this form, separated by commas.">
        <Input id="form-profiles" defaultValue={profilesText} key={profilesText} className="font-mono"
          onBlur={(e) => store.updateForm({ profiles: e.target.value.split(",").map((part) => part.trim()).filter(Boolean) })} />
      </FormField>
      <FormField label="Record type field" htmlFor="form-record-type-field" error={firstIssue(issues, null, "recordType.field")}
        help="Records whose picklist has the value below get this form.">
        <NativeSelect id="form-record-type-field" value={form.recordType?.field ?? ""}
          onChange={(e) => {
            const field = selectFields.find((candidate) => candidate.name === e.target.value);
            store.updateForm({ recordType: field ? { field: field.name, value: field.options[0]!.value } : undefined });
          }}>
          <option value="">No record type</option>
          {selectFields.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
        </NativeSelect>
      </FormField>
      {form.recordType && (
        <FormField label="Record type value" htmlFor="form-record-type-value" error={firstIssue(issues, null, "recordType.value")}>
          <NativeSelect id="form-record-type-value" value={form.recordType.value}
            onChange={(e) => store.updateForm({ recordType: { field: form.recordType!.field, value: e.target.value } })}>
            {(recordField?.options ?? []).map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
          </NativeSelect>
        </FormField>
      )}
    </Panel>
  );
}

function TabPanel({ tab, props }: { tab: FormTab; props: InspectorProps }) {
  const { store, form, issues, onRefused } = props;
  const index = form.tabs.indexOf(tab);
  return (
    <Panel title={`Tab ${tab.label}`} subtitle={`${tab.sections.length} section${tab.sections.length === 1 ? "" : "s"}`}
      actions={
        <>
          <Button size="sm" variant="ghost" aria-label="Move tab left" disabled={index === 0} onClick={() => onRefused(store.moveTab(tab.id, index - 1))}><ArrowLeft className="h-3.5 w-3.5" aria-hidden /></Button>
          <Button size="sm" variant="ghost" aria-label="Move tab right" disabled={index === form.tabs.length - 1} onClick={() => onRefused(store.moveTab(tab.id, index + 1))}><ArrowRight className="h-3.5 w-3.5" aria-hidden /></Button>
          <Button size="sm" variant="ghost" aria-label="Duplicate tab" onClick={() => onRefused(store.duplicateElement(tab.id))}><Copy className="h-3.5 w-3.5" aria-hidden /></Button>
          <Button size="sm" variant="ghost" aria-label="Remove tab" disabled={form.tabs.length === 1} onClick={() => onRefused(store.removeElement(tab.id))}><Trash2 className="h-3.5 w-3.5" aria-hidden /></Button>
        </>
      }>
      <FormField label="Tab label" htmlFor="tab-label" required error={firstIssue(issues, tab.id, "label")}>
        <Input id="tab-label" value={tab.label} onChange={(e) => store.renameTab(tab.id, e.target.value, { coalesceKey: `${tab.id}.label` })} />
      </FormField>
    </Panel>
  );
}

function ColumnsPicker({ value, onChange }: { value: number; onChange: (columns: number) => void }) {
  return (
    <div role="radiogroup" aria-label="Columns" className="flex gap-1">
      {[1, 2, 3, 4].map((columns) => (
        <button key={columns} type="button" role="radio" aria-checked={value === columns} onClick={() => onChange(columns)}
          className={cn("h-8 w-10 rounded-md border text-sm", value === columns ? "border-brand-500 bg-brand-50 font-semibold text-brand-700" : "border-slate-300 hover:bg-slate-50")}>
          {columns}
        </button>
      ))}
    </div>
  );
}

function SectionPanel({ section, props }: { section: FieldsSection | RelatedSection; props: InspectorProps }) {
  const { store, object, objects, issues, onRefused } = props;
  const key = (property: string) => ({ coalesceKey: `${section.id}.${property}` });
  const candidates = relatedCandidates(object, objects);
  const child = section.type === "related" ? objects.get(section.object) : undefined;
  return (
    <Panel title={section.type === "fields" ? "Section" : "Related list"} subtitle={section.label}
      actions={
        <>
          <Button size="sm" variant="ghost" aria-label="Duplicate section" onClick={() => onRefused(store.duplicateElement(section.id))}><Copy className="h-3.5 w-3.5" aria-hidden /></Button>
          <Button size="sm" variant="ghost" aria-label="Remove section" onClick={() => onRefused(store.removeElement(section.id))}><Trash2 className="h-3.5 w-3.5" aria-hidden /></Button>
        </>
      }>
      <FormField label="Section label" htmlFor="section-label" error={firstIssue(issues, section.id, "label")}>
        <Input id="section-label" value={section.label ?? ""} onChange={(e) => store.updateSection(section.id, { label: optional(e.target.value) }, key("label"))} />
      </FormField>
      {section.type === "fields" ? (
        <div className="space-y-1">
          <span className="text-sm font-medium text-slate-700">Columns</span>
          <ColumnsPicker value={section.columns} onChange={(columns) => onRefused(store.updateSection(section.id, { columns }))} />
          {firstIssue(issues, section.id, "columns") && <p role="alert" className="text-xs text-red-600">{firstIssue(issues, section.id, "columns")}</p>}
        </div>
      ) : (
        <>
          <FormField label="Child records" htmlFor="related-object" error={firstIssue(issues, section.id, "object") ?? firstIssue(issues, section.id, "lookupField")}>
            <NativeSelect id="related-object" value={`${section.object}.${section.lookupField}`}
              onChange={(e) => {
                const [childName, lookupField] = e.target.value.split(".");
                store.updateSection(section.id, { object: childName, lookupField, columns: [] });
              }}>
              {!candidates.some((candidate) => candidate.object === section.object && candidate.lookupField === section.lookupField) && (
                <option value={`${section.object}.${section.lookupField}`}>{section.object}.{section.lookupField}</option>
              )}
              {candidates.map((candidate) => <option key={`${candidate.object}.${candidate.lookupField}`} value={`${candidate.object}.${candidate.lookupField}`}>{candidate.label}</option>)}
            </NativeSelect>
          </FormField>
          {child && (
            <fieldset className="space-y-1">
              <legend className="text-sm font-medium text-slate-700">Columns</legend>
              <div className="grid grid-cols-2 gap-1">
                {child.fields.filter((field) => field.name !== section.lookupField).map((field) => (
                  <Check key={field.name} id={`related-column-${field.name}`} label={field.label} checked={section.columns.includes(field.name)}
                    disabled={!section.columns.includes(field.name) && section.columns.length >= 10}
                    onChange={(checked) => store.updateSection(section.id, { columns: checked ? [...section.columns, field.name] : section.columns.filter((name) => name !== field.name) })} />
                ))}
              </div>
              <p className="text-xs text-slate-500">None chosen: the child&apos;s name.</p>
            </fieldset>
          )}
          <FormField label="Rows shown" htmlFor="related-limit" error={firstIssue(issues, section.id, "limit")}>
            <Input id="related-limit" type="number" min={1} max={50} value={section.limit}
              onChange={(e) => {
                const limit = Number(e.target.value);
                if (Number.isInteger(limit) && limit >= 1 && limit <= 50) store.updateSection(section.id, { limit }, key("limit"));
              }} />
          </FormField>
        </>
      )}
      <Check id="section-collapsible" label="Collapsible" checked={section.collapsible}
        onChange={(collapsible) => store.updateSection(section.id, collapsible ? { collapsible } : { collapsible, collapsed: false })} />
      <Check id="section-collapsed" label="Starts collapsed" checked={section.collapsed} disabled={!section.collapsible}
        onChange={(collapsed) => store.updateSection(section.id, { collapsed })} />
      <ConditionEditor key={`${section.id}-visible`} id={`${section.id}-visibleWhen`} label="Visible when" value={section.visibleWhen} object={object}
        emptyText="Always visible. Add a rule to show it only when the rule holds."
        serverIssue={firstIssue(issues, section.id, "visibleWhen")}
        onChange={(visibleWhen, coalesceKey) => store.updateSection(section.id, { visibleWhen }, { coalesceKey })} />
    </Panel>
  );
}

function DefaultValueInput({ item, field, onChange }: { item: FormFieldItem; field: FieldDef; onChange: (value: FormFieldItem["defaultValue"]) => void }) {
  const value = item.defaultValue;
  if (field.type === "boolean") {
    return (
      <NativeSelect id="item-default" value={value === undefined ? "" : String(value)} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value === "true")}>
        <option value="">No default</option>
        <option value="true">Checked</option>
        <option value="false">Unchecked</option>
      </NativeSelect>
    );
  }
  if (field.type === "select") {
    return (
      <NativeSelect id="item-default" value={typeof value === "string" ? value : ""} onChange={(e) => onChange(optional(e.target.value))}>
        <option value="">No default</option>
        {field.options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </NativeSelect>
    );
  }
  if (field.type === "number" || field.type === "currency" || field.type === "percent") {
    return (
      <Input id="item-default" type="number" value={typeof value === "number" ? value : ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))} />
    );
  }
  return (
    <Input id="item-default" value={typeof value === "string" ? value : ""} type={field.type === "date" ? "date" : "text"}
      onChange={(e) => onChange(optional(e.target.value))} />
  );
}

const NO_DEFAULT = new Set<FieldDef["type"]>(["autonumber", "formula", "rollup", "lookup", "master_detail", "multiselect", "json"]);

function ItemPanel({ item, section, props }: { item: FormFieldItem; section: FieldsSection; props: InspectorProps }) {
  const { store, object, objects, issues, onRefused } = props;
  const field = object.fields.find((candidate) => candidate.name === item.field);
  const key = (property: string) => ({ coalesceKey: `${item.id}.${property}` });
  const error = (property: string) => firstIssue(issues, item.id, property);
  if (!field) {
    return (
      <Panel title={item.field} subtitle="Not a field of the object"
        actions={<Button size="sm" variant="ghost" aria-label="Remove field" onClick={() => onRefused(store.removeElement(item.id))}><Trash2 className="h-3.5 w-3.5" aria-hidden /></Button>}>
        <p className="text-sm text-red-700">{object.label} has no field &apos;{item.field}&apos;. Remove it from the form.</p>
      </Panel>
    );
  }
  const target = isReferenceField(field) ? objects.get(field.reference) : undefined;
  const widgets = widgetsFor(field.type);
  return (
    <Panel title={item.label ?? field.label} subtitle={`${FIELD_TYPE_INFO[field.type].label} · ${field.name}`}
      actions={<Button size="sm" variant="ghost" aria-label="Remove field" onClick={() => onRefused(store.removeElement(item.id))}><Trash2 className="h-3.5 w-3.5" aria-hidden /></Button>}>
      <FormField label="Label on this form" htmlFor="item-label" error={error("label")} help={`Empty: the field's label (${field.label}).`}>
        <Input id="item-label" value={item.label ?? ""} placeholder={field.label} onChange={(e) => store.updateItem(item.id, { label: optional(e.target.value) }, key("label"))} />
      </FormField>
      <FormField label="Help text" htmlFor="item-help" error={error("helpText")}>
        <Textarea id="item-help" rows={2} value={item.helpText ?? ""} onChange={(e) => store.updateItem(item.id, { helpText: optional(e.target.value) }, key("helpText"))} />
      </FormField>
      <FormField label="Placeholder" htmlFor="item-placeholder" error={error("placeholder")}>
        <Input id="item-placeholder" value={item.placeholder ?? ""} onChange={(e) => store.updateItem(item.id, { placeholder: optional(e.target.value) }, key("placeholder"))} />
      </FormField>
      <div className="grid grid-cols-2 gap-2">
        <Check id="item-required" label="Required" checked={item.required || field.required} disabled={field.required}
          help={field.required ? "Required by the field itself" : undefined} onChange={(required) => store.updateItem(item.id, { required })} />
        <Check id="item-readonly" label="Read-only" checked={item.readOnly} onChange={(readOnly) => store.updateItem(item.id, { readOnly })} />
      </div>
      {!NO_DEFAULT.has(field.type) && (
        <FormField label="Default value" htmlFor="item-default" error={error("defaultValue")} help="What a new record starts with on this form.">
          <DefaultValueInput item={item} field={field} onChange={(defaultValue) => store.updateItem(item.id, { defaultValue }, key("defaultValue"))} />
        </FormField>
      )}
      {widgets.length > 1 && (
        <FormField label="Widget" htmlFor="item-widget" error={error("widget")}>
          <NativeSelect id="item-widget" value={item.widget} onChange={(e) => store.updateItem(item.id, { widget: e.target.value as FormFieldItem["widget"] })}>
            {widgets.map((widget) => <option key={widget} value={widget}>{widget === "default" ? `Default (${FIELD_TYPE_INFO[field.type].label})` : widget}</option>)}
          </NativeSelect>
        </FormField>
      )}
      {error("widget") && widgets.length <= 1 && <p role="alert" className="text-xs text-red-600">{error("widget")}</p>}
      <FormField label="Tab" htmlFor="item-tab" help="Moves the field to the end of that tab's first fields section.">
        <NativeSelect id="item-tab" value={props.form.tabs.find((tab) => tab.sections.some((candidate) => candidate.id === section.id))?.id ?? ""}
          onChange={(e) => {
            const tab = props.form.tabs.find((candidate) => candidate.id === e.target.value);
            const target = tab?.sections.find((candidate) => candidate.type === "fields");
            if (!target || target.type !== "fields") return onRefused({ ok: false, reason: `Tab ${tab?.label ?? ""} has no fields section: add one first.` });
            onRefused(store.moveItem(item.id, target.id, target.items.length));
          }}>
          {props.form.tabs.map((tab) => <option key={tab.id} value={tab.id}>{tab.label}</option>)}
        </NativeSelect>
      </FormField>
      <FormField label="Column span" htmlFor="item-span" error={error("span")} help={`The section has ${section.columns} column${section.columns === 1 ? "" : "s"}.`}>
        <NativeSelect id="item-span" value={Math.min(item.span, section.columns)} disabled={section.columns === 1}
          onChange={(e) => onRefused(store.updateItem(item.id, { span: Number(e.target.value) }))}>
          {Array.from({ length: section.columns }, (_, i) => i + 1).map((span) => <option key={span} value={span}>{span}</option>)}
        </NativeSelect>
      </FormField>
      <ConditionEditor key={`${item.id}-visible`} id={`${item.id}-visibleWhen`} label="Visible when" value={item.visibleWhen} object={object}
        emptyText="Always visible. Add a rule to show it only when the rule holds."
        serverIssue={error("visibleWhen")} onChange={(visibleWhen, coalesceKey) => store.updateItem(item.id, { visibleWhen }, { coalesceKey })} />
      <ConditionEditor key={`${item.id}-required`} id={`${item.id}-requiredWhen`} label="Required when" value={item.requiredWhen} object={object}
        emptyText={field.required ? "Always: the field itself is required." : "Never: the field is optional. Add a rule to require it only when the rule holds."}
        serverIssue={error("requiredWhen")} onChange={(requiredWhen, coalesceKey) => store.updateItem(item.id, { requiredWhen }, { coalesceKey })} />
      <FormField label="Required message" htmlFor="item-required-message" error={error("requiredMessage")} help={`Empty: “${item.label ?? field.label} is required”.`}>
        <Input id="item-required-message" value={item.requiredMessage ?? ""} onChange={(e) => store.updateItem(item.id, { requiredMessage: optional(e.target.value) }, key("requiredMessage"))} />
      </FormField>
      {isReferenceField(field) && (
        <fieldset className="space-y-2 rounded-md border border-slate-200 p-2">
          <legend className="px-1 text-sm font-medium text-slate-700">Filter choices by another field</legend>
          <p className="text-xs text-slate-500">Offer only {target?.pluralLabel ?? field.reference} whose field equals a field of this record (e.g. contacts of the chosen account).</p>
          <FormField label={`Field of ${target?.label ?? field.reference}`} htmlFor="item-filter-field" error={error("lookupFilter.field") ?? error("lookupFilter")}>
            <NativeSelect id="item-filter-field" value={item.lookupFilter?.field ?? ""}
              onChange={(e) => {
                if (e.target.value === "") return store.updateItem(item.id, { lookupFilter: undefined });
                const equalsField = item.lookupFilter?.equalsField ?? object.fields.find((candidate) => candidate.name !== field.name && isReferenceField(candidate))?.name ?? object.fields[0]!.name;
                store.updateItem(item.id, { lookupFilter: { field: e.target.value, equalsField } });
              }}>
              <option value="">No filter</option>
              {(target?.fields ?? []).map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label}</option>)}
            </NativeSelect>
          </FormField>
          {item.lookupFilter && (
            <FormField label="Equals this record's" htmlFor="item-filter-equals" error={error("lookupFilter.equalsField")}>
              <NativeSelect id="item-filter-equals" value={item.lookupFilter.equalsField}
                onChange={(e) => store.updateItem(item.id, { lookupFilter: { field: item.lookupFilter!.field, equalsField: e.target.value } })}>
                {object.fields.filter((candidate) => candidate.name !== field.name).map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label}</option>)}
              </NativeSelect>
            </FormField>
          )}
        </fieldset>
      )}
    </Panel>
  );
}

/** The right column: the properties of the selected element, or of the form. */
export function FormInspector(props: InspectorProps) {
  const at = props.selection ? locateElement(props.form, props.selection) : undefined;
  let body: ReactNode;
  if (!at) body = <FormPanel {...props} />;
  else if (at.kind === "tab") body = <TabPanel key={at.id} tab={at.tab} props={props} />;
  else if (at.kind === "section") body = <SectionPanel key={at.id} section={at.section} props={props} />;
  else body = <ItemPanel key={at.id} item={at.item} section={at.section} props={props} />;
  return (
    <aside aria-label="Inspector" className="min-h-0 overflow-y-auto border-l border-slate-200 bg-white p-3">
      {at && (
        <button type="button" onClick={() => props.store.select(null)} className="mb-2 text-xs font-medium text-brand-700 hover:underline">
          ← Form settings
        </button>
      )}
      {body}
    </aside>
  );
}
