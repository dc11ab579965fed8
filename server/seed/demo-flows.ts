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
  {
    name: "convert_lead",
    label: "Convert lead",
    description: "Screen flow on a lead: asks for the account, contact and (optionally) opportunity to create, creates them as the user, and marks the lead converted.",
    start: { type: "screen", object: "lead", position: { x: 0, y: 0 } },
    variables: [
      { name: "account_name", type: "text" },
      { name: "contact_name", type: "text" },
      { name: "create_deal", type: "boolean", default: true },
      { name: "deal_name", type: "text" },
      { name: "deal_amount", type: "number" },
      { name: "deal_close", type: "date" },
      { name: "account", type: "record", object: "account" },
      { name: "contact", type: "record", object: "contact" },
      { name: "deal", type: "record", object: "opportunity" },
    ],
    elements: [
      { id: "already", label: "Converted already?", type: "decision", position: { x: 0, y: 120 }, outcomes: [{ id: "yes", label: "Yes", condition: "record.status = 'converted'" }], defaultLabel: "Not yet" },
      { id: "was_converted", label: "Already converted", type: "screen", position: { x: -260, y: 260 }, text: "{!record.name} was converted already: see the account and contact on the lead.", fields: [], allowBack: false },
      { id: "prefill", label: "Suggest names", type: "assignment", position: { x: 0, y: 260 }, assignments: [
        { target: "account_name", value: "record.company" }, { target: "contact_name", value: "record.name" },
        { target: "deal_name", value: "record.company & ' – New business'" }, { target: "deal_close", value: "ADDDAYS(TODAY(), 30)" },
      ] },
      {
        id: "details", label: "What to create", type: "screen", position: { x: 0, y: 400 },
        text: "Convert {!record.name} of {!record.company} into an account and a contact, and an opportunity if you like.",
        fields: [
          { target: "account_name", label: "Account name", required: true },
          { target: "contact_name", label: "Contact name", required: true },
          { target: "create_deal", label: "Create an opportunity" },
          { target: "deal_name", label: "Opportunity name", help: "Left empty: the account's name." },
          { target: "deal_amount", label: "Amount" },
          { target: "deal_close", label: "Close date" },
        ],
        allowBack: true, nextLabel: "Convert",
      },
      { id: "make_account", label: "Create the account", type: "create_record", position: { x: 0, y: 540 }, object: "account", values: [{ field: "name", value: "account_name" }, { field: "phone", value: "record.phone" }], into: "account" },
      { id: "make_contact", label: "Create the contact", type: "create_record", position: { x: 0, y: 660 }, object: "contact", values: [{ field: "name", value: "contact_name" }, { field: "email", value: "record.email" }, { field: "phone", value: "record.phone" }, { field: "account", value: "account.id" }], into: "contact" },
      { id: "want_deal", label: "Opportunity?", type: "decision", position: { x: 0, y: 780 }, outcomes: [{ id: "yes", label: "Yes", condition: "create_deal" }], defaultLabel: "No" },
      { id: "make_deal", label: "Create the opportunity", type: "create_record", position: { x: -260, y: 900 }, object: "opportunity", values: [
        { field: "name", value: "BLANKVALUE(deal_name, account_name)" }, { field: "account", value: "account.id" }, { field: "contact", value: "contact.id" },
        { field: "amount", value: "deal_amount" }, { field: "close_date", value: "deal_close" }, { field: "stage", value: "'prospecting'" },
      ], into: "deal" },
      { id: "mark", label: "Mark the lead converted", type: "update_records", position: { x: 0, y: 1020 }, record: "record", values: [
        { field: "status", value: "'converted'" }, { field: "converted_account", value: "account.id" }, { field: "converted_contact", value: "contact.id" },
      ] },
      { id: "done", label: "Converted", type: "screen", position: { x: 0, y: 1140 }, text: "{!record.name} is converted: account {!account.name} and contact {!contact.name} were created.{!IF(create_deal, ' Opportunity: ' & deal.name & '.', '')}", fields: [], allowBack: false, nextLabel: "Done" },
    ],
    edges: [
      { source: "start", target: "already" },
      { source: "already", handle: "yes", target: "was_converted" },
      { source: "already", handle: "default", target: "prefill" },
      { source: "prefill", target: "details" },
      { source: "details", target: "make_account" },
      { source: "make_account", target: "make_contact" },
      { source: "make_contact", target: "want_deal" },
      { source: "want_deal", handle: "yes", target: "make_deal" },
      { source: "want_deal", handle: "default", target: "mark" },
      { source: "make_deal", target: "mark" },
      { source: "mark", target: "done" },
    ],
  },
];
