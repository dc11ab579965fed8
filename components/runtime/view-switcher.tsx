"use client";
import { BookmarkPlus, ChevronDown, Pencil, Trash2 } from "lucide-react";
import dynamic from "next/dynamic";
import { lazy, Suspense, useState } from "react";
import { Button } from "@/components/ui/button";
import { useLazyMenu } from "./lazy-menu";
import type { ObjectViews, ViewChoice } from "./view-selection";
import { VIEW_TYPE_ICONS } from "./view-type-icons";

// The Radix dropdown (with its positioning code) and the dialogs are not part of the page's first
// load: the menu loads when first opened (or hovered/focused), a dialog when it opens.
const loadMenu = () => import("./view-switcher-menu");
const ViewSwitcherMenu = lazy(() => loadMenu().then((module) => ({ default: module.ViewSwitcherMenu })));
const ViewLabelDialog = dynamic(() => import("./view-label-dialog").then((module) => module.ViewLabelDialog), { ssr: false });
const ConfirmDialog = dynamic(() => import("@/components/ui/dialog").then((module) => module.ConfirmDialog), { ssr: false });

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

/**
 * The object page's view menu: the shared views (default first) and the user's own, the chosen
 * one ticked; "Save as my view", and Rename / Delete for an own view.
 */
export function ViewSwitcher({ pluralLabel, views, choice, onChoose, onSave, onRename, onDelete, saveNote }: ViewSwitcherProps) {
  const [dialog, setDialog] = useState<"save" | "rename" | "delete" | null>(null);
  // Until first opened, the trigger is a plain button; then the Radix menu replaces it, open.
  const { used: menuMounted, triggerProps } = useLazyMenu(loadMenu);
  const current = choice.kind === "generated" ? null : choice.view;
  const CurrentIcon = VIEW_TYPE_ICONS[current?.type ?? "grid"];
  const currentLabel = current?.label ?? `All ${pluralLabel.toLowerCase()}`;
  const triggerLabel = `View: ${currentLabel}`;
  const trigger = (
    <>
      <CurrentIcon className="h-4 w-4 shrink-0 text-slate-500" aria-hidden />
      <span className="truncate">{currentLabel}</span>
      <ChevronDown className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
    </>
  );
  const plainTrigger = (
    <Button className="max-w-72" aria-label={triggerLabel} {...triggerProps}>
      {trigger}
    </Button>
  );

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="view-switcher">
      {menuMounted ? (
        <Suspense fallback={plainTrigger}>
          <ViewSwitcherMenu
            pluralLabel={pluralLabel}
            views={views}
            choice={choice}
            triggerLabel={triggerLabel}
            trigger={trigger}
            defaultOpen
            onChoose={onChoose}
            onSaveRequest={() => setDialog("save")}
          />
        </Suspense>
      ) : (
        plainTrigger
      )}

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

      {dialog === "save" && <ViewLabelDialog
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
          {dialog === "rename" && <ViewLabelDialog
            open
            onOpenChange={(open) => setDialog(open ? "rename" : null)}
            title="Rename view"
            initialLabel={choice.view.label}
            submitLabel="Rename"
            onSubmit={onRename}
          />}
          {dialog === "delete" && <ConfirmDialog
            open
            onOpenChange={(open) => setDialog(open ? "delete" : null)}
            title={`Delete “${choice.view.label}”?`}
            description="Only this saved view is deleted; no records are touched."
            confirmLabel="Delete view"
            onConfirm={() => void onDelete()}
          />}
        </>
      )}
    </div>
  );
}
