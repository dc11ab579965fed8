"use client";
import { useQueries } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc";
import { FormField, Input, NativeSelect } from "@/components/ui";
import { ROLLUP_FUNCTIONS, type ObjectDef, type RollupFunction } from "@/spec/object";
import { childObjectsOf, summarizableFields, type FieldForm } from "./field-form";

type ObjectChoice = { name: string; label: string };

const FUNCTION_LABELS: Record<RollupFunction, string> = {
  count: "Count", sum: "Sum", min: "Minimum", max: "Maximum", avg: "Average",
};

/** The roll-up settings of the field dialog: child object, its relationship field, function and field. */
export function RollupSettings({ form, update, objects, currentObject, idFor, err }: {
  form: FieldForm;
  update: (patch: Partial<FieldForm>) => void;
  objects: readonly ObjectChoice[];
  currentObject: ObjectChoice;
  idFor: (key: string) => string;
  err: (key: string) => string | undefined;
}) {
  const trpc = useTRPC();
  const results = useQueries({
    queries: objects.map((object) => ({
      ...trpc.metadata.get.queryOptions({ kind: "object", name: object.name }),
      staleTime: 60_000,
    })),
  });
  const loading = results.some((result) => result.isPending);
  const bodies = results.map((result) => (result.data ? ((result.data.published ?? result.data.draft) as ObjectDef | null) : null));
  const children = childObjectsOf(currentObject.name, bodies);
  const child = children.find((item) => item.name === form.childObject);
  const candidates = child ? summarizableFields(child.fields, form.rollupFunction) : [];

  return (
    <div className="space-y-3">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <FormField label="Child object" htmlFor={idFor("childObject")} required error={err("childObject")}
          help={loading ? "Loading related objects…" : children.length === 0 ? `No object has a lookup to ${currentObject.label} yet.` : "Objects with a lookup or master-detail field to this object."}>
          <NativeSelect id={idFor("childObject")} value={form.childObject} aria-invalid={!!err("childObject")}
            onChange={(e) => {
              const next = children.find((item) => item.name === e.target.value);
              update({ childObject: e.target.value, childField: next?.relationships.length === 1 ? next.relationships[0].name : "", rollupField: "" });
            }}>
            <option value="">Choose an object…</option>
            {children.map((item) => <option key={item.name} value={item.name}>{item.label} ({item.name})</option>)}
            {form.childObject && !child && <option value={form.childObject}>{form.childObject}</option>}
          </NativeSelect>
        </FormField>
        <FormField label="Relationship field" htmlFor={idFor("childField")} required error={err("childField")}
          help="The child's field that points at this record.">
          <NativeSelect id={idFor("childField")} value={form.childField} aria-invalid={!!err("childField")}
            onChange={(e) => update({ childField: e.target.value })}>
            <option value="">Choose a field…</option>
            {child?.relationships.map((field) => <option key={field.id} value={field.name}>{field.label} ({field.name})</option>)}
            {form.childField && !child?.relationships.some((field) => field.name === form.childField) && (
              <option value={form.childField}>{form.childField}</option>
            )}
          </NativeSelect>
        </FormField>
        <FormField label="Summary" htmlFor={idFor("function")} error={err("function")}
          help="Count and sum of no children are 0; minimum, maximum and average are blank.">
          <NativeSelect id={idFor("function")} value={form.rollupFunction}
            onChange={(e) => update({ rollupFunction: e.target.value as RollupFunction })}>
            {ROLLUP_FUNCTIONS.map((fn) => <option key={fn} value={fn}>{FUNCTION_LABELS[fn]}</option>)}
          </NativeSelect>
        </FormField>
        {form.rollupFunction !== "count" && (
          <FormField label="Field to summarize" htmlFor={idFor("field")} required error={err("field")}
            help={form.rollupFunction === "sum" || form.rollupFunction === "avg" ? "A number field of the child." : "A number or date field of the child."}>
            <NativeSelect id={idFor("field")} value={form.rollupField} aria-invalid={!!err("field")}
              onChange={(e) => update({ rollupField: e.target.value })}>
              <option value="">Choose a field…</option>
              {candidates.map((field) => <option key={field.id} value={field.name}>{field.label} ({field.name})</option>)}
              {form.rollupField && !candidates.some((field) => field.name === form.rollupField) && (
                <option value={form.rollupField}>{form.rollupField}</option>
              )}
            </NativeSelect>
          </FormField>
        )}
        <FormField label="Decimal places" htmlFor={idFor("scale")} error={err("scale")} help="Default 2.">
          <Input id={idFor("scale")} type="number" min={0} max={10} value={form.scale} placeholder="2" aria-invalid={!!err("scale")}
            onChange={(e) => update({ scale: e.target.value })} />
        </FormField>
      </div>
      {form.rollupFilter !== undefined && (
        <p className="text-xs text-slate-500">This roll-up has a filter on the child records; it is kept as is.</p>
      )}
    </div>
  );
}
