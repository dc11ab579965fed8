import { isComputedField, isReferenceField, type FieldDef, type ObjectDef } from "@/spec/object";
import { classifyTypeChange } from "./column-types";
import { ObjectQLError, formatPath } from "../errors";
import { checkComputedMetadata } from "../formula/computed-fields";
import { desiredIndexes, tableName, type IndexSpec } from "./sql-names";

/**
 * Schema planning: the difference between the applied definition of an object and the new
 * one, as an ordered list of steps. Pure (no database access), so the studio can show the plan
 * before publishing and tests can check it directly.
 */

export type SchemaStepKind =
  | "create_table"
  | "add_column"
  | "rename_column"
  | "drop_column"
  | "change_type"
  | "drop_not_null"
  | "add_index"
  | "drop_index"
  | "add_foreign_key"
  | "drop_foreign_key";

export type SchemaStep = {
  kind: SchemaStepKind;
  /** The field's name in the new definition (the old name for drop_column / drop_foreign_key). */
  field?: string;
  /** The field's stable id, used to match it between definitions. */
  fieldId?: string;
  /** rename_column: the old name. */
  previousField?: string;
  /** add_index / drop_index: the index. */
  index?: IndexSpec;
  description: string;
  destructive: boolean;
  /** Why the step may lose data (destructive steps only). */
  reason?: string;
};

export type SchemaPlan = { object: string; steps: SchemaStep[]; destructive: SchemaStep[] };

/** Execution order: drops before renames before type changes before additions. */
const STEP_ORDER: SchemaStepKind[] = [
  "create_table", "drop_index", "drop_foreign_key", "rename_column", "drop_column",
  "change_type", "drop_not_null", "add_column", "add_foreign_key", "add_index",
];

/**
 * Whether the database enforces NOT NULL for a field on a newly created table. Lookups are
 * nullable in the database even when required because deleting the parent sets them to NULL;
 * `required` on them is enforced by record validation.
 */
export function notNullOnCreate(field: FieldDef): boolean {
  return field.required && field.type !== "lookup";
}

function onDeleteLabel(field: FieldDef): string {
  return field.type === "master_detail" ? "delete children with the parent" : "clear the value when the parent is deleted";
}

function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  return a.unique === b.unique && a.columns.join(",") === b.columns.join(",");
}

function describeIndex(index: IndexSpec): string {
  return `${index.unique ? "unique index" : "index"} ${index.name} on (${index.columns.join(", ")})`;
}

/** Checks that every reference field points to an object that exists after publishing. */
function checkReferences(next: ObjectDef, allObjects: ObjectDef[]): void {
  const known = new Set(allObjects.map((object) => object.name));
  known.add(next.name);
  const issues = next.fields.flatMap((field, index) => {
    if (!isReferenceField(field) || known.has(field.reference)) return [];
    const path = ["fields", index, "reference"];
    return [{ path, message: `Field '${field.name}' (${formatPath(path)}) references unknown object '${field.reference}'` }];
  });
  if (issues.length > 0) {
    throw new ObjectQLError("BAD_REQUEST", issues.map((issue) => issue.message).join("; "), { path: issues[0].path, issues });
  }
}

/** The object as its table sees it: computed fields (formula, rollup) have no column. */
export function storedObject(object: ObjectDef): ObjectDef {
  return object.fields.some(isComputedField) ? { ...object, fields: object.fields.filter((field) => !isComputedField(field)) } : object;
}

/**
 * Formulas, rollups, formula defaults and validation rules must type-check before anything is
 * applied: this object's own, and those of other objects that this change would break (a
 * formula elsewhere using a field removed here), which are reported under `dependents.<object>`.
 */
function checkComputed(current: ObjectDef | null, next: ObjectDef, allObjects: ObjectDef[]): void {
  const issues = checkComputedMetadata(next, allObjects);
  const after = [...allObjects.filter((object) => object.name !== next.name), next];
  const before = [...allObjects.filter((object) => object.name !== next.name), ...(current ? [current] : [])];
  for (const other of allObjects) {
    if (other.name === next.name) continue;
    const broken = checkComputedMetadata(other, after);
    if (broken.length === 0) continue;
    const known = new Set(checkComputedMetadata(other, before).map((issue) => issue.message));
    for (const issue of broken) {
      if (known.has(issue.message)) continue;
      issues.push({ path: ["dependents", other.name, ...issue.path], message: `This change breaks object '${other.name}': ${issue.message}` });
    }
  }
  if (issues.length > 0) {
    throw new ObjectQLError("BAD_REQUEST", issues.map((issue) => issue.message).join("; "), { path: issues[0].path, issues });
  }
}

/**
 * A field turning into a computed field loses its column (and values), one turning from
 * computed into stored gets a new, empty column: the plan says so in those words.
 */
function describeComputedChanges(current: ObjectDef | null, next: ObjectDef, plan: SchemaPlan): SchemaPlan {
  if (!current) return plan;
  const before = new Map(current.fields.map((field) => [field.id, field]));
  const after = new Map(next.fields.map((field) => [field.id, field]));
  const steps = plan.steps.map((step) => {
    const old = step.fieldId ? before.get(step.fieldId) : undefined;
    const now = step.fieldId ? after.get(step.fieldId) : undefined;
    if (step.kind === "drop_column" && now && isComputedField(now)) {
      return { ...step, description: `Field '${now.name}' becomes a ${now.type} field: its column and stored values are deleted (the value is computed from now on)` };
    }
    if (step.kind === "add_column" && old && isComputedField(old)) {
      return { ...step, description: `Field '${step.field}' stops being a ${old.type} field: it gets a column, empty in existing records` };
    }
    return step;
  });
  return { ...plan, steps, destructive: steps.filter((step) => step.destructive) };
}

export function planSchemaSync(current: ObjectDef | null, next: ObjectDef, allObjects: ObjectDef[]): SchemaPlan {
  checkReferences(next, allObjects);
  checkComputed(current, next, allObjects);
  return describeComputedChanges(current, next, planStoredSchema(current && storedObject(current), storedObject(next)));
}

function planStoredSchema(current: ObjectDef | null, next: ObjectDef): SchemaPlan {
  const steps: SchemaStep[] = [];
  const step = (s: Omit<SchemaStep, "destructive"> & { destructive?: boolean }) =>
    steps.push({ ...s, destructive: s.destructive ?? false });

  if (current === null) {
    const references = next.fields.filter(isReferenceField).map((field) => `${field.name} -> ${field.reference}`);
    step({
      kind: "create_table",
      description: `Create table ${tableName(next.name)} with ${next.fields.length} field(s)` +
        (references.length > 0 ? ` and foreign keys (${references.join(", ")})` : ""),
    });
    for (const index of desiredIndexes(next).values()) {
      step({ kind: "add_index", index, field: index.columns.join(","), description: `Add ${describeIndex(index)}` });
    }
    return finish(next.name, steps);
  }

  if (current.name !== next.name) {
    throw new ObjectQLError(
      "BAD_REQUEST",
      `Object '${current.name}' cannot be renamed to '${next.name}': object names are permanent (create a new object instead)`,
      { path: ["name"], issues: [{ path: ["name"], message: `cannot change from '${current.name}' to '${next.name}'` }] },
    );
  }

  const currentById = new Map(current.fields.map((field) => [field.id, field]));
  const nextIds = new Set(next.fields.map((field) => field.id));

  for (const field of current.fields) {
    if (nextIds.has(field.id)) continue;
    step({
      kind: "drop_column",
      field: field.name,
      fieldId: field.id,
      description: `Remove field '${field.name}' (its column and data are deleted)`,
      destructive: true,
      reason: `the values of '${field.name}' in every record will be deleted`,
    });
  }

  for (const field of next.fields) {
    const before = currentById.get(field.id);
    if (!before) {
      step({
        kind: "add_column",
        field: field.name,
        fieldId: field.id,
        description: `Add field '${field.name}' (${field.type})` +
          (field.required ? "; existing records keep an empty value, required is enforced when they are saved" : ""),
      });
      if (isReferenceField(field)) {
        step({
          kind: "add_foreign_key",
          field: field.name,
          fieldId: field.id,
          description: `Add foreign key ${field.name} -> ${field.reference} (${onDeleteLabel(field)})`,
        });
      }
      continue;
    }

    if (before.name !== field.name) {
      step({
        kind: "rename_column",
        field: field.name,
        fieldId: field.id,
        previousField: before.name,
        description: `Rename field '${before.name}' to '${field.name}' (data kept)`,
      });
    }

    const change = classifyTypeChange(before, field);
    if (change) {
      const kindChange = before.type === field.type ? `${field.type} settings` : `${before.type} to ${field.type}`;
      step({
        kind: "change_type",
        field: field.name,
        fieldId: field.id,
        description: `Change field '${field.name}' from ${kindChange}` + (change.safe ? " (data kept)" : ""),
        destructive: !change.safe,
        reason: change.reason,
      });
    }
    if (notNullOnCreate(before) && !notNullOnCreate(field)) {
      step({ kind: "drop_not_null", field: field.name, fieldId: field.id, description: `Make field '${field.name}' optional` });
    }

    const fkBefore = isReferenceField(before) ? `${before.type}:${before.reference}` : null;
    const fkAfter = isReferenceField(field) ? `${field.type}:${field.reference}` : null;
    if (fkBefore !== fkAfter) {
      if (fkBefore !== null && isReferenceField(before)) {
        step({
          kind: "drop_foreign_key",
          field: before.name,
          fieldId: field.id,
          description: `Drop foreign key ${before.name} -> ${before.reference}`,
        });
      }
      if (fkAfter !== null && isReferenceField(field)) {
        step({
          kind: "add_foreign_key",
          field: field.name,
          fieldId: field.id,
          description: `Add foreign key ${field.name} -> ${field.reference} (${onDeleteLabel(field)})`,
        });
      }
    }
  }

  const indexesBefore = desiredIndexes(current);
  const indexesAfter = desiredIndexes(next);
  for (const [name, index] of indexesBefore) {
    const after = indexesAfter.get(name);
    if (!after || !sameIndex(index, after)) {
      step({ kind: "drop_index", index, field: index.columns.join(","), description: `Drop ${describeIndex(index)}` });
    }
  }
  for (const [name, index] of indexesAfter) {
    const before = indexesBefore.get(name);
    if (!before || !sameIndex(before, index)) {
      step({ kind: "add_index", index, field: index.columns.join(","), description: `Add ${describeIndex(index)}` });
    }
  }

  return finish(next.name, steps);
}

function finish(object: string, steps: SchemaStep[]): SchemaPlan {
  const ordered = steps
    .map((step, position) => ({ step, position }))
    .sort((a, b) => STEP_ORDER.indexOf(a.step.kind) - STEP_ORDER.indexOf(b.step.kind) || a.position - b.position)
    .map(({ step }) => step);
  return { object, steps: ordered, destructive: ordered.filter((step) => step.destructive) };
}
