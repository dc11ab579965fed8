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
  z.object({
    type: z.literal("screen"),
    position: position.default({ x: 0, y: 0 }),
    /**
     * With an object: offered as an action on that object's record pages, and run with the
     * page's record as `record`. Without: started from the app's navigation.
     */
    object: identifier.optional(),
  }),
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
 * The object of the flow's `record` variable: what a record-triggered flow's save is on, the
 * records a scheduled flow runs over (one run each), or the record page a screen flow was
 * started from; none for other starts.
 */
export function flowRecordObject(start: FlowStart): string | undefined {
  return start.type === "record" || start.type === "scheduled" || start.type === "screen" ? start.object : undefined;
}

/** The fields set by a create or update element: field name and a formula for its value. */
const fieldValues = z.array(z.object({ field: identifier, value: expression })).max(200).default([]);

const elementBase = {
  /** Stable id: edges and breakpoints name it. */
  id: flowKey,
  label: z.string().trim().min(1, "is required").max(120),
  position: position.default({ x: 0, y: 0 }),
};

export const HTTP_CALLOUT_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;
/** Headers the platform sets itself (framing, the host, connection handling). */
export const HTTP_RESERVED_HEADERS = ["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "proxy-authorization", "proxy-connection"] as const;
const httpHeaderName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "must be a header name (letters, digits and !#$%&'*+.^_`|~-)")
  .refine((name) => !(HTTP_RESERVED_HEADERS as readonly string[]).includes(name.toLowerCase()), { message: "is set by the platform" });
/** A path into a JSON value: `data.items[0].id` (names and [indexes]; `$` is the whole value). */
export const JSON_PATH = /^(\$|[A-Za-z_$][A-Za-z0-9_$-]*|\[\d{1,6}\])(\.[A-Za-z_$][A-Za-z0-9_$-]*|\[\d{1,6}\])*$/;
const jsonPath = z.string().max(300).regex(JSON_PATH, "must be a path like data.items[0].id");

/**
 * The statuses of a flow run, as its history shows them (waiting: at a wait element, until its
 * wake time; screen: showing a screen to its user, until they go on).
 */
export const FLOW_RUN_STATUSES = ["queued", "running", "waiting", "screen", "paused", "finished", "failed"] as const;

/** The units of a wait's duration. */
export const WAIT_UNITS = ["minutes", "hours", "days"] as const;

/**
 * A field of a screen: what the user enters goes into `target`, a text, number, boolean, date,
 * date-time or record variable (a record: the user picks one they may read), or a field of a
 * record variable (`lead.company`: the field's own editor, its picklist values and checks).
 */
export const screenFieldSchema = z.object({
  target: z.string().regex(/^[a-z][a-z0-9_]{0,62}(\.[a-z][a-z0-9_]{0,62})?$/, "must be a variable or variable.field"),
  /** Shown with the input (default: the field's label, or the variable's name). */
  label: z.string().trim().max(120).optional(),
  required: z.boolean().default(false),
  help: z.string().max(500).optional(),
});
export type ScreenField = z.infer<typeof screenFieldSchema>;

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
    type: z.literal("http_callout"),
    method: z.enum(HTTP_CALLOUT_METHODS).default("GET"),
    /** http:// or https://, with merge fields (filled in, then checked and refused if it names a private address). */
    url: template.min(1, "is required").max(4000),
    headers: z.array(z.object({ name: httpHeaderName, value: template.max(4000) })).max(50).default([]),
    /** none; text (merge fields filled in as text); json (a JSON template: each merge field is filled in as a JSON value). */
    bodyType: z.enum(["none", "text", "json"]).default("none"),
    body: template.default(""),
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    /** Tries again after a 5xx answer or a network error, with backoff (only idempotent methods unless `retryNonIdempotent`). */
    retries: z.number().int().min(0).max(5).default(2),
    retryNonIdempotent: z.boolean().default(false),
    /**
     * Sends `Idempotency-Key: <run>:<step>`, the same on every retry and when a resumed run
     * repeats the call: a service that honours it does the work once.
     */
    idempotencyKey: z.boolean().default(false),
    /** A 4xx/5xx answer (after the retries) takes the fault path; off: it goes on with the status set. */
    failOnHttpError: z.boolean().default(true),
    /** A number variable that receives the status code. */
    statusInto: identifier.optional(),
    /** A text variable that receives the response body as text. */
    bodyInto: identifier.optional(),
    /** Values of the JSON response (`data.items[0].id`) into variables, converted to their types. */
    mappings: z.array(z.object({ path: jsonPath, into: identifier })).max(50).default([]),
  }),
  z.object({
    ...elementBase,
    type: z.literal("script"),
    /** The body of a JavaScript function of `input` (the chosen variables); it returns an object whose keys are outputs. */
    code: z.string().min(1, "is required").max(50_000),
    /** Variables handed to the script as `input.<name>` (records as JSON objects). */
    inputs: z.array(identifier).max(50).default([]),
    /** Keys of the returned object copied into variables (converted to their types). */
    outputs: z.array(z.object({ key: identifier, into: identifier })).max(50).default([]),
    timeoutMs: z.number().int().min(10).max(10_000).default(1000),
    memoryMb: z.number().int().min(1).max(64).default(16),
  }),
  z.object({
    ...elementBase,
    type: z.literal("send_email"),
    /** Addresses separated by commas, with merge fields (`{!record.email}`). */
    to: template.min(1, "is required").max(4000),
    cc: template.max(4000).default(""),
    subject: template.min(1, "is required").max(1000),
    body: template.default(""),
  }),
  z
    .object({
      ...elementBase,
      type: z.literal("wait"),
      /**
       * duration: `amount` (a number formula) `unit`s from when the run gets here; until: the date
       * or date-time the `until` formula gives (`record.close_date`, `ADDDAYS(TODAY(), 1)`). A time already
       * past goes on at once; a blank or invalid one takes the fault path.
       * event: until a platform event named `event` is published (with the same `key`, when the
       * wait has one); its payload (JSON text) into `payloadInto`. With an `amount`, it waits that
       * long at most, then takes the fault path.
       */
      mode: z.enum(["duration", "until", "event"]).default("duration"),
      amount: expression.optional(),
      unit: z.enum(WAIT_UNITS).default("minutes"),
      until: expression.optional(),
      event: identifier.optional(),
      /** Text with merge fields (`{!record.id}`): only an event published with this key wakes the run; blank: any. */
      key: template.max(500).optional(),
      /** A text variable that receives the event's payload as JSON. */
      payloadInto: identifier.optional(),
    })
    .superRefine((element, ctx) => {
      if (element.mode === "duration" && element.amount === undefined) ctx.addIssue({ code: "custom", path: ["amount"], message: "is required for a wait of a duration" });
      if (element.mode === "until" && element.until === undefined) ctx.addIssue({ code: "custom", path: ["until"], message: "is required for a wait until a time" });
      if (element.mode === "event" && element.event === undefined) ctx.addIssue({ code: "custom", path: ["event"], message: "is required for a wait for a platform event" });
    }),
  z.object({
    ...elementBase,
    type: z.literal("screen"),
    /** Text above the fields, with merge fields (`Convert {!record.name}?`). */
    text: template.max(5000).default(""),
    fields: z.array(screenFieldSchema).max(50).default([]),
    /** Whether the user may go back to the previous screen (records written since are not undone). */
    allowBack: z.boolean().default(true),
    /** The button that goes on (default "Next", or "Finish" where the flow ends after this screen). */
    nextLabel: z.string().trim().max(40).optional(),
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
export const FAULTABLE_ELEMENTS: readonly FlowElementType[] = ["get_records", "create_record", "update_records", "delete_records", "subflow", "http_callout", "script", "send_email", "wait"];

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
