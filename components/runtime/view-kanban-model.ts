import type { FieldDef, ObjectDef } from "@/spec";
import type { Filter, OrderBy } from "@/spec/query";
import type { ViewDef } from "@/spec/view";

/**
 * The kanban board's model, without React: which columns a board has, what each column loads,
 * and the rank a card gets between its new neighbours.
 */

/** One column: an option of the group field, or `null` for records without a value. */
export type KanbanColumn = { value: string | null; label: string; color?: string };

/** The column of records without a value, named by its field ("No stage"). */
export function noValueLabel(groupField: FieldDef): string {
  return `No ${groupField.label.toLowerCase()}`;
}

/** The group field's options in the view's column order (then the field's order), hidden ones left out. */
export function kanbanOptionColumns(groupField: FieldDef | undefined, settings: NonNullable<ViewDef["kanban"]>): KanbanColumn[] {
  if (!groupField || groupField.type !== "select") return [];
  const hidden = new Set(settings.hiddenColumns);
  const position = new Map(settings.columnOrder.map((value, index) => [value, index]));
  return groupField.options
    .map((option, index) => ({ option, index }))
    .filter(({ option }) => !hidden.has(option.value))
    .sort((a, b) => (position.get(a.option.value) ?? settings.columnOrder.length + a.index) - (position.get(b.option.value) ?? settings.columnOrder.length + b.index))
    .map(({ option }) => ({ value: option.value, label: option.label, ...(option.color ? { color: option.color } : {}) }));
}

/** Adds the column of records without a value ("No stage") when there are some and the field does not require one. */
export function withNoValueColumn(columns: KanbanColumn[], groupField: FieldDef | undefined, recordsWithoutValue: number): KanbanColumn[] {
  if (!groupField || groupField.required || recordsWithoutValue <= 0) return columns;
  return [...columns, { value: null, label: noValueLabel(groupField) }];
}

/** The view's filter AND the column's group value. */
export function columnFilter(viewFilter: Filter | undefined, groupField: string, value: string | null): Filter {
  const own: Filter = value === null ? { field: groupField, operator: "is_null" } : { field: groupField, operator: "=", value };
  return viewFilter ? { and: [viewFilter, own] } : own;
}

/** Cards in a column follow the rank field when there is one, else the view's sort (ObjectQL breaks ties by id). */
export function columnOrderBy(view: Pick<ViewDef, "sort" | "kanban">): OrderBy[] | undefined {
  const rankField = view.kanban?.rankField;
  if (rankField) return [{ field: rankField, direction: "asc" }];
  return view.sort.length > 0 ? view.sort : undefined;
}

function numeric(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * The rank of a card dropped between `before` and `after` (their rank values; either may be
 * missing at a column's ends or unset): the midpoint, one past the last, one before the first.
 * Rounded to the field's scale; null when the neighbours leave no room at that scale.
 */
export function rankBetween(before: unknown, after: unknown, scale?: number): number | null {
  const low = numeric(before);
  const high = numeric(after);
  let rank: number;
  if (low !== undefined && high !== undefined) rank = (low + high) / 2;
  else if (low !== undefined) rank = low + 1;
  else if (high !== undefined) rank = high - 1;
  else rank = 0;
  if (scale !== undefined) {
    const factor = 10 ** scale;
    rank = Math.round(rank * factor) / factor;
    if ((low !== undefined && rank <= low) || (high !== undefined && rank >= high)) return null;
  }
  return rank;
}

/** Where a card lands: the column's records with the moved one placed at `index` (0..length). */
export function placeCard<T extends { id: string }>(records: T[], moved: T, index: number): T[] {
  const rest = records.filter((record) => record.id !== moved.id);
  const at = Math.max(0, Math.min(index, rest.length));
  return [...rest.slice(0, at), moved, ...rest.slice(at)];
}

/** The scale of a number-like field (for rounding ranks). */
export function scaleOf(object: ObjectDef, name: string | undefined): number | undefined {
  const field = name ? object.fields.find((candidate) => candidate.name === name) : undefined;
  return field && "scale" in field && typeof field.scale === "number" ? field.scale : undefined;
}
