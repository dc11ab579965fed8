import type { FlowDef, FlowVariable } from "@/spec/flow";
import { ServiceError, type Issue } from "@/server/errors";
import type { ObjectQL, SecurityContext } from "@/server/objectql";
import type { FlowRecordValue, FlowValue } from "./flow-interpreter";

/**
 * The inputs a caller gives a flow (the API, a button, the debugger), checked against the flow's
 * input variables: every name must be an input variable, every value of its type. Records are
 * given by id and read as the caller, so a flow can only be handed records its caller may read.
 * Problems are refused together, each naming `inputs.<name>` and what was expected.
 */

/** Most ids a records input may list. */
export const MAX_RECORDS_INPUT = 1000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function problem(name: string, message: string): Issue {
  return { path: ["inputs", name], message };
}

/**
 * One value for a variable of its type, or why it cannot be: `{ message }` (the debugger's
 * variable edits take the same path). Records are read as `ctx`.
 */
export async function coerceFlowValue(variable: FlowVariable, value: unknown, objectql: ObjectQL, ctx: SecurityContext): Promise<{ value: FlowValue } | { message: string }> {
  if (value === null) return { value: variable.type === "records" ? [] : null };
  switch (variable.type) {
    case "text":
      return typeof value === "string" && value.length <= 10_000 ? { value } : { message: "must be text of at most 10,000 characters" };
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? { value } : { message: "must be a finite number" };
    case "boolean":
      return typeof value === "boolean" ? { value } : { message: "must be true or false" };
    case "date":
      return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value
        ? { value }
        : { message: "must be a date written YYYY-MM-DD" };
    case "datetime":
      return typeof value === "string" && value.length <= 40 && !Number.isNaN(Date.parse(value))
        ? { value: new Date(value).toISOString() }
        : { message: "must be a date and time in ISO 8601 (2026-12-07T10:00:00Z)" };
    case "record": {
      if (typeof value !== "string" || value.length === 0 || value.length > 100) return { message: `must be the id of a ${variable.object} record` };
      const record = await objectql.findOne(ctx, variable.object!, value);
      return record ? { value: record as FlowRecordValue } : { message: `no ${variable.object} record '${value}' that you may read` };
    }
    case "records": {
      if (!Array.isArray(value) || value.length > MAX_RECORDS_INPUT || !value.every((id) => typeof id === "string" && id.length > 0 && id.length <= 100)) {
        return { message: `must be a list of at most ${MAX_RECORDS_INPUT} ${variable.object} record ids` };
      }
      const found = await objectql.find(ctx, { object: variable.object!, filter: { field: "id", operator: "in", value: value as string[] }, limit: MAX_RECORDS_INPUT });
      const byId = new Map(found.records.map((record) => [record.id, record]));
      const missing = (value as string[]).filter((id) => !byId.has(id));
      if (missing.length > 0) return { message: `no ${variable.object} record(s) ${missing.slice(0, 5).map((id) => `'${id}'`).join(", ")} that you may read` };
      return { value: (value as string[]).map((id) => byId.get(id)! as FlowRecordValue) };
    }
  }
}

export async function flowInputs(def: FlowDef, given: unknown, objectql: ObjectQL, ctx: SecurityContext): Promise<Record<string, FlowValue>> {
  if (given === undefined || given === null) given = {};
  if (typeof given !== "object" || Array.isArray(given)) throw new ServiceError("BAD_REQUEST", "inputs must be an object of input variable names and values", [{ path: ["inputs"], message: "must be an object" }]);
  const issues: Issue[] = [];
  const values: Record<string, FlowValue> = {};
  const inputs = new Map(def.variables.filter((variable) => variable.input).map((variable) => [variable.name, variable]));
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    const variable = inputs.get(name);
    if (!variable) {
      issues.push(problem(name, inputs.size ? `is not an input of flow '${def.name}' (its inputs: ${[...inputs.keys()].join(", ")})` : `is not an input: flow '${def.name}' takes no inputs`));
      continue;
    }
    const coerced = await coerceFlowValue(variable, value, objectql, ctx);
    if ("message" in coerced) issues.push(problem(name, coerced.message));
    else values[name] = coerced.value;
  }
  if (issues.length > 0) throw new ServiceError("BAD_REQUEST", `Invalid inputs for flow '${def.name}': ${issues.slice(0, 3).map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`, issues);
  return values;
}
