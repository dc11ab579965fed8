import type { FieldDef, IndexDef, ObjectDef, ValidationRuleDef } from "@/spec/object";
import { DocumentStore, type CommandOptions, type DocumentStoreOptions } from "@/designers/shared/document-store";

/** The object-level settings the settings panel edits (name and fields have their own commands). */
export type ObjectSettingsPatch = Partial<Pick<ObjectDef, "label" | "pluralLabel" | "description" | "icon" | "nameField">>;

export class FieldCommandError extends Error {}

/** A validation-rule command the store refused (e.g. a duplicate rule name). */
export class RuleCommandError extends Error {}

function arrayMove<T>(items: readonly T[], from: number, to: number): T[] {
  const next = items.slice();
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}

/** A fresh field id (matches the spec's fieldId pattern). */
export function newFieldId(): string {
  const random =
    typeof crypto !== "undefined" && typeof crypto.randomUUID === "function"
      ? crypto.randomUUID().replace(/-/g, "")
      : Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  return `f_${random.slice(0, 10)}`;
}

/**
 * The object designer's document: an ObjectDef plus commands. Field commands keep the rest of
 * the object consistent: renaming a field renames it in `nameField` and the indexes; removing
 * it clears `nameField` and drops it from the indexes (an index left empty is removed).
 */
export class ObjectDesignerStore extends DocumentStore<ObjectDef> {
  constructor(initial: ObjectDef, options?: DocumentStoreOptions) {
    super(initial, options);
  }

  fieldById(id: string): FieldDef | undefined {
    return this.document.fields.find((field) => field.id === id);
  }

  updateObject(patch: ObjectSettingsPatch, options?: CommandOptions): boolean {
    const keys = Object.keys(patch) as (keyof ObjectSettingsPatch)[];
    const label = keys.length === 1 ? `Change ${keys[0]}` : "Change object settings";
    return this.apply(
      label,
      (object) => {
        if (keys.every((key) => object[key] === patch[key])) return object;
        const next: ObjectDef = { ...object, ...patch };
        for (const key of keys) if (patch[key] === undefined) delete (next as Record<string, unknown>)[key];
        return next;
      },
      options,
    );
  }

  addField(field: FieldDef, index?: number): boolean {
    const object = this.document;
    if (object.fields.some((other) => other.name === field.name)) {
      throw new FieldCommandError(`A field named '${field.name}' already exists`);
    }
    if (object.fields.some((other) => other.id === field.id)) {
      throw new FieldCommandError(`A field with id '${field.id}' already exists`);
    }
    return this.apply(`Add field ${field.label}`, (current) => {
      const fields = current.fields.slice();
      fields.splice(index ?? fields.length, 0, field);
      return { ...current, fields };
    });
  }

  /** Replaces the field with this id (the id itself never changes). */
  updateField(id: string, field: FieldDef, options?: CommandOptions): boolean {
    const previous = this.fieldById(id);
    if (!previous) throw new FieldCommandError(`No field with id '${id}'`);
    if (this.document.fields.some((other) => other.id !== id && other.name === field.name)) {
      throw new FieldCommandError(`A field named '${field.name}' already exists`);
    }
    const next: FieldDef = { ...field, id };
    if (JSON.stringify(previous) === JSON.stringify(next)) return false;
    return this.apply(
      `Edit field ${next.label}`,
      (object) => {
        const fields = object.fields.map((other) => (other.id === id ? next : other));
        let { nameField, indexes, validationRules } = object;
        if (previous.name !== next.name) {
          if (nameField === previous.name) nameField = next.name;
          indexes = indexes.map((index) => ({
            ...index,
            fields: index.fields.map((name) => (name === previous.name ? next.name : name)),
          }));
          validationRules = validationRules.map((rule) =>
            rule.errorField === previous.name ? { ...rule, errorField: next.name } : rule,
          );
        }
        const result: ObjectDef = { ...object, fields, indexes, validationRules };
        if (nameField === undefined) delete result.nameField;
        else result.nameField = nameField;
        return result;
      },
      options,
    );
  }

  removeField(id: string): boolean {
    const field = this.fieldById(id);
    if (!field) return false;
    return this.apply(`Remove field ${field.label}`, (object) => {
      const result: ObjectDef = {
        ...object,
        fields: object.fields.filter((other) => other.id !== id),
        indexes: object.indexes
          .map((index) => ({ ...index, fields: index.fields.filter((name) => name !== field.name) }))
          .filter((index) => index.fields.length > 0),
        validationRules: object.validationRules.map((rule) => {
          if (rule.errorField !== field.name) return rule;
          const next = { ...rule };
          delete next.errorField;
          return next;
        }),
      };
      if (result.nameField === field.name) delete result.nameField;
      return result;
    });
  }

  /** Moves the field with this id to position `toIndex` (in the list without it). */
  moveField(id: string, toIndex: number): boolean {
    const from = this.document.fields.findIndex((field) => field.id === id);
    if (from < 0) return false;
    const to = Math.max(0, Math.min(toIndex, this.document.fields.length - 1));
    if (from === to) return false;
    const field = this.document.fields[from];
    return this.apply(`Move field ${field.label}`, (object) => ({ ...object, fields: arrayMove(object.fields, from, to) }));
  }

  addIndex(index: IndexDef): boolean {
    return this.apply("Add index", (object) => ({ ...object, indexes: [...object.indexes, index] }));
  }

  updateIndex(position: number, index: IndexDef): boolean {
    if (!this.document.indexes[position]) return false;
    return this.apply("Edit index", (object) => ({
      ...object,
      indexes: object.indexes.map((other, i) => (i === position ? index : other)),
    }));
  }

  removeIndex(position: number): boolean {
    if (!this.document.indexes[position]) return false;
    return this.apply("Remove index", (object) => ({
      ...object,
      indexes: object.indexes.filter((_, i) => i !== position),
    }));
  }

  /** Adds a validation rule at the end (rule names are unique within the object). */
  addRule(rule: ValidationRuleDef): boolean {
    if (this.document.validationRules.some((other) => other.name === rule.name)) {
      throw new RuleCommandError(`A rule named '${rule.name}' already exists`);
    }
    return this.apply(`Add rule ${rule.name}`, (object) => ({ ...object, validationRules: [...object.validationRules, rule] }));
  }

  /** Replaces the rule at `position`. */
  updateRule(position: number, rule: ValidationRuleDef, options?: CommandOptions): boolean {
    const previous = this.document.validationRules[position];
    if (!previous) throw new RuleCommandError(`No rule at position ${position}`);
    if (this.document.validationRules.some((other, i) => i !== position && other.name === rule.name)) {
      throw new RuleCommandError(`A rule named '${rule.name}' already exists`);
    }
    if (JSON.stringify(previous) === JSON.stringify(rule)) return false;
    return this.apply(
      `Edit rule ${rule.name}`,
      (object) => ({ ...object, validationRules: object.validationRules.map((other, i) => (i === position ? rule : other)) }),
      options,
    );
  }

  /** Turns the rule at `position` on or off. */
  setRuleActive(position: number, active: boolean): boolean {
    const rule = this.document.validationRules[position];
    if (!rule || rule.active === active) return false;
    return this.apply(`${active ? "Activate" : "Deactivate"} rule ${rule.name}`, (object) => ({
      ...object,
      validationRules: object.validationRules.map((other, i) => (i === position ? { ...other, active } : other)),
    }));
  }

  removeRule(position: number): boolean {
    const rule = this.document.validationRules[position];
    if (!rule) return false;
    return this.apply(`Remove rule ${rule.name}`, (object) => ({
      ...object,
      validationRules: object.validationRules.filter((_, i) => i !== position),
    }));
  }
}
