"use client";
import { useQuery } from "@tanstack/react-query";
import { Monitor, Smartphone } from "lucide-react";
import { useTRPC, errorMessage } from "@/components/trpc";
import { Alert, Spinner } from "@/components/ui/feedback";
import { NativeSelect } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { CalendarView } from "@/components/runtime/calendar-view";
import { KanbanBoard } from "@/components/runtime/kanban-board";
import { RecordGrid } from "@/components/runtime/record-grid";
import type { DescribedObjectDef } from "@/components/runtime/record-access";
import type { ViewDef } from "@/spec/view";

export type PreviewWidth = "desktop" | "mobile";

/**
 * The live preview: the runtime component for the view's type on real records, read as the
 * chosen user (`asUser`: their record access, and fields hidden from them disappear).
 */
export function ViewPreview({ view, width, onWidthChange, asUser, onAsUserChange }: {
  view: ViewDef;
  width: PreviewWidth;
  onWidthChange: (width: PreviewWidth) => void;
  asUser: string | undefined;
  onAsUserChange: (userId: string | undefined) => void;
}) {
  const trpc = useTRPC();
  const users = useQuery({ ...trpc.users.list.queryOptions(), staleTime: 60_000 });
  const describe = useQuery({ ...trpc.data.describe.queryOptions({ object: view.object, asUser }), staleTime: 30_000 });
  const object = describe.data as DescribedObjectDef | undefined;
  // Columns, card fields etc. naming fields this user cannot see are left out, as the runtime does for them.
  const visible = object ? new Set(object.fields.map((field) => field.name)) : null;
  const previewView: ViewDef = visible ? { ...view, columns: view.columns.filter((column) => visible.has(column.field)) } : view;

  return (
    <section aria-label="Preview" className="flex min-h-0 min-w-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-4 py-2">
        <h2 className="text-sm font-semibold text-slate-800">Preview</h2>
        <span className="text-xs text-slate-500">live, on real records</span>
        <div className="ml-auto flex items-center gap-2">
          <label htmlFor="preview-as-user" className="text-xs text-slate-600">Preview as</label>
          <NativeSelect id="preview-as-user" value={asUser ?? ""} className="h-8! w-52! py-0! text-xs" onChange={(event) => onAsUserChange(event.target.value || undefined)}>
            <option value="">Me (admin)</option>
            {(users.data ?? []).map((user) => <option key={user.id} value={user.id}>{user.name ?? user.email} ({user.email})</option>)}
          </NativeSelect>
          <div role="radiogroup" aria-label="Preview width" className="flex rounded-md border border-slate-200">
            {(["desktop", "mobile"] as const).map((option) => (
              <button key={option} type="button" role="radio" aria-checked={width === option} aria-label={option === "desktop" ? "Desktop width" : "Mobile width"}
                onClick={() => onWidthChange(option)}
                className={cn("flex h-8 w-9 items-center justify-center text-slate-500 first:rounded-l-md last:rounded-r-md", width === option ? "bg-brand-50 text-brand-700" : "hover:bg-slate-50")}>
                {option === "desktop" ? <Monitor className="h-4 w-4" aria-hidden /> : <Smartphone className="h-4 w-4" aria-hidden />}
              </button>
            ))}
          </div>
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-auto bg-slate-100 p-4">
        <div data-testid="view-preview" data-width={width}
          className={cn("mx-auto rounded-lg border border-slate-200 bg-white p-3 shadow-sm", width === "mobile" ? "w-[390px]" : "w-full")}>
          {describe.isPending ? (
            <Spinner label="Loading preview" />
          ) : describe.isError ? (
            <Alert>{errorMessage(describe.error)}</Alert>
          ) : (
            <PreviewBody object={object!} view={previewView} asUser={asUser} />
          )}
        </div>
      </div>
    </section>
  );
}

function PreviewBody({ object, view, asUser }: { object: DescribedObjectDef; view: ViewDef; asUser: string | undefined }) {
  if (view.type === "grid") {
    return <RecordGrid object={object} view={view} asUser={asUser} readOnly recordHref={(record) => `#record-${record.id}`} selectable={false} />;
  }
  if (view.type === "kanban") return <KanbanBoard object={object} view={view} asUser={asUser} readOnly />;
  return <CalendarView object={object} view={view} asUser={asUser} readOnly />;
}
