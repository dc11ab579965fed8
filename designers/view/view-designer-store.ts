import type { Filter, OrderBy } from "@/spec/query";
import type { BulkAction, CalendarSettings, KanbanSettings, RowAction, ViewColumn, ViewDef, ViewType } from "@/spec/view";
import { DocumentStore, type CommandOptions, type DocumentStoreOptions } from "@/designers/shared/document-store";

export type ViewPropsPatch = Partial<Pick<ViewDef, "label" | "description" | "isDefault">>;
export type KanbanSummary = NonNullable<KanbanSettings["summary"]>;

/** Moves one item of a list (a new array; the same array when the move changes nothing). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] | null {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return null;
  const next = items.slice();
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved!);
  return next;
}

/**
 * The kanban columns in the order the board shows them: the values of `columnOrder` that are
 * still options, then the remaining options in their field order (as spec/view.ts defines it).
 */
export function effectiveColumnOrder(columnOrder: readonly string[], optionValues: readonly string[]): string[] {
  const known = new Set(optionValues);
  const listed = columnOrder.filter((value) => known.has(value));
  const listedSet = new Set(listed);
  return [...listed, ...optionValues.filter((value) => !listedSet.has(value))];
}

/** Rebuilds `value` with its keys in `order` first (then any others), as the schema parses them. */
function orderKeys<T extends object>(value: T, order: readonly string[]): T {
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of order) if (key in record) out[key] = record[key];
  for (const key of Object.keys(record)) if (!(key in out)) out[key] = record[key];
  return out as T;
}

const VIEW_KEYS = ["name", "label", "description", "object", "type", "isDefault", "columns", "filter", "sort", "groupBy", "inlineEdit", "rowActions", "bulkActions", "kanban", "calendar"];
const COLUMN_KEYS = ["field", "width", "pinned", "label"];
const KANBAN_KEYS = ["groupField", "columnOrder", "hiddenColumns", "cardFields", "rankField", "summary"];
const CALENDAR_KEYS = ["startField", "endField", "titleField", "colorField"];

/**
 * The view with its keys in the schema's order: the server returns documents in that order, and
 * "unsaved edits" compares JSON text, so an undo back to the published state must match it exactly.
 */
export function canonicalView(view: ViewDef): ViewDef {
  const next = orderKeys(view, VIEW_KEYS);
  next.columns = view.columns.map((column) => orderKeys(column, COLUMN_KEYS));
  if (view.kanban) next.kanban = orderKeys(view.kanban, KANBAN_KEYS);
  if (view.calendar) next.calendar = orderKeys(view.calendar, CALENDAR_KEYS);
  return next;
}

function withoutKey<T extends object, K extends keyof T>(value: T, key: K): T {
  const next = { ...value };
  delete next[key];
  return next;
}

/**
 * The view designer's document: a ViewDef with one named command per edit, so the undo menu
 * reads "Move column", "Set filter", … Settings of the other view types are kept when the type
 * changes, so switching back restores them.
 */
export class ViewDesignerStore extends DocumentStore<ViewDef> {
  /** How commands name a field in the undo menu: by its label ("Remove column Close date"), given the object. */
  private readonly fieldLabel: (field: string) => string;

  constructor(initial: ViewDef, options?: DocumentStoreOptions & { fieldLabel?: (field: string) => string }) {
    super(initial, options);
    this.fieldLabel = options?.fieldLabel ?? ((field) => field);
  }

  protected override apply(label: string, recipe: (document: ViewDef) => ViewDef, options?: CommandOptions): boolean {
    return super.apply(label, (view) => {
      const next = recipe(view);
      return next === view ? view : canonicalView(next);
    }, options);
  }

  private columnIndex(field: string): number {
    return this.document.columns.findIndex((column) => column.field === field);
  }

  // --- view properties -------------------------------------------------------------------

  /** Grid, kanban or calendar. `defaults` fill in the new type's settings when it has none yet. */
  setType(type: ViewType, defaults: { kanban?: KanbanSettings; calendar?: CalendarSettings } = {}): boolean {
    return this.apply(`Switch to ${type}`, (view) => {
      if (view.type === type) return view;
      const next: ViewDef = { ...view, type };
      if (type === "kanban" && !next.kanban && defaults.kanban) next.kanban = defaults.kanban;
      if (type === "calendar" && !next.calendar && defaults.calendar) next.calendar = defaults.calendar;
      return next;
    });
  }

  setProps(patch: ViewPropsPatch, options?: CommandOptions): boolean {
    const keys = Object.keys(patch) as (keyof ViewPropsPatch)[];
    const label = keys.length === 1 ? ({ label: "Rename view", description: "Edit description", isDefault: "Change default view" } as const)[keys[0]!] : "Edit view settings";
    return this.apply(
      label,
      (view) => {
        if (keys.every((key) => view[key] === patch[key])) return view;
        let next: ViewDef = { ...view, ...patch };
        for (const key of keys) if (patch[key] === undefined) next = withoutKey(next, key);
        return next;
      },
      options,
    );
  }

  // --- columns ---------------------------------------------------------------------------

  addColumn(field: string, index?: number): boolean {
    if (this.columnIndex(field) >= 0) return false;
    return this.apply(`Add column ${this.fieldLabel(field)}`, (view) => {
      const columns = view.columns.slice();
      columns.splice(index ?? columns.length, 0, { field });
      return { ...view, columns };
    });
  }

  removeColumn(field: string): boolean {
    if (this.columnIndex(field) < 0) return false;
    return this.apply(`Remove column ${this.fieldLabel(field)}`, (view) => ({ ...view, columns: view.columns.filter((column) => column.field !== field) }));
  }

  moveColumn(from: number, to: number): boolean {
    const columns = moveItem(this.document.columns, from, to);
    if (!columns) return false;
    return this.apply(`Move column ${this.fieldLabel(this.document.columns[from]!.field)}`, (view) => ({ ...view, columns }));
  }

  private updateColumn(field: string, label: string, change: (column: ViewColumn) => ViewColumn, options?: CommandOptions): boolean {
    const index = this.columnIndex(field);
    if (index < 0) return false;
    return this.apply(
      label,
      (view) => {
        const before = view.columns[index]!;
        const after = change(before);
        if (JSON.stringify(after) === JSON.stringify(before)) return view;
        return { ...view, columns: view.columns.map((column, i) => (i === index ? after : column)) };
      },
      options,
    );
  }

  setColumnWidth(field: string, width: number | undefined, options?: CommandOptions): boolean {
    return this.updateColumn(field, `Resize column ${this.fieldLabel(field)}`, (column) => (width === undefined ? withoutKey(column, "width") : { ...column, width }), options);
  }

  pinColumn(field: string, pinned: "left" | "right" | undefined): boolean {
    return this.updateColumn(field, pinned ? `Pin column ${this.fieldLabel(field)} ${pinned}` : `Unpin column ${this.fieldLabel(field)}`, (column) => (pinned ? { ...column, pinned } : withoutKey(column, "pinned")));
  }

  /** A heading other than the field's label; empty text goes back to the field's label. */
  renameColumn(field: string, label: string, options?: CommandOptions): boolean {
    return this.updateColumn(field, `Rename column ${this.fieldLabel(field)}`, (column) => (label.trim() === "" ? withoutKey(column, "label") : { ...column, label }), options);
  }

  // --- filter, sort, grouping --------------------------------------------------------------

  setFilter(filter: Filter | undefined, options?: CommandOptions): boolean {
    return this.apply(
      filter ? "Set filter" : "Clear filter",
      (view) => {
        if (JSON.stringify(view.filter) === JSON.stringify(filter)) return view;
        return filter ? { ...view, filter } : withoutKey(view, "filter");
      },
      options,
    );
  }

  addSort(order: OrderBy): boolean {
    return this.apply(`Sort by ${this.fieldLabel(order.field)}`, (view) => ({ ...view, sort: [...view.sort, order] }));
  }

  updateSort(index: number, order: OrderBy): boolean {
    if (!this.document.sort[index]) return false;
    return this.apply("Change sort", (view) => {
      const before = view.sort[index]!;
      if (before.field === order.field && before.direction === order.direction) return view;
      return { ...view, sort: view.sort.map((other, i) => (i === index ? order : other)) };
    });
  }

  removeSort(index: number): boolean {
    if (!this.document.sort[index]) return false;
    return this.apply("Remove sort", (view) => ({ ...view, sort: view.sort.filter((_, i) => i !== index) }));
  }

  moveSort(from: number, to: number): boolean {
    const sort = moveItem(this.document.sort, from, to);
    if (!sort) return false;
    return this.apply("Move sort", (view) => ({ ...view, sort }));
  }

  setGroupBy(field: string | undefined): boolean {
    return this.apply(field ? `Group by ${this.fieldLabel(field)}` : "Remove grouping", (view) => {
      if (view.groupBy === field) return view;
      return field ? { ...view, groupBy: field } : withoutKey(view, "groupBy");
    });
  }

  setInlineEdit(inlineEdit: boolean): boolean {
    return this.apply(inlineEdit ? "Allow inline edit" : "Turn off inline edit", (view) => (view.inlineEdit === inlineEdit ? view : { ...view, inlineEdit }));
  }

  // --- actions -------------------------------------------------------------------------------

  addRowAction(action: RowAction): boolean {
    return this.apply("Add row action", (view) => ({ ...view, rowActions: [...view.rowActions, action] }));
  }

  updateRowAction(index: number, action: RowAction, options?: CommandOptions): boolean {
    if (!this.document.rowActions[index]) return false;
    return this.apply("Edit row action", (view) => ({ ...view, rowActions: view.rowActions.map((other, i) => (i === index ? action : other)) }), options);
  }

  removeRowAction(index: number): boolean {
    if (!this.document.rowActions[index]) return false;
    return this.apply("Remove row action", (view) => ({ ...view, rowActions: view.rowActions.filter((_, i) => i !== index) }));
  }

  moveRowAction(from: number, to: number): boolean {
    const rowActions = moveItem(this.document.rowActions, from, to);
    if (!rowActions) return false;
    return this.apply("Move row action", (view) => ({ ...view, rowActions }));
  }

  addBulkAction(action: BulkAction): boolean {
    return this.apply("Add bulk action", (view) => ({ ...view, bulkActions: [...view.bulkActions, action] }));
  }

  updateBulkAction(index: number, action: BulkAction, options?: CommandOptions): boolean {
    if (!this.document.bulkActions[index]) return false;
    return this.apply("Edit bulk action", (view) => ({ ...view, bulkActions: view.bulkActions.map((other, i) => (i === index ? action : other)) }), options);
  }

  removeBulkAction(index: number): boolean {
    if (!this.document.bulkActions[index]) return false;
    return this.apply("Remove bulk action", (view) => ({ ...view, bulkActions: view.bulkActions.filter((_, i) => i !== index) }));
  }

  moveBulkAction(from: number, to: number): boolean {
    const bulkActions = moveItem(this.document.bulkActions, from, to);
    if (!bulkActions) return false;
    return this.apply("Move bulk action", (view) => ({ ...view, bulkActions }));
  }

  // --- kanban -------------------------------------------------------------------------------

  private updateKanban(label: string, change: (kanban: KanbanSettings) => KanbanSettings, options?: CommandOptions): boolean {
    const kanban = this.document.kanban;
    if (!kanban) return false;
    return this.apply(
      label,
      (view) => {
        const next = change(view.kanban!);
        return JSON.stringify(next) === JSON.stringify(view.kanban) ? view : { ...view, kanban: next };
      },
      options,
    );
  }

  /** A new group field starts with its own option order (the old field's order and hidden columns no longer apply). */
  setKanbanGroupField(groupField: string): boolean {
    if (!this.document.kanban) {
      return this.apply(`Group cards by ${this.fieldLabel(groupField)}`, (view) => ({ ...view, kanban: { groupField, columnOrder: [], hiddenColumns: [], cardFields: [] } }));
    }
    return this.updateKanban(`Group cards by ${this.fieldLabel(groupField)}`, (kanban) =>
      kanban.groupField === groupField ? kanban : { ...kanban, groupField, columnOrder: [], hiddenColumns: [] },
    );
  }

  /** Moves a column of the board; `optionValues` are the group field's options in field order. */
  moveKanbanColumn(optionValues: readonly string[], from: number, to: number): boolean {
    const kanban = this.document.kanban;
    if (!kanban) return false;
    const order = moveItem(effectiveColumnOrder(kanban.columnOrder, optionValues), from, to);
    if (!order) return false;
    return this.updateKanban(`Move column ${order[to]}`, (current) => ({ ...current, columnOrder: order }));
  }

  setKanbanColumnHidden(value: string, hidden: boolean): boolean {
    return this.updateKanban(hidden ? `Hide column ${value}` : `Show column ${value}`, (kanban) => {
      const rest = kanban.hiddenColumns.filter((other) => other !== value);
      return { ...kanban, hiddenColumns: hidden ? [...rest, value] : rest };
    });
  }

  setKanbanCardFields(cardFields: string[]): boolean {
    return this.updateKanban("Change card fields", (kanban) => ({ ...kanban, cardFields }));
  }

  toggleKanbanCardField(field: string): boolean {
    const kanban = this.document.kanban;
    if (!kanban) return false;
    const shown = kanban.cardFields.includes(field);
    return this.updateKanban(shown ? `Remove ${this.fieldLabel(field)} from cards` : `Show ${this.fieldLabel(field)} on cards`, (current) => ({
      ...current,
      cardFields: shown ? current.cardFields.filter((other) => other !== field) : [...current.cardFields, field],
    }));
  }

  moveKanbanCardField(from: number, to: number): boolean {
    const kanban = this.document.kanban;
    const cardFields = kanban ? moveItem(kanban.cardFields, from, to) : null;
    if (!cardFields) return false;
    return this.updateKanban("Move card field", (current) => ({ ...current, cardFields }));
  }

  setKanbanRankField(rankField: string | undefined): boolean {
    return this.updateKanban(rankField ? `Order cards by ${rankField}` : "Remove card order field", (kanban) =>
      rankField ? { ...kanban, rankField } : withoutKey(kanban, "rankField"),
    );
  }

  setKanbanSummary(summary: KanbanSummary | undefined): boolean {
    return this.updateKanban(summary ? "Change column summary" : "Remove column summary", (kanban) =>
      summary ? { ...kanban, summary } : withoutKey(kanban, "summary"),
    );
  }

  // --- calendar ------------------------------------------------------------------------------

  /** Sets calendar fields; an undefined value removes an optional one. */
  setCalendar(patch: Partial<CalendarSettings>): boolean {
    const keys = Object.keys(patch) as (keyof CalendarSettings)[];
    return this.apply(keys.length === 1 ? `Set calendar ${keys[0]}` : "Change calendar settings", (view) => {
      const base: CalendarSettings = view.calendar ?? { startField: patch.startField ?? "" };
      let next: CalendarSettings = { ...base, ...patch };
      for (const key of keys) if (patch[key] === undefined && key !== "startField") next = withoutKey(next, key);
      if (!next.startField) return view;
      return JSON.stringify(next) === JSON.stringify(view.calendar) ? view : { ...view, calendar: next };
    });
  }
}
