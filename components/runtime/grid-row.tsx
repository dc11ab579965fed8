"use client";
import dynamic from "next/dynamic";
import { memo, type KeyboardEvent, type MouseEvent } from "react";
import type { FieldDef, ObjectDef, RowAction } from "@/spec";
import { cn } from "@/components/ui/cn";
import { FieldValue, displayField, formatFieldValue, showsNumber } from "./field-value";
import { ROW_HEIGHT } from "./grid-blocks";
import type { CellEditorValue } from "./grid-cell-value";
import type { GridColumn } from "./grid-columns";
import { pinnedCellStyle, type PinStyle } from "./grid-header";
import { GridRowMenu } from "./grid-row-menu";
import { recordTitle, type DataRecord } from "./types";

// Only needed once the user opens a cell: kept out of the list page's first load.
const CellEditor = dynamic(() => import("./grid-cell-editor").then((module) => module.CellEditor), { ssr: false });

/** Types a cell shows as their formatted text (the others render badges, links, icons: see FieldValue). */
const PLAIN_TEXT = new Set<FieldDef["type"]>(["text", "textarea", "number", "currency", "percent", "date", "datetime", "autonumber", "lookup", "master_detail"]);

/** What rows call back into the grid with; one stable object, so scrolling re-renders only new rows. */
export type GridRowHandlers = {
  open: (record: DataRecord) => void;
  toggle: (id: string) => void;
  startEditing: (record: DataRecord, field: FieldDef) => void;
  saveCell: (record: DataRecord, field: FieldDef, value: CellEditorValue) => void;
  cancelEditing: () => void;
  action: (action: RowAction, record: DataRecord) => void;
};

export type GridRowProps = {
  object: ObjectDef;
  record: DataRecord;
  /** The record's position in the sorted result. */
  index: number;
  columns: GridColumn[];
  pins: Map<string, PinStyle>;
  nameField: string;
  recordHref: (record: DataRecord) => string;
  selectable: boolean;
  selected: boolean;
  /** Fields whose cells open an editor (double-click or Enter). */
  editableFields: ReadonlySet<string>;
  /** Clicking a row opens the record (grids without inline editing). */
  clickToOpen: boolean;
  rowActions: RowAction[] | null;
  /** The field being edited in this row, its error and whether it is being saved. */
  editingField: string | null;
  cellError: string | null;
  saving: boolean;
  handlers: GridRowHandlers;
};

/** A plain left click opens in the app; modified clicks (new tab, new window, download) stay the browser's. */
function openLink(event: MouseEvent<HTMLAnchorElement>, open: () => void) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.defaultPrevented) return;
  event.preventDefault();
  open();
}

const LEFT_EDGE: PinStyle = { side: "left", offset: 0, edge: false };
const RIGHT_EDGE: PinStyle = { side: "right", offset: 0, edge: false };

/** One record's row of the virtual grid. */
export const GridRow = memo(function GridRow({
  object,
  record,
  index,
  columns,
  pins,
  nameField,
  recordHref,
  selectable,
  selected,
  editableFields,
  clickToOpen,
  rowActions,
  editingField,
  cellError,
  saving,
  handlers,
}: GridRowProps) {
  const title = recordTitle(object, record);

  function onRowClick(event: MouseEvent<HTMLTableRowElement>) {
    if (!clickToOpen) return;
    const target = event.target as HTMLElement;
    if (target.closest("a, button, input, label, select, textarea, [role=menu]")) return;
    if (window.getSelection()?.toString()) return;
    handlers.open(record);
  }

  function onCellKeyDown(event: KeyboardEvent<HTMLTableCellElement>, field: FieldDef) {
    if (event.key === "Enter" && event.target === event.currentTarget && !editingField) {
      event.preventDefault();
      handlers.startEditing(record, field);
    }
  }

  return (
    <tr
      data-testid="record-row"
      data-record-id={record.id}
      data-index={index}
      style={{ height: ROW_HEIGHT }}
      onClick={onRowClick}
      className={cn(index % 2 === 1 ? "bg-slate-50" : "bg-white", clickToOpen && "cursor-pointer", "hover:bg-brand-50", selected && "bg-brand-50")}
    >
      {selectable && (
        <td style={pinnedCellStyle(LEFT_EDGE)} className="z-10 h-9 border-b border-slate-100 bg-inherit px-3 py-0">
          <input type="checkbox" aria-label={`Select ${title}`} className="h-4 w-4 rounded border-slate-300" checked={selected} onChange={() => handlers.toggle(record.id)} />
        </td>
      )}
      {columns.map(({ field }) => {
        const editing = editingField === field.name;
        const editable = editableFields.has(field.name);
        const pin = pins.get(field.name);
        const value = record[field.name];
        // Formatted once, for the tooltip and (for plain types) the cell itself.
        const text = editing ? "" : formatFieldValue(field, value);
        return (
          <td
            key={field.name}
            data-field={field.name}
            tabIndex={editable ? -1 : undefined}
            onDoubleClick={editable ? () => handlers.startEditing(record, field) : undefined}
            onKeyDown={editable ? (event) => onCellKeyDown(event, field) : undefined}
            style={pinnedCellStyle(pin)}
            // When the first row was painted (the grid benchmark's "first rows"; text is timed by its block, the cell).
            elementtiming={index === 0 && field.name === nameField ? "grid-first-row" : undefined}
            className={cn(
              "h-9 border-b border-slate-100 bg-inherit px-3 py-0 align-middle text-slate-800",
              editing ? "overflow-visible px-1" : "truncate",
              showsNumber(field) && "text-right tabular-nums",
              pin && "z-10",
              editing && "z-20",
              editable && "focus:outline-2 focus:-outline-offset-2 focus:outline-brand-500",
            )}
            title={text || undefined}
          >
            {editing ? (
              <CellEditor
                field={field}
                initial={record[field.name]}
                error={cellError}
                saving={saving}
                onCommit={(value) => handlers.saveCell(record, field, value)}
                onCancel={handlers.cancelEditing}
              />
            ) : field.name === nameField ? (
              // A plain link that navigates client-side on a plain click: next/link costs a router
              // subscription per row, and rows mount by the dozen on every scroll jump.
              <a
                href={recordHref(record)}
                onClick={(event) => openLink(event, () => handlers.open(record))}
                className="font-medium text-brand-700 hover:underline"
              >
                {title}
              </a>
            ) : text !== "" && PLAIN_TEXT.has(displayField(field).type) ? (
              // Plain values are the formatted text itself: no wrapper element per cell (rows mount by the dozen while scrolling).
              text
            ) : (
              <FieldValue field={field} value={value} />
            )}
          </td>
        );
      })}
      <td className="border-b border-slate-100 bg-inherit p-0" />
      {rowActions && (
        <td style={pinnedCellStyle(RIGHT_EDGE)} className="z-10 h-9 border-b border-slate-100 bg-inherit px-1 py-0 text-right">
          <GridRowMenu title={title} actions={rowActions} onAction={(action) => handlers.action(action, record)} />
        </td>
      )}
    </tr>
  );
});
