import { DocumentStore, type CommandOptions, type DocumentStoreOptions } from "@/designers/shared/document-store";
import type { FieldsSection, FormDef, FormFieldItem, FormSection, FormTab, RelatedSection } from "@/spec/form";

/**
 * The form designer's document: a FormDef with named commands (one undo step each, with a
 * readable label), the selected element (kept outside the undo history, but moved to the
 * element an undone or redone command touched), and keyboard moves of the selection.
 *
 * Commands return a `CommandResult`: a refused command (a field already on the form, the last
 * tab) leaves the document untouched and says why, for the designer to show.
 */

export type CommandResult = { ok: true } | { ok: false; reason: string };
const OK: CommandResult = { ok: true };
const refuse = (reason: string): CommandResult => ({ ok: false, reason });

export type ElementLocation =
  | { kind: "tab"; id: string; tabIndex: number; tab: FormTab }
  | { kind: "section"; id: string; tabIndex: number; sectionIndex: number; tab: FormTab; section: FormSection }
  | { kind: "item"; id: string; tabIndex: number; sectionIndex: number; itemIndex: number; tab: FormTab; section: FieldsSection; item: FormFieldItem };

/** Where an element (tab, section or field item) is in the form; undefined when it is not there. */
export function locateElement(form: FormDef, id: string): ElementLocation | undefined {
  for (const [tabIndex, tab] of form.tabs.entries()) {
    if (tab.id === id) return { kind: "tab", id, tabIndex, tab };
    for (const [sectionIndex, section] of tab.sections.entries()) {
      if (section.id === id) return { kind: "section", id, tabIndex, sectionIndex, tab, section };
      if (section.type !== "fields") continue;
      const itemIndex = section.items.findIndex((item) => item.id === id);
      if (itemIndex >= 0) return { kind: "item", id, tabIndex, sectionIndex, itemIndex, tab, section, item: section.items[itemIndex]! };
    }
  }
  return undefined;
}

/** The names of the fields already placed on the form. */
export function placedFields(form: FormDef): Set<string> {
  const names = new Set<string>();
  for (const tab of form.tabs) for (const section of tab.sections) if (section.type === "fields") for (const item of section.items) names.add(item.field);
  return names;
}

function allIds(form: FormDef): Set<string> {
  const ids = new Set<string>();
  for (const tab of form.tabs) {
    ids.add(tab.id);
    for (const section of tab.sections) {
      ids.add(section.id);
      if (section.type === "fields") for (const item of section.items) ids.add(item.id);
    }
  }
  return ids;
}

export type ItemPatch = Partial<Omit<FormFieldItem, "id" | "type" | "field">>;
export type FieldsSectionPatch = Partial<Omit<FieldsSection, "id" | "type" | "items">>;
export type RelatedSectionPatch = Partial<Omit<RelatedSection, "id" | "type">>;
export type FormPatch = Partial<Pick<FormDef, "label" | "description" | "isDefault" | "profiles" | "recordType">>;
export type NewSection = { type: "fields"; columns: number; label?: string } | { type: "related"; object: string; lookupField: string; label?: string };
export type MoveDirection = "up" | "down" | "left" | "right";

/** Applies a patch where `undefined` removes the key (an emptied optional input). */
function patched<T extends object>(value: T, patch: object): T {
  const next = { ...value } as Record<string, unknown>;
  let changed = false;
  for (const [key, entry] of Object.entries(patch)) {
    if (JSON.stringify(next[key]) === JSON.stringify(entry)) continue;
    changed = true;
    if (entry === undefined) delete next[key];
    else next[key] = entry;
  }
  return changed ? (next as T) : value;
}

function moveWithin<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved!);
  return next;
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

type Touched = { id: string; fallback: string | null };

export type FormDesignerStoreOptions = DocumentStoreOptions & {
  /** Makes new element ids; injectable for tests. Ids already on the form are skipped. */
  newId?: (kind: "tab" | "section" | "item") => string;
};

function randomId(kind: "tab" | "section" | "item"): string {
  const prefix = kind === "tab" ? "tab" : kind === "section" ? "sec" : "fld";
  return `${prefix}_${crypto.randomUUID().replace(/-/g, "").slice(0, 10)}`;
}

export class FormDesignerStore extends DocumentStore<FormDef> {
  private selected: string | null = null;
  private readonly selectionListeners = new Set<() => void>();
  /** For each document a command produced: the element it touched (and what to select if that is gone). */
  private readonly touched = new WeakMap<FormDef, Touched>();
  private readonly makeId: (kind: "tab" | "section" | "item") => string;

  constructor(initial: FormDef, options: FormDesignerStoreOptions = {}) {
    super(initial, options);
    this.makeId = options.newId ?? randomId;
  }

  // --- selection ---------------------------------------------------------------------------

  subscribeSelection = (listener: () => void): (() => void) => {
    this.selectionListeners.add(listener);
    return () => {
      this.selectionListeners.delete(listener);
    };
  };

  getSelection = (): string | null => this.selected;

  select(id: string | null): void {
    const next = id !== null && locateElement(this.document, id) ? id : null;
    if (next === this.selected) return;
    this.selected = next;
    for (const listener of this.selectionListeners) listener();
  }

  override undo(): boolean {
    const undone = this.touched.get(this.document);
    const changed = super.undo();
    if (changed) this.selectTouched(undone);
    return changed;
  }

  override redo(): boolean {
    const changed = super.redo();
    if (changed) this.selectTouched(this.touched.get(this.document));
    return changed;
  }

  override load(document: FormDef, revision: number): void {
    super.load(document, revision);
    this.select(this.selected);
  }

  private selectTouched(touched: Touched | undefined): void {
    if (!touched) return this.select(this.selected);
    if (locateElement(this.document, touched.id)) this.select(touched.id);
    else this.select(touched.fallback);
  }

  /** Runs a command and remembers which element it touched (for selection on undo/redo). */
  private run(label: string, recipe: (form: FormDef) => FormDef, touched: Touched, options?: CommandOptions): CommandResult {
    if (this.apply(label, recipe, options)) this.touched.set(this.document, touched);
    return OK;
  }

  private freshId(kind: "tab" | "section" | "item", taken: Set<string>): string {
    for (let attempt = 0; attempt < 100; attempt++) {
      const id = this.makeId(kind);
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
    }
    throw new Error(`Could not make a new ${kind} id that is not already on the form`);
  }

  private mapSection(form: FormDef, sectionId: string, map: (section: FormSection) => FormSection): FormDef {
    return {
      ...form,
      tabs: form.tabs.map((tab) =>
        tab.sections.some((section) => section.id === sectionId)
          ? { ...tab, sections: tab.sections.map((section) => (section.id === sectionId ? map(section) : section)) }
          : tab,
      ),
    };
  }

  private mapTab(form: FormDef, tabId: string, map: (tab: FormTab) => FormTab): FormDef {
    return { ...form, tabs: form.tabs.map((tab) => (tab.id === tabId ? map(tab) : tab)) };
  }

  // --- fields ------------------------------------------------------------------------------

  /** Places a field of the object in a fields section at `index` (clamped) and selects it. */
  addField(fieldName: string, sectionId: string, index: number, patch: ItemPatch = {}): CommandResult {
    const form = this.document;
    if (placedFields(form).has(fieldName)) return refuse(`'${fieldName}' is already on the form: a field can be placed once.`);
    const target = locateElement(form, sectionId);
    if (!target || target.kind !== "section") return refuse(`There is no section '${sectionId}' on the form.`);
    if (target.section.type !== "fields") return refuse("A related list shows child records; fields go in a fields section.");
    const id = this.freshId("item", allIds(form));
    const item: FormFieldItem = { id, type: "field", field: fieldName, span: 1, required: false, readOnly: false, widget: "default", ...patch };
    const result = this.run(
      `Add field ${fieldName}`,
      (current) =>
        this.mapSection(current, sectionId, (section) => {
          const items = [...(section as FieldsSection).items];
          items.splice(clamp(index, 0, items.length), 0, item);
          return { ...(section as FieldsSection), items };
        }),
      { id, fallback: sectionId },
    );
    this.select(id);
    return result;
  }

  /** Moves a field item to `index` of a fields section (the index counts without the moved item). */
  moveItem(itemId: string, sectionId: string, index: number): CommandResult {
    const form = this.document;
    const from = locateElement(form, itemId);
    if (!from || from.kind !== "item") return refuse(`There is no field item '${itemId}' on the form.`);
    const to = locateElement(form, sectionId);
    if (!to || to.kind !== "section") return refuse(`There is no section '${sectionId}' on the form.`);
    if (to.section.type !== "fields") return refuse("A related list shows child records; fields go in a fields section.");
    const sameSection = from.section.id === sectionId;
    const length = to.section.items.length - (sameSection ? 1 : 0);
    const at = clamp(index, 0, length);
    if (sameSection && at === from.itemIndex) return OK;
    const item = from.item;
    const span = Math.min(item.span, to.section.columns);
    const moved = span === item.span ? item : { ...item, span };
    const result = this.run(
      `Move ${item.label ?? item.field}`,
      (current) => {
        const without = this.mapSection(current, from.section.id, (section) => ({
          ...(section as FieldsSection),
          items: (section as FieldsSection).items.filter((other) => other.id !== itemId),
        }));
        return this.mapSection(without, sectionId, (section) => {
          const items = [...(section as FieldsSection).items];
          items.splice(at, 0, moved);
          return { ...(section as FieldsSection), items };
        });
      },
      { id: itemId, fallback: null },
    );
    this.select(itemId);
    return result;
  }

  /** Changes a field item's properties; each input passes its own coalesce key so typing is one step. */
  updateItem(itemId: string, patch: ItemPatch, options?: CommandOptions): CommandResult {
    const at = locateElement(this.document, itemId);
    if (!at || at.kind !== "item") return refuse(`There is no field item '${itemId}' on the form.`);
    if (patch.span !== undefined && (patch.span < 1 || patch.span > at.section.columns)) {
      return refuse(`A field in this section can span 1 to ${at.section.columns} column${at.section.columns === 1 ? "" : "s"}.`);
    }
    const keys = Object.keys(patch);
    const what = keys.length === 1 ? keys[0] : "properties";
    return this.run(
      `Change ${what} of ${at.item.label ?? at.item.field}`,
      (form) =>
        this.mapSection(form, at.section.id, (section) => {
          const fields = section as FieldsSection;
          const items = fields.items.map((item) => (item.id === itemId ? patched(item, patch) : item));
          return items.every((item, i) => item === fields.items[i]) ? section : { ...fields, items };
        }),
      { id: itemId, fallback: at.section.id },
      options,
    );
  }

  // --- sections ----------------------------------------------------------------------------

  /** Adds a section to a tab at `index` and selects it. */
  addSection(tabId: string, index: number, spec: NewSection): CommandResult {
    const form = this.document;
    const tab = locateElement(form, tabId);
    if (!tab || tab.kind !== "tab") return refuse(`There is no tab '${tabId}' on the form.`);
    if (spec.type === "fields" && (!Number.isInteger(spec.columns) || spec.columns < 1 || spec.columns > 4)) return refuse("A section has 1 to 4 columns.");
    const id = this.freshId("section", allIds(form));
    const label = spec.label?.trim() ? spec.label.trim() : undefined;
    const section: FormSection =
      spec.type === "fields"
        ? { id, type: "fields", columns: spec.columns, collapsible: false, collapsed: false, items: [], ...(label ? { label } : {}) }
        : { id, type: "related", object: spec.object, lookupField: spec.lookupField, columns: [], limit: 5, collapsible: false, collapsed: false, ...(label ? { label } : {}) };
    const result = this.run(
      spec.type === "fields" ? `Add ${spec.columns}-column section` : `Add related list ${spec.object}`,
      (current) =>
        this.mapTab(current, tabId, (target) => {
          const sections = [...target.sections];
          sections.splice(clamp(index, 0, sections.length), 0, section);
          return { ...target, sections };
        }),
      { id, fallback: tabId },
    );
    this.select(id);
    return result;
  }

  /** Moves a section to `index` of a tab (the index counts without the moved section). */
  moveSection(sectionId: string, tabId: string, index: number): CommandResult {
    const form = this.document;
    const from = locateElement(form, sectionId);
    if (!from || from.kind !== "section") return refuse(`There is no section '${sectionId}' on the form.`);
    const to = locateElement(form, tabId);
    if (!to || to.kind !== "tab") return refuse(`There is no tab '${tabId}' on the form.`);
    const sameTab = from.tab.id === tabId;
    const at = clamp(index, 0, to.tab.sections.length - (sameTab ? 1 : 0));
    if (sameTab && at === from.sectionIndex) return OK;
    const result = this.run(
      `Move section ${from.section.label ?? ""}`.trim(),
      (current) => {
        const without = this.mapTab(current, from.tab.id, (tab) => ({ ...tab, sections: tab.sections.filter((section) => section.id !== sectionId) }));
        return this.mapTab(without, tabId, (tab) => {
          const sections = [...tab.sections];
          sections.splice(at, 0, from.section);
          return { ...tab, sections };
        });
      },
      { id: sectionId, fallback: null },
    );
    this.select(sectionId);
    return result;
  }

  /**
   * Changes a section's properties. Fewer columns also narrows the spans of its fields, in the
   * same step, so no field spans more columns than its section has.
   */
  updateSection(sectionId: string, patch: FieldsSectionPatch | RelatedSectionPatch, options?: CommandOptions): CommandResult {
    const at = locateElement(this.document, sectionId);
    if (!at || at.kind !== "section") return refuse(`There is no section '${sectionId}' on the form.`);
    const section = at.section;
    if (section.type === "fields" && "columns" in patch && patch.columns !== undefined) {
      const columns = patch.columns;
      if (typeof columns !== "number" || !Number.isInteger(columns) || columns < 1 || columns > 4) return refuse("A section has 1 to 4 columns.");
    }
    if (section.type === "related" && "columns" in patch && patch.columns !== undefined && !Array.isArray(patch.columns)) {
      return refuse("A related list's columns are field names of the child object.");
    }
    const keys = Object.keys(patch);
    return this.run(
      `Change ${keys.length === 1 ? keys[0] : "properties"} of section ${section.label ?? ""}`.trim(),
      (form) =>
        this.mapSection(form, sectionId, (current) => {
          let next = patched(current, patch);
          if (next.type === "fields" && next.columns !== (current as FieldsSection).columns) {
            const columns = next.columns;
            next = { ...next, items: next.items.map((item) => (item.span > columns ? { ...item, span: columns } : item)) };
          }
          return next;
        }),
      { id: sectionId, fallback: at.tab.id },
      options,
    );
  }

  // --- tabs --------------------------------------------------------------------------------

  /**
   * Adds a tab at `index` (default: last) with one empty 2-column section, so fields can be
   * dropped into it right away, and selects it.
   */
  addTab(index = this.document.tabs.length, label?: string): CommandResult {
    const form = this.document;
    if (form.tabs.length >= 12) return refuse("A form has at most 12 tabs.");
    const taken = allIds(form);
    const id = this.freshId("tab", taken);
    const tab: FormTab = {
      id,
      label: label?.trim() || `Tab ${form.tabs.length + 1}`,
      sections: [{ id: this.freshId("section", taken), type: "fields", columns: 2, collapsible: false, collapsed: false, items: [] }],
    };
    const result = this.run(
      `Add tab ${tab.label}`,
      (current) => {
        const tabs = [...current.tabs];
        tabs.splice(clamp(index, 0, tabs.length), 0, tab);
        return { ...current, tabs };
      },
      { id, fallback: null },
    );
    this.select(id);
    return result;
  }

  moveTab(tabId: string, index: number): CommandResult {
    const from = locateElement(this.document, tabId);
    if (!from || from.kind !== "tab") return refuse(`There is no tab '${tabId}' on the form.`);
    const at = clamp(index, 0, this.document.tabs.length - 1);
    if (at === from.tabIndex) return OK;
    const result = this.run(`Move tab ${from.tab.label}`, (form) => ({ ...form, tabs: moveWithin(form.tabs, from.tabIndex, at) }), { id: tabId, fallback: null });
    this.select(tabId);
    return result;
  }

  renameTab(tabId: string, label: string, options?: CommandOptions): CommandResult {
    const at = locateElement(this.document, tabId);
    if (!at || at.kind !== "tab") return refuse(`There is no tab '${tabId}' on the form.`);
    return this.run(
      `Rename tab ${at.tab.label}`,
      (form) => this.mapTab(form, tabId, (tab) => (tab.label === label ? tab : { ...tab, label })),
      { id: tabId, fallback: null },
      options,
    );
  }

  // --- any element -------------------------------------------------------------------------

  /** Removes a tab, section or field item; the parent (or a neighbouring tab) becomes selected. */
  removeElement(id: string): CommandResult {
    const form = this.document;
    const at = locateElement(form, id);
    if (!at) return refuse(`There is no element '${id}' on the form.`);
    let parent: string | null;
    let label: string;
    let recipe: (form: FormDef) => FormDef;
    if (at.kind === "tab") {
      if (form.tabs.length === 1) return refuse("A form needs at least one tab.");
      parent = form.tabs[at.tabIndex === 0 ? 1 : at.tabIndex - 1]!.id;
      label = `Remove tab ${at.tab.label}`;
      recipe = (current) => ({ ...current, tabs: current.tabs.filter((tab) => tab.id !== id) });
    } else if (at.kind === "section") {
      parent = at.tab.id;
      label = `Remove section ${at.section.label ?? ""}`.trim();
      recipe = (current) => this.mapTab(current, at.tab.id, (tab) => ({ ...tab, sections: tab.sections.filter((section) => section.id !== id) }));
    } else {
      parent = at.section.id;
      label = `Remove field ${at.item.label ?? at.item.field}`;
      recipe = (current) =>
        this.mapSection(current, at.section.id, (section) => ({ ...(section as FieldsSection), items: (section as FieldsSection).items.filter((item) => item.id !== id) }));
    }
    // Undo brings the element back and selects it; redo selects the parent again.
    const result = this.run(label, recipe, { id, fallback: parent });
    this.select(parent);
    return result;
  }

  /**
   * Duplicates a section or tab next to the original and selects the copy. A field can be on a
   * form only once, so a field item cannot be duplicated, and a copied fields section (or the
   * fields sections of a copied tab) keeps its layout (label, columns, collapsing, condition)
   * but starts empty; related lists are copied whole.
   */
  duplicateElement(id: string): CommandResult {
    const form = this.document;
    const at = locateElement(form, id);
    if (!at) return refuse(`There is no element '${id}' on the form.`);
    if (at.kind === "item") return refuse(`'${at.item.label ?? at.item.field}' is already on the form and a field can be placed once; drag another field from the palette instead.`);
    const taken = allIds(form);
    const copySection = (section: FormSection): FormSection =>
      section.type === "fields" ? { ...section, id: this.freshId("section", taken), items: [] } : { ...section, id: this.freshId("section", taken) };
    if (at.kind === "section") {
      const copy = copySection(at.section);
      if (copy.label) copy.label = `${copy.label} (copy)`.slice(0, 120);
      const result = this.run(
        `Duplicate section ${at.section.label ?? ""}`.trim(),
        (current) =>
          this.mapTab(current, at.tab.id, (tab) => {
            const sections = [...tab.sections];
            sections.splice(at.sectionIndex + 1, 0, copy);
            return { ...tab, sections };
          }),
        { id: copy.id, fallback: id },
      );
      this.select(copy.id);
      return result;
    }
    if (form.tabs.length >= 12) return refuse("A form has at most 12 tabs.");
    const copy: FormTab = { id: this.freshId("tab", taken), label: `${at.tab.label} (copy)`.slice(0, 120), sections: at.tab.sections.map(copySection) };
    const result = this.run(
      `Duplicate tab ${at.tab.label}`,
      (current) => {
        const tabs = [...current.tabs];
        tabs.splice(at.tabIndex + 1, 0, copy);
        return { ...current, tabs };
      },
      { id: copy.id, fallback: id },
    );
    this.select(copy.id);
    return result;
  }

  updateForm(patch: FormPatch, options?: CommandOptions): CommandResult {
    const keys = Object.keys(patch);
    return this.run(`Change form ${keys.length === 1 ? keys[0] : "settings"}`, (form) => patched(form, patch), { id: "", fallback: null }, options);
  }

  // --- keyboard moves ----------------------------------------------------------------------

  /**
   * Moves the selected element with the arrow keys. A field item follows its section's grid:
   * left/right step through the reading order, up/down move a row (by the column count); past
   * the first or last place it moves into the previous/next fields section of the tab. A
   * section moves up/down within its tab; a tab moves left/right in the tab strip.
   */
  moveSelection(direction: MoveDirection): CommandResult {
    const id = this.selected;
    if (!id) return refuse("Select a field, section or tab first.");
    const form = this.document;
    const at = locateElement(form, id);
    if (!at) return refuse("The selected element is no longer on the form.");
    if (at.kind === "tab") {
      if (direction === "up" || direction === "down") return refuse("Tabs move left and right.");
      const to = at.tabIndex + (direction === "left" ? -1 : 1);
      if (to < 0 || to >= form.tabs.length) return refuse(direction === "left" ? "This is already the first tab." : "This is already the last tab.");
      return this.moveTab(id, to);
    }
    if (at.kind === "section") {
      if (direction === "left" || direction === "right") return refuse("Sections move up and down.");
      const to = at.sectionIndex + (direction === "up" ? -1 : 1);
      if (to < 0 || to >= at.tab.sections.length) return refuse(direction === "up" ? "This is already the first section of the tab." : "This is already the last section of the tab.");
      return this.moveSection(id, at.tab.id, to);
    }
    const step = direction === "left" ? -1 : direction === "right" ? 1 : direction === "up" ? -at.section.columns : at.section.columns;
    const target = at.itemIndex + step;
    const lastIndex = at.section.items.length - 1;
    if (target >= 0 && target <= lastIndex) return this.moveItem(id, at.section.id, target);
    // Past the edge of the section: into the neighbouring fields section of the same tab.
    const backwards = step < 0;
    const sections = at.tab.sections;
    for (let s = at.sectionIndex + (backwards ? -1 : 1); s >= 0 && s < sections.length; s += backwards ? -1 : 1) {
      const section = sections[s]!;
      if (section.type !== "fields") continue;
      return this.moveItem(id, section.id, backwards ? section.items.length : 0);
    }
    if (target !== at.itemIndex && (target < 0 ? at.itemIndex > 0 : at.itemIndex < lastIndex)) {
      // Not a full row to move: go to the first / last place of the section.
      return this.moveItem(id, at.section.id, target < 0 ? 0 : lastIndex);
    }
    return refuse(backwards ? "This is already the first place in the tab." : "This is already the last place in the tab.");
  }
}
