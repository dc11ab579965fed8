"use client";
import { useQuery } from "@tanstack/react-query";
import { Search, X } from "lucide-react";
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import type { ObjectDef } from "@/spec";
import { nameFieldOf } from "@/spec/object-fields";
import { cn } from "@/components/ui/cn";
import { useTRPC, errorMessage } from "@/components/trpc";
import { asRecords, isLookupValue, type LookupValue } from "./types";

export type LookupPickerProps = {
  /** The input's id: tie the visible <label htmlFor> to it. */
  id: string;
  /** The target object (the lookup field's `reference`). */
  reference: string;
  value: LookupValue | null;
  onChange: (value: LookupValue | null) => void;
  /** The field label, used for the clear button's accessible name. */
  label: string;
  invalid?: boolean;
  describedBy?: string;
  disabled?: boolean;
  required?: boolean;
  /** Reads the options as this user (admins' "preview as user"). */
  asUser?: string;
  /**
   * Offer only records whose `field` equals `value` (a form's dependent lookup, e.g. contacts of
   * the chosen account); with no `value` there is nothing to offer until `parentLabel` is chosen.
   */
  filter?: { field: string; value: string | number | boolean | null; parentLabel: string };
};

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * A combobox over another object's records: type to search (`data.find` with `search`, 10 at
 * a time), pick a record to set its id; "Clear" empties the value.
 */
export function LookupPicker({ id, reference, value, onChange, label, invalid, describedBy, disabled, required, asUser, filter }: LookupPickerProps) {
  const trpc = useTRPC();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const search = useDebounced(text.trim(), 200);

  const describe = useQuery({ ...trpc.data.describe.queryOptions({ object: reference, asUser }), staleTime: 60_000 });
  const waitingForParent = filter !== undefined && (filter.value === null || filter.value === "");
  const target = describe.data as ObjectDef | undefined;
  const nameField = target ? nameFieldOf(target) : null;
  const find = useQuery({
    ...trpc.data.find.queryOptions({
      object: reference,
      search: search || undefined,
      filter: filter && !waitingForParent ? { field: filter.field, operator: "=", value: filter.value } : undefined,
      limit: 10,
      asUser,
      orderBy: nameField && nameField !== "id" ? [{ field: nameField, direction: "asc" }] : undefined,
    }),
    enabled: open && describe.isSuccess && !waitingForParent,
  });

  const options: LookupValue[] = asRecords(find.data?.records).map((record) => {
    const raw = nameField ? record[nameField] : undefined;
    const name = raw === null || raw === undefined || raw === "" ? record.id : isLookupValue(raw) ? (raw.name ?? raw.id) : String(raw);
    return { id: record.id, name };
  });

  function pick(option: LookupValue) {
    onChange(option);
    setOpen(false);
    setText("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((index) => Math.min(index + 1, Math.max(options.length - 1, 0)));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === "Enter") {
      if (open && options[active]) {
        event.preventDefault();
        pick(options[active]);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        setOpen(false);
        setText("");
      }
    }
  }

  const display = value ? (value.name ?? value.id) : "";
  const loading = open && !waitingForParent && (describe.isPending || find.isPending || find.isFetching);
  const error = describe.error ?? find.error;

  return (
    <div className="relative">
      <div className="relative">
        <Search className="pointer-events-none absolute left-2.5 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-400" aria-hidden />
        <input
          id={id}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          aria-required={required || undefined}
          autoComplete="off"
          disabled={disabled}
          value={open ? text : display}
          placeholder={open ? display || "Type to search…" : "Type to search…"}
          onFocus={() => {
            setOpen(true);
            setText("");
            setActive(0);
          }}
          onBlur={() => {
            setOpen(false);
            setText("");
          }}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          className={cn(
            "block h-9 w-full rounded-md border border-slate-300 bg-white py-1.5 pl-8 pr-9 text-sm shadow-xs placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 disabled:bg-slate-100 aria-[invalid=true]:border-red-500",
          )}
        />
        {value && !disabled && (
          <button
            type="button"
            aria-label={`Clear ${label}`}
            title="Clear"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onChange(null)}
            className="absolute right-1.5 top-1/2 -translate-y-1/2 rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700"
          >
            <X className="h-4 w-4" aria-hidden />
          </button>
        )}
      </div>
      {open && (
        <ul
          id={listId}
          role="listbox"
          aria-label={`${label} options`}
          className="absolute z-30 mt-1 max-h-64 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {waitingForParent ? (
            <li className="px-3 py-2 text-slate-500">Choose {filter.parentLabel} first</li>
          ) : error ? (
            <li className="px-3 py-2 text-red-600">{errorMessage(error)}</li>
          ) : loading && options.length === 0 ? (
            <li className="px-3 py-2 text-slate-500">Searching…</li>
          ) : options.length === 0 ? (
            <li className="px-3 py-2 text-slate-500">No matching records</li>
          ) : (
            options.map((option, index) => (
              <li
                key={option.id}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={value?.id === option.id}
                onMouseDown={(event) => event.preventDefault()}
                onMouseEnter={() => setActive(index)}
                onClick={() => pick(option)}
                className={cn(
                  "cursor-pointer truncate px-3 py-1.5",
                  index === active ? "bg-brand-50 text-brand-700" : "text-slate-800",
                  value?.id === option.id && "font-medium",
                )}
                title={option.name ?? option.id}
              >
                {option.name}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
