import type { FieldDef, ObjectDef } from "@/spec/object";
import { flowRecordObject, type FlowDef, type FlowVariable } from "@/spec/flow";
import type { FormulaNode } from "./ast";
import { FormulaError } from "./errors";
import { parseFormula } from "./parser";
import { FLOW_SCOPE_OBJECT, checkFormulaNode, type ObjectLookup, type TypedNode } from "./type-checker";

/**
 * Formulas inside flows. A flow's variables are the fields of a scope object made for it: text,
 * number, boolean, date and date-time variables are fields of that type; a record variable is a
 * lookup to its object, so `opportunity.amount` follows it like any lookup and `opportunity`
 * alone is the record's id. In a record-triggered flow `record` is the record being saved and
 * `record_prior` the same record before the save (on create: as saved). `fault_message` holds
 * the last fault's message. ISNEW(), ISCHANGED(record.f) and PRIORVALUE(record.f) say what the
 * save changes. Shared by the publish check, the runtime and the designer.
 */

export { FLOW_SCOPE_OBJECT };

function scopeField(name: string, type: FlowVariable["type"], object?: string): FieldDef | null {
  const base = { id: `_${name}`, name, label: name, required: false, unique: false };
  switch (type) {
    case "text": return { ...base, type: "text", maxLength: 10_000 } as FieldDef;
    case "number": return { ...base, type: "number", scale: 10 } as FieldDef;
    case "boolean": return { ...base, type: "boolean" } as FieldDef;
    case "date": return { ...base, type: "date" } as FieldDef;
    case "datetime": return { ...base, type: "datetime" } as FieldDef;
    case "record": return { ...base, type: "lookup", reference: object! } as FieldDef;
    // A collection has no single value: formulas cannot name it (loops and assignments do).
    case "records": return null;
  }
}

/** The object whose fields are the flow's variables (what formulas in the flow resolve against). */
export function flowScopeObject(flow: Pick<FlowDef, "variables" | "start">): ObjectDef {
  const fields: FieldDef[] = [];
  for (const variable of flow.variables) {
    const field = scopeField(variable.name, variable.type, variable.object);
    if (field) fields.push(field);
  }
  const recordObject = flowRecordObject(flow.start);
  if (recordObject && (flow.start.type === "scheduled" || flow.start.type === "screen")) fields.push(scopeField("record", "record", recordObject)!);
  if (flow.start.type === "record") {
    fields.push(scopeField("record", "record", flow.start.object)!, scopeField("record_prior", "record", flow.start.object)!, scopeField(IS_NEW_VARIABLE, "boolean")!);
  }
  fields.push(scopeField("fault_message", "text")!);
  return { name: FLOW_SCOPE_OBJECT, label: "Flow variables", pluralLabel: "Flow variables", fields, indexes: [] } as unknown as ObjectDef;
}

/** What ISNEW() reads: true when the triggering save creates the record (no flow variable can be named so). */
export const IS_NEW_VARIABLE = "_is_new";

/** Where ISCHANGED() and PRIORVALUE() may appear: only a record-triggered flow has a prior record. */
export type FlowExpressionOptions = { priorRecord: boolean };

/** The `record.field` reference ISCHANGED()/PRIORVALUE() take, as `record_prior.field`. */
function priorOf(call: Extract<FormulaNode, { kind: "call" }>, options: FlowExpressionOptions): FormulaNode {
  if (!options.priorRecord) throw new FormulaError(`${call.name}() can only be used in a record-triggered flow`, call.pos);
  const arg = call.args[0];
  if (call.args.length !== 1 || arg.kind !== "ref" || arg.path[0] !== "record" || arg.path.length !== 2) {
    throw new FormulaError(`${call.name}() takes one field of the triggering record, like ${call.name}(record.stage)`, call.pos);
  }
  return { kind: "ref", path: ["record_prior", arg.path[1]], pos: arg.pos };
}

/**
 * ISCHANGED(record.f) and PRIORVALUE(record.f) in terms of the language: PRIORVALUE is
 * `record_prior.f`; ISCHANGED is true when exactly one side is blank or both have values that
 * differ (blank to blank is no change, as with Salesforce's ISCHANGED).
 */
function rewriteChangeFunctions(node: FormulaNode, options: FlowExpressionOptions): FormulaNode {
  switch (node.kind) {
    case "literal": case "ref":
      return node;
    case "unary":
      return { ...node, operand: rewriteChangeFunctions(node.operand, options) };
    case "binary":
      return { ...node, left: rewriteChangeFunctions(node.left, options), right: rewriteChangeFunctions(node.right, options) };
    case "call": {
      if (node.name === "PRIORVALUE") return priorOf(node, options);
      if (node.name === "ISNEW") {
        if (!options.priorRecord) throw new FormulaError("ISNEW() can only be used in a record-triggered flow", node.pos);
        if (node.args.length > 0) throw new FormulaError("ISNEW() takes no arguments", node.pos);
        return { kind: "ref", path: [IS_NEW_VARIABLE], pos: node.pos };
      }
      if (node.name === "ISCHANGED") {
        const prior = priorOf(node, options);
        const now = node.args[0];
        const pos = node.pos;
        const blank = (operand: FormulaNode): FormulaNode => ({ kind: "call", name: "ISBLANK", args: [operand], pos });
        // IF(ISBLANK(now), NOT ISBLANK(prior), IF(ISBLANK(prior), TRUE, now != prior))
        return {
          kind: "call", name: "IF", pos, args: [
            blank(now),
            { kind: "unary", op: "NOT", operand: blank(prior), pos },
            { kind: "call", name: "IF", pos, args: [blank(prior), { kind: "literal", value: true, pos }, { kind: "binary", op: "!=", left: now, right: prior, pos }] },
          ],
        };
      }
      return { ...node, args: node.args.map((arg) => rewriteChangeFunctions(arg, options)) };
    }
  }
}

/** Parses and type-checks a flow formula against the flow's scope; throws FormulaError. */
export function checkFlowExpression(source: string, scope: ObjectDef, objects: ObjectLookup, options: FlowExpressionOptions): TypedNode {
  return checkFormulaNode(rewriteChangeFunctions(parseFormula(source), options), scope, (name) => (name === FLOW_SCOPE_OBJECT ? scope : objects(name)));
}

/** A piece of a `{!...}` template: literal text, or a formula at an offset of the template. */
export type TemplatePart = { text: string } | { expression: string; offset: number };

/** Splits text with `{!expression}` merge fields. An unclosed `{!` is an error naming its offset. */
export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf("{!", at);
    if (open === -1) {
      parts.push({ text: template.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: template.slice(at, open) });
    const close = template.indexOf("}", open + 2);
    if (close === -1) throw new FormulaError("'{!' has no closing '}'", { offset: open, line: 1, column: open + 1 });
    parts.push({ expression: template.slice(open + 2, close), offset: open + 2 });
    at = close + 1;
  }
  return parts;
}

/** A template made only of one merge field (`{!amount}`): its value keeps its type. */
export function soleMergeField(template: string): string | null {
  const match = /^\{!([^}]*)\}$/.exec(template.trim());
  return match ? match[1] : null;
}
