"use client";
import { BookmarkPlus, Check } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import type { ReactNode } from "react";
import type { ViewType } from "@/spec/view";
import { Button } from "@/components/ui/button";
import { ALL_RECORDS_PARAM, offersGeneratedGrid, viewParam, type ObjectViews, type ViewChoice } from "./view-selection";
import { VIEW_TYPE_ICONS, VIEW_TYPE_NAMES } from "./view-type-icons";

export type ViewSwitcherMenuProps = {
  pluralLabel: string;
  views: ObjectViews;
  choice: ViewChoice;
  /** The trigger button's accessible name and content (the current view). */
  triggerLabel: string;
  trigger: ReactNode;
  /** Open when mounted: the switcher mounts the menu on the first click of its plain button. */
  defaultOpen?: boolean;
  onChoose: (param: string | null) => void;
  onSaveRequest: () => void;
};

const itemClass =
  "flex cursor-default select-none items-center gap-2 rounded px-2 py-1.5 text-sm text-slate-700 outline-none data-[highlighted]:bg-brand-50 data-[highlighted]:text-brand-700 data-[disabled]:text-slate-400";

/**
 * The view menu itself (Radix dropdown): the shared views (default first) and the user's own,
 * the chosen one ticked, and "Save as my view". Loaded on the first opening (see ViewSwitcher).
 */
export function ViewSwitcherMenu({ pluralLabel, views, choice, triggerLabel, trigger, defaultOpen, onChoose, onSaveRequest }: ViewSwitcherMenuProps) {
  const item = (param: string | null, label: string, type: ViewType, extra?: string) => {
    const Icon = VIEW_TYPE_ICONS[type];
    const selected = choice.param === param;
    return (
      <DropdownMenu.Item key={param ?? ALL_RECORDS_PARAM} className={itemClass} onSelect={() => onChoose(param)} data-testid="view-option">
        <Icon className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
        <span className="min-w-0 flex-1 truncate">{label}</span>
        {extra && <span className="text-xs text-slate-400">{extra}</span>}
        <span className="sr-only">({VIEW_TYPE_NAMES[type]})</span>
        {selected ? <Check className="h-4 w-4 shrink-0 text-brand-600" aria-label="Current view" /> : <span className="w-4" />}
      </DropdownMenu.Item>
    );
  };

  return (
    <DropdownMenu.Root modal={false} defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger asChild>
        <Button className="max-w-72" aria-label={triggerLabel}>
          {trigger}
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={4} collisionPadding={8} className="z-50 max-h-[70vh] w-72 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg">
          <DropdownMenu.Label className="px-2 pb-1 pt-1.5 text-xs font-semibold uppercase tracking-wide text-slate-400">Shared views</DropdownMenu.Label>
          {/* A grid of every record is always there: the generated one unless a shared grid shows them all. */}
          {offersGeneratedGrid(views) && item(views.shared.length === 0 ? null : ALL_RECORDS_PARAM, `All ${pluralLabel.toLowerCase()}`, "grid")}
          {views.shared.map((view) => item(viewParam("shared", view.name), view.label, view.type, view.isDefault ? "default" : undefined))}
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          <DropdownMenu.Label className="px-2 pb-1 pt-1.5 text-xs font-semibold uppercase tracking-wide text-slate-400">My views</DropdownMenu.Label>
          {views.mine.length === 0 ? (
            <p className="px-2 py-1.5 text-xs text-slate-400">None yet: save the current view as your own.</p>
          ) : (
            views.mine.map((view) => item(viewParam("mine", view.name), view.label, view.type))
          )}
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          <DropdownMenu.Item className={itemClass} onSelect={onSaveRequest}>
            <BookmarkPlus className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
            Save as my view…
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
