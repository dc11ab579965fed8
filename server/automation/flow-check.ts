import { checkFlowExpression, flowScopeObject, templateParts, type FlowExpressionOptions } from "@/formula/flow-expressions";
import { FormulaError } from "@/formula/errors";
import { valueTypeOfField, type ObjectLookup, type TypedNode } from "@/formula/type-checker";
import type { ValueType } from "@/formula/ast";
import { FAULTABLE_ELEMENTS, FLOW_START_ID, flowRecordObject, type FlowDef, type FlowElement, type FlowVariable } from "@/spec/flow";
import { isComputedField, type FieldDef, type ObjectDef } from "@/spec/object";
import type { Filter } from "@/spec/query";
import { filterMetadataIssues } from "@/server/metadata/view-check";
import { screenTarget } from "./screens/screen-targets";

/**
 * What publishing a flow checks (and the designer shows on the nodes): every edge joins two
 * elements through a way out the source has; every element is reachable from the start; every
 * object, field, variable and subflow named exists and has the right type; every formula
 * type-checks. Each issue's path names the element (`elements.3.values.0.value`) and its
 * message starts with the element's id and label. Pure: the browser runs it too.
 */

export type FlowIssue = { path: string[]; message: string };
/** A published flow as a subflow element sees it: how it starts and its variables. */
export type FlowLookup = (name: string) => Pick<FlowDef, "name" | "start" | "variables"> | undefined;

/** Elements a before-save flow may not have: it runs inside the save and changes only that record. */
const BEFORE_SAVE_FORBIDDEN: readonly FlowElement["type"][] = ["create_record", "update_records", "delete_records", "subflow", "http_callout", "send_email", "wait"];

const VARIABLE_VALUE_TYPES: Record<Exclude<FlowVariable["type"], "record" | "records">, ValueType> = {
  text: "text", number: "number", boolean: "boolean", date: "date", datetime: "datetime",
};

/** The ways out of an element, by its type (a decision's are its outcomes and `default`). */
export function elementHandles(element: FlowElement | { type: "start" }): string[] {
  switch (element.type) {
    case "start": return ["next"];
    case "decision": return [...new Set([...element.outcomes.map((outcome) => outcome.id), "default"])];
    case "loop": return ["each", "done"];
    case "custom_error": return [];
    default: return FAULTABLE_ELEMENTS.includes(element.type) ? ["next", "fault"] : ["next"];
  }
}

/** Fields a flow may set: stored, not computed, not numbered by the database. */
function writable(field: FieldDef): boolean {
  return !isComputedField(field) && field.type !== "autonumber";
}

function compatible(expected: ValueType, actual: ValueType): boolean {
  return actual === "null" || expected === actual;
}

export function flowMetadataIssues(flow: FlowDef, objects: ObjectLookup, flows: FlowLookup): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const scope = flowScopeObject(flow);
  const options: FlowExpressionOptions = { priorRecord: flow.start.type === "record" };
  const variables = new Map(flow.variables.map((variable) => [variable.name, variable]));
  // The triggering record: assignable (before-save flows change the record through it), readable everywhere.
  const recordObject = flowRecordObject(flow.start);
  if (recordObject) variables.set("record", { name: "record", type: "record", object: recordObject, input: true, output: false });

  if (flow.start.type === "record" && flow.start.when === "before_save") {
    if (flow.start.on === "delete") issues.push({ path: ["start", "on"], message: "Start: a before-save flow runs on create or update; use an after-save flow for deletions" });
    flow.elements.forEach((element, index) => {
      if (BEFORE_SAVE_FORBIDDEN.includes(element.type)) {
        issues.push({ path: ["elements", String(index), "type"], message: `Element '${element.id}' (${element.label}): a before-save flow changes only the record being saved (assign to record.<field>); use an after-save flow to ${element.type === "subflow" ? "call subflows" : element.type === "http_callout" ? "call web services" : element.type === "send_email" ? "send email" : element.type === "wait" ? "wait (a save cannot be held open)" : "write other records"}` });
      }
    });
  }
  if (flow.start.type === "record") {
    const object = objects(flow.start.object);
    if (!object) issues.push({ path: ["start", "object"], message: `Start: object '${flow.start.object}' is not published` });
    else if (flow.start.condition) expect(flow.start.condition, ["start", "condition"], "Start: condition", "boolean");
  }
  if (flow.start.type === "screen") {
    if (flow.start.object && !objects(flow.start.object)) issues.push({ path: ["start", "object"], message: `Start: object '${flow.start.object}' is not published` });
    flow.elements.forEach((element, index) => {
      if (element.type === "wait") issues.push({ path: ["elements", String(index), "type"], message: `Element '${element.id}' (${element.label}): a screen flow runs while its user waits; wait in an autolaunched or record-triggered flow` });
    });
  } else {
    flow.elements.forEach((element, index) => {
      if (element.type === "screen") issues.push({ path: ["elements", String(index), "type"], message: `Element '${element.id}' (${element.label}): screens are shown to a user, so only screen flows have them (set the start to "Screen")` });
    });
  }
  flow.variables.forEach((variable, index) => {
    if (variable.object && !objects(variable.object)) {
      issues.push({ path: ["variables", String(index), "object"], message: `Variable '${variable.name}': object '${variable.object}' is not published` });
    }
  });

  /** Type-checks a formula; records an issue and returns null when it does not. */
  function formula(source: string, path: string[], what: string): TypedNode | null {
    try {
      return checkFlowExpression(source, scope, objects, options);
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      issues.push({ path, message: `${what}: ${error.message}` });
      return null;
    }
  }
  function expect(source: string, path: string[], what: string, type: ValueType) {
    const typed = formula(source, path, what);
    if (typed && !compatible(type, typed.type)) issues.push({ path, message: `${what}: the expression is ${typed.type}, it must be ${type}` });
  }
  function template(source: string, path: string[], what: string) {
    let parts;
    try {
      parts = templateParts(source);
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      issues.push({ path, message: `${what}: ${error.detail} (at character ${error.pos.offset + 1})` });
      return;
    }
    for (const part of parts) if ("expression" in part) formula(part.expression, path, `${what}: merge field {!${part.expression}}`);
  }
  function filter(value: Filter | undefined, object: ObjectDef, path: string[], what: string) {
    for (const issue of filterMetadataIssues(value, object, path)) issues.push({ path: issue.path, message: `${what}: ${issue.message}` });
    const walk = (node: Filter | undefined, at: string[]) => {
      if (!node) return;
      if ("and" in node) node.and.forEach((part, index) => walk(part, [...at, "and", String(index)]));
      else if ("or" in node) node.or.forEach((part, index) => walk(part, [...at, "or", String(index)]));
      else if ("not" in node) walk(node.not, [...at, "not"]);
      else for (const item of Array.isArray(node.value) ? node.value : [node.value]) if (typeof item === "string") template(item, [...at, "value"], what);
    };
    walk(value, path);
  }
  /** A variable of the given kinds, or an issue. */
  function variableOf(name: string, path: string[], what: string, types: FlowVariable["type"][]): FlowVariable | undefined {
    const variable = variables.get(name);
    if (!variable) {
      issues.push({ path, message: `${what}: there is no variable '${name}'` });
      return undefined;
    }
    if (!types.includes(variable.type)) {
      issues.push({ path, message: `${what}: '${name}' is a ${variable.type} variable; it must be ${types.join(" or ")}` });
      return undefined;
    }
    return variable;
  }
  function objectOf(name: string, path: string[], what: string): ObjectDef | undefined {
    const object = objects(name);
    if (!object) issues.push({ path, message: `${what}: object '${name}' is not published` });
    return object;
  }
  if (flow.start.type === "scheduled" && flow.start.object) {
    const object = objectOf(flow.start.object, ["start", "object"], "Start");
    if (object) filter(flow.start.filter, object, ["start", "filter"], "Start: filter");
  }
  function fieldValues(values: { field: string; value: string }[], object: ObjectDef, path: string[], what: string) {
    const seen = new Set<string>();
    values.forEach((entry, index) => {
      const at = [...path, String(index)];
      const field = object.fields.find((candidate) => candidate.name === entry.field);
      if (!field) return void issues.push({ path: [...at, "field"], message: `${what}: '${object.name}' has no field '${entry.field}'` });
      if (!writable(field)) return void issues.push({ path: [...at, "field"], message: `${what}: '${entry.field}' is a ${field.type} field and cannot be set` });
      if (seen.has(entry.field)) issues.push({ path: [...at, "field"], message: `${what}: '${entry.field}' is set twice` });
      seen.add(entry.field);
      const type = valueTypeOfField(field);
      if (type) expect(entry.value, [...at, "value"], `${what}: value of '${entry.field}'`, type);
      else formula(entry.value, [...at, "value"], `${what}: value of '${entry.field}'`);
    });
  }
  /** update/delete: a record variable, or an object with a filter, not both. */
  function target(element: Extract<FlowElement, { type: "update_records" | "delete_records" }>, path: string[], what: string): ObjectDef | undefined {
    if (element.record && element.object) return void issues.push({ path: [...path, "object"], message: `${what}: name a record variable or an object with a filter, not both` });
    if (element.record) {
      const variable = variableOf(element.record, [...path, "record"], what, ["record"]);
      return variable ? objects(variable.object!) : undefined;
    }
    if (!element.object) return void issues.push({ path: [...path, "record"], message: `${what}: name the record variable, or an object with a filter` });
    const object = objectOf(element.object, [...path, "object"], what);
    if (object) filter(element.filter, object, [...path, "filter"], what);
    return object;
  }

  flow.elements.forEach((element, index) => {
    const path = ["elements", String(index)];
    const what = `Element '${element.id}' (${element.label})`;
    switch (element.type) {
      case "assignment":
        element.assignments.forEach((assignment, row) => {
          const at = [...path, "assignments", String(row)];
          const [name, field, ...rest] = assignment.target.split(".");
          const variable = variables.get(name!);
          if (!variable || rest.length > 0) return void issues.push({ path: [...at, "target"], message: `${what}: there is no variable '${assignment.target}'` });
          if (assignment.operator === "clear" || assignment.operator === "add_record") {
            if (variable.type !== "records" || field) return void issues.push({ path: [...at, "target"], message: `${what}: '${assignment.operator}' needs a records variable, '${assignment.target}' is not one` });
            if (assignment.operator === "add_record") {
              const item = variableOf(assignment.value, [...at, "value"], what, ["record"]);
              if (item && item.object !== variable.object) issues.push({ path: [...at, "value"], message: `${what}: '${item.name}' is a ${item.object} record; '${name}' holds ${variable.object} records` });
            }
            return;
          }
          let type: ValueType | null;
          if (field) {
            const object = variable.type === "record" ? objects(variable.object!) : undefined;
            const def = object?.fields.find((candidate) => candidate.name === field);
            if (!def) return void issues.push({ path: [...at, "target"], message: `${what}: '${assignment.target}' is not a field of a record variable` });
            if (!writable(def)) return void issues.push({ path: [...at, "target"], message: `${what}: '${assignment.target}' is a ${def.type} field and cannot be set` });
            type = valueTypeOfField(def);
          } else if (variable.type === "record" || variable.type === "records") {
            // A whole record (or list) is copied from another variable of the same object.
            if (assignment.operator !== "set") return void issues.push({ path: [...at, "operator"], message: `${what}: a ${variable.type} variable can only be set, cleared or added to` });
            const source = variableOf(assignment.value, [...at, "value"], what, [variable.type]);
            if (source && source.object !== variable.object) issues.push({ path: [...at, "value"], message: `${what}: '${source.name}' holds ${source.object}, '${name}' holds ${variable.object}` });
            return;
          } else {
            type = VARIABLE_VALUE_TYPES[variable.type];
          }
          if (assignment.operator === "add" || assignment.operator === "subtract") {
            const allowed = assignment.operator === "add" ? ["number", "text", "date"] : ["number", "date"];
            if (!type || !allowed.includes(type)) return void issues.push({ path: [...at, "operator"], message: `${what}: '${assignment.operator}' applies to ${allowed.join(", ")} values, not ${type ?? "this field"}` });
            // Adding to a date adds days.
            expect(assignment.value, [...at, "value"], `${what}: value for '${assignment.target}'`, type === "date" ? "number" : type);
          } else if (type) {
            expect(assignment.value, [...at, "value"], `${what}: value for '${assignment.target}'`, type);
          }
        });
        break;
      case "decision": {
        const seen = new Set<string>();
        element.outcomes.forEach((outcome, row) => {
          const at = [...path, "outcomes", String(row)];
          if (seen.has(outcome.id) || outcome.id === "default") issues.push({ path: [...at, "id"], message: `${what}: outcome id '${outcome.id}' is already used` });
          seen.add(outcome.id);
          expect(outcome.condition, [...at, "condition"], `${what}: outcome '${outcome.label}'`, "boolean");
        });
        break;
      }
      case "loop": {
        const collection = variableOf(element.collection, [...path, "collection"], what, ["records"]);
        const item = variableOf(element.item, [...path, "item"], what, ["record"]);
        if (collection && item && collection.object !== item.object) issues.push({ path: [...path, "item"], message: `${what}: '${item.name}' holds ${item.object}, the collection holds ${collection.object}` });
        break;
      }
      case "get_records": {
        const object = objectOf(element.object, [...path, "object"], what);
        if (!object) break;
        filter(element.filter, object, [...path, "filter"], what);
        element.sort.forEach((order, row) => {
          const name = order.field.split(".")[0];
          if (!object.fields.some((field) => field.name === name) && !["id", "created_at", "updated_at", "owner_id"].includes(name!)) {
            issues.push({ path: [...path, "sort", String(row), "field"], message: `${what}: '${object.name}' has no field '${name}'` });
          }
        });
        const into = variableOf(element.into, [...path, "into"], what, ["record", "records"]);
        if (into && into.object !== object.name) issues.push({ path: [...path, "into"], message: `${what}: '${into.name}' holds ${into.object}, not ${object.name}` });
        break;
      }
      case "create_record": {
        const object = objectOf(element.object, [...path, "object"], what);
        if (!object) break;
        fieldValues(element.values, object, [...path, "values"], what);
        for (const field of object.fields) {
          if (field.required && writable(field) && !field.defaultFormula && (field as { defaultValue?: unknown }).defaultValue === undefined && !element.values.some((entry) => entry.field === field.name)) {
            issues.push({ path: [...path, "values"], message: `${what}: '${field.name}' is required on ${object.name} and is not set` });
          }
        }
        if (element.into) {
          const into = variableOf(element.into, [...path, "into"], what, ["record"]);
          if (into && into.object !== object.name) issues.push({ path: [...path, "into"], message: `${what}: '${into.name}' holds ${into.object}, not ${object.name}` });
        }
        break;
      }
      case "update_records": {
        const object = target(element, path, what);
        if (object) fieldValues(element.values, object, [...path, "values"], what);
        if (element.values.length === 0) issues.push({ path: [...path, "values"], message: `${what}: set at least one field` });
        break;
      }
      case "delete_records":
        target(element, path, what);
        break;
      case "subflow": {
        const called = flows(element.flow);
        if (!called) {
          issues.push({ path: [...path, "flow"], message: `${what}: flow '${element.flow}' is not published` });
          break;
        }
        if (called.start.type !== "autolaunched") {
          const how = called.start.type === "record" ? "starts on a record save" : called.start.type === "scheduled" ? "runs on a schedule" : "is a screen flow (an end user runs it)";
          issues.push({ path: [...path, "flow"], message: `${what}: flow '${element.flow}' ${how}; only autolaunched flows can be called` });
          break;
        }
        if (called.name === flow.name) issues.push({ path: [...path, "flow"], message: `${what}: a flow cannot call itself` });
        const theirs = new Map(called.variables.map((variable) => [variable.name, variable]));
        element.inputs.forEach((input, row) => {
          const at = [...path, "inputs", String(row)];
          const variable = theirs.get(input.name);
          if (!variable?.input) return void issues.push({ path: [...at, "name"], message: `${what}: '${element.flow}' has no input variable '${input.name}'` });
          if (variable.type === "record" || variable.type === "records") {
            const source = variableOf(input.value, [...at, "value"], what, [variable.type]);
            if (source && source.object !== variable.object) issues.push({ path: [...at, "value"], message: `${what}: '${source.name}' holds ${source.object}, '${input.name}' takes ${variable.object}` });
          } else {
            expect(input.value, [...at, "value"], `${what}: input '${input.name}'`, VARIABLE_VALUE_TYPES[variable.type]);
          }
        });
        element.outputs.forEach((output, row) => {
          const at = [...path, "outputs", String(row)];
          const variable = theirs.get(output.name);
          if (!variable?.output) return void issues.push({ path: [...at, "name"], message: `${what}: '${element.flow}' has no output variable '${output.name}'` });
          const into = variableOf(output.into, [...at, "into"], what, [variable.type]);
          if (into && into.object !== variable.object) issues.push({ path: [...at, "into"], message: `${what}: '${into.name}' holds ${into.object}, the output holds ${variable.object}` });
        });
        break;
      }
      case "http_callout": {
        template(element.url, [...path, "url"], what);
        if (!element.url.includes("{!")) {
          const problem = staticUrlProblem(element.url);
          if (problem) issues.push({ path: [...path, "url"], message: `${what}: ${problem}` });
        }
        element.headers.forEach((header, row) => template(header.value, [...path, "headers", String(row), "value"], `${what}: header '${header.name}'`));
        if (element.bodyType === "text") template(element.body, [...path, "body"], what);
        if (element.bodyType === "json") {
          template(element.body, [...path, "body"], what);
          const problem = jsonTemplateProblem(element.body);
          if (problem) issues.push({ path: [...path, "body"], message: `${what}: ${problem}` });
        }
        if (element.statusInto) variableOf(element.statusInto, [...path, "statusInto"], `${what}: status code`, ["number", "text"]);
        if (element.bodyInto) variableOf(element.bodyInto, [...path, "bodyInto"], `${what}: response body`, ["text"]);
        element.mappings.forEach((mapping, row) => variableOf(mapping.into, [...path, "mappings", String(row), "into"], `${what}: mapping '${mapping.path}'`, [...OUTSIDE_VALUE_TYPES]));
        break;
      }
      case "script":
        element.inputs.forEach((name, row) => variableOf(name, [...path, "inputs", String(row)], `${what}: input`, [...OUTSIDE_VALUE_TYPES]));
        element.outputs.forEach((output, row) => variableOf(output.into, [...path, "outputs", String(row), "into"], `${what}: output '${output.key}'`, [...OUTSIDE_VALUE_TYPES]));
        break;
      case "send_email":
        template(element.to, [...path, "to"], what);
        template(element.cc, [...path, "cc"], what);
        template(element.subject, [...path, "subject"], what);
        template(element.body, [...path, "body"], what);
        break;
      case "wait":
        if (element.mode === "duration") expect(element.amount ?? "", [...path, "amount"], `${what}: amount`, "number");
        else if (element.mode === "event") {
          if (element.key) template(element.key, [...path, "key"], `${what}: key`);
          if (element.amount !== undefined) expect(element.amount, [...path, "amount"], `${what}: longest wait`, "number");
          if (element.payloadInto) variableOf(element.payloadInto, [...path, "payloadInto"], `${what}: payload`, ["text"]);
        } else {
          const typed = formula(element.until ?? "", [...path, "until"], `${what}: until`);
          if (typed && typed.type !== "date" && typed.type !== "datetime" && typed.type !== "null") issues.push({ path: [...path, "until"], message: `${what}: until: the expression is ${typed.type}, it must be a date or date-time` });
        }
        break;
      case "screen": {
        template(element.text, [...path, "text"], what);
        const seen = new Set<string>();
        element.fields.forEach((screenField, row) => {
          const at = [...path, "fields", String(row), "target"];
          if (seen.has(screenField.target)) issues.push({ path: at, message: `${what}: '${screenField.target}' is on the screen twice` });
          seen.add(screenField.target);
          const target = screenTarget(flow, screenField, objects);
          if ("problem" in target) issues.push({ path: at, message: `${what}: field '${screenField.target}': ${target.problem}` });
        });
        break;
      }
      case "custom_error":
        template(element.message, [...path, "message"], what);
        break;
    }
  });

  issues.push(...graphIssues(flow));
  return issues;
}

/** Every variable type: values from outside (JSON, a script's result) are converted to it at run time. */
const OUTSIDE_VALUE_TYPES = ["text", "number", "boolean", "date", "datetime", "record", "records"] as const;

/** A URL without merge fields that can never be called (the run-time guard checks the rest). */
function staticUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return `'${raw.slice(0, 80)}' is not a valid URL (it must start with http:// or https://)`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `URL scheme '${url.protocol.slice(0, -1)}' is not allowed (only http and https)`;
  if (url.username || url.password) return "URLs with a user name or password are not allowed (send credentials in a header)";
  if (!url.hostname) return "the URL has no host";
  return null;
}

/** A JSON body template that cannot give JSON whatever its merge fields hold (each is filled in as a JSON value). */
export function jsonTemplateProblem(template: string): string | null {
  let filled = "";
  const at: number[] = [];
  try {
    for (const part of templateParts(template)) {
      if ("expression" in part) at.push(filled.length);
      filled += "text" in part ? part.text : "null";
    }
  } catch {
    return null; // the merge-field check reports it
  }
  const advice = `merge fields are filled in as JSON values, so write {"name": {!name}} without quotes around them`;
  try {
    JSON.parse(filled);
  } catch (error) {
    return `the body is not a JSON template (${(error as Error).message}); ${advice}`;
  }
  // A merge field inside a JSON string would put a quoted value inside the quotes.
  let inString = false;
  for (let index = 0, next = 0; index < filled.length; index++) {
    if (index === at[next]) {
      if (inString) return `a merge field is inside a JSON string; ${advice}`;
      next++;
    }
    const char = filled[index];
    if (inString && char === "\\") index++;
    else if (char === '"') inString = !inString;
  }
  return null;
}

/** Edges and reachability: every edge joins real elements through a real way out; every element is reached. */
function graphIssues(flow: FlowDef): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const elements = new Map(flow.elements.map((element) => [element.id, element]));
  const describe = (id: string) => (id === FLOW_START_ID ? "Start" : `Element '${id}' (${elements.get(id)!.label})`);
  const taken = new Set<string>();
  const next = new Map<string, string[]>();
  flow.edges.forEach((edge, index) => {
    const path = ["edges", String(index)];
    const source = edge.source === FLOW_START_ID ? ({ type: "start" } as const) : elements.get(edge.source);
    if (!source) return void issues.push({ path: [...path, "source"], message: `Edge ${index + 1}: there is no element '${edge.source}'` });
    if (!elements.has(edge.target)) return void issues.push({ path: [...path, "target"], message: `${describe(edge.source)}: its '${edge.handle}' path leads to '${edge.target}', which does not exist` });
    const handles = elementHandles(source);
    if (!handles.includes(edge.handle)) {
      return void issues.push({ path: [...path, "handle"], message: `${describe(edge.source)} has no '${edge.handle}' path (${handles.length ? `it has ${handles.join(", ")}` : "it ends the flow"})` });
    }
    const key = `${edge.source}\u0000${edge.handle}`;
    if (taken.has(key)) issues.push({ path: [...path, "handle"], message: `${describe(edge.source)}: its '${edge.handle}' path already leads somewhere` });
    taken.add(key);
    next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  });
  if (flow.elements.length > 0 && !next.has(FLOW_START_ID)) issues.push({ path: ["start"], message: "Start: connect the start to the first element" });
  const reached = new Set<string>([FLOW_START_ID]);
  const queue = [FLOW_START_ID];
  while (queue.length > 0) {
    for (const target of next.get(queue.shift()!) ?? []) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  flow.elements.forEach((element, index) => {
    if (!reached.has(element.id)) issues.push({ path: ["elements", String(index)], message: `Element '${element.id}' (${element.label}) cannot be reached from the start` });
    if (element.type === "loop" && !taken.has(`${element.id}\u0000each`)) issues.push({ path: ["elements", String(index)], message: `Element '${element.id}' (${element.label}): connect its 'each' path to the loop's body` });
  });
  return issues;
}
