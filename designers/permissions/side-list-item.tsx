"use client";
import type { ReactNode } from "react";
import { cn } from "@/components/ui";

/** One entry of a tab's left-hand list (a profile, a group, an object): selectable, with a count and a problem marker. */
export function SideListItem({ active, icon, label, marker, count, countTitle, hasIssues, onSelect }: {
  active: boolean;
  icon: ReactNode;
  label: string;
  marker?: ReactNode;
  count?: number;
  countTitle?: string;
  hasIssues?: boolean;
  onSelect: () => void;
}) {
  return (
    <button type="button" onClick={onSelect} aria-current={active ? "true" : undefined}
      className={cn("flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm",
        active ? "bg-brand-50 text-brand-700 ring-1 ring-brand-100" : "text-slate-700 hover:bg-slate-100")}>
      {icon}
      <span className="min-w-0 flex-1 truncate font-medium">{label}</span>
      {marker}
      {count !== undefined && count > 0 && <span className="rounded-full bg-slate-100 px-1.5 text-xs text-slate-600" title={countTitle}>{count}</span>}
      {hasIssues && <span className="h-1.5 w-1.5 rounded-full bg-red-500" aria-label="has problems" />}
    </button>
  );
}
