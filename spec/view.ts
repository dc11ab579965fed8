import { z } from "zod";
import { identifier } from "./identifier";
import { filterSchema, orderBySchema } from "./query";

/**
 * List views: how an object's records are listed. A view is a grid, a kanban board (cards in a
 * column per value of a select field; dragging a card sets the field) or a calendar (records on
 * their date; dragging one reschedules it), with its columns, filter (an ObjectQL filter), sort,
 * grouping and actions. Published views are shared with everyone who may read the object;
 * users also keep views of their own (server/views, same shape).
 */

export const VIEW_TYPES = ["grid", "kanban", "calendar"] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

export const viewColumnSchema = z.object({
  field: identifier,
  /** Width in pixels (the user can still resize in their browser). */
  width: z.number().int().min(40).max(1000).optional(),
  /** Pinned columns stay in view while the grid scrolls sideways. */
  pinned: z.enum(["left", "right"]).optional(),
  label: z.string().trim().min(1).max(120).optional(),
});
export type ViewColumn = z.infer<typeof viewColumnSchema>;

const scalarValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

/** What a row's menu offers. `update` sets one field to a fixed value (e.g. "Close"). */
export const rowActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("open") }),
  z.object({ type: z.literal("edit") }),
  z.object({ type: z.literal("delete") }),
  z.object({ type: z.literal("update"), label: z.string().trim().min(1).max(60), field: identifier, value: scalarValue }),
]);
export type RowAction = z.infer<typeof rowActionSchema>;

/** What the toolbar offers for the selected rows. `update` without a value asks the user for one. */
export const bulkActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("delete") }),
  z.object({ type: z.literal("export") }),
  z.object({ type: z.literal("update"), label: z.string().trim().min(1).max(60), field: identifier, value: scalarValue.optional() }),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;

export const KANBAN_SUMMARIES = ["count", "sum", "avg", "min", "max"] as const;

export const kanbanSettingsSchema = z.object({
  /** A select field: one column per option. */
  groupField: identifier,
  /** Column order by option value (options not listed follow in their field order). */
  columnOrder: z.array(z.string().max(100)).max(200).default([]),
  hiddenColumns: z.array(z.string().max(100)).max(200).default([]),
  /** Fields shown on a card under its title. */
  cardFields: z.array(identifier).max(8).default([]),
  /** A number field that keeps the order of cards within a column (dragging sets it). */
  rankField: identifier.optional(),
  /** Shown in each column's header besides the card count. */
  summary: z.object({ aggregate: z.enum(KANBAN_SUMMARIES), field: identifier }).optional(),
});
export type KanbanSettings = z.infer<typeof kanbanSettingsSchema>;

export const calendarSettingsSchema = z.object({
  /** A date or date-time field: where a record sits on the calendar. */
  startField: identifier,
  /** Where it ends (multi-day records span days); dragging moves both. */
  endField: identifier.optional(),
  /** Default: the object's name field. */
  titleField: identifier.optional(),
  /** A select field whose option colours tint the entries. */
  colorField: identifier.optional(),
});
export type CalendarSettings = z.infer<typeof calendarSettingsSchema>;

export const viewSchema = z
  .object({
    name: identifier,
    label: z.string().trim().min(1, "is required").max(120),
    description: z.string().max(2000).optional(),
    object: identifier,
    type: z.enum(VIEW_TYPES).default("grid"),
    /** The object's view users land on. */
    isDefault: z.boolean().default(false),
    columns: z.array(viewColumnSchema).max(60).default([]),
    filter: filterSchema.optional(),
    sort: z.array(orderBySchema).max(5).default([]),
    /** Grid rows grouped under a header per value of this field. */
    groupBy: identifier.optional(),
    inlineEdit: z.boolean().default(true),
    rowActions: z.array(rowActionSchema).max(20).default([{ type: "open" }, { type: "edit" }, { type: "delete" }]),
    bulkActions: z.array(bulkActionSchema).max(20).default([{ type: "delete" }, { type: "export" }]),
    kanban: kanbanSettingsSchema.optional(),
    calendar: calendarSettingsSchema.optional(),
  })
  .superRefine((view, ctx) => {
    if (view.type === "kanban" && !view.kanban) ctx.addIssue({ code: "custom", path: ["kanban"], message: "is required for a kanban view (choose the field to group by)" });
    if (view.type === "calendar" && !view.calendar) ctx.addIssue({ code: "custom", path: ["calendar"], message: "is required for a calendar view (choose the date field)" });
    const seen = new Set<string>();
    view.columns.forEach((column, index) => {
      if (seen.has(column.field)) ctx.addIssue({ code: "custom", path: ["columns", index, "field"], message: `'${column.field}' is already a column` });
      seen.add(column.field);
    });
  });
export type ViewDef = z.infer<typeof viewSchema>;
export type ViewInput = z.input<typeof viewSchema>;
