"use client";
import dynamic from "next/dynamic";
import type { ViewDef } from "@/spec/view";
import { Spinner } from "@/components/ui/feedback";
import { RecordGrid, type RecordGridProps } from "./record-grid";
import type { DescribedObjectDef } from "./record-access";
import type { DataRecord } from "./types";

// The board and the calendar (with @dnd-kit and their popovers) load only when a view of their
// type is shown, so a grid page does not download them.
const KanbanBoard = dynamic(() => import("./kanban-board").then((module) => module.KanbanBoard), {
  loading: () => <Spinner label="Loading board" />,
});
const CalendarView = dynamic(() => import("./calendar-view").then((module) => module.CalendarView), {
  loading: () => <Spinner label="Loading calendar" />,
});

export type ListViewProps = {
  object: DescribedObjectDef;
  view: ViewDef;
  recordHref: (record: DataRecord) => string;
  /** Read as this user (admins' preview as user). */
  asUser?: string;
  /** No writes (the designer's preview). */
  readOnly?: boolean;
  /** The calendar's month ("YYYY-MM") when the caller keeps it, e.g. in the URL. */
  month?: string;
  onMonthChange?: (month: string) => void;
  /** Passed to the grid of a grid view (URL state, New button, ...). */
  gridProps?: Omit<RecordGridProps, "object" | "view" | "recordHref">;
};

/** One list view, rendered by its type: the grid, the kanban board or the calendar. */
export function ListView({ object, view, recordHref, asUser, readOnly, month, onMonthChange, gridProps }: ListViewProps) {
  switch (view.type) {
    case "kanban":
      return <KanbanBoard object={object} view={view} recordHref={recordHref} asUser={asUser} readOnly={readOnly} />;
    case "calendar":
      return <CalendarView object={object} view={view} recordHref={recordHref} asUser={asUser} readOnly={readOnly} month={month} onMonthChange={onMonthChange} />;
    default:
      return <RecordGrid {...gridProps} object={object} view={view} recordHref={recordHref} asUser={asUser} readOnly={readOnly} />;
  }
}
