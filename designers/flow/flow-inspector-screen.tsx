"use client";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui";
import type { FlowDef, FlowElement, ScreenField } from "@/spec/flow";
import type { ObjectDef } from "@/spec/object";
import type { FlowFormulaContext } from "./flow-formula";
import { FormulaInput, MoveButtons, RemoveButton, Select, TextInput, flowVariables } from "./flow-inspector-fields";

/**
 * The screen element's inspector form: the text above the fields (merge fields), the fields
 * (each a variable, or a field of a record variable, with its label, required flag and help),
 * Back allowed, and the label of the button that goes on.
 */

type Screen = Extract<FlowElement, { type: "screen" }>;

/** What a screen field may fill: scalar and record variables, and the enterable fields of record variables. */
export function screenTargetOptions(flow: FlowDef, objects: ReadonlyMap<string, ObjectDef>): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  for (const variable of flowVariables(flow)) {
    if (variable.type === "records") continue;
    out.push({ value: variable.name, label: `${variable.name} (${variable.type}${variable.object ? ` of ${variable.object}` : ""})` });
    if (variable.type !== "record") continue;
    for (const field of objects.get(variable.object!)?.fields ?? []) {
      if (field.type === "autonumber" || field.type === "formula" || field.type === "rollup") continue;
      out.push({ value: `${variable.name}.${field.name}`, label: `${variable.name}.${field.name} (${field.label})` });
    }
  }
  return out;
}

export function ScreenForm({ element, flow, objects, context, at, patch }: {
  element: Screen;
  flow: FlowDef;
  objects: ReadonlyMap<string, ObjectDef>;
  context: FlowFormulaContext;
  at: (property: string) => string | undefined;
  patch: (value: Partial<Screen>, key?: string) => void;
}) {
  const options = screenTargetOptions(flow, objects);
  const setField = (index: number, value: Partial<ScreenField>, key?: string) =>
    patch({ fields: element.fields.map((field, i) => (i === index ? { ...field, ...value } : field)) }, key ? `${key}.${index}` : undefined);
  return (
    <>
      {flow.start.type !== "screen" && <p role="alert" className="text-xs text-red-700">Only screen flows show screens: set the start to “Screen”.</p>}
      <FormulaInput label="Text" template value={element.text} onChange={(text) => patch({ text }, "text")} context={context} issue={at("text")}
        help="Shown above the fields; {!variable.field} merge fields are filled in." />
      {element.fields.map((field, index) => (
        <div key={index} className="space-y-1.5 rounded-md border border-slate-200 p-2" data-testid="screen-field-row">
          <div className="flex items-end gap-1.5">
            <div className="flex-1">
              <Select label={`Field ${index + 1}`} value={field.target} onChange={(target) => setField(index, { target })} options={options} problem={at(`fields.${index}.target`)} />
            </div>
            <MoveButtons index={index} count={element.fields.length} what="field"
              onMove={(from, to) => { const fields = [...element.fields]; const [moved] = fields.splice(from, 1); fields.splice(to, 0, moved!); patch({ fields }); }} />
            <RemoveButton label={`Remove field ${index + 1}`} onClick={() => patch({ fields: element.fields.filter((_, i) => i !== index) })} />
          </div>
          <TextInput label={`Label ${index + 1}`} value={field.label ?? ""} onChange={(label) => setField(index, { label: label === "" ? undefined : label }, "label")} problem={at(`fields.${index}.label`)} />
          <TextInput label={`Help ${index + 1}`} value={field.help ?? ""} onChange={(help) => setField(index, { help: help === "" ? undefined : help }, "help")} />
          <label className="flex items-center gap-2 text-xs text-slate-700">
            <input type="checkbox" checked={field.required} onChange={(event) => setField(index, { required: event.target.checked })} /> Required
          </label>
        </div>
      ))}
      <Button size="sm" variant="ghost" onClick={() => patch({ fields: [...element.fields, { target: options[0]?.value ?? "", required: false }] })}>
        <Plus className="h-3.5 w-3.5" aria-hidden /> Add field
      </Button>
      <label className="flex items-center gap-2 text-xs text-slate-700">
        <input type="checkbox" checked={element.allowBack} onChange={(event) => patch({ allowBack: event.target.checked })} /> Allow Back (records written since are kept)
      </label>
      <TextInput label="Next button" value={element.nextLabel ?? ""} onChange={(nextLabel) => patch({ nextLabel: nextLabel === "" ? undefined : nextLabel }, "nextLabel")}
        problem={at("nextLabel")} help="Default: Next, or Finish where the flow ends after this screen." />
    </>
  );
}
