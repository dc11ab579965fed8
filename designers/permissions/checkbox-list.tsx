"use client";
import { ChevronDown, Search } from "lucide-react";
import { Popover } from "radix-ui";
import { useId, useState } from "react";
import { Input, cn } from "@/components/ui";

export type Choice = { value: string; label: string; hint?: string };

/** A labelled group of checkboxes (with a filter box when long): pick any number of choices. */
export function CheckboxList({
  legend,
  choices,
  value,
  onChange,
  emptyText,
  className,
}: {
  legend: string;
  choices: readonly Choice[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  emptyText: string;
  className?: string;
}) {
  const baseId = useId();
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = needle === "" ? choices : choices.filter((choice) => `${choice.label} ${choice.hint ?? ""}`.toLowerCase().includes(needle));
  function toggle(choice: string, checked: boolean) {
    // Keep the order of `choices`, so the document does not depend on the order of clicks.
    const next = new Set(value);
    if (checked) next.add(choice);
    else next.delete(choice);
    onChange(choices.map((item) => item.value).filter((item) => next.has(item)).concat(value.filter((item) => !choices.some((c) => c.value === item))));
  }
  return (
    <fieldset className={cn("space-y-2", className)}>
      <legend className="sr-only">{legend}</legend>
      {choices.length > 8 && (
        <div className="relative">
          <Search className="pointer-events-none absolute left-2.5 top-2.5 h-3.5 w-3.5 text-slate-400" aria-hidden />
          <label htmlFor={`${baseId}-filter`} className="sr-only">Filter {legend.toLowerCase()}</label>
          <Input id={`${baseId}-filter`} value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter…" className="h-8 pl-8 text-xs" />
        </div>
      )}
      {choices.length === 0 ? (
        <p className="text-xs text-slate-500">{emptyText}</p>
      ) : (
        <ul className="max-h-64 space-y-0.5 overflow-y-auto">
          {shown.map((choice, index) => {
            const id = `${baseId}-${index}`;
            return (
              <li key={choice.value}>
                <label htmlFor={id} className="flex cursor-pointer items-center gap-2 rounded px-1.5 py-1 text-sm hover:bg-slate-50">
                  <input id={id} type="checkbox" className="h-4 w-4 rounded border-slate-300 accent-brand-600"
                    checked={value.includes(choice.value)} onChange={(e) => toggle(choice.value, e.target.checked)} />
                  <span className="min-w-0 flex-1 truncate">{choice.label}</span>
                  {choice.hint && <span className="truncate text-xs text-slate-500">{choice.hint}</span>}
                </label>
              </li>
            );
          })}
          {shown.length === 0 && <li className="px-1.5 text-xs text-slate-500">Nothing matches “{filter}”.</li>}
        </ul>
      )}
    </fieldset>
  );
}

/** A compact multi-select: a button that names the choices, opening a checkbox list. */
export function MultiSelect({
  label,
  choices,
  value,
  onChange,
  emptyText,
  placeholder = "None",
  disabled,
}: {
  /** The accessible name of the control, e.g. "Permission sets of Uma User". */
  label: string;
  choices: readonly Choice[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  emptyText: string;
  placeholder?: string;
  disabled?: boolean;
}) {
  const names = value.map((item) => choices.find((choice) => choice.value === item)?.label ?? item);
  return (
    <Popover.Root>
      <Popover.Trigger asChild disabled={disabled}>
        <button type="button" aria-label={label} title={names.join(", ") || undefined}
          className="flex h-9 w-full items-center gap-1 rounded-md border border-slate-300 bg-white px-3 text-left text-sm shadow-xs hover:bg-slate-50 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 disabled:bg-slate-100 disabled:text-slate-500">
          <span className={cn("min-w-0 flex-1 truncate", names.length === 0 && "text-slate-400")}>{names.length === 0 ? placeholder : names.join(", ")}</span>
          <ChevronDown className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={4} aria-label={label}
          className="z-50 w-64 rounded-lg border border-slate-200 bg-white p-2 shadow-lg focus:outline-none">
          <CheckboxList legend={label} choices={choices} value={value} onChange={onChange} emptyText={emptyText} />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
