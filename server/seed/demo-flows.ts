import type { FlowInput } from "@/spec/flow";

/**
 * The demo CRM's flows: one of each kind a new admin will want to open in the designer and step
 * through in the debugger.
 */
export const DEMO_FLOWS: FlowInput[] = [
  {
    name: "opportunity_close",
    label: "Close an opportunity",
    description: "Before save: a won opportunity gets probability 100% and a close date (today, unless set); a lost one 0%.",
    start: { type: "record", object: "opportunity", when: "before_save", on: "create_or_update", condition: "ISNEW() OR ISCHANGED(record.stage)", position: { x: 0, y: 0 } },
    elements: [
      { id: "which", label: "Won or lost?", type: "decision", position: { x: 0, y: 120 }, outcomes: [{ id: "won", label: "Won", condition: "record.stage = 'closed_won'" }, { id: "lost", label: "Lost", condition: "record.stage = 'closed_lost'" }], defaultLabel: "Still open" },
      { id: "set_won", label: "Set won", type: "assignment", position: { x: -200, y: 260 }, assignments: [{ target: "record.probability", value: "100" }, { target: "record.close_date", value: "BLANKVALUE(record.close_date, TODAY())" }] },
      { id: "set_lost", label: "Set lost", type: "assignment", position: { x: 200, y: 260 }, assignments: [{ target: "record.probability", value: "0" }] },
    ],
    edges: [
      { source: "start", target: "which" },
      { source: "which", handle: "won", target: "set_won" },
      { source: "which", handle: "lost", target: "set_lost" },
    ],
  },
  {
    name: "won_account_active",
    label: "Won deals keep their account active",
    description: "After save: when an opportunity is won, its account is marked active.",
    start: { type: "record", object: "opportunity", when: "after_save", on: "update", condition: "record.stage = 'closed_won' AND ISCHANGED(record.stage) AND NOT ISBLANK(record.account)", position: { x: 0, y: 0 } },
    variables: [{ name: "account", type: "record", object: "account" }],
    elements: [
      { id: "get_account", label: "Get the account", type: "get_records", position: { x: 0, y: 120 }, object: "account", filter: { field: "id", operator: "=", value: "{!record.account}" }, into: "account" },
      { id: "activate", label: "Mark it active", type: "update_records", position: { x: 0, y: 240 }, record: "account", values: [{ field: "active", value: "true" }] },
    ],
    edges: [
      { source: "start", target: "get_account" },
      { source: "get_account", target: "activate" },
    ],
  },
  {
    name: "pipeline_for_stage",
    label: "Pipeline for a stage",
    description: "Autolaunched: the number and total amount of the opportunities in a stage that the caller may see.",
    start: { type: "autolaunched", position: { x: 0, y: 0 } },
    variables: [
      { name: "stage", type: "text", input: true, default: "negotiation" },
      { name: "deals", type: "records", object: "opportunity" },
      { name: "deal", type: "record", object: "opportunity" },
      { name: "count", type: "number", output: true, default: 0 },
      { name: "total", type: "number", output: true, default: 0 },
    ],
    elements: [
      { id: "get_deals", label: "Get the stage's deals", type: "get_records", position: { x: 0, y: 120 }, object: "opportunity", filter: { field: "stage", operator: "=", value: "{!stage}" }, into: "deals" },
      { id: "each_deal", label: "Each deal", type: "loop", position: { x: 0, y: 240 }, collection: "deals", item: "deal" },
      { id: "add_up", label: "Add it up", type: "assignment", position: { x: 220, y: 360 }, assignments: [{ target: "count", operator: "add", value: "1" }, { target: "total", operator: "add", value: "BLANKVALUE(deal.amount, 0)" }] },
    ],
    edges: [
      { source: "start", target: "get_deals" },
      { source: "get_deals", target: "each_deal" },
      { source: "each_deal", handle: "each", target: "add_up" },
      { source: "add_up", target: "each_deal" },
    ],
  },
];
