import type { ObjectDef } from "@/spec/object";
import type { Filter } from "@/spec/query";
import type { ViewDef } from "@/spec/view";

/** Columns every record has, readable by whoever may read the record. */
const SYSTEM_FIELDS = new Set(["id", "created_at", "updated_at", "created_by", "updated_by", "owner_id"]);

function filterFieldNames(filter: Filter, out: string[] = []): string[] {
  if ("and" in filter) filter.and.forEach((part) => filterFieldNames(part, out));
  else if ("or" in filter) filter.or.forEach((part) => filterFieldNames(part, out));
  else if ("not" in filter) filterFieldNames(filter.not, out);
  else out.push(filter.field.split(".")[0]!);
  return out;
}

/**
 * A view as one reader gets it, given the object as `describe` answers for them (fields they may
 * not read are not in it). What only decorates the view (columns, card fields, sort keys, the
 * summary, colours, update actions) is dropped when it names a hidden field, so a view is never
 * an error for the end user. A view whose records cannot be chosen as the view means them (a
 * filter, kanban group or calendar date on a hidden field) is left out: null.
 */
export function viewForReader(view: ViewDef, object: Pick<ObjectDef, "fields">): ViewDef | null {
  const readable = new Set(object.fields.map((field) => field.name));
  const known = (path: string | undefined) => path === undefined || readable.has(path.split(".")[0]!) || SYSTEM_FIELDS.has(path);
  const optional = (name: string | undefined) => (name !== undefined && known(name) ? name : undefined);

  if (view.filter && !filterFieldNames(view.filter).every(known)) return null;
  if (view.kanban && !readable.has(view.kanban.groupField)) return null;
  if (view.calendar && !readable.has(view.calendar.startField)) return null;

  return {
    ...view,
    columns: view.columns.filter((column) => readable.has(column.field)),
    sort: view.sort.filter((order) => known(order.field)),
    groupBy: optional(view.groupBy),
    rowActions: view.rowActions.filter((action) => action.type !== "update" || readable.has(action.field)),
    bulkActions: view.bulkActions.filter((action) => action.type !== "update" || readable.has(action.field)),
    ...(view.kanban && {
      kanban: {
        ...view.kanban,
        cardFields: view.kanban.cardFields.filter((name) => readable.has(name)),
        rankField: optional(view.kanban.rankField),
        summary: view.kanban.summary && (view.kanban.summary.aggregate === "count" || readable.has(view.kanban.summary.field)) ? view.kanban.summary : undefined,
      },
    }),
    ...(view.calendar && {
      calendar: {
        ...view.calendar,
        endField: optional(view.calendar.endField),
        titleField: optional(view.calendar.titleField),
        colorField: optional(view.calendar.colorField),
      },
    }),
  };
}
