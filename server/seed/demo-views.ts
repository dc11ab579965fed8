import type { ViewInput } from "@/spec/view";

/** The demo CRM's published list views (grid, kanban pipeline, calendar). */
export const DEMO_VIEWS: ViewInput[] = [];
