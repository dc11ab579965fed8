"use client";
import { useQuery } from "@tanstack/react-query";
import { Brackets, Plus, Trash2, X } from "lucide-react";
import { useId, useState, type KeyboardEvent } from "react";
import { nameFieldOf, type FieldDef, type ObjectDef } from "@/spec/object";
import { RELATIVE_DATE_KEYWORDS, isRelativeDateValue, type Filter, type FilterOperator, type ScalarValue } from "@/spec/query";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input, NativeSelect } from "@/components/ui/input";
import { useTRPC } from "@/components/trpc";
import { allOperatorsFor, filterValueKind, operatorArity, operatorLabel } from "./filter-operators";
import {
  appendChild, emptyGroup, filterToModel, incompleteConditions, issuesByCondition, modelToFilter, newCondition, parseRelativeDays, relativeDateLabel,
  removeNode, updateNode, valueForOperator, type ConditionNode, type FilterNode, type GroupNode,
} from "./filter-tree-model";
import { LookupPicker } from "./lookup-picker";
import { asRecords, isLookupValue } from "./types";

export type FilterTreeBuilderProps = {
  object: ObjectDef;
  /** The ObjectQL filter (spec/query.ts); undefined for none. */
  value: Filter | undefined;
  /** Called with the filter of the complete conditions whenever it changes. */
  onChange: (filter: Filter | undefined) => void;
  /** Problems keyed by dotted path inside the filter ("or.1.operator"; "" for the whole filter), e.g. from the server: shown on the conditions they name. */
  issues?: Record<string, string>;
  /** Deepest nesting of groups offered (spec/query.ts allows 12 levels). */
  maxDepth?: number;
};

const sameFilter = (a: Filter | undefined, b: Filter | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A visual editor for ObjectQL filters: nested and/or groups, each optionally negated, of
 * conditions whose operators and value inputs fit the field (multi-value chips for in/not_in, a
 * from/to pair for between, relative dates, lookups by picking records). Conditions still being
 * filled in are kept in the editor but left out of the filter it reports.
 */
export function FilterTreeBuilder({ object, value, onChange, issues, maxDepth = 4 }: FilterTreeBuilderProps) {
  const [root, setRoot] = useState<GroupNode>(() => filterToModel(value));
  // The filter the tree stands for: an outside change (undo, another editor) rebuilds the tree, our own echoes do not.
  const [synced, setSynced] = useState<Filter | undefined>(value);
  if (!sameFilter(value, synced)) {
    setSynced(value);
    setRoot(filterToModel(value));
  }

  function change(next: GroupNode) {
    setRoot(next);
    const filter = modelToFilter(next);
    if (!sameFilter(filter, synced)) {
      setSynced(filter);
      onChange(filter);
    }
  }

  const pending = incompleteConditions(root).length;
  const { byNode, general } = issuesByCondition(root, issues ?? {});
  return (
    <div className="space-y-2" data-testid="filter-tree">
      {general.map((message) => <p key={message} className="text-xs text-red-600" role="alert">{message}</p>)}
      <GroupEditor object={object} group={root} root={root} depth={1} maxDepth={maxDepth} onChange={change} issues={byNode} />
      {pending > 0 && (
        <p className="text-xs text-amber-700">{pending === 1 ? "1 condition is" : `${pending} conditions are`} incomplete and not applied yet.</p>
      )}
    </div>
  );
}

function GroupEditor({ object, group, root, depth, maxDepth, onChange, onRemove, issues }: {
  object: ObjectDef;
  issues: Record<string, string[]>;
  group: GroupNode;
  root: GroupNode;
  depth: number;
  maxDepth: number;
  onChange: (root: GroupNode) => void;
  onRemove?: () => void;
}) {
  const edit = (change: (node: GroupNode) => GroupNode) => onChange(updateNode(root, group.id, (node) => change(node as GroupNode)));
  const isRoot = depth === 1;
  const label = isRoot ? "Filter" : `Group at level ${depth}`;
  return (
    <div role="group" aria-label={label} data-testid="filter-group"
      className={cn("space-y-2 rounded-md border p-2", isRoot ? "border-slate-200 bg-white" : "border-brand-100 bg-brand-50/40")}>
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <button type="button" aria-pressed={group.negated} onClick={() => edit((node) => ({ ...node, negated: !node.negated }))}
          title="Match records that do NOT match this group"
          className={cn("rounded border px-1.5 py-0.5 font-semibold", group.negated ? "border-red-300 bg-red-50 text-red-700" : "border-slate-200 text-slate-400 hover:text-slate-600")}>
          NOT
        </button>
        <span>Match</span>
        <NativeSelect aria-label={isRoot ? "Combine conditions" : `Combine conditions of group at level ${depth}`} value={group.combinator}
          onChange={(event) => edit((node) => ({ ...node, combinator: event.target.value as "and" | "or" }))}
          className="h-7! w-auto! py-0! text-xs">
          <option value="and">all (AND)</option>
          <option value="or">any (OR)</option>
        </NativeSelect>
        <span>of these conditions</span>
        {onRemove && (
          <button type="button" aria-label={`Remove group at level ${depth}`} onClick={onRemove} className="ml-auto rounded p-1 text-slate-400 hover:bg-red-50 hover:text-red-600">
            <Trash2 className="h-3.5 w-3.5" aria-hidden />
          </button>
        )}
      </div>
      {group.children.length === 0 && <p className="px-1 text-xs text-slate-400">No conditions: every record matches.</p>}
      <ul className="space-y-2">
        {group.children.map((child, index) => (
          <li key={child.id}>
            {index > 0 && <div className="mb-1 pl-1 text-[10px] font-semibold uppercase tracking-wide text-slate-400">{group.combinator}</div>}
            {child.kind === "group" ? (
              <GroupEditor object={object} group={child} root={root} depth={depth + 1} maxDepth={maxDepth} onChange={onChange} issues={issues}
                onRemove={() => onChange(removeNode(root, child.id))} />
            ) : (
              <ConditionEditor object={object} node={child} issues={issues[child.id] ?? []}
                onChange={(next) => onChange(updateNode(root, child.id, () => next))}
                onRemove={() => onChange(removeNode(root, child.id))} />
            )}
          </li>
        ))}
      </ul>
      <div className="flex gap-1">
        <Button size="sm" variant="ghost" onClick={() => onChange(appendChild(root, group.id, newCondition(object.fields[0])))} disabled={object.fields.length === 0}>
          <Plus className="h-3.5 w-3.5" aria-hidden /> Add condition
        </Button>
        {depth < maxDepth && (
          <Button size="sm" variant="ghost" onClick={() => onChange(appendChild(root, group.id, { ...emptyGroup(group.combinator === "and" ? "or" : "and"), children: [newCondition(object.fields[0])] }))}>
            <Brackets className="h-3.5 w-3.5" aria-hidden /> Add group
          </Button>
        )}
      </div>
    </div>
  );
}

function ConditionEditor({ object, node, onChange, onRemove, issues }: {
  object: ObjectDef;
  issues: string[];
  node: ConditionNode;
  onChange: (node: FilterNode) => void;
  onRemove: () => void;
}) {
  const field = object.fields.find((candidate) => candidate.name === node.field);
  const operators = field ? allOperatorsFor(field) : [];
  return (
    <div role="group" aria-label={`Condition on ${field?.label ?? "no field"}`} data-testid="filter-condition"
      className={cn("flex flex-wrap items-start gap-1.5 rounded-md border bg-white p-1.5", issues.length > 0 ? "border-red-300" : "border-slate-200")}>
      <button type="button" aria-pressed={node.negated} aria-label="Negate condition" onClick={() => onChange({ ...node, negated: !node.negated })}
        title="Match records that do NOT meet this condition"
        className={cn("mt-1 rounded border px-1 py-0.5 text-[10px] font-semibold", node.negated ? "border-red-300 bg-red-50 text-red-700" : "border-slate-200 text-slate-400 hover:text-slate-600")}>
        NOT
      </button>
      <NativeSelect aria-label="Field" value={node.field} className="h-8! w-36! py-0! text-xs"
        onChange={(event) => {
          const next = object.fields.find((candidate) => candidate.name === event.target.value);
          onChange({ ...newCondition(next), id: node.id, negated: node.negated });
        }}>
        {!field && <option value="">Choose a field</option>}
        {object.fields.map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label}</option>)}
      </NativeSelect>
      {field && (
        <NativeSelect aria-label="Operator" value={node.operator} className="h-8! w-36! py-0! text-xs"
          onChange={(event) => {
            const operator = event.target.value as FilterOperator;
            onChange({ ...node, operator, value: valueForOperator(field, operator, node.value) });
          }}>
          {!operators.includes(node.operator) && <option value={node.operator}>{operatorLabel(node.operator, field)} (not for this field)</option>}
          {operators.map((operator) => <option key={operator} value={operator}>{operatorLabel(operator, field)}</option>)}
        </NativeSelect>
      )}
      {field && <ValueEditor field={field} operator={node.operator} value={node.value} onChange={(value) => onChange({ ...node, value })} />}
      <button type="button" aria-label={`Remove condition on ${field?.label ?? "no field"}`} onClick={onRemove}
        className="ml-auto mt-1 rounded p-1 text-slate-400 hover:bg-red-50 hover:text-red-600">
        <X className="h-3.5 w-3.5" aria-hidden />
      </button>
      {issues.map((message) => <p key={message} role="alert" className="w-full pl-1 text-xs text-red-600">{message}</p>)}
    </div>
  );
}

type Value = ConditionNode["value"];

function ValueEditor({ field, operator, value, onChange }: { field: FieldDef; operator: FilterOperator; value: Value; onChange: (value: Value) => void }) {
  const arity = operatorArity(operator);
  if (arity === "none") return null;
  if (arity === "many") return <MultiValueEditor field={field} values={Array.isArray(value) ? value : []} onChange={onChange} />;
  if (arity === "pair") {
    const pair = Array.isArray(value) && value.length === 2 ? value : [null, null];
    return (
      <span className="flex flex-wrap items-center gap-1.5">
        <SingleValueEditor field={field} label="From" value={pair[0] ?? null} relative={operator} onChange={(from) => onChange([from, pair[1] ?? null])} />
        <span className="text-xs text-slate-500">and</span>
        <SingleValueEditor field={field} label="To" value={pair[1] ?? null} relative={operator} onChange={(to) => onChange([pair[0] ?? null, to])} />
      </span>
    );
  }
  return <SingleValueEditor field={field} label="Value" value={Array.isArray(value) ? null : (value ?? null)} relative={operator} onChange={onChange} />;
}

const controlClass = "h-8! py-0! text-xs";

/** A number typed as text, so "12." or "-" can be typed on the way to a number. */
function NumberInput({ label, value, onChange }: { label: string; value: number | null; onChange: (value: number | null) => void }) {
  const [draft, setDraft] = useState({ text: value === null ? "" : String(value), value });
  if (draft.value !== value) {
    // Keep what is being typed ("12.") when it already means the new value.
    const keeps = draft.text.trim() !== "" && Number(draft.text) === value;
    setDraft({ text: keeps ? draft.text : value === null ? "" : String(value), value });
  }
  const text = draft.text;
  return (
    <Input aria-label={label} inputMode="decimal" value={text} className={cn(controlClass, "w-28! text-right")}
      aria-invalid={text.trim() !== "" && !Number.isFinite(Number(text)) ? true : undefined}
      onChange={(event) => {
        const number = Number(event.target.value);
        const next = event.target.value.trim() === "" || !Number.isFinite(number) ? null : number;
        setDraft({ text: event.target.value, value: next });
        onChange(next);
      }} />
  );
}

const RELATIVE_OPERATORS = new Set<FilterOperator>(["=", "!=", ">", ">=", "<", "<=", "between"]);

/** A date: a specific day, or relative (TODAY, THIS_QUARTER, LAST_N_DAYS:n, …). */
function DateValueEditor({ field, label, value, onChange, allowRelative }: {
  field: FieldDef; label: string; value: ScalarValue; onChange: (value: ScalarValue) => void; allowRelative: boolean;
}) {
  const days = parseRelativeDays(value);
  const mode = days ? `${days.direction}_N_DAYS` : isRelativeDateValue(value) ? (value as string) : "exact";
  const datetime = filterValueKind(field) === "datetime";
  const exactValue = typeof value === "string" && !isRelativeDateValue(value) ? value : "";
  return (
    <span className="flex items-center gap-1">
      {allowRelative && (
        <NativeSelect aria-label={`${label} date kind`} value={mode} className={cn(controlClass, "w-36!")}
          onChange={(event) => {
            const next = event.target.value;
            if (next === "exact") onChange(null);
            else if (next.endsWith("_N_DAYS")) onChange(`${next}:${days?.days ?? 7}`);
            else onChange(next);
          }}>
          <option value="exact">{datetime ? "Specific time" : "Specific date"}</option>
          {RELATIVE_DATE_KEYWORDS.map((keyword) => <option key={keyword} value={keyword}>{relativeDateLabel(keyword)}</option>)}
          <option value="LAST_N_DAYS">Last N days</option>
          <option value="NEXT_N_DAYS">Next N days</option>
        </NativeSelect>
      )}
      {mode === "exact" && (
        datetime ? (
          <Input aria-label={label} type="datetime-local" className={cn(controlClass, "w-48!")}
            value={exactValue ? toLocalInput(exactValue) : ""}
            onChange={(event) => onChange(event.target.value ? new Date(event.target.value).toISOString() : null)} />
        ) : (
          <Input aria-label={label} type="date" className={cn(controlClass, "w-36!")} value={exactValue}
            onChange={(event) => onChange(event.target.value || null)} />
        )
      )}
      {days && (
        <Input aria-label={`${label} number of days`} type="number" min={1} max={99999} className={cn(controlClass, "w-20! text-right")}
          value={days.days}
          onChange={(event) => {
            const count = Math.max(1, Math.min(99999, Math.trunc(Number(event.target.value) || 1)));
            onChange(`${days.direction}_N_DAYS:${count}`);
          }} />
      )}
    </span>
  );
}

function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function SingleValueEditor({ field, label, value, relative, onChange }: {
  field: FieldDef; label: string; value: ScalarValue; relative: FilterOperator; onChange: (value: ScalarValue) => void;
}) {
  const id = useId();
  const kind = filterValueKind(field);
  switch (kind) {
    case "number":
      return <NumberInput label={label} value={typeof value === "number" ? value : null} onChange={onChange} />;
    case "date":
    case "datetime":
      return <DateValueEditor field={field} label={label} value={value} onChange={onChange} allowRelative={RELATIVE_OPERATORS.has(relative)} />;
    case "boolean":
      return (
        <NativeSelect aria-label={label} value={String(value ?? true)} className={cn(controlClass, "w-24!")} onChange={(event) => onChange(event.target.value === "true")}>
          <option value="true">True</option>
          <option value="false">False</option>
        </NativeSelect>
      );
    case "select":
    case "multiselect":
      return (
        <NativeSelect aria-label={label} value={typeof value === "string" ? value : ""} className={cn(controlClass, "w-40!")} onChange={(event) => onChange(event.target.value || null)}>
          <option value="">Choose…</option>
          {(field.type === "select" || field.type === "multiselect" ? field.options : []).map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </NativeSelect>
      );
    case "reference":
      return <RecordValuePicker id={id} field={field} label={label} value={typeof value === "string" ? value : null} onChange={onChange} />;
    default:
      return <Input aria-label={label} value={typeof value === "string" ? value : value === null ? "" : String(value)} className={cn(controlClass, "w-40!")}
        autoComplete="off" onChange={(event) => onChange(event.target.value)} />;
  }
}

function referenceOf(field: FieldDef): string {
  return field.type === "lookup" || field.type === "master_detail" ? field.reference : "";
}

/** Names of referenced records by id (a filter stores only ids). */
function useRecordNames(reference: string, ids: string[]): Record<string, string> {
  const trpc = useTRPC();
  const describe = useQuery({ ...trpc.data.describe.queryOptions({ object: reference }), staleTime: 60_000, enabled: reference !== "" && ids.length > 0 });
  const target = describe.data as ObjectDef | undefined;
  const nameField = target ? nameFieldOf(target) : null;
  const find = useQuery({
    ...trpc.data.find.queryOptions({ object: reference, filter: { field: "id", operator: "in", value: ids }, limit: Math.max(1, ids.length) }),
    enabled: !!target && ids.length > 0,
    staleTime: 60_000,
  });
  const names: Record<string, string> = {};
  for (const record of asRecords(find.data?.records)) {
    const raw = nameField ? record[nameField] : undefined;
    names[record.id] = raw === null || raw === undefined || raw === "" ? record.id : isLookupValue(raw) ? (raw.name ?? raw.id) : String(raw);
  }
  return names;
}

function RecordValuePicker({ id, field, label, value, onChange }: { id: string; field: FieldDef; label: string; value: string | null; onChange: (value: string | null) => void }) {
  const reference = referenceOf(field);
  const names = useRecordNames(reference, value ? [value] : []);
  return (
    <div className="w-56">
      <label htmlFor={id} className="sr-only">{label}</label>
      <LookupPicker id={id} reference={reference} label={label} value={value ? { id: value, name: names[value] ?? null } : null}
        onChange={(picked) => onChange(picked?.id ?? null)} />
    </div>
  );
}

/** in / not_in: the values as removable chips; options toggle, text and numbers are typed, records picked. */
function MultiValueEditor({ field, values, onChange }: { field: FieldDef; values: ScalarValue[]; onChange: (values: ScalarValue[]) => void }) {
  const kind = filterValueKind(field);
  const pickerId = useId();
  const [draft, setDraft] = useState("");
  const reference = referenceOf(field);
  const names = useRecordNames(kind === "reference" ? reference : "", kind === "reference" ? values.filter((item): item is string => typeof item === "string") : []);

  if (field.type === "select" || field.type === "multiselect") {
    return (
      <div role="group" aria-label="Values" className="flex max-w-md flex-wrap gap-1">
        {field.options.map((option) => {
          const on = values.includes(option.value);
          return (
            <button key={option.value} type="button" aria-pressed={on}
              onClick={() => onChange(on ? values.filter((item) => item !== option.value) : [...values, option.value])}
              className={cn("rounded-full border px-2 py-0.5 text-xs", on ? "border-brand-300 bg-brand-50 font-medium text-brand-700" : "border-slate-200 text-slate-500 hover:bg-slate-50")}>
              {option.label}
            </button>
          );
        })}
      </div>
    );
  }

  const chipLabel = (item: ScalarValue) => (kind === "reference" && typeof item === "string" ? (names[item] ?? item) : String(item));
  function addDraft() {
    const text = draft.trim();
    if (text === "") return;
    const item: ScalarValue = kind === "number" ? Number(text) : text;
    if (kind === "number" && !Number.isFinite(item)) return;
    if (!values.includes(item)) onChange([...values, item]);
    setDraft("");
  }
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      addDraft();
    } else if (event.key === "Backspace" && draft === "" && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  }
  return (
    <div className="flex max-w-md flex-wrap items-center gap-1">
      <ul aria-label="Values" className="contents">
        {values.map((item) => (
          <li key={String(item)} className="inline-flex items-center gap-0.5 rounded-full border border-brand-100 bg-brand-50 py-0.5 pl-2 pr-0.5 text-xs font-medium text-brand-700">
            {chipLabel(item)}
            <button type="button" aria-label={`Remove ${chipLabel(item)}`} onClick={() => onChange(values.filter((other) => other !== item))} className="rounded-full p-0.5 hover:bg-brand-100">
              <X className="h-3 w-3" aria-hidden />
            </button>
          </li>
        ))}
      </ul>
      {kind === "reference" ? (
        <div className="w-48">
          <label htmlFor={pickerId} className="sr-only">Add a record</label>
          <LookupPicker id={pickerId} reference={reference} label="Add a record" value={null}
            onChange={(picked) => { if (picked && !values.includes(picked.id)) onChange([...values, picked.id]); }} />
        </div>
      ) : (
        <Input aria-label="Add a value" placeholder={kind === "number" ? "Number, Enter" : "Value, Enter"} value={draft} className={cn(controlClass, "w-32!")}
          inputMode={kind === "number" ? "decimal" : undefined}
          onChange={(event) => setDraft(event.target.value)} onKeyDown={onKeyDown} onBlur={addDraft} />
      )}
    </div>
  );
}
