"use client";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { useRef, useSyncExternalStore, type CSSProperties, type KeyboardEvent, type PointerEvent } from "react";
import type { FieldDef } from "@/spec";
import { cn } from "@/components/ui/cn";
import { showsNumber } from "./field-value";
import { clampWidth, type GridColumn } from "./grid-columns";

const noSubscription = () => () => {};

const UNSORTABLE = new Set<FieldDef["type"]>(["multiselect", "json"]);

function SortIcon({ direction }: { direction: "asc" | "desc" | null }) {
  if (direction === "asc") return <ArrowUp className="h-3.5 w-3.5 text-brand-600" aria-hidden />;
  if (direction === "desc") return <ArrowDown className="h-3.5 w-3.5 text-brand-600" aria-hidden />;
  return <ArrowUpDown className="h-3.5 w-3.5 text-slate-300 group-hover:text-slate-400" aria-hidden />;
}

export type PinStyle = { side: "left" | "right"; offset: number; edge: boolean } | undefined;

/** Sticky placement of a pinned cell, with a shadow on the edge next to the scrolling columns. */
export function pinnedCellStyle(pin: PinStyle): CSSProperties | undefined {
  if (!pin) return undefined;
  return {
    position: "sticky",
    [pin.side]: pin.offset,
    boxShadow: pin.edge ? (pin.side === "left" ? "6px 0 6px -5px rgba(15, 23, 42, 0.18)" : "-6px 0 6px -5px rgba(15, 23, 42, 0.18)") : undefined,
  };
}

export type HeaderCellProps = {
  column: GridColumn;
  pin: PinStyle;
  direction: "asc" | "desc" | null;
  sortable: boolean;
  onSort: () => void;
  onResize: (width: number) => void;
  onResizeEnd: (width: number) => void;
};

/** What @dnd-kit's useSortable gives a header that can be dragged to another place (grid-header-dnd.tsx). */
export type HeaderDrag = {
  setNodeRef: (element: HTMLElement | null) => void;
  attributes: Record<string, unknown>;
  listeners: Record<string, unknown> | undefined;
  transform: string | undefined;
  transition: string | undefined;
  isDragging: boolean;
};

/**
 * A column header: sorts on click, resizes when its right edge is dragged (or with the arrow
 * keys on it) and, with `drag`, moves when dragged (or with Space and the arrow keys while
 * focused).
 */
export function GridHeaderCell({ column, pin, direction, sortable, onSort, onResize, onResizeEnd, drag: dragging }: HeaderCellProps & { drag?: HeaderDrag }) {
  const { field } = column;
  const reorderable = !!dragging;
  const { attributes = {}, listeners, setNodeRef, transform, transition, isDragging = false } = dragging ?? {};
  const numeric = showsNumber(field);
  const drag = useRef<{ startX: number; startWidth: number; width: number } | null>(null);
  // The grid's first rows come with the HTML: the resize handle appears once it works (hydrated).
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);

  function onResizePointerDown(event: PointerEvent<HTMLDivElement>) {
    event.preventDefault();
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startX: event.clientX, startWidth: column.width, width: column.width };
  }
  function onResizePointerMove(event: PointerEvent<HTMLDivElement>) {
    if (!drag.current) return;
    const width = clampWidth(drag.current.startWidth + event.clientX - drag.current.startX);
    if (width !== drag.current.width) {
      drag.current.width = width;
      onResize(width);
    }
  }
  function onResizePointerUp() {
    if (!drag.current) return;
    const { width } = drag.current;
    drag.current = null;
    onResizeEnd(width);
  }
  function onResizeKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    event.stopPropagation();
    onResizeEnd(clampWidth(column.width + (event.key === "ArrowRight" ? 20 : -20)));
  }

  const style: CSSProperties = {
    ...pinnedCellStyle(pin),
    transform,
    transition,
    zIndex: isDragging ? 40 : pin ? 30 : 20,
  };
  // The header keeps its columnheader role; @dnd-kit's keyboard handling applies when the header itself has focus.
  const { role: _role, tabIndex: _tabIndex, ...dragAttributes } = attributes as { role?: string; tabIndex?: number };
  return (
    <th
      ref={setNodeRef}
      scope="col"
      style={style}
      data-testid={`column-${field.name}`}
      data-width={column.width}
      aria-sort={direction ? (direction === "asc" ? "ascending" : "descending") : sortable ? "none" : undefined}
      {...(reorderable ? dragAttributes : {})}
      tabIndex={reorderable ? 0 : undefined}
      onPointerDown={(event) => {
        if (reorderable) (listeners?.onPointerDown as ((event: PointerEvent) => void) | undefined)?.(event);
      }}
      onKeyDown={(event) => {
        if (reorderable && event.target === event.currentTarget) (listeners?.onKeyDown as ((event: KeyboardEvent) => void) | undefined)?.(event);
      }}
      className={cn(
        "group/header sticky top-0 h-9 whitespace-nowrap border-b border-slate-200 bg-slate-50 px-3 text-xs font-semibold uppercase tracking-wide text-slate-500 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-500",
        numeric ? "text-right" : "text-left",
        reorderable && "cursor-grab active:cursor-grabbing",
        isDragging && "bg-slate-100 opacity-90 shadow-md",
      )}
    >
      <div className={cn("flex min-w-0 items-center gap-1", numeric && "justify-end")}>
        {sortable && !UNSORTABLE.has(field.type) ? (
          <button
            type="button"
            onClick={onSort}
            className={cn("group inline-flex min-w-0 items-center gap-1 uppercase hover:text-slate-800", numeric && "flex-row-reverse", direction && "text-slate-800")}
            title={`Sort by ${column.label}`}
          >
            <span className="truncate">{column.label}</span>
            <SortIcon direction={direction} />
          </button>
        ) : (
          <span className="truncate">{column.label}</span>
        )}
      </div>
      {hydrated && <div
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${column.label}`}
        aria-valuenow={column.width}
        tabIndex={0}
        data-testid={`resize-${field.name}`}
        onPointerDown={onResizePointerDown}
        onPointerMove={onResizePointerMove}
        onPointerUp={onResizePointerUp}
        onPointerCancel={onResizePointerUp}
        onKeyDown={onResizeKeyDown}
        className="absolute right-0 top-0 z-10 h-full w-2 cursor-col-resize touch-none after:absolute after:inset-y-2 after:right-0 after:w-px after:bg-slate-200 hover:after:w-0.5 hover:after:bg-brand-500 focus-visible:outline-none focus-visible:after:w-0.5 focus-visible:after:bg-brand-500"
      />}
    </th>
  );
}
