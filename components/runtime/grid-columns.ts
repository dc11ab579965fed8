import type { FieldDef, ObjectDef, ViewDef } from "@/spec";
import { nameFieldOf } from "@/spec/object-fields";

/**
 * The grid's columns: which fields, in what order, how wide and pinned where. A view sets them
 * (spec/view.ts); without one the object's default columns show. On top of that each user keeps
 * their own order and widths per object and view in localStorage (dragging a header or its edge).
 */

export type GridColumn = {
  field: FieldDef;
  label: string;
  width: number;
  pinned?: "left" | "right";
};

/** What a user changed in their browser: the column order and widths by field name. */
export type StoredColumnState = { order?: string[]; widths?: Record<string, number> };

export const MIN_COLUMN_WIDTH = 60;
export const MAX_COLUMN_WIDTH = 1000;
/** The row checkbox column and the row menu column. */
export const SELECT_COLUMN_WIDTH = 40;
export const MENU_COLUMN_WIDTH = 44;

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

/** A width that suits the field's values when the view does not give one. */
export function defaultWidthOf(field: FieldDef, isName: boolean): number {
  if (isName) return 240;
  switch (field.type) {
    case "boolean":
      return 100;
    case "number":
    case "currency":
    case "percent":
    case "date":
    case "autonumber":
      return 140;
    case "datetime":
    case "select":
      return 170;
    case "email":
    case "url":
    case "lookup":
    case "master_detail":
      return 210;
    default:
      return 200;
  }
}

/** The default columns: the name field first, then every field except long text and JSON. */
export function defaultColumnFields(object: ObjectDef): FieldDef[] {
  const nameField = nameFieldOf(object);
  const named = object.fields.find((field) => field.name === nameField);
  const rest = object.fields.filter((field) => field !== named && field.type !== "textarea" && field.type !== "json");
  return named ? [named, ...rest] : rest;
}

/** The columns a view (or an explicit field list, or the defaults) defines, before the user's changes. */
export function baseColumns(object: ObjectDef, view?: Pick<ViewDef, "columns">, columnNames?: string[]): GridColumn[] {
  const nameField = nameFieldOf(object);
  const byName = new Map(object.fields.map((field) => [field.name, field]));
  const column = (field: FieldDef, extra: { label?: string; width?: number; pinned?: "left" | "right" } = {}): GridColumn => ({
    field,
    label: extra.label ?? field.label,
    width: clampWidth(extra.width ?? defaultWidthOf(field, field.name === nameField)),
    ...(extra.pinned ? { pinned: extra.pinned } : {}),
  });
  if (view && view.columns.length > 0) {
    // Columns naming a field the object no longer has (or the user may not see) are left out.
    return view.columns.flatMap((spec) => {
      const field = byName.get(spec.field);
      return field ? [column(field, spec)] : [];
    });
  }
  if (columnNames) return columnNames.flatMap((name) => (byName.has(name) ? [column(byName.get(name)!)] : []));
  return defaultColumnFields(object).map((field) => column(field));
}

/** The user's order and widths over the base columns; fields new since then keep their place at the end. */
export function applyColumnState(base: GridColumn[], stored: StoredColumnState | null): GridColumn[] {
  if (!stored) return base;
  const widths = stored.widths ?? {};
  const withWidths = base.map((column) => {
    const width = widths[column.field.name];
    return typeof width === "number" && Number.isFinite(width) ? { ...column, width: clampWidth(width) } : column;
  });
  if (!stored.order) return withWidths;
  const rank = new Map(stored.order.map((name, index) => [name, index]));
  return withWidths
    .map((column, index) => ({ column, key: rank.get(column.field.name) ?? stored.order!.length + index }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.column);
}

/** Display order: left-pinned columns first, right-pinned last, each keeping its relative order. */
export function displayOrder(columns: GridColumn[]): GridColumn[] {
  return [
    ...columns.filter((column) => column.pinned === "left"),
    ...columns.filter((column) => !column.pinned),
    ...columns.filter((column) => column.pinned === "right"),
  ];
}

/** The sticky `left`/`right` offset of each pinned column (by field name), after the leading/trailing fixed columns. */
export function pinOffsets(columns: GridColumn[], leading: number, trailing: number): Map<string, { side: "left" | "right"; offset: number; edge: boolean }> {
  const offsets = new Map<string, { side: "left" | "right"; offset: number; edge: boolean }>();
  const left = columns.filter((column) => column.pinned === "left");
  let offset = leading;
  left.forEach((column, index) => {
    offsets.set(column.field.name, { side: "left", offset, edge: index === left.length - 1 });
    offset += column.width;
  });
  const right = columns.filter((column) => column.pinned === "right");
  offset = trailing;
  [...right].reverse().forEach((column, index) => {
    offsets.set(column.field.name, { side: "right", offset, edge: index === right.length - 1 });
    offset += column.width;
  });
  return offsets;
}

/** The order after moving field `active` to where `over` is. */
export function moveColumn(order: string[], active: string, over: string): string[] {
  const from = order.indexOf(active);
  const to = order.indexOf(over);
  if (from < 0 || to < 0 || from === to) return order;
  const next = [...order];
  next.splice(from, 1);
  next.splice(to, 0, active);
  return next;
}

export function columnStorageKey(object: string, view?: string): string {
  return `objectstudio.grid.columns:${object}:${view ?? "(default)"}`;
}

/** The stored state, ignoring anything that is not the expected shape (an old or hand-edited entry). */
export function parseStoredColumnState(raw: string | null): StoredColumnState | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== "object") return null;
    const { order, widths } = parsed as { order?: unknown; widths?: unknown };
    const state: StoredColumnState = {};
    if (Array.isArray(order) && order.every((name) => typeof name === "string")) state.order = order;
    if (widths && typeof widths === "object" && !Array.isArray(widths)) {
      state.widths = Object.fromEntries(Object.entries(widths).filter(([, width]) => typeof width === "number" && Number.isFinite(width))) as Record<string, number>;
    }
    return state;
  } catch {
    return null;
  }
}
