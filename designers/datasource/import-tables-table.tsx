"use client";
import Link from "next/link";
import { Input } from "@/components/ui";

/** The object a selected table becomes: API name and label, prefilled with introspection's suggestion. */
export type TableChoice = { name: string; label: string };
type Introspection = {
  tables: { name: string; columns: number; object: string | null; label: string | null; importedAs: string | null }[];
  skipped: { table: string; column?: string; reason: string }[];
};

/**
 * The introspected tables: tick a table to import it, and (once ticked) change the API name and
 * label of the object it becomes. `errors` are the server's issues by path (`rename.<table>.name`).
 */
export function ImportTablesTable({ caption, introspection, choices, onChoices, errors }: {
  caption: string;
  introspection: Introspection;
  choices: Map<string, TableChoice>;
  onChoices: (choices: Map<string, TableChoice>) => void;
  errors: Record<string, string>;
}) {
  function update(table: string, choice: TableChoice | null) {
    const next = new Map(choices);
    if (choice) next.set(table, choice);
    else next.delete(table);
    onChoices(next);
  }

  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="w-10 px-4 py-2"><span className="sr-only">Select</span></th>
            <th scope="col" className="px-4 py-2">Table</th>
            <th scope="col" className="px-4 py-2">Columns</th>
            <th scope="col" className="px-4 py-2">Object <span className="font-normal normal-case tracking-normal">(API name, label)</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {introspection.tables.map((table) => {
            const reason = introspection.skipped.find((entry) => entry.table === table.name && !entry.column)?.reason;
            const choice = choices.get(table.name);
            const nameError = errors[`rename.${table.name}.name`];
            const labelError = errors[`rename.${table.name}.label`];
            return (
              <tr key={table.name} className="align-top">
                <td className="px-4 py-2">
                  <input type="checkbox" aria-label={`Import ${table.name}`} disabled={!table.object || !!table.importedAs} checked={!!choice}
                    onChange={(e) => update(table.name, e.target.checked ? { name: table.object ?? "", label: table.label ?? "" } : null)} />
                </td>
                <td className="px-4 py-2 font-mono text-xs">{table.name}</td>
                <td className="px-4 py-2 text-xs text-slate-600">{table.columns}</td>
                <td className="px-4 py-2 text-xs">
                  {table.importedAs ? (
                    <Link href={`/studio/objects/${table.importedAs}`} className="text-brand-700 hover:underline">Imported as {table.importedAs}</Link>
                  ) : choice ? (
                    <div className="grid max-w-xl grid-cols-2 gap-2">
                      <div>
                        <Input aria-label={`Object API name for ${table.name}`} value={choice.name} className="h-8 font-mono text-xs"
                          aria-invalid={!!nameError} onChange={(e) => update(table.name, { ...choice, name: e.target.value })} />
                        {nameError && <p role="alert" className="mt-1 text-red-600">{nameError}</p>}
                      </div>
                      <div>
                        <Input aria-label={`Object label for ${table.name}`} value={choice.label} className="h-8 text-xs"
                          aria-invalid={!!labelError} onChange={(e) => update(table.name, { ...choice, label: e.target.value })} />
                        {labelError && <p role="alert" className="mt-1 text-red-600">{labelError}</p>}
                      </div>
                    </div>
                  ) : table.object ? (
                    <span className="font-mono text-slate-600">{table.object}</span>
                  ) : (
                    <span className="text-slate-500">Cannot import: {reason ?? "not mappable"}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
