"use client";
import { useQuery } from "@tanstack/react-query";
import { History } from "lucide-react";
import type { ObjectDef } from "@/spec";
import { Alert, Spinner } from "@/components/ui/feedback";
import { errorMessage, useTRPC } from "@/components/trpc";
import { FieldValue, formatDateTime } from "./field-value";
import { fieldByName } from "./types";

/** The history's field for ownership transfers (the server's OWNER_HISTORY_FIELD; that module is server-only). */
const OWNER_FIELD = "owner_id";

/** An owner in a transfer row: the user's name (or id, for a user since removed); none as a dash. */
function ownerName(value: unknown): string {
  if (value && typeof value === "object" && "id" in value) {
    const owner = value as { id: string; name: string | null };
    return owner.name ?? owner.id;
  }
  return typeof value === "string" ? value : "—";
}

/**
 * A record page's "History" section: the field history of the record's tracked fields and its
 * ownership transfers (who changed what, from which value to which), newest first. The server
 * leaves out the fields the user may not read; only transfers show until an admin tracks fields.
 */
export function RecordHistorySection({ object, recordId }: { object: ObjectDef; recordId: string }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.data.history.queryOptions({ object: object.name, id: recordId }));

  return (
    <section aria-labelledby="record-history-heading" className="rounded-lg border border-slate-200 bg-white shadow-xs" data-testid="record-history">
      <h2 id="record-history-heading" className="flex items-center gap-2 border-b border-slate-100 px-6 py-3 text-sm font-semibold text-slate-800">
        <History className="h-4 w-4 text-slate-500" aria-hidden /> History
      </h2>
      {history.isPending ? (
        <div className="px-6 py-4"><Spinner label="Loading history" /></div>
      ) : history.isError ? (
        <div className="px-6 py-4"><Alert>{errorMessage(history.error)}</Alert></div>
      ) : history.data.rows.length === 0 ? (
        <p className="px-6 py-4 text-sm text-slate-500">No tracked changes yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Field history of this {object.label.toLowerCase()}</caption>
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="w-52 px-6 py-2">Date</th>
                <th scope="col" className="w-40 px-3 py-2">Field</th>
                <th scope="col" className="w-40 px-3 py-2">User</th>
                <th scope="col" className="px-3 py-2">Original value</th>
                <th scope="col" className="px-3 py-2">New value</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {history.data.rows.map((row) => {
                const field = row.field ? fieldByName(object, row.field) : undefined;
                // Ownership transfers (always recorded): the owners come named, as lookups do.
                const owner = row.field === OWNER_FIELD;
                return (
                  <tr key={row.id} data-testid="history-row">
                    <td className="whitespace-nowrap px-6 py-2 text-slate-600">{formatDateTime(row.at)}</td>
                    {row.field === null ? (
                      <td colSpan={4} className="px-3 py-2 text-slate-700">
                        Created. <span className="text-slate-500">by {row.actor?.name ?? row.actor?.email ?? "the platform"}</span>
                      </td>
                    ) : (
                      <>
                        <td className="px-3 py-2 font-medium text-slate-800">{owner ? "Owner" : (field?.label ?? row.field)}</td>
                        <td className="px-3 py-2 text-slate-600">{row.actor?.name ?? row.actor?.email ?? "Platform"}</td>
                        <td className="px-3 py-2">{owner ? ownerName(row.oldValue) : field ? <FieldValue field={field} value={row.oldValue} /> : JSON.stringify(row.oldValue)}</td>
                        <td className="px-3 py-2">{owner ? ownerName(row.newValue) : field ? <FieldValue field={field} value={row.newValue} /> : JSON.stringify(row.newValue)}</td>
                      </>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {history.data.more && <p className="px-6 py-2 text-xs text-slate-500">Showing the latest {history.data.rows.length} changes.</p>}
        </div>
      )}
    </section>
  );
}
