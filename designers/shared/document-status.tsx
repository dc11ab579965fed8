import { CircleAlert, CircleCheck, LoaderCircle } from "lucide-react";
import { Badge } from "@/components/ui";
import type { SaveStatus } from "./draft-sync";

/** "Published vN" / "Draft", plus an "Unpublished changes" badge when a draft differs from it. */
export function DocumentStatus({
  publishedVersion,
  hasDraft,
  dirty = false,
}: {
  publishedVersion: number | null;
  hasDraft: boolean;
  dirty?: boolean;
}) {
  if (publishedVersion === null) {
    return <Badge color="#b45309">Draft</Badge>;
  }
  return (
    <span className="inline-flex items-center gap-1.5">
      <Badge color="#047857">Published v{publishedVersion}</Badge>
      {(hasDraft || dirty) && <Badge color="#0369a1">Unpublished changes</Badge>}
    </span>
  );
}

/** The autosave state for the header: "Saving…", "All changes saved", "Not saved: <reason>", "Unsaved edits". */
export function SaveStatusText({ status }: { status: SaveStatus }) {
  switch (status.state) {
    case "saving":
      return <span role="status" className="inline-flex items-center gap-1 text-slate-500"><LoaderCircle className="h-3.5 w-3.5 animate-spin" aria-hidden />Saving…</span>;
    case "saved":
      return <span role="status" className="inline-flex items-center gap-1 text-emerald-700"><CircleCheck className="h-3.5 w-3.5" aria-hidden />All changes saved</span>;
    case "failed":
      return <span role="status" className="inline-flex max-w-[32rem] items-center gap-1 text-red-700" title={status.reason}><CircleAlert className="h-3.5 w-3.5 shrink-0" aria-hidden /><span className="truncate">Not saved: {status.reason}</span></span>;
    case "unsaved":
      return <span role="status" className="text-amber-700">Unsaved edits</span>;
    default:
      return null;
  }
}
