import type { ViewInput } from "@/spec/view";

/** The demo CRM's published list views (grid, kanban pipeline, calendar). */
export const DEMO_VIEWS: ViewInput[] = [
  {
    name: "all_opportunities",
    label: "All opportunities",
    object: "opportunity",
    type: "grid",
    isDefault: true,
    columns: [
      { field: "name", width: 320, pinned: "left" },
      { field: "account", width: 200 },
      { field: "stage", width: 140 },
      { field: "amount", width: 140 },
      { field: "probability", width: 110 },
      { field: "close_date", width: 130 },
      { field: "number", width: 110 },
    ],
    sort: [{ field: "close_date", direction: "asc" }],
  },
  {
    name: "pipeline",
    label: "Pipeline",
    description: "Open and closed opportunities by stage; drag a card to move it on.",
    object: "opportunity",
    type: "kanban",
    sort: [{ field: "close_date", direction: "asc" }],
    kanban: {
      groupField: "stage",
      cardFields: ["account", "amount", "close_date"],
      summary: { aggregate: "sum", field: "amount" },
    },
  },
  {
    name: "close_dates",
    label: "Close dates",
    description: "Opportunities on their expected close date, coloured by stage.",
    object: "opportunity",
    type: "calendar",
    calendar: { startField: "close_date", colorField: "stage" },
  },
  {
    name: "accounts_by_industry",
    label: "Accounts by industry",
    object: "account",
    type: "grid",
    isDefault: true,
    columns: [
      { field: "name", width: 260, pinned: "left" },
      { field: "industry", width: 160 },
      { field: "annual_revenue", width: 160 },
      { field: "employees", width: 120 },
      { field: "website", width: 240 },
    ],
    sort: [{ field: "name", direction: "asc" }],
    groupBy: "industry",
  },
];
