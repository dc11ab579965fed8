import type { ObjectLookup } from "@/formula/type-checker";
import { flowRecordObject, type FlowDef, type FlowVariable, type ScreenField } from "@/spec/flow";
import type { FieldDef, ObjectDef } from "@/spec/object";

/**
 * What a screen field of a screen flow edits: a variable, or a field of a record variable's
 * object. Pure (publish checks in the browser use it; flow-screens.ts at run time).
 */

/** The variables a screen may fill: the flow's own and, with an object, the page's `record`. */
function screenVariables(def: FlowDef): Map<string, FlowVariable> {
  const variables = new Map(def.variables.map((variable) => [variable.name, variable]));
  const recordObject = flowRecordObject(def.start);
  if (recordObject) variables.set("record", { name: "record", type: "record", object: recordObject, input: true, output: false });
  return variables;
}

/** What a screen field edits: a variable (with its type) or a field of a record variable's object. */
export type ScreenTarget =
  | { kind: "variable"; variable: FlowVariable }
  | { kind: "field"; variable: FlowVariable; object: ObjectDef; field: FieldDef };

/** The target of a screen field, or why it has none (publish checks and run time share this). */
export function screenTarget(def: FlowDef, screenField: ScreenField, objects: ObjectLookup): ScreenTarget | { problem: string } {
  const [name, fieldName] = screenField.target.split(".") as [string, string | undefined];
  const variable = screenVariables(def).get(name);
  if (!variable) return { problem: `there is no variable '${name}'` };
  if (!fieldName) {
    if (variable.type === "records") return { problem: `'${name}' is a list of records: a screen field takes one value (a record variable lets the user pick one)` };
    if (variable.type === "record" && !objects(variable.object!)) return { problem: `'${name}' holds ${variable.object}, which is not published` };
    return { kind: "variable", variable };
  }
  if (variable.type !== "record") return { problem: `'${name}' is a ${variable.type} variable; only a record variable has fields` };
  const object = objects(variable.object!);
  if (!object) return { problem: `'${name}' holds ${variable.object}, which is not published` };
  const field = object.fields.find((candidate) => candidate.name === fieldName);
  if (!field) return { problem: `'${object.name}' has no field '${fieldName}'` };
  if (field.type === "autonumber" || field.type === "formula" || field.type === "rollup") return { problem: `'${screenField.target}' is filled in automatically (${field.type}) and cannot be entered` };
  return { kind: "field", variable, object, field };
}

