"use client";
import { DropdownMenu } from "radix-ui";
import type { RowAction } from "@/spec";
import { rowActionLabel, rowMenuGlyph, triggerClass } from "./grid-row-menu";

const itemClass =
  "flex cursor-pointer select-none items-center rounded px-2 py-1.5 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100 data-[highlighted]:text-slate-900";

/** The row menu itself (Radix), loaded when a row's "⋯" is first used; opens at once. */
export default function GridRowMenuRadix({ title, actions, onAction }: { title: string; actions: RowAction[]; onAction: (action: RowAction) => void }) {
  return (
    <DropdownMenu.Root modal={false} defaultOpen>
      <DropdownMenu.Trigger
        aria-label={`Actions for ${title}`}
        className={triggerClass}
      >
        {rowMenuGlyph}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-40 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
          {actions.map((action, index) => (
            <DropdownMenu.Item
              key={`${action.type}-${index}`}
              className={action.type === "delete" ? `${itemClass} text-red-700 data-[highlighted]:bg-red-50 data-[highlighted]:text-red-800` : itemClass}
              onSelect={() => onAction(action)}
            >
              {rowActionLabel(action)}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
