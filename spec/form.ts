import { z } from "zod";
import { fieldId } from "./object";
import { identifier } from "./identifier";

/**
 * Forms: how an object's records are laid out for viewing and editing. A form is its own
 * metadata document (several per object: by profile, by record type, one default), made of
 * tabs; a tab holds sections; a "fields" section lays its fields out in 1-4 columns (a field may
 * span several), a "related" section lists child records through a lookup.
 *
 * Conditions (`visibleWhen`, `requiredWhen`) are formula expressions over the object's own
 * fields (see formula/), evaluated the same way in the browser and on the server
 * (formula/form-rules.ts), so a rule the user cannot see is still enforced when the record is saved.
 */

/** Ids of layout elements (tabs, sections, items): stable across edits, unique within a form. */
export const elementId = fieldId;

/** A formula expression that yields a boolean, over the fields of the form's object. */
export const formCondition = z.string().trim().min(1, "is required").max(2000);

/** How a field is edited; `default` picks the field type's usual editor. */
export const FORM_WIDGETS = ["default", "textarea", "radio", "toggle", "checkbox"] as const;
export type FormWidget = (typeof FORM_WIDGETS)[number];

const defaultValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.array(z.string().max(200)).max(200)]);

export const formFieldItemSchema = z.object({
  id: elementId,
  type: z.literal("field"),
  field: identifier,
  /** Columns of its section the field takes (capped at the section's column count when rendered). */
  span: z.number().int().min(1).max(4).default(1),
  /** Overrides the field's label on this form. */
  label: z.string().trim().min(1).max(120).optional(),
  helpText: z.string().max(500).optional(),
  placeholder: z.string().max(200).optional(),
  /** Required on this form (the field's own `required` always applies too). */
  required: z.boolean().default(false),
  /** Shown but not editable on this form; the server refuses a change to it made through this form. */
  readOnly: z.boolean().default(false),
  /** Value a new record starts with on this form. */
  defaultValue: defaultValue.optional(),
  widget: z.enum(FORM_WIDGETS).default("default"),
  /** The field is shown (and checked) only while this holds; the app does not send a hidden field's value. */
  visibleWhen: formCondition.optional(),
  /** The field is required while this holds (and it is visible). */
  requiredWhen: formCondition.optional(),
  /** The message shown when a required rule fails (default "<label> is required"). */
  requiredMessage: z.string().trim().min(1).max(300).optional(),
  /**
   * A lookup whose choices depend on another field of the form: only records of the referenced
   * object whose `field` equals this record's `equalsField` are offered (e.g. a contact
   * filtered by the chosen account).
   */
  lookupFilter: z.object({ field: identifier, equalsField: identifier }).optional(),
});
export type FormFieldItem = z.infer<typeof formFieldItemSchema>;
export type FormFieldItemInput = z.input<typeof formFieldItemSchema>;

export const fieldsSectionSchema = z.object({
  id: elementId,
  type: z.literal("fields"),
  label: z.string().trim().max(120).optional(),
  columns: z.number().int().min(1).max(4).default(2),
  collapsible: z.boolean().default(false),
  /** Starts collapsed (only when collapsible). */
  collapsed: z.boolean().default(false),
  visibleWhen: formCondition.optional(),
  items: z.array(formFieldItemSchema).max(200).default([]),
});
export type FieldsSection = z.infer<typeof fieldsSectionSchema>;

export const relatedSectionSchema = z.object({
  id: elementId,
  type: z.literal("related"),
  label: z.string().trim().max(120).optional(),
  /** The child object and its lookup (or master-detail) field that points at this object. */
  object: identifier,
  lookupField: identifier,
  /** Child fields shown as columns (default: the child's name field). */
  columns: z.array(identifier).max(10).default([]),
  limit: z.number().int().min(1).max(50).default(5),
  collapsible: z.boolean().default(false),
  collapsed: z.boolean().default(false),
  visibleWhen: formCondition.optional(),
});
export type RelatedSection = z.infer<typeof relatedSectionSchema>;

export const formSectionSchema = z.discriminatedUnion("type", [fieldsSectionSchema, relatedSectionSchema]);
export type FormSection = z.infer<typeof formSectionSchema>;

export const formTabSchema = z.object({
  id: elementId,
  label: z.string().trim().min(1, "is required").max(120),
  sections: z.array(formSectionSchema).max(50).default([]),
});
export type FormTab = z.infer<typeof formTabSchema>;

export const formSchema = z
  .object({
    name: identifier,
    label: z.string().trim().min(1, "is required").max(120),
    description: z.string().max(2000).optional(),
    /** The object whose records this form shows. */
    object: identifier,
    /** The object's form for users no other form is assigned to. */
    isDefault: z.boolean().default(false),
    /** Users with one of these profiles get this form (empty: no profile assignment). */
    profiles: z.array(identifier).max(100).default([]),
    /** Records whose select field has this value get this form (a "record type"). */
    recordType: z.object({ field: identifier, value: z.string().min(1).max(100) }).optional(),
    tabs: z.array(formTabSchema).min(1, "needs at least one tab").max(12),
  })
  .superRefine((form, ctx) => {
    const ids = new Map<string, string>();
    const placed = new Map<string, string>();
    const claim = (id: string, path: (string | number)[]) => {
      const where = path.join(".");
      if (ids.has(id)) ctx.addIssue({ code: "custom", path: [...path, "id"], message: `id '${id}' is also used at ${ids.get(id)}` });
      else ids.set(id, where);
    };
    form.tabs.forEach((tab, t) => {
      claim(tab.id, ["tabs", t]);
      tab.sections.forEach((section, s) => {
        claim(section.id, ["tabs", t, "sections", s]);
        if (section.type !== "fields") return;
        section.items.forEach((item, i) => {
          const path = ["tabs", t, "sections", s, "items", i];
          claim(item.id, path);
          if (placed.has(item.field)) {
            ctx.addIssue({ code: "custom", path: [...path, "field"], message: `field '${item.field}' is already on the form (${placed.get(item.field)})` });
          } else placed.set(item.field, path.join("."));
        });
      });
    });
  });
export type FormDef = z.infer<typeof formSchema>;
export type FormInput = z.input<typeof formSchema>;

/** Every field item of a form, in layout order, with where it sits. */
export function formFieldItems(form: FormDef): { item: FormFieldItem; tab: FormTab; section: FieldsSection }[] {
  return form.tabs.flatMap((tab) =>
    tab.sections.flatMap((section) => (section.type === "fields" ? section.items.map((item) => ({ item, tab, section })) : [])),
  );
}
