import type { FlowDef } from "@/spec/flow";
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
    if (value === null) {
      values[name] = variable.type === "records" ? [] : null;
      continue;
    }
    switch (variable.type) {
      case "text":
        if (typeof value !== "string" || value.length > 10_000) issues.push(problem(name, "must be text of at most 10,000 characters"));
        else values[name] = value;
        break;
      case "number":
        if (typeof value !== "number" || !Number.isFinite(value)) issues.push(problem(name, "must be a finite number"));
        else values[name] = value;
        break;
      case "boolean":
        if (typeof value !== "boolean") issues.push(problem(name, "must be true or false"));
        else values[name] = value;
        break;
      case "date":
        if (typeof value !== "string" || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
          issues.push(problem(name, "must be a date written YYYY-MM-DD"));
        } else values[name] = value;
        break;
      case "datetime":
        if (typeof value !== "string" || value.length > 40 || Number.isNaN(Date.parse(value))) issues.push(problem(name, "must be a date and time in ISO 8601 (2026-12-07T10:00:00Z)"));
        else values[name] = new Date(value).toISOString();
        break;
      case "record": {
        if (typeof value !== "string" || value.length === 0 || value.length > 100) {
          issues.push(problem(name, `must be the id of a ${variable.object} record`));
          break;
        }
        const record = await objectql.findOne(ctx, variable.object!, value);
        if (!record) issues.push(problem(name, `no ${variable.object} record '${value}' that you may read`));
        else values[name] = record as FlowRecordValue;
        break;
      }
      case "records": {
        if (!Array.isArray(value) || value.length > MAX_RECORDS_INPUT || !value.every((id) => typeof id === "string" && id.length > 0 && id.length <= 100)) {
          issues.push(problem(name, `must be a list of at most ${MAX_RECORDS_INPUT} ${variable.object} record ids`));
          break;
        }
        const found = await objectql.find(ctx, { object: variable.object!, filter: { field: "id", operator: "in", value: value as string[] }, limit: MAX_RECORDS_INPUT });
        const byId = new Map(found.records.map((record) => [record.id, record]));
        const missing = (value as string[]).filter((id) => !byId.has(id));
        if (missing.length > 0) issues.push(problem(name, `no ${variable.object} record(s) ${missing.slice(0, 5).map((id) => `'${id}'`).join(", ")} that you may read`));
        else values[name] = (value as string[]).map((id) => byId.get(id)! as FlowRecordValue);
        break;
      }
    }
  }
  if (issues.length > 0) throw new ServiceError("BAD_REQUEST", `Invalid inputs for flow '${def.name}': ${issues.slice(0, 3).map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`, issues);
  return values;
}
