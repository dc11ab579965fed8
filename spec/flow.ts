import { z } from "zod";
import { identifier } from "./identifier";
import { filterSchema, orderBySchema } from "./query";
import { cronProblem, isTimeZone } from "./cron";

/**
 * Flows: the automation language. A flow has typed variables and elements joined by edges, and
 * a start that says how it is launched (a record save, a schedule, another flow or an API call,
 * an end user's screen). Expressions are formulas (`formula/`) over the flow's variables:
 * `amount * 2`, `record.stage = 'won'`; text properties take `{!variable.field}` merge fields.
 * The engine that runs flows is server/automation; what publishing checks is
 * server/automation/flow-check.ts (every refusal names the element and its property).
 */

export const FLOW_VARIABLE_TYPES = ["text", "number", "boolean", "date", "datetime", "record", "records"] as const;
export type FlowVariableType = (typeof FLOW_VARIABLE_TYPES)[number];

/**
 * Names the engine gives meaning to, which flows may not declare: the triggering record and its
 * values before the save (record-triggered flows), and the last fault's message.
 */
export const FLOW_RESERVED_VARIABLES = ["record", "record_prior", "fault_message"] as const;

const scalarDefault = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

export const flowVariableSchema = z
  .object({
    name: identifier.refine((name) => !(FLOW_RESERVED_VARIABLES as readonly string[]).includes(name), {
      message: `is reserved in flows (${FLOW_RESERVED_VARIABLES.join(", ")})`,
    }),
    type: z.enum(FLOW_VARIABLE_TYPES),
    /** The object of a record or records variable. */
    object: identifier.optional(),
    /** Set by whoever starts the flow (the caller, a subflow element, the debugger). */
    input: z.boolean().default(false),
    /** Returned to the caller when the flow ends. */
    output: z.boolean().default(false),
    /** The starting value of a text, number, boolean, date or date-time variable. */
    default: scalarDefault.optional(),
  })
  .superRefine((variable, ctx) => {
    const recordish = variable.type === "record" || variable.type === "records";
    if (recordish && !variable.object) ctx.addIssue({ code: "custom", path: ["object"], message: `is required for a ${variable.type} variable` });
    if (!recordish && variable.object) ctx.addIssue({ code: "custom", path: ["object"], message: `is only for record and records variables, not ${variable.type}` });
    if (recordish && variable.default !== undefined && variable.default !== null) {
      ctx.addIssue({ code: "custom", path: ["default"], message: `a ${variable.type} variable has no default value` });
    }
  });
export type FlowVariable = z.infer<typeof flowVariableSchema>;

/** A formula over the flow's variables (checked on publish). */
const expression = z.string().trim().min(1, "is required").max(5000);
/** Text with `{!variable.field}` merge fields. */
const template = z.string().max(20_000);
/**
 * Element and outcome ids: never SQL or formula names, so SQL's reserved words are fine
 * (`create`, `update`); still a safe alphabet, and not a name every JavaScript object has.
 */
const flowKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, "must start with a lowercase letter and contain only lowercase letters, digits and underscores (at most 63 characters)")
  .refine((name) => name !== "constructor", { message: "is reserved (every JavaScript object has a property of that name)" });

const position = z.object({ x: z.number().finite(), y: z.number().finite() });

export const RECORD_TRIGGER_EVENTS = ["create", "update", "create_or_update", "delete"] as const;
export type RecordTriggerEvent = (typeof RECORD_TRIGGER_EVENTS)[number];

export const flowStartSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("record"),
    position: position.default({ x: 0, y: 0 }),
    object: identifier,
    /** before_save: inside the save's transaction, may change the record; after_save: after commit. */
    when: z.enum(["before_save", "after_save"]),
    on: z.enum(RECORD_TRIGGER_EVENTS),
    /** Formula over `record` (and `record_prior`, ISCHANGED(record.f), PRIORVALUE(record.f)). */
    condition: expression.optional(),
    /** Flows on the same object and moment run in this order (then by name). */
    order: z.number().int().min(0).max(10_000).default(100),
    /**
     * After-save: how many times the flow may fire again on writes its own runs make (0: a
     * flow's own update never retriggers it). Bounds every chain of retriggering.
     */
    recursionDepth: z.number().int().min(0).max(10).default(0),
  }),
  z.object({ type: z.literal("autolaunched"), position: position.default({ x: 0, y: 0 }) }),
  z
    .object({
      type: z.literal("scheduled"),
      position: position.default({ x: 0, y: 0 }),
      /** Five-field cron: minute hour day-of-month month day-of-week (`0 8 * * 1-5`: 8:00 on weekdays). */
      cron: z.string().trim().min(1, "is required").max(200).superRefine((cron, ctx) => {
        const problem = cronProblem(cron);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
      /** The IANA time zone the schedule reads in. */
      timezone: z.string().trim().default("UTC").refine(isTimeZone, { message: "is not a time zone: use an IANA name such as UTC or Europe/Berlin" }),
      /** With an object: one run per record the filter selects (as `record`), each time it fires. */
      object: identifier.optional(),
      filter: filterSchema.optional(),
    })
    .superRefine((start, ctx) => {
      if (start.filter && !start.object) ctx.addIssue({ code: "custom", path: ["filter"], message: "needs an object: the filter selects its records" });
    }),
]);
export type FlowStart = z.infer<typeof flowStartSchema>;

/**
 * The object of the flow's `record` variable: what a record-triggered flow's save is on, or the
 * records a scheduled flow runs over (one run each); none for other starts.
 */
export function flowRecordObject(start: FlowStart): string | undefined {
  return start.type === "record" || start.type === "scheduled" ? start.object : undefined;
}

/** The fields set by a create or update element: field name and a formula for its value. */
const fieldValues = z.array(z.object({ field: identifier, value: expression })).max(200).default([]);

const elementBase = {
  /** Stable id: edges and breakpoints name it. */
  id: flowKey,
  label: z.string().trim().min(1, "is required").max(120),
  position: position.default({ x: 0, y: 0 }),
};

export const ASSIGNMENT_OPERATORS = ["set", "add", "subtract", "add_record", "clear"] as const;

export const flowElementSchema = z.discriminatedUnion("type", [
  z.object({
    ...elementBase,
    type: z.literal("assignment"),
    assignments: z
      .array(
        z.object({
          /** A variable, or `variable.field` of a record variable. */
          target: z.string().min(1).max(130),
          /** set / add / subtract take a formula; add_record a record variable's name (onto a records variable); clear empties a records variable. */
          operator: z.enum(ASSIGNMENT_OPERATORS).default("set"),
          value: z.string().max(5000).default(""),
        }),
      )
      .min(1, "needs at least one assignment")
      .max(100),
  }),
  z.object({
    ...elementBase,
    type: z.literal("decision"),
    /** Tried in order; the first whose condition is true is taken, else the default. */
    outcomes: z.array(z.object({ id: flowKey, label: z.string().trim().min(1).max(120), condition: expression })).min(1, "needs at least one outcome").max(50),
    defaultLabel: z.string().trim().min(1).max(120).default("Default"),
  }),
  z.object({
    ...elementBase,
    type: z.literal("loop"),
    /** A records variable. */
    collection: identifier,
    /** A record variable of the same object: the current item. */
    item: identifier,
  }),
  z.object({
    ...elementBase,
    type: z.literal("get_records"),
    object: identifier,
    /** ObjectQL filter; a text value may be `{!variable}` (the variable's value, any type) or hold merge fields. */
    filter: filterSchema.optional(),
    sort: z.array(orderBySchema).max(5).default([]),
    /** At most this many records (default and most: 10,000, read a page at a time). */
    limit: z.number().int().min(1).max(10_000).optional(),
    /** A record variable (the first match, or empty) or a records variable (all matches). */
    into: identifier,
  }),
  z.object({
    ...elementBase,
    type: z.literal("create_record"),
    object: identifier,
    values: fieldValues,
    /** A record variable that receives the created record. */
    into: identifier.optional(),
  }),
  z.object({
    ...elementBase,
    type: z.literal("update_records"),
    /** Either a record variable (that record, by id) or an object with a filter (every match). */
    record: identifier.optional(),
    object: identifier.optional(),
    filter: filterSchema.optional(),
    values: fieldValues,
  }),
  z.object({
    ...elementBase,
    type: z.literal("delete_records"),
    record: identifier.optional(),
    object: identifier.optional(),
    filter: filterSchema.optional(),
  }),
  z.object({
    ...elementBase,
    type: z.literal("subflow"),
    /** A published autolaunched flow. */
    flow: identifier,
    inputs: z.array(z.object({ name: identifier, value: expression })).max(100).default([]),
    /** The subflow's output variables copied into this flow's variables. */
    outputs: z.array(z.object({ name: identifier, into: identifier })).max(100).default([]),
  }),
  z.object({
    ...elementBase,
    type: z.literal("custom_error"),
    /** Ends the run with this message; in a before-save flow, refuses the save with it. */
    message: template.min(1, "is required"),
  }),
]);
export type FlowElement = z.infer<typeof flowElementSchema>;
export type FlowElementType = FlowElement["type"];

/** Where an element's edge leaves from. */
export const FLOW_START_ID = "start";

/** Elements that write or call out and so may fail: they have a fault path. */
export const FAULTABLE_ELEMENTS: readonly FlowElementType[] = ["get_records", "create_record", "update_records", "delete_records", "subflow"];

export const flowEdgeSchema = z.object({
  /** An element id, or `start`. */
  source: flowKey,
  /**
   * Which way out of the source: `next`; `fault` (elements that can fail); a decision's outcome
   * id or `default`; a loop's `each` (into the body) or `done`.
   */
  handle: flowKey.default("next"),
  target: flowKey,
});
export type FlowEdge = z.infer<typeof flowEdgeSchema>;

export const flowSchema = z
  .object({
    name: identifier,
    label: z.string().trim().min(1, "is required").max(120),
    description: z.string().max(2000).optional(),
    start: flowStartSchema,
    /**
     * user: data elements run with the security of whoever started the run (the user who saved
     * the record); system: without record security (an admin's choice, shown in the studio).
     */
    runAs: z.enum(["user", "system"]).default("user"),
    variables: z.array(flowVariableSchema).max(200).default([]),
    elements: z.array(flowElementSchema).max(500).default([]),
    edges: z.array(flowEdgeSchema).max(2000).default([]),
  })
  .superRefine((flow, ctx) => {
    const variables = new Set<string>();
    flow.variables.forEach((variable, index) => {
      if (variables.has(variable.name)) ctx.addIssue({ code: "custom", path: ["variables", index, "name"], message: `'${variable.name}' is already a variable` });
      variables.add(variable.name);
    });
    const ids = new Set<string>([FLOW_START_ID]);
    flow.elements.forEach((element, index) => {
      if (ids.has(element.id)) {
        ctx.addIssue({ code: "custom", path: ["elements", index, "id"], message: element.id === FLOW_START_ID ? "'start' names the flow's start" : `'${element.id}' is already an element` });
      }
      ids.add(element.id);
    });
  });
export type FlowDef = z.infer<typeof flowSchema>;
export type FlowInput = z.input<typeof flowSchema>;
