"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, type ReactNode, type RefObject } from "react";
import type { FieldDef } from "@/spec";
import { formatFieldValue } from "./field-value";
import { ROW_HEIGHT } from "./grid-blocks";
import { useGridBlocks, type GridLayoutState } from "./grid-data";
import { GridRow, type GridRowProps } from "./grid-row";
import type { DataRecord } from "./types";

const OVERSCAN = 8;
/**
 * The scroller's height assumed before it is measured: the server renders (and the client
 * hydrates) the rows this shows, so the first block is painted from the HTML.
 */
const INITIAL_SCROLLER_HEIGHT = 640;

type SharedRowProps = Omit<GridRowProps, "record" | "index" | "selected" | "editingField" | "cellError" | "saving">;

/**
 * The virtual list of the grid's rows (group headers, records, placeholders for rows still
 * loading). It alone re-renders while the user scrolls: the toolbar and header are passed in as
 * elements, and rows are memoized.
 */
export function GridBody({
  scrollRef,
  grid,
  groupField,
  colSpan,
  rowProps,
  selected,
  editing,
  cellError,
  saving,
  header,
  fallback,
  onLoadedChange,
}: {
  scrollRef: RefObject<HTMLDivElement | null>;
  grid: GridLayoutState;
  groupField?: FieldDef;
  colSpan: number;
  rowProps: SharedRowProps;
  selected: ReadonlySet<string>;
  editing: { recordId: string; field: string } | null;
  cellError: string | null;
  saving: boolean;
  /** The <thead>. */
  header: ReactNode;
  /** Shown instead of rows (loading, empty). */
  fallback: ReactNode | null;
  /** Called when blocks load or drop, with a reader of the loaded records (for "select all"; read only when needed). */
  onLoadedChange: (records: () => DataRecord[]) => void;
}) {
  // TanStack Virtual is not React-Compiler-memoizable; this component simply is not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: grid.layout.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    // The sticky header row sits above the first item inside the scroller.
    paddingStart: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
    // Let React batch scroll updates instead of rendering synchronously inside each scroll event.
    useFlushSync: false,
    initialRect: { width: 0, height: INITIAL_SCROLLER_HEIGHT },
  });
  const items = virtualizer.getVirtualItems();
  const rows = useGridBlocks(grid, items[0]?.index ?? 0, items[items.length - 1]?.index ?? 40);
  // Which blocks are loaded and when they were fetched: cheap to compare on every scroll frame.
  const loadedKey = rows.loadedKey;
  useEffect(() => {
    onLoadedChange(() => rows.loadedRecords());
    // Only when what is loaded changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadedKey]);

  const paddingTop = items.length > 0 ? items[0]!.start - ROW_HEIGHT : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  function renderRow(position: number) {
    const item = grid.layout.itemAt(position);
    if (item.kind === "group") {
      const group = grid.groups?.[item.group];
      // The header shows the group's value as its first record displays it (a lookup's name, an option's label).
      const first = rows.recordAt(grid.layout.headerPosition(item.group) - item.group);
      const value = first && groupField ? first[groupField.name] : group?.key;
      const label = groupField && value !== null && value !== undefined && value !== "" ? formatFieldValue(groupField, value) : `No ${groupField?.label.toLowerCase() ?? "value"}`;
      return (
        <tr key={`group-${item.group}`} data-testid="group-header" style={{ height: ROW_HEIGHT }} className="bg-slate-100">
          <td colSpan={colSpan} className="h-9 border-b border-slate-200 px-3 py-0 text-sm">
            <span className="sticky left-3 inline-flex items-center gap-2">
              <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">{groupField?.label}</span>
              <span className="font-medium text-slate-900">{label}</span>
              <span className="rounded-full bg-white px-2 text-xs tabular-nums text-slate-600 ring-1 ring-slate-200" data-testid="group-count">{group?.count ?? 0}</span>
            </span>
          </td>
        </tr>
      );
    }
    const record = rows.recordAt(item.index);
    if (!record) {
      return (
        <tr key={`pending-${position}`} data-testid="row-placeholder" style={{ height: ROW_HEIGHT }} className="bg-white" aria-hidden>
          <td colSpan={colSpan} className="h-9 border-b border-slate-100 px-3 py-0">
            {/* Still, not pulsing: dozens of rows animating while the user scrolls cost style and paint on
                every frame, and each animation's start event ran React's dispatch (the bench's long frames). */}
            <div className="h-3 w-1/3 max-w-64 rounded bg-slate-100" />
          </td>
        </tr>
      );
    }
    const editingField = editing?.recordId === record.id ? editing.field : null;
    return (
      <GridRow
        key={record.id}
        {...rowProps}
        record={record}
        index={item.index}
        selected={selected.has(record.id)}
        editingField={editingField}
        cellError={editingField ? cellError : null}
        saving={editingField ? saving : false}
      />
    );
  }

  return (
    <>
      {header}
      <tbody>
        {fallback ?? (
          <>
            {paddingTop > 0 && <tr aria-hidden style={{ height: paddingTop }} />}
            {items.map((item) => renderRow(item.index))}
            {paddingBottom > 0 && <tr aria-hidden style={{ height: paddingBottom }} />}
          </>
        )}
      </tbody>
    </>
  );
}
