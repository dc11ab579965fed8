import { CalendarDays, Rows3, SquareKanban, type LucideIcon } from "lucide-react";
import type { ViewType } from "@/spec/view";

/** How the view menu shows a view's type. */
export const VIEW_TYPE_ICONS: Record<ViewType, LucideIcon> = { grid: Rows3, kanban: SquareKanban, calendar: CalendarDays };
export const VIEW_TYPE_NAMES: Record<ViewType, string> = { grid: "Grid", kanban: "Kanban", calendar: "Calendar" };
