"use client";
import { useDraggable } from "@dnd-kit/core";
import { Columns2, Columns3, Columns4, GripVertical, PanelTop, Plus, Rows3, Search, Table2, type LucideIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Input, cn } from "@/components/ui";
import { FIELD_TYPE_INFO, FieldTypeIcon } from "@/designers/object/field-types";
import type { FormDef } from "@/spec/form";
import type { ObjectDef } from "@/spec/object";
import type { DragSource } from "./form-dnd";
import { placedFields } from "./form-designer-store";

function PaletteEntry({ id, source, icon, title, detail, onAdd, addLabel }: {
  id: string;
  source: DragSource;
  icon: ReactNode;
  title: string;
  detail?: string;
  onAdd: () => void;
  addLabel: string;
}) {
  // The original stays put; the designer's DragOverlay follows the pointer.
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id, data: source });
  return (
    <li ref={setNodeRef}
      className={cn("group flex items-center gap-1.5 rounded-md border border-slate-200 bg-white px-1.5 py-1.5 text-sm", isDragging && "opacity-40")}
      data-testid={`palette-${id}`}>
      <button type="button" className="flex min-w-0 flex-1 cursor-grab items-center gap-2 text-left" aria-label={`Drag ${title} onto the form`} {...attributes} {...listeners}>
        <GripVertical className="h-3.5 w-3.5 shrink-0 text-slate-300 group-hover:text-slate-500" aria-hidden />
        <span className="flex h-6 w-6 shrink-0 items-center justify-center rounded bg-slate-100 text-slate-600">{icon}</span>
        <span className="min-w-0">
          <span className="block truncate font-medium text-slate-800">{title}</span>
          {detail && <span className="block truncate text-xs text-slate-500">{detail}</span>}
        </span>
      </button>
      <button type="button" onClick={onAdd} aria-label={addLabel} title={addLabel}
        className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-brand-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
        <Plus className="h-3.5 w-3.5" aria-hidden />
      </button>
    </li>
  );
}

const SECTION_ICONS: Record<number, LucideIcon> = { 1: Rows3, 2: Columns2, 3: Columns3, 4: Columns4 };

/**
 * The left column: the object's fields not on the form yet (searchable) and the layout
 * elements. Everything can be dragged onto the canvas, or added with its + button (to the
 * selected section, else the current tab), which is the keyboard path too.
 */
export function FormPalette({ form, object, onAddField, onAddSection, onAddTab, onAddRelated, canAddRelated }: {
  form: FormDef;
  object: ObjectDef;
  onAddField: (field: string) => void;
  onAddSection: (columns: number) => void;
  onAddTab: () => void;
  onAddRelated: () => void;
  canAddRelated: boolean;
}) {
  const [query, setQuery] = useState("");
  const placed = placedFields(form);
  const needle = query.trim().toLowerCase();
  const available = object.fields.filter((field) => !placed.has(field.name));
  const shown = available.filter((field) => needle === "" || field.label.toLowerCase().includes(needle) || field.name.includes(needle));
  return (
    <aside aria-label="Palette" className="flex min-h-0 flex-col gap-4 overflow-y-auto border-r border-slate-200 bg-slate-50/60 p-3">
      <section aria-labelledby="palette-fields-heading" className="space-y-2">
        <h2 id="palette-fields-heading" className="text-xs font-semibold uppercase tracking-wide text-slate-500">Fields</h2>
        <div className="relative">
          <Search className="pointer-events-none absolute left-2 top-2.5 h-3.5 w-3.5 text-slate-400" aria-hidden />
          <label htmlFor="palette-search" className="sr-only">Search fields</label>
          <Input id="palette-search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search fields" className="h-8 pl-7 text-xs" />
        </div>
        {available.length === 0 ? (
          <p className="text-xs text-slate-500">Every field of {object.label} is on the form.</p>
        ) : shown.length === 0 ? (
          <p className="text-xs text-slate-500">No field matches “{query}”.</p>
        ) : (
          <ul className="space-y-1" aria-label="Fields not on the form">
            {shown.map((field) => (
              <PaletteEntry key={field.name} id={`palette-field-${field.name}`} source={{ kind: "palette-field", field: field.name }}
                icon={<FieldTypeIcon type={field.type} className="h-3.5 w-3.5" />} title={field.label}
                detail={`${FIELD_TYPE_INFO[field.type].label} · ${field.name}`}
                onAdd={() => onAddField(field.name)} addLabel={`Add ${field.label} to the form`} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="palette-layout-heading" className="space-y-2">
        <h2 id="palette-layout-heading" className="text-xs font-semibold uppercase tracking-wide text-slate-500">Layout</h2>
        <ul className="space-y-1" aria-label="Layout elements">
          {[1, 2, 3, 4].map((columns) => {
            const Icon = SECTION_ICONS[columns]!;
            const title = `Section, ${columns} column${columns === 1 ? "" : "s"}`;
            return (
              <PaletteEntry key={columns} id={`palette-section-${columns}`} source={{ kind: "palette-section", columns }}
                icon={<Icon className="h-3.5 w-3.5" aria-hidden />} title={title} onAdd={() => onAddSection(columns)} addLabel={`Add a ${columns}-column section`} />
            );
          })}
          <PaletteEntry id="palette-tab" source={{ kind: "palette-tab" }} icon={<PanelTop className="h-3.5 w-3.5" aria-hidden />} title="Tab"
            detail="A new tab with one section" onAdd={onAddTab} addLabel="Add a tab" />
          {canAddRelated && (
            <PaletteEntry id="palette-related" source={{ kind: "palette-related" }} icon={<Table2 className="h-3.5 w-3.5" aria-hidden />} title="Related list"
              detail="Child records through a lookup" onAdd={onAddRelated} addLabel="Add a related list" />
          )}
        </ul>
        {!canAddRelated && <p className="text-xs text-slate-500">Related lists need a published object with a lookup to {object.label}.</p>}
      </section>
    </aside>
  );
}
