"use client";
import { Plus } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui";
import { Input, NativeSelect, Textarea } from "@/components/ui/input";
import { valueTypeOfField } from "@/formula/type-checker";
import type { ValueType } from "@/formula/ast";
import {
  ASSIGNMENT_OPERATORS, FLOW_START_ID, FLOW_VARIABLE_TYPES, RECORD_TRIGGER_EVENTS, type FlowDef, type FlowElement, type FlowStart, type FlowVariable,
} from "@/spec/flow";
import type { ObjectDef } from "@/spec/object";
import { cronProblem, isTimeZone, nextCronTimes } from "@/spec/cron";
import type { Filter } from "@/spec/query";
import type { FlowDesignerStore } from "./flow-designer-store";
import { ELEMENT_TYPE_INFO } from "./flow-elements";
import type { FlowFormulaContext } from "./flow-formula";
import {
  FieldValuesEditor, FlowFilterEditor, FormulaInput, MoveButtons, RemoveButton, Row, Select, TextInput, flowVariables, objectOptions, variableOptions,
} from "./flow-inspector-fields";
import { issuesOn, type PlacedFlowIssue } from "./flow-issues";
import { HttpCalloutForm, ScriptForm, SendEmailForm } from "./flow-inspector-outside";
import { WaitForm } from "./flow-inspector-wait";
import { ScreenForm } from "./flow-inspector-screen";

export type InspectorProps = {
  flow: FlowDef;
  store: FlowDesignerStore;
  objects: ReadonlyMap<string, ObjectDef>;
  /** Published autolaunched flows (subflows), by name. */
  subflows: ReadonlyMap<string, FlowDef>;
  context: FlowFormulaContext;
  issues: PlacedFlowIssue[];
  /** Selects a node (the inspector follows an element it renamed). */
  onSelect: (id: string | null) => void;
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-2.5 border-b border-slate-200 px-4 py-3">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  );
}

/** Problems of a node that no control shows (its edges, reachability): listed at the top. */
function NodeProblems({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul role="alert" aria-label="Problems" className="mx-4 mt-3 space-y-1 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-700">
      {messages.map((message, index) => <li key={index}>{message}</li>)}
    </ul>
  );
}

/** Type-specific value type of an assignment target (`var` or `var.field`), for the formula check. */
function targetType(flow: FlowDef, objects: ReadonlyMap<string, ObjectDef>, target: string): ValueType | undefined {
  const [name, field] = target.split(".");
  const variable = flowVariables(flow).find((candidate) => candidate.name === name);
  if (!variable) return undefined;
  if (field) {
    const def = variable.object ? objects.get(variable.object)?.fields.find((candidate) => candidate.name === field) : undefined;
    return def ? (valueTypeOfField(def) ?? undefined) : undefined;
  }
  return variable.type === "record" || variable.type === "records" ? undefined : (variable.type as ValueType);
}

/** What an assignment may target: scalar variables, collections, and `record.field` of record variables. */
function assignmentTargets(flow: FlowDef, objects: ReadonlyMap<string, ObjectDef>): string[] {
  const out: string[] = [];
  for (const option of variableOptions(flow, ["text", "number", "boolean", "date", "datetime", "record", "records"])) {
    out.push(option.value);
    const variable = flowVariables(flow).find((candidate) => candidate.name === option.value);
    if (variable?.type === "record" && variable.object) for (const field of objects.get(variable.object)?.fields ?? []) out.push(`${option.value}.${field.name}`);
  }
  return out;
}

function ElementInspector({ element, ...props }: InspectorProps & { element: FlowElement }) {
  const { flow, store, objects, subflows, context, issues } = props;
  const id = element.id;
  const at = (property: string) => issuesOn(issues, id, property)[0];
  const update = (change: (element: FlowElement) => FlowElement, key?: string) => store.updateElement(id, change, key ? { coalesceKey: `${id}:${key}` } : undefined);
  // Narrowing helper: edits keep the element's type.
  function patch<T extends FlowElement>(value: Partial<T>, key?: string) {
    update((current) => ({ ...current, ...value }) as FlowElement, key);
  }
  // The inspector is keyed by the element's id, so a rename starts it afresh.
  const [draftId, setDraftId] = useState(id);
  const idField = useId();
  const idTaken = draftId !== id && (draftId === FLOW_START_ID || flow.elements.some((other) => other.id === draftId));
  const idValid = /^[a-z][a-z0-9_]{0,62}$/.test(draftId);
  const general = issues.filter((issue) => issue.node === id && (issue.property === "" || issue.property === "type" || issue.property.startsWith("edges."))).map((issue) => issue.message);

  let body: ReactNode = null;
  switch (element.type) {
    case "assignment": {
      const targets = assignmentTargets(flow, objects);
      body = (
        <Section title="Assignments">
          <datalist id={`${id}-targets`}>{targets.map((target) => <option key={target} value={target} />)}</datalist>
          {element.assignments.map((assignment, index) => {
            const set = (value: Partial<typeof assignment>, key?: string) =>
              patch<typeof element>({ assignments: element.assignments.map((other, i) => (i === index ? { ...other, ...value } : other)) }, key ? `${key}.${index}` : undefined);
            const expected = targetType(flow, objects, assignment.target);
            const recordValue = assignment.operator === "add_record" || (!assignment.target.includes(".") && expected === undefined && assignment.operator === "set" && assignment.target !== "");
            return (
              <div key={index} className="space-y-1.5 rounded-md border border-slate-200 p-2" data-testid="assignment-row">
                <div className="flex items-end gap-1.5">
                  <div className="flex-1">
                    <Row label={`Variable ${index + 1}`} htmlFor={`${id}-target-${index}`} problem={at(`assignments.${index}.target`)}>
                      <Input id={`${id}-target-${index}`} list={`${id}-targets`} value={assignment.target} className="h-8! py-1! font-mono text-sm"
                        onChange={(event) => set({ target: event.target.value }, "target")} />
                    </Row>
                  </div>
                  <RemoveButton label={`Remove assignment ${index + 1}`} onClick={() => patch<typeof element>({ assignments: element.assignments.filter((_, i) => i !== index) })} />
                </div>
                <Select label={`Operator ${index + 1}`} value={assignment.operator} placeholder={null} onChange={(value) => set({ operator: value as typeof assignment.operator })}
                  problem={at(`assignments.${index}.operator`)}
                  options={ASSIGNMENT_OPERATORS.map((operator) => ({ value: operator, label: { set: "equals", add: "add", subtract: "subtract", add_record: "add record", clear: "clear" }[operator] }))} />
                {assignment.operator === "clear" ? null : recordValue ? (
                  <Select label={`Value ${index + 1}`} value={assignment.value} onChange={(value) => set({ value })} problem={at(`assignments.${index}.value`)}
                    options={variableOptions(flow, ["record", "records"])} />
                ) : (
                  <FormulaInput label={`Value ${index + 1}`} value={assignment.value} context={context} issue={at(`assignments.${index}.value`)}
                    expected={expected === "date" && assignment.operator !== "set" ? "number" : expected} onChange={(value) => set({ value }, "value")} />
                )}
              </div>
            );
          })}
          <Button size="sm" variant="ghost" onClick={() => patch<typeof element>({ assignments: [...element.assignments, { target: "", operator: "set", value: "" }] })}>
            <Plus className="h-3.5 w-3.5" aria-hidden /> Add assignment
          </Button>
        </Section>
      );
      break;
    }
    case "decision":
      body = (
        <Section title="Outcomes">
          {element.outcomes.map((outcome, index) => {
            const set = (value: Partial<typeof outcome>, key?: string) =>
              patch<typeof element>({ outcomes: element.outcomes.map((other, i) => (i === index ? { ...other, ...value } : other)) }, key ? `${key}.${index}` : undefined);
            return (
              <div key={index} className="space-y-1.5 rounded-md border border-slate-200 p-2" data-testid="outcome-row">
                <div className="flex items-end gap-1">
                  <div className="flex-1">
                    <TextInput label={`Outcome ${index + 1} label`} value={outcome.label} onChange={(label) => set({ label }, "label")} problem={at(`outcomes.${index}.label`)} />
                  </div>
                  <MoveButtons index={index} count={element.outcomes.length} what={`outcome ${outcome.label}`}
                    onMove={(from, to) => { const next = element.outcomes.slice(); const [moved] = next.splice(from, 1); next.splice(to, 0, moved!); patch<typeof element>({ outcomes: next }); }} />
                  <RemoveButton label={`Remove outcome ${index + 1}`} onClick={() => element.outcomes.length > 1 && patch<typeof element>({ outcomes: element.outcomes.filter((_, i) => i !== index) })} />
                </div>
                <OutcomeId key={outcome.id} store={store} element={element.id} outcome={outcome.id} problem={at(`outcomes.${index}.id`)} />
                <FormulaInput label={`Outcome ${index + 1} condition`} value={outcome.condition} context={context} expected="boolean"
                  issue={at(`outcomes.${index}.condition`)} onChange={(condition) => set({ condition }, "condition")} />
              </div>
            );
          })}
          <Button size="sm" variant="ghost" onClick={() => {
            let n = element.outcomes.length + 1;
            while (element.outcomes.some((outcome) => outcome.id === `outcome_${n}`)) n++;
            patch<typeof element>({ outcomes: [...element.outcomes, { id: `outcome_${n}`, label: `Outcome ${n}`, condition: "" }] });
          }}>
            <Plus className="h-3.5 w-3.5" aria-hidden /> Add outcome
          </Button>
          <TextInput label="Default outcome label" value={element.defaultLabel} onChange={(defaultLabel) => patch<typeof element>({ defaultLabel }, "defaultLabel")} problem={at("defaultLabel")} />
        </Section>
      );
      break;
    case "loop":
      body = (
        <Section title="Loop">
          <Select label="Collection" value={element.collection} onChange={(collection) => patch<typeof element>({ collection })} options={variableOptions(flow, ["records"])} problem={at("collection")} />
          <Select label="Current item" value={element.item} onChange={(item) => patch<typeof element>({ item })} problem={at("item")}
            options={variableOptions(flow, ["record"], flow.variables.find((variable) => variable.name === element.collection)?.object)} />
        </Section>
      );
      break;
    case "get_records": {
      const object = objects.get(element.object);
      body = (
        <Section title="Get records">
          <Select label="Object" value={element.object} onChange={(value) => patch<typeof element>({ object: value, filter: undefined, sort: [] })} options={objectOptions(objects)} problem={at("object")} />
          <FilterBlock object={object} value={element.filter} onChange={(filter) => patch<typeof element>({ filter })} issues={issues} node={id} />
          <SortEditor object={object} sort={element.sort} onChange={(sort) => patch<typeof element>({ sort })} problem={at("sort")} />
          <LimitInput value={element.limit} onChange={(limit) => patch<typeof element>({ limit })} problem={at("limit")} />
          <Select label="Store in" value={element.into} onChange={(into) => patch<typeof element>({ into })} problem={at("into")}
            options={variableOptions(flow, ["record", "records"], element.object || undefined)} />
        </Section>
      );
      break;
    }
    case "create_record":
      body = (
        <Section title="Create record">
          <Select label="Object" value={element.object} onChange={(value) => patch<typeof element>({ object: value, values: [] })} options={objectOptions(objects)} problem={at("object")} />
          {issues.filter((issue) => issue.node === id && issue.property === "values").map((issue, index) => <p key={index} role="alert" className="text-xs text-red-600">{issue.message}</p>)}
          <FieldValuesEditor object={objects.get(element.object)} values={element.values} context={context} issueAt={(property) => at(`values.${property}`)}
            onChange={(values) => patch<typeof element>({ values })} />
          <Select label="Store the new record in" value={element.into ?? ""} placeholder="Nowhere" onChange={(into) => patch<typeof element>({ into: into || undefined })}
            options={variableOptions(flow, ["record"], element.object || undefined)} problem={at("into")} />
        </Section>
      );
      break;
    case "update_records":
    case "delete_records": {
      const byRecord = element.record !== undefined;
      const recordVariable = byRecord ? variableOptions(flow, ["record"]).find((option) => option.value === element.record) : undefined;
      const objectName = byRecord
        ? flowVariables(flow).find((variable) => variable.name === element.record)?.object
        : element.object;
      const object = objectName ? objects.get(objectName) : undefined;
      body = (
        <Section title={ELEMENT_TYPE_INFO[element.type].label}>
          <div role="radiogroup" aria-label="Which records" className="flex gap-3 text-sm">
            <label className="flex items-center gap-1.5"><input type="radio" checked={byRecord} onChange={() => update((current) => ({ ...current, record: "", object: undefined, filter: undefined }) as FlowElement)} /> A record variable</label>
            <label className="flex items-center gap-1.5"><input type="radio" checked={!byRecord} onChange={() => update((current) => ({ ...current, record: undefined, object: "" }) as FlowElement)} /> Records matching a filter</label>
          </div>
          {byRecord ? (
            <Select label="Record" value={element.record ?? ""} onChange={(record) => patch<typeof element>({ record })} options={variableOptions(flow, ["record"])} problem={at("record")} />
          ) : (
            <>
              <Select label="Object" value={element.object ?? ""} onChange={(value) => patch<typeof element>({ object: value, filter: undefined })} options={objectOptions(objects)} problem={at("object") ?? at("record")} />
              <FilterBlock object={object} value={element.filter} onChange={(filter) => patch<typeof element>({ filter })} issues={issues} node={id} />
            </>
          )}
          {element.type === "update_records" && (
            <FieldValuesEditor object={object} values={element.values} context={context} issueAt={(property) => at(`values.${property}`)}
              onChange={(values) => patch<typeof element>({ values })} />
          )}
          {byRecord && !recordVariable && element.record && <p className="text-xs text-amber-700">&lsquo;{element.record}&rsquo; is not a record variable.</p>}
        </Section>
      );
      break;
    }
    case "subflow": {
      const called = subflows.get(element.flow);
      const inputs = called?.variables.filter((variable) => variable.input) ?? [];
      const outputs = called?.variables.filter((variable) => variable.output) ?? [];
      body = (
        <Section title="Subflow">
          <Select label="Flow" value={element.flow} onChange={(value) => patch<typeof element>({ flow: value, inputs: [], outputs: [] })} problem={at("flow")}
            options={[...subflows.values()].filter((other) => other.name !== flow.name).map((other) => ({ value: other.name, label: `${other.label} (${other.name})` }))} />
          {called && (
            <>
              <p className="text-xs font-medium text-slate-600">Inputs</p>
              {inputs.length === 0 && <p className="text-xs text-slate-500">{called.label} takes no inputs.</p>}
              {inputs.map((variable) => {
                const index = element.inputs.findIndex((input) => input.name === variable.name);
                const value = index >= 0 ? element.inputs[index]!.value : "";
                const set = (next: string) => patch<typeof element>({
                  inputs: next === "" ? element.inputs.filter((input) => input.name !== variable.name)
                    : index >= 0 ? element.inputs.map((input, i) => (i === index ? { ...input, value: next } : input)) : [...element.inputs, { name: variable.name, value: next }],
                }, `input.${variable.name}`);
                return variable.type === "record" || variable.type === "records" ? (
                  <Select key={variable.name} label={`Input ${variable.name}`} value={value} placeholder="Not set" onChange={set} options={variableOptions(flow, [variable.type], variable.object)}
                    problem={index >= 0 ? at(`inputs.${index}`) : undefined} />
                ) : (
                  <FormulaInput key={variable.name} label={`Input ${variable.name}`} value={value} onChange={set} context={context} expected={variable.type as ValueType}
                    issue={index >= 0 ? at(`inputs.${index}`) : undefined} />
                );
              })}
              <p className="text-xs font-medium text-slate-600">Outputs</p>
              {outputs.length === 0 && <p className="text-xs text-slate-500">{called.label} returns nothing.</p>}
              {outputs.map((variable) => {
                const index = element.outputs.findIndex((output) => output.name === variable.name);
                return (
                  <Select key={variable.name} label={`Output ${variable.name} into`} value={index >= 0 ? element.outputs[index]!.into : ""} placeholder="Not kept"
                    problem={index >= 0 ? at(`outputs.${index}`) : undefined} options={variableOptions(flow, [variable.type], variable.object)}
                    onChange={(into) => patch<typeof element>({
                      outputs: into === "" ? element.outputs.filter((output) => output.name !== variable.name)
                        : index >= 0 ? element.outputs.map((output, i) => (i === index ? { ...output, into } : output)) : [...element.outputs, { name: variable.name, into }],
                    })} />
                );
              })}
            </>
          )}
        </Section>
      );
      break;
    }
    case "http_callout":
      body = <Section title="HTTP callout"><HttpCalloutForm element={element} flow={flow} context={context} at={at} patch={(value, key) => patch<typeof element>(value, key)} /></Section>;
      break;
    case "script":
      body = <Section title="Script"><ScriptForm element={element} flow={flow} context={context} at={at} patch={(value, key) => patch<typeof element>(value, key)} /></Section>;
      break;
    case "send_email":
      body = <Section title="Send email"><SendEmailForm element={element} flow={flow} context={context} at={at} patch={(value, key) => patch<typeof element>(value, key)} /></Section>;
      break;
    case "wait":
      body = <Section title="Wait"><WaitForm element={element} flow={flow} context={context} at={at} patch={(value, key) => patch<typeof element>(value, key)} /></Section>;
      break;
    case "screen":
      body = <Section title="Screen"><ScreenForm element={element} flow={flow} objects={objects} context={context} at={at} patch={(value, key) => patch<typeof element>(value, key)} /></Section>;
      break;
    case "custom_error":
      body = (
        <Section title="Custom error">
          <FormulaInput label="Message" template value={element.message} onChange={(message) => patch<typeof element>({ message }, "message")} context={context}
            issue={at("message")} help="Text; {!variable.field} merge fields are filled in." />
        </Section>
      );
      break;
  }
  return (
    <div data-testid="element-inspector">
      <div className="border-b border-slate-200 px-4 py-3">
        <p className="text-[11px] font-semibold uppercase tracking-wide" style={{ color: ELEMENT_TYPE_INFO[element.type].color }}>{ELEMENT_TYPE_INFO[element.type].label}</p>
      </div>
      <NodeProblems messages={general} />
      <Section title="Element">
        <TextInput label="Label" value={element.label} onChange={(label) => patch({ label }, "label")} problem={at("label")} />
        <Row label="API name" htmlFor={idField} problem={idTaken ? `'${draftId}' is already an element` : !idValid ? "lowercase letters, digits and underscores, starting with a letter" : at("id")}>
          <Input id={idField} value={draftId} className="h-8! py-1! font-mono text-sm" onChange={(event) => setDraftId(event.target.value)}
            onBlur={() => { if (idValid && !idTaken && draftId !== id && store.renameElement(id, draftId)) props.onSelect(draftId); else setDraftId(id); }} />
        </Row>
      </Section>
      {body}
    </div>
  );
}

function OutcomeId({ store, element, outcome, problem }: { store: FlowDesignerStore; element: string; outcome: string; problem?: string }) {
  // Keyed by the outcome's id: a rename starts it afresh.
  const [draft, setDraft] = useState(outcome);
  const id = useId();
  return (
    <Row label="Outcome API name" htmlFor={id} problem={problem}>
      <Input id={id} value={draft} className="h-8! py-1! font-mono text-sm" onChange={(event) => setDraft(event.target.value)}
        onBlur={() => { if (!/^[a-z][a-z0-9_]{0,62}$/.test(draft) || !store.renameOutcome(element, outcome, draft)) setDraft(outcome); }} />
    </Row>
  );
}

function FilterBlock({ object, value, onChange, issues, node }: { object: ObjectDef | undefined; value: Filter | undefined; onChange: (filter: Filter | undefined) => void; issues: PlacedFlowIssue[]; node: string }) {
  const filterIssues = Object.fromEntries(
    issues.filter((issue) => issue.node === node && (issue.property === "filter" || issue.property.startsWith("filter."))).map((issue) => [issue.property.slice("filter.".length), issue.message]),
  );
  return (
    <div className="space-y-1">
      <p className="text-xs font-medium text-slate-600">Filter</p>
      <FlowFilterEditor key={object?.name ?? ""} object={object} value={value} onChange={onChange} issues={filterIssues} />
    </div>
  );
}

function SortEditor({ object, sort, onChange, problem }: { object: ObjectDef | undefined; sort: { field: string; direction: "asc" | "desc" }[]; onChange: (sort: { field: string; direction: "asc" | "desc" }[]) => void; problem?: string }) {
  if (!object) return null;
  const fields = [...object.fields.map((field) => ({ value: field.name, label: field.label })), { value: "created_at", label: "Created at" }, { value: "updated_at", label: "Updated at" }];
  return (
    <div className="space-y-1.5">
      <p className="text-xs font-medium text-slate-600">Sort</p>
      {sort.map((order, index) => (
        <div key={index} className="flex items-center gap-1.5">
          <NativeSelect aria-label={`Sort field ${index + 1}`} value={order.field} className="h-8! text-sm" onChange={(event) => onChange(sort.map((other, i) => (i === index ? { ...other, field: event.target.value } : other)))}>
            {fields.map((field) => <option key={field.value} value={field.value}>{field.label}</option>)}
          </NativeSelect>
          <NativeSelect aria-label={`Sort direction ${index + 1}`} value={order.direction} className="h-8! w-28 text-sm" onChange={(event) => onChange(sort.map((other, i) => (i === index ? { ...other, direction: event.target.value as "asc" | "desc" } : other)))}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </NativeSelect>
          <RemoveButton label={`Remove sort ${index + 1}`} onClick={() => onChange(sort.filter((_, i) => i !== index))} />
        </div>
      ))}
      {problem && <p role="alert" className="text-xs text-red-600">{problem}</p>}
      {sort.length < 5 && (
        <Button size="sm" variant="ghost" onClick={() => onChange([...sort, { field: fields[0]!.value, direction: "asc" }])}><Plus className="h-3.5 w-3.5" aria-hidden /> Add sort</Button>
      )}
    </div>
  );
}

function LimitInput({ value, onChange, problem }: { value: number | undefined; onChange: (value: number | undefined) => void; problem?: string }) {
  const id = useId();
  return (
    <Row label="At most (records)" htmlFor={id} problem={problem} help="Empty: up to 10,000">
      <Input id={id} type="number" min={1} max={10_000} value={value ?? ""} className="h-8! text-sm"
        onChange={(event) => { const n = Number(event.target.value); onChange(event.target.value === "" || !Number.isInteger(n) || n < 1 ? undefined : Math.min(n, 10_000)); }} />
    </Row>
  );
}

function StartInspector({ flow, store, objects, context, issues }: InspectorProps) {
  const start = flow.start;
  const at = (property: string) => issuesOn(issues, FLOW_START_ID, property)[0];
  const general = issuesOn(issues, FLOW_START_ID, "").concat(issues.filter((issue) => issue.node === FLOW_START_ID && issue.property.startsWith("edges.")).map((issue) => issue.message));
  const firstObject = [...objects.keys()][0] ?? "";
  const set = (next: FlowStart, key?: string) => store.setStart(next, key ? { coalesceKey: `start:${key}` } : undefined);
  return (
    <div data-testid="start-inspector">
      <div className="border-b border-slate-200 px-4 py-3"><p className="text-[11px] font-semibold uppercase tracking-wide text-emerald-700">Start</p></div>
      <NodeProblems messages={[...new Set(general)]} />
      <Section title="How the flow starts">
        <Select label="Start" value={start.type} placeholder={null} onChange={(type) => set(type === "record"
          ? { type: "record", position: start.position, object: firstObject, when: "after_save", on: "create", order: 100, recursionDepth: 0 }
          : type === "scheduled"
            ? { type: "scheduled", position: start.position, cron: "0 8 * * 1-5", timezone: browserTimeZone() }
            : type === "screen"
              ? { type: "screen", position: start.position }
              : { type: "autolaunched", position: start.position })}
          options={[{ value: "record", label: "When a record is saved" }, { value: "scheduled", label: "On a schedule" }, { value: "autolaunched", label: "Autolaunched (API, another flow)" }, { value: "screen", label: "Screen (a user runs it in an app)" }]} />
        {start.type === "screen" && (
          <Select label="On a record of" value={start.object ?? ""} placeholder="No record: a tab in the app's navigation"
            onChange={(object) => set(object ? { ...start, object } : { type: "screen", position: start.position })} options={objectOptions(objects)} problem={at("object")} />
        )}
        {start.type === "scheduled" && <ScheduleFields start={start} set={set} objects={objects} issues={issues} at={at} />}
        {start.type === "record" && (
          <>
            <Select label="Object" value={start.object} onChange={(object) => set({ ...start, object })} options={objectOptions(objects)} problem={at("object")} />
            <Select label="When" value={start.when} placeholder={null} onChange={(when) => set({ ...start, when: when as typeof start.when })} problem={at("when")}
              options={[{ value: "after_save", label: "After save (after commit)" }, { value: "before_save", label: "Before save (may change the record)" }]} />
            <Select label="On" value={start.on} placeholder={null} onChange={(on) => set({ ...start, on: on as typeof start.on })} problem={at("on")}
              options={RECORD_TRIGGER_EVENTS.map((event) => ({ value: event, label: { create: "Create", update: "Update", create_or_update: "Create or update", delete: "Delete" }[event] }))} />
            <FormulaInput label="Entry condition" value={start.condition ?? ""} context={context} expected="boolean" issue={at("condition")}
              help="Optional; ISCHANGED(record.f), PRIORVALUE(record.f) and ISNEW() say what the save changes"
              onChange={(condition) => set(condition.trim() === "" ? (({ condition: _, ...rest }) => rest)(start) as FlowStart : { ...start, condition }, "condition")} />
            <NumberInput label="Order" value={start.order} min={0} max={10_000} onChange={(order) => set({ ...start, order }, "order")} problem={at("order")} help="Flows on the same object and moment run in this order" />
            <NumberInput label="Recursion depth" value={start.recursionDepth} min={0} max={10} onChange={(recursionDepth) => set({ ...start, recursionDepth }, "recursionDepth")}
              problem={at("recursionDepth")} help="How often its own writes may fire it again" />
          </>
        )}
      </Section>
    </div>
  );
}

/** The browser's time zone, the natural default for a new schedule. */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** A scheduled start: cron, time zone, the next times it fires, and optionally the records each run takes. */
function ScheduleFields({ start, set, objects, issues, at }: {
  start: Extract<FlowStart, { type: "scheduled" }>; set: (next: FlowStart, key?: string) => void; objects: ReadonlyMap<string, ObjectDef>;
  issues: PlacedFlowIssue[]; at: (property: string) => string | undefined;
}) {
  const cronIssue = cronProblem(start.cron);
  const zoneOk = isTimeZone(start.timezone);
  const upcoming = !cronIssue && zoneOk ? nextCronTimes(start.cron, start.timezone, new Date(), 3) : [];
  const shown = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: zoneOk ? start.timezone : "UTC" });
  return (
    <>
      <TextInput label="Schedule (cron)" value={start.cron} onChange={(cron) => set({ ...start, cron }, "cron")}
        problem={at("cron") ?? (cronIssue ? `Schedule ${cronIssue}` : undefined)} help="minute hour day-of-month month day-of-week: 0 8 * * 1-5 is 8:00 on weekdays" />
      <TextInput label="Time zone" value={start.timezone} onChange={(timezone) => set({ ...start, timezone }, "timezone")}
        problem={at("timezone") ?? (zoneOk ? undefined : "not a time zone: use an IANA name such as UTC or Europe/Berlin")} />
      {upcoming.length > 0 && (
        <p className="text-xs text-slate-500" data-testid="schedule-next">Next: {upcoming.map((time) => shown.format(time)).join("; ")}</p>
      )}
      <Select label="For each record of" value={start.object ?? ""} placeholder="No object: one run each time"
        onChange={(object) => set(object ? { ...start, object, filter: undefined } : (({ object: _o, filter: _f, ...rest }) => rest)(start))} options={objectOptions(objects)} problem={at("object")} />
      {start.object && (
        <FilterBlock node={FLOW_START_ID} object={objects.get(start.object)} value={start.filter} issues={issues}
          onChange={(filter) => set(filter ? { ...start, filter } : (({ filter: _f, ...rest }) => rest)(start), "filter")} />
      )}
    </>
  );
}

function NumberInput({ label, value, min, max, onChange, problem, help }: { label: string; value: number; min: number; max: number; onChange: (value: number) => void; problem?: string; help?: string }) {
  const id = useId();
  return (
    <Row label={label} htmlFor={id} problem={problem} help={help}>
      <Input id={id} type="number" min={min} max={max} value={value} className="h-8! text-sm"
        onChange={(event) => { const n = Number(event.target.value); if (event.target.value !== "" && Number.isInteger(n)) onChange(Math.max(min, Math.min(max, n))); }} />
    </Row>
  );
}

/** The flow's own settings (nothing selected). */
export function FlowSettings({ flow, store, issues }: InspectorProps) {
  const descriptionId = useId();
  const at = (property: string) => issuesOn(issues, null, property)[0];
  const general = issues.filter((issue) => issue.node === null && !["label", "description", "runAs"].includes(issue.property)).map((issue) => issue.message);
  return (
    <div data-testid="flow-settings">
      <NodeProblems messages={general} />
      <Section title="Flow">
        <TextInput label="Flow label" value={flow.label} onChange={(label) => store.setProps({ label }, { coalesceKey: "label" })} problem={at("label")} />
        <Row label="Description" htmlFor={descriptionId}>
          <Textarea id={descriptionId} rows={2} value={flow.description ?? ""} className="text-sm"
            onChange={(event) => store.setProps({ description: event.target.value === "" ? undefined : event.target.value }, { coalesceKey: "description" })} />
        </Row>
        <Select label="Run as" value={flow.runAs} placeholder={null} onChange={(runAs) => store.setProps({ runAs: runAs as FlowDef["runAs"] })} problem={at("runAs")}
          options={[{ value: "user", label: "The user who starts it (their record security)" }, { value: "system", label: "System context (no record security; admins only)" }]} />
      </Section>
      <p className="px-4 py-3 text-xs text-slate-500">Select the start or an element on the canvas to edit it.</p>
    </div>
  );
}

/** The flow's variables: name, type, object, input/output, default. */
export function VariablesPanel({ flow, store, objects, issues }: InspectorProps) {
  const at = (property: string) => issuesOn(issues, "variables", property)[0];
  function add() {
    let n = flow.variables.length + 1;
    while (flow.variables.some((variable) => variable.name === `variable_${n}`)) n++;
    store.addVariable({ name: `variable_${n}`, type: "text", input: false, output: false });
  }
  return (
    <div data-testid="variables-panel" className="space-y-2 px-4 py-3">
      {flow.start.type === "record" && (
        <p className="text-xs text-slate-500"><span className="font-mono">record</span> is the {flow.start.object} being saved; <span className="font-mono">record_prior</span> it before the save.</p>
      )}
      {flow.start.type === "scheduled" && flow.start.object && (
        <p className="text-xs text-slate-500"><span className="font-mono">record</span> is the {flow.start.object} record each scheduled run is for.</p>
      )}
      {flow.variables.map((variable, index) => (
        <VariableRow key={index} index={index} variable={variable} objects={objects} problem={(property) => at(`${index}.${property}`) ?? (property === "name" ? at(String(index)) : undefined)}
          onChange={(next, key) => store.updateVariable(index, next, key ? { coalesceKey: `variable:${index}:${key}` } : undefined)} onRemove={() => store.removeVariable(index)} />
      ))}
      <Button size="sm" variant="ghost" onClick={add}><Plus className="h-3.5 w-3.5" aria-hidden /> Add variable</Button>
    </div>
  );
}

function VariableRow({ index, variable, objects, problem, onChange, onRemove }: {
  index: number;
  variable: FlowVariable;
  objects: ReadonlyMap<string, ObjectDef>;
  problem: (property: string) => string | undefined;
  onChange: (variable: FlowVariable, key?: string) => void;
  onRemove: () => void;
}) {
  const recordish = variable.type === "record" || variable.type === "records";
  const defaultId = useId();
  function setType(type: FlowVariable["type"]) {
    const next: FlowVariable = { name: variable.name, type, input: variable.input, output: variable.output };
    if (type === "record" || type === "records") next.object = variable.object ?? [...objects.keys()][0] ?? "";
    onChange(next);
  }
  function setDefault(text: string) {
    const { default: _, ...rest } = variable;
    if (text === "") return onChange(rest, "default");
    const value = variable.type === "number" ? Number(text) : variable.type === "boolean" ? text === "true" : text;
    if (typeof value === "number" && !Number.isFinite(value)) return;
    onChange({ ...rest, default: value }, "default");
  }
  return (
    <div className="space-y-1.5 rounded-md border border-slate-200 p-2" data-testid="variable-row">
      <div className="flex items-end gap-1.5">
        <div className="flex-1">
          <TextInput label={`Variable ${index + 1} name`} mono value={variable.name} onChange={(name) => onChange({ ...variable, name }, "name")} problem={problem("name")} />
        </div>
        <RemoveButton label={`Remove variable ${variable.name}`} onClick={onRemove} />
      </div>
      <div className="grid grid-cols-2 gap-1.5">
        <Select label="Type" value={variable.type} placeholder={null} onChange={(type) => setType(type as FlowVariable["type"])} options={FLOW_VARIABLE_TYPES.map((type) => ({ value: type, label: type }))} problem={problem("type")} />
        {recordish ? (
          <Select label="Of object" value={variable.object ?? ""} onChange={(object) => onChange({ ...variable, object })} options={objectOptions(objects)} problem={problem("object")} />
        ) : (
          <Row label="Default" htmlFor={defaultId} problem={problem("default")}>
            {variable.type === "boolean" ? (
              <NativeSelect id={defaultId} value={variable.default === undefined || variable.default === null ? "" : String(variable.default)} className="h-8! text-sm" onChange={(event) => setDefault(event.target.value)}>
                <option value="">None</option><option value="true">true</option><option value="false">false</option>
              </NativeSelect>
            ) : (
              <Input id={defaultId} type={variable.type === "number" ? "number" : variable.type === "date" ? "date" : variable.type === "datetime" ? "datetime-local" : "text"}
                value={variable.default === undefined || variable.default === null ? "" : String(variable.default)} className="h-8! text-sm" onChange={(event) => setDefault(event.target.value)} />
            )}
          </Row>
        )}
      </div>
      <div className="flex gap-4 text-xs text-slate-700">
        <label className="flex items-center gap-1.5"><input type="checkbox" checked={variable.input} onChange={(event) => onChange({ ...variable, input: event.target.checked })} className="accent-brand-600" /> Input</label>
        <label className="flex items-center gap-1.5"><input type="checkbox" checked={variable.output} onChange={(event) => onChange({ ...variable, output: event.target.checked })} className="accent-brand-600" /> Output</label>
      </div>
    </div>
  );
}

/** The inspector's body for the selection: the start, an element, or the flow's settings. */
export function SelectionInspector(props: InspectorProps & { selected: string | null }) {
  const { selected, flow } = props;
  if (selected === FLOW_START_ID) return <StartInspector {...props} />;
  const element = selected ? flow.elements.find((candidate) => candidate.id === selected) : undefined;
  if (element) return <ElementInspector key={element.id} element={element} {...props} />;
  return <FlowSettings {...props} />;
}
