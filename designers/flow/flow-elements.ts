import type { FlowDef, FlowElement, FlowElementType, FlowStart } from "@/spec/flow";
import { FLOW_START_ID } from "@/spec/flow";

/** What the palette and the nodes say about each element type. */
export const ELEMENT_TYPE_INFO: Record<FlowElementType, { label: string; description: string; color: string }> = {
  assignment: { label: "Assignment", description: "Set, add to or clear variables", color: "#ea580c" },
  decision: { label: "Decision", description: "Take the first outcome whose condition holds", color: "#d97706" },
  loop: { label: "Loop", description: "For each record of a collection", color: "#ca8a04" },
  get_records: { label: "Get records", description: "Query an object into a variable", color: "#db2777" },
  create_record: { label: "Create record", description: "Insert a record", color: "#db2777" },
  update_records: { label: "Update records", description: "Change a record or every match", color: "#db2777" },
  delete_records: { label: "Delete records", description: "Delete a record or every match", color: "#db2777" },
  subflow: { label: "Subflow", description: "Call a published autolaunched flow", color: "#2563eb" },
  http_callout: { label: "HTTP callout", description: "Call a web service and map its answer into variables", color: "#0d9488" },
  script: { label: "Script", description: "Run JavaScript in a sandbox", color: "#7c3aed" },
  send_email: { label: "Send email", description: "Email people (SMTP, or the outbox)", color: "#0891b2" },
  wait: { label: "Wait", description: "Pause the run for a while or until a time", color: "#64748b" },
  screen: { label: "Screen", description: "Show the user text and fields (screen flows)", color: "#0284c7" },
  custom_error: { label: "Custom error", description: "End the run (refuse the save) with a message", color: "#dc2626" },
};

export const ELEMENT_TYPES = Object.keys(ELEMENT_TYPE_INFO) as FlowElementType[];

/** Labels of the ways out, as the node shows them under its handles. */
export function handleLabel(element: FlowElement | { type: "start" }, handle: string): string {
  if (element.type === "decision") {
    if (handle === "default") return element.defaultLabel;
    return element.outcomes.find((outcome) => outcome.id === handle)?.label ?? handle;
  }
  return { next: "", fault: "Fault", each: "For each", done: "After last" }[handle] ?? handle;
}

/** The first free id of the form `<type>_<n>` (ids name elements in edges and breakpoints). */
export function uniqueElementId(flow: Pick<FlowDef, "elements">, type: FlowElementType): string {
  const taken = new Set<string>([FLOW_START_ID, ...flow.elements.map((element) => element.id)]);
  for (let n = 1; ; n++) {
    const id = `${type}_${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A new element of `type` with the smallest content its schema allows; the inspector fills in the rest. */
export function newElement(type: FlowElementType, id: string, position: { x: number; y: number }): FlowElement {
  const n = /_(\d+)$/.exec(id)?.[1] ?? "1";
  const base = { id, label: `${ELEMENT_TYPE_INFO[type].label} ${n}`, position };
  switch (type) {
    case "assignment": return { ...base, type, assignments: [{ target: "", operator: "set", value: "" }] };
    case "decision": return { ...base, type, outcomes: [{ id: "outcome_1", label: "Outcome 1", condition: "" }], defaultLabel: "Default" };
    case "loop": return { ...base, type, collection: "", item: "" };
    case "get_records": return { ...base, type, object: "", sort: [], into: "" };
    case "create_record": return { ...base, type, object: "", values: [] };
    case "update_records": return { ...base, type, values: [] };
    case "delete_records": return { ...base, type };
    case "subflow": return { ...base, type, flow: "", inputs: [], outputs: [] };
    case "http_callout": return { ...base, type, method: "GET", url: "https://", headers: [], bodyType: "none", body: "", timeoutMs: 10_000, retries: 2, retryNonIdempotent: false, idempotencyKey: false, failOnHttpError: true, mappings: [] };
    case "script": return { ...base, type, code: "return {};", inputs: [], outputs: [], timeoutMs: 1000, memoryMb: 16 };
    case "send_email": return { ...base, type, to: "", cc: "", subject: "", body: "" };
    case "wait": return { ...base, type, mode: "duration", amount: "1", unit: "hours" };
    case "screen": return { ...base, type, text: "", fields: [], allowBack: true };
    case "custom_error": return { ...base, type, message: "" };
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** One line about what an element does, for its node. */
export function elementSummary(element: FlowElement): string {
  switch (element.type) {
    case "assignment": {
      const first = element.assignments[0];
      if (!first?.target) return "Nothing assigned yet";
      const op = { set: "=", add: "+=", subtract: "-=", add_record: "add", clear: "clear" }[first.operator];
      const text = first.operator === "clear" ? `clear ${first.target}` : `${first.target} ${op} ${first.value}`;
      return element.assignments.length > 1 ? `${text} (+${element.assignments.length - 1})` : text;
    }
    case "decision": return plural(element.outcomes.length, "outcome") + " and a default";
    case "loop": return element.collection ? `Each ${element.item || "item"} of ${element.collection}` : "No collection yet";
    case "get_records": return element.object ? `${element.object}${element.filter ? " (filtered)" : ""} into ${element.into || "?"}` : "No object yet";
    case "create_record": return element.object ? `${element.object}: ${plural(element.values.length, "field")}` : "No object yet";
    case "update_records":
      if (element.record) return `${element.record}: ${plural(element.values.length, "field")}`;
      return element.object ? `${element.object} matching the filter: ${plural(element.values.length, "field")}` : "No record or object yet";
    case "delete_records":
      if (element.record) return `The record in ${element.record}`;
      return element.object ? `${element.object} matching the filter` : "No record or object yet";
    case "subflow": return element.flow ? `Calls ${element.flow}` : "No flow yet";
    case "http_callout": return element.url && element.url !== "https://" ? `${element.method} ${element.url}` : "No URL yet";
    case "script": return `${element.code.split("\n").length} line script, ${plural(element.outputs.length, "output")}`;
    case "send_email": return element.to ? `To ${element.to}: ${element.subject || "(no subject)"}` : "No recipient yet";
    case "wait":
      if (element.mode === "event") return `For event ${element.event || "?"}${element.key ? ` (${element.key})` : ""}`;
      return element.mode === "duration" ? `For ${element.amount ?? "?"} ${element.unit}` : `Until ${element.until ?? "?"}`;
    case "screen": return element.fields.length > 0 ? `Asks for ${element.fields.map((field) => field.label || field.target).join(", ")}` : element.text ? element.text.slice(0, 60) : "Nothing shown yet";
    case "custom_error": return element.message || "No message yet";
  }
}

/** One line about the start, for its node. */
export function startSummary(start: FlowStart): string {
  if (start.type === "autolaunched") return "Autolaunched (API, another flow)";
  if (start.type === "screen") return start.object ? `Screen flow on a ${start.object} record` : "Screen flow (from the app's navigation)";
  if (start.type === "scheduled") return `Scheduled: ${start.cron} (${start.timezone})${start.object ? `, each ${start.object}` : ""}`;
  const when = start.when === "before_save" ? "Before save" : "After save";
  const on = { create: "created", update: "updated", create_or_update: "created or updated", delete: "deleted" }[start.on];
  return `${when}: ${start.object} ${on}`;
}
