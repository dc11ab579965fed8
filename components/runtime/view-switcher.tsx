"use client";
import { BookmarkPlus, CalendarDays, Check, ChevronDown, Pencil, Rows3, SquareKanban, Trash2, type LucideIcon } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useId, useState, type FormEvent } from "react";
import type { ViewType } from "@/spec/view";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { FormField, Input } from "@/components/ui/input";
import { errorIssues, errorMessage } from "@/components/trpc";
import { viewParam, type ObjectViews, type ViewChoice } from "./view-selection";

const TYPE_ICONS: Record<ViewType, LucideIcon> = { grid: Rows3, kanban: SquareKanban, calendar: CalendarDays };
const TYPE_NAMES: Record<ViewType, string> = { grid: "Grid", kanban: "Kanban", calendar: "Calendar" };

export type ViewSwitcherProps = {
  /** The object's plural label ("Opportunities"): names the generated grid. */
  pluralLabel: string;
  views: ObjectViews;
  choice: ViewChoice;
  /** A view's URL value (`viewParam`), or null for the generated grid. */
  onChoose: (param: string | null) => void;
  /** Saves what the user sees as a new own view; resolves to its URL value. */
  onSave: (label: string) => Promise<void>;
  onRename: (label: string) => Promise<void>;
  onDelete: () => Promise<void>;
  /** Shown in the save dialog (e.g. that the search text is not kept). */
  saveNote?: string;
};

const itemClass =
  "flex cursor-default select-none items-center gap-2 rounded px-2 py-1.5 text-sm text-slate-700 outline-none data-[highlighted]:bg-brand-50 data-[highlighted]:text-brand-700 data-[disabled]:text-slate-400";

/**
 * The object page's view menu: the shared views (default first) and the user's own, the chosen
 * one ticked; "Save as my view", and Rename / Delete for an own view.
 */
export function ViewSwitcher({ pluralLabel, views, choice, onChoose, onSave, onRename, onDelete, saveNote }: ViewSwitcherProps) {
  const [dialog, setDialog] = useState<"save" | "rename" | "delete" | null>(null);
  const current = choice.kind === "generated" ? null : choice.view;
  const CurrentIcon = TYPE_ICONS[current?.type ?? "grid"];
  const currentLabel = current?.label ?? `All ${pluralLabel.toLowerCase()}`;

  const item = (param: string | null, label: string, type: ViewType, extra?: string) => {
    const Icon = TYPE_ICONS[type];
    const selected = choice.param === param;
    return (
      <DropdownMenu.Item key={param ?? "generated"} className={itemClass} onSelect={() => onChoose(param)} data-testid="view-option">
        <Icon className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
        <span className="min-w-0 flex-1 truncate">{label}</span>
        {extra && <span className="text-xs text-slate-400">{extra}</span>}
        <span className="sr-only">({TYPE_NAMES[type]})</span>
        {selected ? <Check className="h-4 w-4 shrink-0 text-brand-600" aria-label="Current view" /> : <span className="w-4" />}
      </DropdownMenu.Item>
    );
  };

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="view-switcher">
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger asChild>
          <Button className="max-w-72" aria-label={`View: ${currentLabel}`}>
            <CurrentIcon className="h-4 w-4 shrink-0 text-slate-500" aria-hidden />
            <span className="truncate">{currentLabel}</span>
            <ChevronDown className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="start" sideOffset={4} collisionPadding={8} className="z-50 max-h-[70vh] w-72 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg">
            <DropdownMenu.Label className="px-2 pb-1 pt-1.5 text-xs font-semibold uppercase tracking-wide text-slate-400">Shared views</DropdownMenu.Label>
            {views.shared.length === 0
              ? item(null, `All ${pluralLabel.toLowerCase()}`, "grid")
              : views.shared.map((view) => item(viewParam("shared", view.name), view.label, view.type, view.isDefault ? "default" : undefined))}
            <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
            <DropdownMenu.Label className="px-2 pb-1 pt-1.5 text-xs font-semibold uppercase tracking-wide text-slate-400">My views</DropdownMenu.Label>
            {views.mine.length === 0 ? (
              <p className="px-2 py-1.5 text-xs text-slate-400">None yet: save the current view as your own.</p>
            ) : (
              views.mine.map((view) => item(viewParam("mine", view.name), view.label, view.type))
            )}
            <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
            <DropdownMenu.Item className={itemClass} onSelect={() => setDialog("save")}>
              <BookmarkPlus className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
              Save as my view…
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>

      <Button size="sm" variant="ghost" onClick={() => setDialog("save")}>
        <BookmarkPlus className="h-3.5 w-3.5" aria-hidden />
        Save as my view
      </Button>
      {choice.kind === "mine" && (
        <>
          <Button size="sm" variant="ghost" onClick={() => setDialog("rename")}>
            <Pencil className="h-3.5 w-3.5" aria-hidden />
            Rename
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setDialog("delete")}>
            <Trash2 className="h-3.5 w-3.5" aria-hidden />
            Delete
          </Button>
        </>
      )}

      {dialog === "save" && <LabelDialog
        open
        onOpenChange={(open) => setDialog(open ? "save" : null)}
        title="Save as my view"
        description={`A view only you see, starting from “${currentLabel}”${current && current.type !== "grid" ? "" : " with its current sort, filters and columns"}.`}
        note={saveNote}
        initialLabel={`My ${currentLabel.charAt(0).toLowerCase()}${currentLabel.slice(1)}`}
        submitLabel="Save view"
        onSubmit={onSave}
      />}
      {choice.kind === "mine" && (
        <>
          {dialog === "rename" && <LabelDialog
            open
            onOpenChange={(open) => setDialog(open ? "rename" : null)}
            title="Rename view"
            initialLabel={choice.view.label}
            submitLabel="Rename"
            onSubmit={onRename}
          />}
          <ConfirmDialog
            open={dialog === "delete"}
            onOpenChange={(open) => setDialog(open ? "delete" : null)}
            title={`Delete “${choice.view.label}”?`}
            description="Only this saved view is deleted; no records are touched."
            confirmLabel="Delete view"
            onConfirm={() => void onDelete()}
          />
        </>
      )}
    </div>
  );
}

/** A dialog asking for a view's label; server issues about the label show under the input. */
function LabelDialog({ open, onOpenChange, title, description, note, initialLabel, submitLabel, onSubmit }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  note?: string;
  initialLabel: string;
  submitLabel: string;
  onSubmit: (label: string) => Promise<void>;
}) {
  const inputId = useId();
  const formId = useId();
  // Mounted only while open, so every opening starts from `initialLabel`.
  const [label, setLabel] = useState(initialLabel);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = label.trim();
    if (!trimmed) {
      setError("Give the view a name");
      return;
    }
    setPending(true);
    setError(null);
    try {
      await onSubmit(trimmed);
      onOpenChange(false);
    } catch (caught) {
      const issue = errorIssues(caught).find((candidate) => candidate.path.join(".").endsWith("label"));
      setError(issue ? `Name ${issue.message}` : errorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} disabled={pending}>{pending ? "Saving…" : submitLabel}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="space-y-3">
        <FormField label="View name" htmlFor={inputId} required error={error ?? undefined}>
          <Input id={inputId} value={label} maxLength={120} autoFocus onChange={(event) => setLabel(event.target.value)} aria-invalid={error ? true : undefined} />
        </FormField>
        {note && <p className="text-xs text-slate-500">{note}</p>}
      </form>
    </Dialog>
  );
}
