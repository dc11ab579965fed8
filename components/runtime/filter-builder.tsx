"use client";
import { Filter as FilterIcon, Plus, X } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import type { FieldDef, FilterOperator, ObjectDef, ScalarValue } from "@/spec";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { formatFieldValue } from "./field-value";
import { LookupPicker } from "./lookup-picker";
import { operatorLabel, operatorTakesValue, operatorsFor, type GridFilter } from "./filter-operators";
import type { LookupValue } from "./types";

export type FilterBuilderProps = {
  object: ObjectDef;
  filters: GridFilter[];
  onChange: (filters: GridFilter[]) => void;
};

/** The chip text of one applied filter, e.g. "Stage equals Won". */
export function describeFilter(object: ObjectDef, filter: GridFilter): string {
  const field = object.fields.find((candidate) => candidate.name === filter.field);
  const label = field?.label ?? filter.field;
  const op = operatorLabel(filter.operator, field);
  if (!operatorTakesValue(filter.operator)) return `${label} ${op}`;
  const value = filter.display ?? (field ? formatFieldValue(field, filter.value) : String(filter.value));
  return `${label} ${op} ${value}`;
}

function stepFor(scale: number): string {
  return scale > 0 ? `0.${"0".repeat(scale - 1)}1` : "1";
}

/**
 * "Add filter" -> field, operator and value -> an applied filter chip. Filters are AND'ed by the
 * grid. Only operators that suit the field's type are offered.
 */
export function FilterBuilder({ object, filters, onChange }: FilterBuilderProps) {
  const baseId = useId();
  const filterable = object.fields;
  const [open, setOpen] = useState(false);
  const [fieldName, setFieldName] = useState(filterable[0]?.name ?? "");
  const field = filterable.find((candidate) => candidate.name === fieldName);
  const operators = field ? operatorsFor(field) : [];
  const [operator, setOperator] = useState<FilterOperator>(operators[0] ?? "=");
  const [value, setValue] = useState("");
  const [lookup, setLookup] = useState<LookupValue | null>(null);

  function resetFor(next: FieldDef | undefined) {
    const ops = next ? operatorsFor(next) : [];
    setOperator(ops[0] ?? "=");
    setValue(next?.type === "boolean" ? "true" : next?.type === "select" || next?.type === "multiselect" ? next.options[0]?.value ?? "" : "");
    setLookup(null);
  }

  function start() {
    const first = filterable[0];
    setFieldName(first?.name ?? "");
    resetFor(first);
    setOpen(true);
  }

  const needsValue = operatorTakesValue(operator);
  const isReference = field?.type === "lookup" || field?.type === "master_detail";

  function parsedValue(): { value: ScalarValue; display?: string } | null {
    if (!field || !needsValue) return { value: null };
    if (isReference) return lookup ? { value: lookup.id, display: lookup.name ?? lookup.id } : null;
    const text = value.trim();
    if (text === "") return null;
    switch (field.type) {
      case "number":
      case "currency":
      case "percent": {
        const number = Number(text);
        return Number.isFinite(number) ? { value: number } : null;
      }
      case "boolean":
        return { value: text === "true" };
      case "datetime": {
        const date = new Date(text);
        return Number.isNaN(date.getTime()) ? null : { value: date.toISOString() };
      }
      case "multiselect": {
        const option = field.options.find((candidate) => candidate.value === text);
        return { value: text, display: option?.label ?? text };
      }
      default:
        return { value: text };
    }
  }

  const parsed = parsedValue();

  function apply(event: FormEvent) {
    event.preventDefault();
    if (!field || !parsed) return;
    const next: GridFilter = needsValue
      ? { field: field.name, operator, value: parsed.value, ...(parsed.display ? { display: parsed.display } : {}) }
      : { field: field.name, operator };
    onChange([...filters, next]);
    setOpen(false);
  }

  const ids = { field: `${baseId}-field`, operator: `${baseId}-operator`, value: `${baseId}-value` };

  function valueControl() {
    if (!field || !needsValue) return null;
    switch (field.type) {
      case "select":
      case "multiselect":
        return (
          <NativeSelect id={ids.value} value={value} onChange={(event) => setValue(event.target.value)}>
            {field.options.map((option) => (
              <option key={option.value} value={option.value}>{option.label}</option>
            ))}
          </NativeSelect>
        );
      case "boolean":
        return (
          <NativeSelect id={ids.value} value={value} onChange={(event) => setValue(event.target.value)}>
            <option value="true">True</option>
            <option value="false">False</option>
          </NativeSelect>
        );
      case "number":
      case "currency":
      case "percent":
        return <Input id={ids.value} type="number" step={stepFor(field.scale)} value={value} onChange={(event) => setValue(event.target.value)} className="text-right" />;
      case "date":
        return <Input id={ids.value} type="date" value={value} onChange={(event) => setValue(event.target.value)} />;
      case "datetime":
        return <Input id={ids.value} type="datetime-local" value={value} onChange={(event) => setValue(event.target.value)} />;
      case "lookup":
      case "master_detail":
        return <LookupPicker id={ids.value} reference={field.reference} label="Value" value={lookup} onChange={setLookup} />;
      default:
        return <Input id={ids.value} type="text" value={value} onChange={(event) => setValue(event.target.value)} autoComplete="off" />;
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {filters.map((filter, index) => {
          const text = describeFilter(object, filter);
          return (
            <span
              key={`${filter.field}-${filter.operator}-${index}`}
              data-testid="filter-chip"
              className="inline-flex max-w-xs items-center gap-1 rounded-full border border-brand-100 bg-brand-50 py-0.5 pl-2.5 pr-1 text-xs font-medium text-brand-700"
              title={text}
            >
              <span className="truncate">{text}</span>
              <button
                type="button"
                aria-label={`Remove filter ${text}`}
                onClick={() => onChange(filters.filter((_, other) => other !== index))}
                className="rounded-full p-0.5 hover:bg-brand-100"
              >
                <X className="h-3 w-3" aria-hidden />
              </button>
            </span>
          );
        })}
        {!open && (
          <Button size="sm" variant="ghost" onClick={start} disabled={filterable.length === 0}>
            {filters.length === 0 ? <FilterIcon className="h-3.5 w-3.5" aria-hidden /> : <Plus className="h-3.5 w-3.5" aria-hidden />}
            Add filter
          </Button>
        )}
        {filters.length > 1 && !open && (
          <Button size="sm" variant="ghost" onClick={() => onChange([])} className="text-slate-500">
            Clear filters
          </Button>
        )}
      </div>
      {open && (
        <form
          onSubmit={apply}
          aria-label="New filter"
          className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
        >
          <div className="w-48 space-y-1">
            <Label htmlFor={ids.field} className="text-xs">Filter field</Label>
            <NativeSelect
              id={ids.field}
              value={fieldName}
              onChange={(event) => {
                const next = filterable.find((candidate) => candidate.name === event.target.value);
                setFieldName(event.target.value);
                resetFor(next);
              }}
            >
              {filterable.map((candidate) => (
                <option key={candidate.name} value={candidate.name}>{candidate.label}</option>
              ))}
            </NativeSelect>
          </div>
          <div className="w-48 space-y-1">
            <Label htmlFor={ids.operator} className="text-xs">Operator</Label>
            <NativeSelect id={ids.operator} value={operator} onChange={(event) => setOperator(event.target.value as FilterOperator)}>
              {operators.map((candidate) => (
                <option key={candidate} value={candidate}>{operatorLabel(candidate, field)}</option>
              ))}
            </NativeSelect>
          </div>
          {needsValue && (
            <div className="w-56 space-y-1">
              <Label htmlFor={ids.value} className="text-xs">Value</Label>
              {valueControl()}
            </div>
          )}
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={!parsed}>Apply filter</Button>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </form>
      )}
    </div>
  );
}
