import type { ErrorIssue } from "@/components/trpc";
import { zodIssues } from "@/designers/shared/issues";
import { viewMetadataIssues } from "@/server/metadata/view-check";
import { nameFieldOf, type FieldDef, type ObjectDef } from "@/spec/object";
import { viewSchema, type CalendarSettings, type KanbanSettings, type ViewDef } from "@/spec/view";

export const DATE_FIELD_TYPES = new Set<FieldDef["type"]>(["date", "datetime"]);
export const NUMBER_FIELD_TYPES = new Set<FieldDef["type"]>(["number", "currency", "percent"]);

/** Kanban settings for a first switch to kanban: grouped by the object's first select field. */
export function defaultKanban(object: ObjectDef): KanbanSettings | undefined {
  const group = object.fields.find((field) => field.type === "select");
  return group ? { groupField: group.name, columnOrder: [], hiddenColumns: [], cardFields: [] } : undefined;
}

/** Calendar settings for a first switch to calendar: the object's first date field, titled by its name field. */
export function defaultCalendar(object: ObjectDef): CalendarSettings | undefined {
  const start = object.fields.find((field) => DATE_FIELD_TYPES.has(field.type));
  if (!start) return undefined;
  const title = nameFieldOf(object);
  return { startField: start.name, ...(title !== "id" ? { titleField: title } : {}) };
}

/** The columns a new view starts with: the name field and the next few short fields. */
export function defaultColumns(object: ObjectDef): ViewDef["columns"] {
  const name = nameFieldOf(object);
  const named = object.fields.filter((field) => field.name === name);
  const rest = object.fields.filter((field) => field.name !== name && !["textarea", "json"].includes(field.type));
  return [...named, ...rest].slice(0, 6).map((field) => ({ field: field.name }));
}

/**
 * The checks the server runs when the view is saved (schema) and published (fields against the
 * object), run locally first so problems show on their controls before anything is sent.
 */
export function validateView(view: ViewDef, object: ObjectDef | undefined): ErrorIssue[] {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return zodIssues(parsed.error);
  if (!object) return [];
  return viewMetadataIssues(parsed.data, object).map((issue) => ({
    path: issue.path.map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
    message: issue.message,
  }));
}
