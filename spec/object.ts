import { z } from "zod";
import { fieldName, identifier } from "./identifier";
import { isComputedField } from "./object-fields";

/**
 * Objects and fields: the data model an admin designs. A published object is a real table
 * (`obj_<name>`) whose columns are its fields plus the system columns (see identifier.ts).
 *
 * Every field carries a stable `id` besides its `name`: schema sync matches the published and
 * the new definition by `id`, so renaming a field renames its column and keeps the data.
 */

export const FIELD_TYPES = [
  "text", "textarea", "email", "url", "phone",
  "number", "currency", "percent",
  "boolean", "date", "datetime",
  "select", "multiselect",
  "lookup", "master_detail",
  "autonumber", "json",
  "formula", "rollup",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const fieldId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '_' or '-'");

const label = z.string().trim().min(1, "is required").max(120);

const fieldBase = {
  id: fieldId,
  name: fieldName,
  label,
  description: z.string().max(1000).optional(),
  helpText: z.string().max(500).optional(),
  required: z.boolean().default(false),
  unique: z.boolean().default(false),
  /** A formula evaluated when a record is created without a value for this field (wins over `defaultValue`). */
  defaultFormula: z.string().trim().min(1).max(4000).optional(),
};

export const selectOption = z.object({
  value: z.string().trim().min(1, "is required").max(100),
  label: z.string().trim().min(1, "is required").max(120),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a #rrggbb colour").optional(),
});
export type SelectOption = z.infer<typeof selectOption>;

const textField = z.object({
  ...fieldBase,
  type: z.literal("text"),
  maxLength: z.number().int().min(1).max(10000).default(255),
  defaultValue: z.string().optional(),
});
const textareaField = z.object({
  ...fieldBase,
  type: z.literal("textarea"),
  maxLength: z.number().int().min(1).max(1_000_000).default(32000),
  defaultValue: z.string().optional(),
});
const emailField = z.object({ ...fieldBase, type: z.literal("email"), defaultValue: z.string().optional() });
const urlField = z.object({ ...fieldBase, type: z.literal("url"), defaultValue: z.string().optional() });
const phoneField = z.object({ ...fieldBase, type: z.literal("phone"), defaultValue: z.string().optional() });

const numericSettings = {
  /** Digits after the decimal point that the UI shows and the value is rounded to. */
  scale: z.number().int().min(0).max(10).default(0),
  min: z.number().optional(),
  max: z.number().optional(),
  defaultValue: z.number().optional(),
};
const numberField = z.object({ ...fieldBase, type: z.literal("number"), ...numericSettings });
const currencyField = z.object({
  ...fieldBase,
  type: z.literal("currency"),
  ...numericSettings,
  scale: z.number().int().min(0).max(4).default(2),
  currencyCode: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").default("USD"),
});
const percentField = z.object({ ...fieldBase, type: z.literal("percent"), ...numericSettings });

const booleanField = z.object({ ...fieldBase, type: z.literal("boolean"), defaultValue: z.boolean().optional() });
const dateField = z.object({
  ...fieldBase,
  type: z.literal("date"),
  defaultValue: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD").optional(),
});
const datetimeField = z.object({ ...fieldBase, type: z.literal("datetime"), defaultValue: z.string().optional() });

const selectField = z.object({
  ...fieldBase,
  type: z.literal("select"),
  options: z.array(selectOption).min(1, "needs at least one option"),
  defaultValue: z.string().optional(),
});
const multiselectField = z.object({
  ...fieldBase,
  type: z.literal("multiselect"),
  options: z.array(selectOption).min(1, "needs at least one option"),
  defaultValue: z.array(z.string()).optional(),
});

/** A reference to another object's record; the column is a foreign key, set null on delete. */
const lookupField = z.object({
  ...fieldBase,
  type: z.literal("lookup"),
  reference: identifier,
});
/** A required parent reference; children are deleted with their parent (cascade). */
const masterDetailField = z.object({
  ...fieldBase,
  type: z.literal("master_detail"),
  reference: identifier,
  required: z.literal(true).default(true),
});

/** A read-only sequence number such as INV-0001: `{0000}` is the zero-padded counter. */
const autonumberField = z.object({
  ...fieldBase,
  type: z.literal("autonumber"),
  format: z
    .string()
    .max(60)
    .regex(/\{0+\}/, "must contain a counter such as {0000}")
    .default("{0000}"),
  startAt: z.number().int().min(0).default(1),
});
const jsonField = z.object({ ...fieldBase, type: z.literal("json") });

/**
 * Computed fields have no column: their value is computed by the database when records are
 * read (so they can be selected, filtered and sorted) and cannot be written. The expression
 * is checked against the object's fields when the object is published (server/objectql/formula).
 */
export const FORMULA_RETURN_TYPES = ["text", "number", "currency", "percent", "boolean", "date", "datetime"] as const;
export type FormulaReturnType = (typeof FORMULA_RETURN_TYPES)[number];
const formulaExpression = z.string().trim().min(1, "is required").max(4000);

/** A value computed from an expression over this record's fields and, through lookups, related records. */
const formulaField = z.object({
  ...fieldBase,
  type: z.literal("formula"),
  expression: formulaExpression,
  returnType: z.enum(FORMULA_RETURN_TYPES),
  /** Number results are rounded to this many decimals. */
  scale: z.number().int().min(0).max(10).default(2),
});

export const ROLLUP_FUNCTIONS = ["count", "sum", "min", "max", "avg"] as const;
export type RollupFunction = (typeof ROLLUP_FUNCTIONS)[number];

/** A summary of child records: those of `childObject` whose `childField` points at this record. */
const rollupField = z.object({
  ...fieldBase,
  type: z.literal("rollup"),
  childObject: identifier,
  /** The lookup / master-detail field on the child object that references this object. */
  childField: identifier,
  function: z.enum(ROLLUP_FUNCTIONS),
  /** The child field to aggregate (not needed for count). */
  field: identifier.optional(),
  /** Only children matching this ObjectQL filter (spec/query.ts) count; checked when published. */
  filter: z.unknown().optional(),
  scale: z.number().int().min(0).max(10).default(2),
});

export const fieldSchema = z.discriminatedUnion("type", [
  textField, textareaField, emailField, urlField, phoneField,
  numberField, currencyField, percentField,
  booleanField, dateField, datetimeField,
  selectField, multiselectField,
  lookupField, masterDetailField,
  autonumberField, jsonField,
  formulaField, rollupField,
]);
export type FieldDef = z.infer<typeof fieldSchema>;
export type FieldInput = z.input<typeof fieldSchema>;
export type FieldOf<T extends FieldType> = Extract<FieldDef, { type: T }>;

/**
 * A validation rule: `expression` is a boolean formula that must hold for the record to be
 * saved ("must hold", the opposite of Salesforce's "error when true"). FALSE refuses the write
 * with `message`, reported on `errorField` (or on the record as a whole); a NULL result passes,
 * as in a SQL CHECK constraint (use ISBLANK() or `required` to refuse blank values).
 */
export const validationRuleSchema = z.object({
  name: identifier,
  expression: formulaExpression,
  message: z.string().trim().min(1, "is required").max(500),
  errorField: identifier.optional(),
  active: z.boolean().default(true),
});
export type ValidationRuleDef = z.infer<typeof validationRuleSchema>;

export const indexSchema = z.object({
  name: identifier.optional(),
  fields: z.array(identifier).min(1, "needs at least one field"),
  unique: z.boolean().default(false),
});
export type IndexDef = z.infer<typeof indexSchema>;

export const objectSchema = z
  .object({
    name: identifier,
    label,
    pluralLabel: label,
    description: z.string().max(2000).optional(),
    /** A lucide icon name, e.g. "building-2". */
    icon: z.string().max(60).default("database"),
    /** The field shown as the record's title and in lookups; defaults to the first text field. */
    nameField: identifier.optional(),
    /**
     * Set on objects introspected from an external data source (spec/datasource.ts): the table
     * and columns they read instead of `obj_<name>` and field-named columns.
     */
    source: z
      .object({
        datasource: identifier,
        table: z.string().min(1).max(128),
        /** Field name -> column name, for fields whose column is named differently. */
        columns: z.record(z.string(), z.string().min(1).max(128)).optional(),
        /** The column that identifies a record (the engine's `id`). */
        primaryKey: z.string().min(1).max(128),
      })
      .optional(),
    fields: z.array(fieldSchema).max(500),
    indexes: z.array(indexSchema).default([]),
    validationRules: z.array(validationRuleSchema).max(100).default([]),
  })
  .superRefine((object, ctx) => {
    const names = new Map<string, number>();
    const ids = new Map<string, number>();
    object.fields.forEach((field, index) => {
      if (names.has(field.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["fields", index, "name"],
          message: `duplicates the name of field ${names.get(field.name)} ('${field.name}')`,
        });
      }
      names.set(field.name, index);
      if (ids.has(field.id)) {
        ctx.addIssue({ code: "custom", path: ["fields", index, "id"], message: `duplicate field id '${field.id}'` });
      }
      ids.set(field.id, index);
      if ((field.type === "select" || field.type === "multiselect")) {
        const seen = new Set<string>();
        field.options.forEach((option, optionIndex) => {
          if (seen.has(option.value)) {
            ctx.addIssue({
              code: "custom",
              path: ["fields", index, "options", optionIndex, "value"],
              message: `duplicate option value '${option.value}'`,
            });
          }
          seen.add(option.value);
        });
      }
    });
    if (object.nameField !== undefined && !names.has(object.nameField)) {
      ctx.addIssue({ code: "custom", path: ["nameField"], message: `is not a field of this object ('${object.nameField}')` });
    }
    object.fields.forEach((field, index) => {
      if (isComputedField(field) && field.unique) {
        ctx.addIssue({ code: "custom", path: ["fields", index, "unique"], message: "a computed field cannot be unique" });
      }
    });
    const ruleNames = new Set<string>();
    object.validationRules.forEach((rule, ruleIndex) => {
      if (ruleNames.has(rule.name)) {
        ctx.addIssue({ code: "custom", path: ["validationRules", ruleIndex, "name"], message: `duplicate rule name '${rule.name}'` });
      }
      ruleNames.add(rule.name);
      if (rule.errorField !== undefined && !names.has(rule.errorField)) {
        ctx.addIssue({ code: "custom", path: ["validationRules", ruleIndex, "errorField"], message: `is not a field of this object ('${rule.errorField}')` });
      }
    });
    object.indexes.forEach((index, indexNumber) => {
      index.fields.forEach((name, fieldNumber) => {
        const indexed = names.has(name) ? object.fields[names.get(name)!] : undefined;
        if (indexed && isComputedField(indexed)) {
          ctx.addIssue({
            code: "custom",
            path: ["indexes", indexNumber, "fields", fieldNumber],
            message: `'${name}' is a computed field and has no column to index`,
          });
        }
        if (!names.has(name) && name !== "created_at" && name !== "updated_at") {
          ctx.addIssue({
            code: "custom",
            path: ["indexes", indexNumber, "fields", fieldNumber],
            message: `is not a field of this object ('${name}')`,
          });
        }
      });
    });
  });
export type ObjectDef = z.infer<typeof objectSchema>;
export type ObjectInput = z.input<typeof objectSchema>;

// Zod-free helpers live in object-fields.ts so client components can use them without the schemas.
export { isComputedField, isReferenceField, nameFieldOf, NUMERIC_FIELD_TYPES, TEXT_FIELD_TYPES } from "./object-fields";
