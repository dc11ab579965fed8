import type { FieldDef, ObjectDef } from "@/spec/object";
import { isReferenceField } from "@/spec/object";
import { FORM_WIDGETS, formFieldItems, type FieldsSection, type FormDef, type FormFieldItem, type FormWidget } from "@/spec/form";
import { FormulaError } from "./errors";
import { evaluateFormula } from "./evaluator";
import { checkFormula, type ObjectLookup, type TypedNode } from "./type-checker";

/**
 * A form's rules (which fields show, which are required, which are read-only), evaluated the
 * same way in the browser (components/runtime form renderer) and on the server (data.create /
 * data.update re-check a save made through a form). Conditions are formula expressions over the
 * form object's own fields; a lookup field's value is the related record's id.
 */

export type ConditionCheck = { ok: true; node: TypedNode } | { ok: false; message: string; line: number; column: number };

const compiled = new WeakMap<ObjectDef, Map<string, ConditionCheck>>();

/** Parses and type-checks a condition; the result is cached per object definition and text. */
export function compileCondition(source: string, object: ObjectDef): ConditionCheck {
  let cache = compiled.get(object);
  if (!cache) compiled.set(object, (cache = new Map()));
  const hit = cache.get(source);
  if (hit) return hit;
  let result: ConditionCheck;
  try {
    // Only the object's own fields: the form does not hold related records' values.
    const node = checkFormula(source, object, (name) => (name === object.name ? object : undefined));
    result =
      node.type === "boolean" || node.type === "null"
        ? { ok: true, node }
        : { ok: false, message: `must be true or false, but this expression gives a ${node.type}`, line: 1, column: 1 };
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    result = { ok: false, message: error.detail, line: error.pos.line, column: error.pos.column };
  }
  cache.set(source, result);
  return result;
}

export type FormValues = Record<string, unknown>;

/** Whether a condition holds for these values; a condition that does not compile or yields NULL does not hold. */
export function conditionHolds(source: string | undefined, object: ObjectDef, values: FormValues, now = new Date()): boolean {
  if (source === undefined) return true;
  const check = compileCondition(source, object);
  if (!check.ok) return false;
  const value = evaluateFormula(
    check.node,
    (leaf) => {
      const raw = values[leaf.field.name];
      if (raw === "" || raw === undefined) return null;
      if (typeof raw === "object" && raw !== null && !Array.isArray(raw) && "id" in raw) return (raw as { id: unknown }).id;
      return raw;
    },
    { now },
  );
  return value === true;
}

export type FieldRuleState = { item: FormFieldItem; field: FieldDef; visible: boolean; required: boolean; readOnly: boolean };

function sectionVisible(section: FieldsSection, object: ObjectDef, values: FormValues, now: Date): boolean {
  return conditionHolds(section.visibleWhen, object, values, now);
}

/**
 * The state of every field item of the form for these values: shown (its section's and its
 * own condition hold), required (the field's or the item's flag, or `requiredWhen`; only while
 * shown), read-only. Items whose field the object does not have (or the user may not read)
 * are left out.
 */
export function formFieldStates(form: FormDef, object: ObjectDef, values: FormValues, now = new Date()): Map<string, FieldRuleState> {
  const fields = new Map(object.fields.map((field) => [field.name, field]));
  const states = new Map<string, FieldRuleState>();
  for (const { item, section } of formFieldItems(form)) {
    const field = fields.get(item.field);
    if (!field) continue;
    const visible = sectionVisible(section, object, values, now) && conditionHolds(item.visibleWhen, object, values, now);
    const required =
      visible && (field.required || item.required || (item.requiredWhen !== undefined && conditionHolds(item.requiredWhen, object, values, now)));
    states.set(item.field, { item, field, visible, required, readOnly: item.readOnly });
  }
  return states;
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0);
}

export type FormRuleIssue = { path: string[]; message: string };

function sameValue(a: unknown, b: unknown): boolean {
  const norm = (value: unknown) => (isEmptyValue(value) ? null : typeof value === "object" && value !== null && "id" in value ? (value as { id: unknown }).id : value);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/**
 * What a save through `form` breaks: a shown required field left empty (with the item's
 * `requiredMessage` when it has one), a read-only field changed. `values` is the record as it
 * would be after the save; `previous` the stored record (absent on create, where a read-only
 * field may only hold its form default).
 */
export function formRuleIssues(form: FormDef, object: ObjectDef, values: FormValues, previous?: FormValues, now = new Date()): FormRuleIssue[] {
  const issues: FormRuleIssue[] = [];
  for (const state of formFieldStates(form, object, values, now).values()) {
    const { item, field } = state;
    const label = item.label ?? field.label;
    if (state.required && isEmptyValue(values[field.name]) && field.type !== "boolean" && field.type !== "autonumber" && field.type !== "formula" && field.type !== "rollup") {
      issues.push({ path: [field.name], message: item.requiredMessage ?? `${label} is required` });
    }
    if (state.readOnly && Object.hasOwn(values, field.name)) {
      const before = previous ? previous[field.name] : item.defaultValue;
      if (!sameValue(values[field.name], before)) issues.push({ path: [field.name], message: `${label} is read-only on this form` });
    }
  }
  return issues;
}

const WIDGETS_BY_TYPE: Partial<Record<FieldDef["type"], FormWidget[]>> = {
  text: ["textarea"],
  textarea: ["textarea"],
  select: ["radio"],
  boolean: ["toggle", "checkbox"],
};

/** The widgets a field type can use besides `default`. */
export function widgetsFor(type: FieldDef["type"]): FormWidget[] {
  return ["default", ...(WIDGETS_BY_TYPE[type] ?? [])].filter((widget): widget is FormWidget => (FORM_WIDGETS as readonly string[]).includes(widget));
}

/**
 * Checks a form against its object and the other published objects, for publishing and for
 * the designer: every field exists, widgets fit, conditions compile to booleans, related lists
 * point back at the object, lookup filters and the record type make sense. Paths are the form's.
 */
export function formMetadataIssues(form: FormDef, object: ObjectDef | undefined, objects: ObjectLookup): FormRuleIssue[] {
  if (!object) return [{ path: ["object"], message: `object '${form.object}' is not published` }];
  const issues: FormRuleIssue[] = [];
  const fieldOf = (name: string) => object.fields.find((field) => field.name === name);
  const condition = (source: string | undefined, path: (string | number)[]) => {
    if (source === undefined) return;
    const check = compileCondition(source, object);
    if (!check.ok) issues.push({ path: path.map(String), message: `${check.message} (line ${check.line}, column ${check.column})` });
  };
  form.tabs.forEach((tab, t) => {
    tab.sections.forEach((section, s) => {
      const at = ["tabs", t, "sections", s];
      condition(section.visibleWhen, [...at, "visibleWhen"]);
      if (section.type === "related") {
        const child = objects(section.object);
        if (!child) {
          issues.push({ path: [...at, "object"].map(String), message: `object '${section.object}' is not published` });
          return;
        }
        const lookup = child.fields.find((field) => field.name === section.lookupField);
        if (!lookup || !isReferenceField(lookup) || lookup.reference !== object.name) {
          issues.push({ path: [...at, "lookupField"].map(String), message: `'${section.lookupField}' is not a lookup from '${child.name}' to '${object.name}'` });
        }
        section.columns.forEach((column, c) => {
          if (!child.fields.some((field) => field.name === column)) issues.push({ path: [...at, "columns", c].map(String), message: `'${child.name}' has no field '${column}'` });
        });
        return;
      }
      section.items.forEach((item, i) => {
        const path = [...at, "items", i];
        const field = fieldOf(item.field);
        if (!field) {
          issues.push({ path: [...path, "field"].map(String), message: `'${object.name}' has no field '${item.field}'` });
          return;
        }
        if (!widgetsFor(field.type).includes(item.widget)) {
          issues.push({ path: [...path, "widget"].map(String), message: `'${item.widget}' does not fit a ${field.type} field (use ${widgetsFor(field.type).join(", ")})` });
        }
        if (item.span > section.columns) {
          issues.push({ path: [...path, "span"].map(String), message: `spans ${item.span} columns but the section has ${section.columns}` });
        }
        condition(item.visibleWhen, [...path, "visibleWhen"]);
        condition(item.requiredWhen, [...path, "requiredWhen"]);
        if (item.lookupFilter) {
          const target = isReferenceField(field) ? objects(field.reference) : undefined;
          if (!isReferenceField(field)) issues.push({ path: [...path, "lookupFilter"].map(String), message: `only a lookup field can be filtered by another field` });
          else if (!target?.fields.some((candidate) => candidate.name === item.lookupFilter!.field)) {
            issues.push({ path: [...path, "lookupFilter", "field"].map(String), message: `'${field.reference}' has no field '${item.lookupFilter.field}'` });
          }
          if (!fieldOf(item.lookupFilter.equalsField)) {
            issues.push({ path: [...path, "lookupFilter", "equalsField"].map(String), message: `'${object.name}' has no field '${item.lookupFilter.equalsField}'` });
          }
        }
      });
    });
  });
  if (form.recordType) {
    const field = fieldOf(form.recordType.field);
    if (!field || field.type !== "select") issues.push({ path: ["recordType", "field"], message: `'${form.recordType.field}' is not a select field of '${object.name}'` });
    else if (!field.options.some((option) => option.value === form.recordType!.value)) {
      issues.push({ path: ["recordType", "value"], message: `'${form.recordType.value}' is not an option of '${field.name}' (${field.options.map((option) => option.value).join(", ")})` });
    }
  }
  return issues;
}

/**
 * The form a user gets for a record of an object: a form for the record's type, else one
 * assigned to one of the user's profiles, else the object's default form, else none (the
 * generated form). Ties go to the first by name.
 */
export function chooseForm(forms: FormDef[], objectName: string, profiles: string[], record?: FormValues): FormDef | null {
  const candidates = forms.filter((form) => form.object === objectName).sort((a, b) => a.name.localeCompare(b.name));
  const byType = record
    ? candidates.find((form) => form.recordType && record[form.recordType.field] === form.recordType.value && (form.profiles.length === 0 || form.profiles.some((profile) => profiles.includes(profile))))
    : undefined;
  return (
    byType ??
    candidates.find((form) => !form.recordType && form.profiles.some((profile) => profiles.includes(profile))) ??
    candidates.find((form) => !form.recordType && form.isDefault) ??
    null
  );
}
