"use client";
import { lazy, Suspense } from "react";
import type { RowAction } from "@/spec";
import { useLazyMenu } from "./lazy-menu";

/** Radix's menu (and its positioning) loads on first use: most rows' menus are never opened. */
const loadMenu = () => import("./grid-row-menu-radix");
const GridRowMenuRadix = lazy(loadMenu);

export const triggerClass =
  "inline-flex h-7 w-7 items-center justify-center rounded-md text-slate-500 hover:bg-slate-200 hover:text-slate-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 data-[state=open]:bg-slate-200";

/** The trigger's "⋯": a glyph rather than an icon's SVG, one text node instead of four elements on every row. */
export const rowMenuGlyph = (
  <span aria-hidden className="text-base leading-none">
    ⋯
  </span>
);

/** A label for a row action in the menu. */
export function rowActionLabel(action: RowAction): string {
  switch (action.type) {
    case "open":
      return "Open";
    case "edit":
      return "Edit";
    case "delete":
      return "Delete";
    case "update":
      return action.label;
  }
}

/** The "⋯" menu at the end of a row: the view's row actions the user may take. */
export function GridRowMenu({ title, actions, onAction }: { title: string; actions: RowAction[]; onAction: (action: RowAction) => void }) {
  const { used, triggerProps } = useLazyMenu(loadMenu);
  const trigger = (
    <button type="button" aria-label={`Actions for ${title}`} className={triggerClass} {...triggerProps}>
      {rowMenuGlyph}
    </button>
  );
  if (!used) return trigger;
  return (
    <Suspense fallback={trigger}>
      <GridRowMenuRadix title={title} actions={actions} onAction={onAction} />
    </Suspense>
  );
}
