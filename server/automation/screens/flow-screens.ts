import { fieldSchema, nameFieldOf, type FieldDef } from "@/spec/object";
import type { FlowDef, FlowElement, ScreenField } from "@/spec/flow";
import type { ObjectLookup } from "@/formula/type-checker";
import { ServiceError, type Issue } from "@/server/errors";
import { ObjectQLError, type ObjectQL, type SecurityContext } from "@/server/objectql";
import { validateRecordInput } from "@/server/objectql/records/validation";
import { coerceFlowValue } from "../runtime/flow-inputs";
import { screenTarget, type ScreenTarget } from "./screen-targets";
import { renderFlowText, type FlowEnvironment, type FlowRecordValue, type FlowRunState, type FlowValue, type FlowVersions } from "../runtime/flow-interpreter";

/**
 * Screens of screen flows: what the browser is shown at a screen element (its text with merge
 * fields filled in, and each field as a form field the apps' form renderer draws), and the
 * values a user submits, checked against the screen before the run goes on. A field's value goes
 * into a variable (checked as a flow input is: a record by id, read as the user) or into a field
 * of a record variable (checked as a record write of that field is: picklist values, lengths,
 * and a lookup must name a record the user may read).
 */

export type ScreenElement = Extract<FlowElement, { type: "screen" }>;

/** One field of a screen as the form renderer draws it: `field.name` is the target (`lead.company`). */
export type ScreenFieldView = { field: FieldDef; required: boolean; help?: string };

export type ScreenView = {
  runId: string;
  flow: { name: string; label: string };
  status: FlowRunState["status"];
  /** At a screen: what to show. */
  screen?: {
    element: string;
    label: string;
    text: string;
    fields: ScreenFieldView[];
    /** The values to show (wire format: lookups and records as `{ id, name }`). */
    values: Record<string, unknown>;
    canGoBack: boolean;
    nextLabel: string;
  };
  /** A run that ended: its outputs, or what went wrong. */
  outputs?: Record<string, FlowValue>;
  error?: string;
};

const VARIABLE_FIELD_TYPES = { text: "text", number: "number", boolean: "boolean", date: "date", datetime: "datetime" } as const;

/** The form field a screen shows for one of its fields. */
function fieldView(screenField: ScreenField, target: ScreenTarget): ScreenFieldView {
  const name = screenField.target;
  let field: FieldDef;
  if (target.kind === "field") {
    field = { ...target.field, label: screenField.label || target.field.label };
  } else {
    const { variable } = target;
    const label = screenField.label || variable.name;
    const base = { id: `screen_${variable.name}`, name: "screen_field", label };
    field = variable.type === "record"
      ? fieldSchema.parse({ ...base, type: "lookup", reference: variable.object })
      : fieldSchema.parse({ ...base, type: VARIABLE_FIELD_TYPES[variable.type as keyof typeof VARIABLE_FIELD_TYPES], ...(variable.type === "number" ? { scale: 6 } : variable.type === "text" ? { maxLength: 10_000 } : {}) });
  }
  // Only this screen decides what is required; the field keeps its other checks.
  field = { ...field, name, required: screenField.required, ...(screenField.help ? { helpText: screenField.help } : {}) } as FieldDef;
  return { field, required: screenField.required, ...(screenField.help ? { help: screenField.help } : {}) };
}

/** `{ id, name }` of a record: its name field's value, else its id. */
function titled(id: string, record: Record<string, unknown> | null, nameField: string | undefined): { id: string; name: string } {
  const name = record && nameField ? record[nameField] : undefined;
  return { id, name: name === null || name === undefined || name === "" ? id : String(name) };
}

/** A record (or a lookup's id) as the form shows it: `{ id, name }`. */
async function lookupValue(value: unknown, objectName: string, objects: ObjectLookup, objectql: ObjectQL, ctx: SecurityContext): Promise<{ id: string; name: string } | null> {
  if (value === null || value === undefined || value === "") return null;
  const object = objects(objectName);
  const nameField = object ? nameFieldOf(object) : undefined;
  if (typeof value === "object" && "id" in value) {
    const record = value as FlowRecordValue;
    // A lookup as records hold it carries its name; a whole record has its name field.
    const lookupShaped = "name" in record && Object.keys(record).length === 2;
    return titled(String(record.id), record, lookupShaped ? "name" : nameField);
  }
  const id = String(value);
  return titled(id, await objectql.findOne(ctx, objectName, id), nameField);
}

/** What a field shows: the value the user entered last time (Back), else the variable's. */
async function shownValue(target: ScreenTarget, variables: Record<string, FlowValue>, objects: ObjectLookup, objectql: ObjectQL, ctx: SecurityContext): Promise<unknown> {
  const current = variables[target.variable.name] ?? null;
  if (target.kind === "variable") {
    return target.variable.type === "record" ? lookupValue(current, target.variable.object!, objects, objectql, ctx) : current;
  }
  const value = (current as FlowRecordValue | null)?.[target.field.name] ?? null;
  if (target.field.type === "lookup" || target.field.type === "master_detail") return lookupValue(value, target.field.reference, objects, objectql, ctx);
  return value;
}

/** The view of a run for its user: the screen it is at, or how it ended. */
export async function screenView(runId: string, state: FlowRunState, def: FlowDef, versions: FlowVersions, env: FlowEnvironment, label: string): Promise<ScreenView> {
  const view: ScreenView = { runId, flow: { name: def.name, label }, status: state.status };
  if (state.status === "failed") view.error = state.error?.message ?? "The flow failed";
  if (state.status === "finished") view.outputs = state.outputs ?? {};
  if (state.status !== "screen") return view;
  const frame = state.frames.at(-1)!;
  const frameDef = versions(frame.flow, frame.version) ?? def;
  const element = frameDef.elements.find((candidate) => candidate.id === frame.at) as ScreenElement | undefined;
  if (!element || element.type !== "screen") return { ...view, status: "failed", error: `The run is not at a screen (at '${frame.at}')` };
  const visit = state.screens?.at(-1);
  const fields: ScreenFieldView[] = [];
  const values: Record<string, unknown> = {};
  for (const screenField of element.fields) {
    const target = screenTarget(frameDef, screenField, env.objects);
    if ("problem" in target) continue; // publishing refused it; the metadata changed since
    fields.push(fieldView(screenField, target));
    values[screenField.target] = visit?.values && Object.hasOwn(visit.values, screenField.target)
      ? await shownValue(target, { [target.variable.name]: screenValueAsVariable(target, visit.values[screenField.target]!) }, env.objects, env.objectql, state.runAs)
      : await shownValue(target, frame.variables, env.objects, env.objectql, state.runAs);
  }
  const ends = !frameDef.edges.some((edge) => edge.source === element.id) && state.frames.length === 1;
  view.screen = {
    element: element.id,
    label: element.label,
    text: element.text ? await renderFlowText(frameDef, element.text, state, env) : "",
    fields,
    values,
    canGoBack: element.allowBack && (state.screens?.length ?? 0) > 1,
    nextLabel: element.nextLabel || (ends ? "Finish" : "Next"),
  };
  return view;
}

/** A submitted value shaped as the variable that holds it, for showing it again. */
function screenValueAsVariable(target: ScreenTarget, value: FlowValue): FlowValue {
  return target.kind === "variable" ? value : ({ [target.field.name]: value } as FlowRecordValue);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0);
}

/**
 * The values a user submitted for a screen, checked: every key a field of the screen, required
 * ones given, each of its type. Refused together, each issue naming `values.<target>`.
 */
export async function checkScreenValues(def: FlowDef, element: ScreenElement, given: unknown, objects: ObjectLookup, objectql: ObjectQL, ctx: SecurityContext): Promise<Record<string, FlowValue>> {
  if (given === undefined || given === null) given = {};
  if (typeof given !== "object" || Array.isArray(given)) throw new ServiceError("BAD_REQUEST", "values must be an object of the screen's fields and their values", [{ path: ["values"], message: "must be an object" }]);
  const raw = given as Record<string, unknown>;
  const issues: Issue[] = [];
  const fields = new Map(element.fields.map((field) => [field.target, field]));
  for (const key of Object.keys(raw)) {
    if (!fields.has(key)) issues.push({ path: ["values", key], message: fields.size ? `'${key}' is not a field of screen '${element.label}' (its fields: ${[...fields.keys()].join(", ")})` : `'${key}' is not a field: screen '${element.label}' has none` });
  }
  const values: Record<string, FlowValue> = {};
  for (const screenField of element.fields) {
    const target = screenTarget(def, screenField, objects);
    if ("problem" in target) continue;
    const value = Object.hasOwn(raw, screenField.target) ? raw[screenField.target] : null;
    const label = screenField.label || (target.kind === "field" ? target.field.label : target.variable.name);
    if (isBlank(value) && target.kind === "variable" && target.variable.type === "boolean") {
      values[screenField.target] = false;
      continue;
    }
    if (isBlank(value)) {
      if (screenField.required) issues.push({ path: ["values", screenField.target], message: `${label} is required` });
      else values[screenField.target] = target.kind === "variable" && target.variable.type === "text" ? "" : null;
      continue;
    }
    const checked = await checkOne(target, value, objects, objectql, ctx);
    if ("message" in checked) issues.push({ path: ["values", screenField.target], message: `${label}: ${checked.message}` });
    else values[screenField.target] = checked.value;
  }
  if (issues.length > 0) {
    throw new ServiceError("BAD_REQUEST", `Check the screen's fields: ${issues.slice(0, 3).map((issue) => issue.message).join("; ")}`, issues);
  }
  return values;
}

async function checkOne(target: ScreenTarget, value: unknown, objects: ObjectLookup, objectql: ObjectQL, ctx: SecurityContext): Promise<{ value: FlowValue } | { message: string }> {
  if (target.kind === "variable") return coerceFlowValue(target.variable, value, objectql, ctx);
  const { object, field } = target;
  let normalised: unknown;
  try {
    // The field's own checks, as a write of that one field would run them.
    normalised = validateRecordInput({ ...object, fields: [{ ...field, required: false } as FieldDef] }, { [field.name]: value }, "update").values[field.name];
  } catch (error) {
    if (!(error instanceof ObjectQLError)) throw error;
    return { message: (error.issues?.[0]?.message ?? error.message).replace(`Field '${field.name}' `, "") };
  }
  if ((field.type === "lookup" || field.type === "master_detail") && typeof normalised === "string") {
    const record = await objectql.findOne(ctx, field.reference, normalised);
    if (!record) return { message: `no ${field.reference} record '${normalised}' that you may read` };
    const referenced = objects(field.reference);
    return { value: titled(normalised, record, referenced ? nameFieldOf(referenced) : undefined) };
  }
  return { value: normalised as FlowValue };
}
