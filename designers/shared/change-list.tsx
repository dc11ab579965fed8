import { ArrowRightLeft, Minus, Pencil, Plus } from "lucide-react";
import { cn } from "@/components/ui";
import type { ChangeKind, DocumentChange } from "./version-diff";

const ICONS: Record<ChangeKind, typeof Plus> = { added: Plus, removed: Minus, changed: Pencil, moved: ArrowRightLeft };
const TONES: Record<ChangeKind, string> = {
  added: "bg-emerald-50 text-emerald-700",
  removed: "bg-red-50 text-red-700",
  changed: "bg-slate-100 text-slate-600",
  moved: "bg-sky-50 text-sky-700",
};

/** Readable changes (version-diff.ts) as a list: one line per change, an icon for its kind. */
export function ChangeList({ changes, label, empty = "No differences." }: { changes: DocumentChange[]; label: string; empty?: string }) {
  if (changes.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ul aria-label={label} className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
      {changes.map((change, index) => {
        const Icon = ICONS[change.kind];
        return (
          <li key={index} className="flex items-start gap-2 px-3 py-1.5 text-sm" data-change={change.kind}>
            <span className={cn("mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded", TONES[change.kind])}>
              <Icon className="h-3.5 w-3.5" aria-hidden />
            </span>
            <span className="min-w-0 break-words">
              {change.where && <span className="text-slate-500">{change.where}: </span>}
              <span className="text-slate-800">{change.what}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
