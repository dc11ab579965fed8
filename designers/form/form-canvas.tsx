"use client";
import { useDroppable } from "@dnd-kit/core";
import { horizontalListSortingStrategy, rectSortingStrategy, SortableContext, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ChevronsDownUp, CircleAlert, Eye, GripVertical, Lock, Minus, Plus, Table2, Trash2 } from "lucide-react";
import type { KeyboardEvent, MouseEvent, ReactNode } from "react";
import { Badge, cn } from "@/components/ui";
import { FIELD_TYPE_INFO, FieldTypeIcon } from "@/designers/object/field-types";
import type { FieldsSection, FormDef, FormFieldItem, FormSection, FormTab, RelatedSection } from "@/spec/form";
import type { ObjectDef } from "@/spec/object";
import type { FormDesignerStore } from "./form-designer-store";
import { useDropDisabled, type DragSource, type DropTarget } from "./form-dnd";
import { issuesOf, type ElementIssue } from "./form-issues";

const GRID_COLUMNS: Record<number, string> = { 1: "grid-cols-1", 2: "grid-cols-2", 3: "grid-cols-3", 4: "grid-cols-4" };
const COLUMN_SPAN: Record<number, string> = { 1: "col-span-1", 2: "col-span-2", 3: "col-span-3", 4: "col-span-4" };

type CanvasProps = {
  form: FormDef;
  object: ObjectDef;
  store: FormDesignerStore;
  selection: string | null;
  issues: ElementIssue[];
  activeTabId: string;
  onActivateTab: (tabId: string) => void;
};

/** Clicks inside a card select it (and not its section); buttons do their own thing. */
function selectOnClick(store: FormDesignerStore, id: string) {
  return (event: MouseEvent) => {
    event.stopPropagation();
    store.select(id);
  };
}

function selectOnKey(store: FormDesignerStore, id: string) {
  return (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      store.select(id);
    }
  };
}

function IssueMarker({ issues }: { issues: ElementIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <span className="inline-flex items-center gap-1 text-xs font-medium text-red-700" title={issues.map((issue) => `${issue.property || "element"}: ${issue.message}`).join("\n")}>
      <CircleAlert className="h-3.5 w-3.5" aria-hidden />
      <span className="sr-only">Problems: </span>
      {issues.length === 1 ? `${issues[0]!.property ? `${issues[0]!.property}: ` : ""}${issues[0]!.message}` : `${issues.length} problems`}
    </span>
  );
}

function ItemCard({ item, section, object, store, selected, issues }: {
  item: FormFieldItem; section: FieldsSection; object: ObjectDef; store: FormDesignerStore; selected: boolean; issues: ElementIssue[];
}) {
  const disabled = useDropDisabled("item");
  const data: DragSource & DropTarget = { kind: "item", sectionId: section.id };
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: item.id, data, disabled: { droppable: disabled } });
  const field = object.fields.find((candidate) => candidate.name === item.field);
  const label = item.label ?? field?.label ?? item.field;
  const span = Math.min(item.span, section.columns);
  const required = item.required || field?.required;
  const own = issuesOf(issues, item.id);
  return (
    <li ref={setNodeRef} style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn(COLUMN_SPAN[span], "list-none")} data-testid={`canvas-item-${item.field}`} data-element-id={item.id}>
      <div role="button" tabIndex={0} aria-pressed={selected} aria-label={`Field ${label}`}
        onClick={selectOnClick(store, item.id)} onKeyDown={selectOnKey(store, item.id)}
        className={cn(
          "group flex min-h-14 items-start gap-1.5 rounded-md border bg-white p-2 text-sm shadow-sm outline-none transition-colors focus-visible:ring-2 focus-visible:ring-brand-500",
          selected ? "border-brand-500 ring-1 ring-brand-500" : "border-slate-200 hover:border-slate-300",
          own.length > 0 && "border-red-300 bg-red-50/50",
          isDragging && "opacity-40",
        )}>
        <button ref={setActivatorNodeRef} type="button" aria-label={`Drag field ${label}`} onClick={(event) => event.stopPropagation()}
          className="mt-0.5 flex h-6 w-5 shrink-0 cursor-grab items-center justify-center rounded text-slate-300 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          {...attributes} {...listeners}>
          <GripVertical className="h-4 w-4" aria-hidden />
        </button>
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-1.5">
            {field && <FieldTypeIcon type={field.type} className="h-3.5 w-3.5 shrink-0 text-slate-400" />}
            <span className="truncate font-medium text-slate-800">{label}</span>
          </div>
          <div className="mt-1 flex flex-wrap items-center gap-1 text-xs text-slate-500">
            <span>{field ? FIELD_TYPE_INFO[field.type].label : "Missing field"}</span>
            {required && <Badge color="#b91c1c">Required</Badge>}
            {item.requiredWhen && <Badge color="#b45309">Required when</Badge>}
            {item.visibleWhen && <Badge color="#6d28d9"><Eye className="mr-0.5 inline h-3 w-3" aria-hidden />Conditional</Badge>}
            {item.readOnly && <Badge color="#475569"><Lock className="mr-0.5 inline h-3 w-3" aria-hidden />Read-only</Badge>}
          </div>
          <IssueMarker issues={own} />
        </div>
        <div className="flex shrink-0 items-center opacity-60 group-focus-within:opacity-100 group-hover:opacity-100">
          {section.columns > 1 && (
            <>
              <button type="button" aria-label={`Make ${label} narrower`} title="Narrower" disabled={span <= 1}
                onClick={(event) => { event.stopPropagation(); store.updateItem(item.id, { span: span - 1 }); }}
                className="rounded p-1 text-slate-500 hover:bg-slate-100 disabled:opacity-30"><Minus className="h-3 w-3" aria-hidden /></button>
              <span className="w-7 text-center text-[11px] tabular-nums text-slate-500" aria-label={`Spans ${span} of ${section.columns} columns`}>{span}/{section.columns}</span>
              <button type="button" aria-label={`Make ${label} wider`} title="Wider" disabled={span >= section.columns}
                onClick={(event) => { event.stopPropagation(); store.updateItem(item.id, { span: span + 1 }); }}
                className="rounded p-1 text-slate-500 hover:bg-slate-100 disabled:opacity-30"><Plus className="h-3 w-3" aria-hidden /></button>
            </>
          )}
          <button type="button" aria-label={`Remove ${label} from the form`} title="Remove"
            onClick={(event) => { event.stopPropagation(); store.removeElement(item.id); }}
            className="rounded p-1 text-slate-500 hover:bg-red-50 hover:text-red-700"><Trash2 className="h-3.5 w-3.5" aria-hidden /></button>
        </div>
      </div>
    </li>
  );
}

function FieldsZone({ section, children, empty }: { section: FieldsSection; children: ReactNode; empty: boolean }) {
  const disabled = useDropDisabled("zone");
  const data: DropTarget = { kind: "zone", sectionId: section.id };
  const { setNodeRef, isOver } = useDroppable({ id: `zone:${section.id}`, data, disabled });
  return (
    <div ref={setNodeRef} className={cn("relative rounded-md p-2", isOver ? "bg-brand-50 ring-2 ring-brand-400" : "bg-slate-50")} data-testid={`zone-${section.id}`}>
      {/* The column grid, drawn behind the cards. */}
      <div aria-hidden className={cn("pointer-events-none absolute inset-2 grid gap-2", GRID_COLUMNS[section.columns])}>
        {Array.from({ length: section.columns }, (_, i) => <div key={i} className="rounded border border-dashed border-slate-200" />)}
      </div>
      <ul className={cn("relative grid min-h-16 gap-2", GRID_COLUMNS[section.columns])} aria-label={`Fields of ${section.label ?? "section"}`}>
        {children}
      </ul>
      {empty && <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-xs text-slate-400">Drop fields here</p>}
    </div>
  );
}

function RelatedBody({ section, objects }: { section: RelatedSection; objects: Map<string, ObjectDef> }) {
  const child = objects.get(section.object);
  const columns = section.columns.length > 0 ? section.columns : [child?.nameField ?? "name"];
  return (
    <div className="flex items-center gap-2 rounded-md bg-slate-50 p-3 text-sm text-slate-600">
      <Table2 className="h-4 w-4 text-slate-400" aria-hidden />
      <span>
        {child?.pluralLabel ?? section.object} by <span className="font-mono text-xs">{section.lookupField}</span> · columns {columns.join(", ")} · up to {section.limit}
      </span>
    </div>
  );
}

function SectionCard({ section, tab, props, objects }: { section: FormSection; tab: FormTab; props: CanvasProps; objects: Map<string, ObjectDef> }) {
  const { store, selection, issues, object } = props;
  const disabled = useDropDisabled("section");
  const data: DragSource & DropTarget = { kind: "section", tabId: tab.id };
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: section.id, data, disabled: { droppable: disabled } });
  const selected = selection === section.id;
  const title = section.label || (section.type === "related" ? "Related list" : "Untitled section");
  const own = issuesOf(issues, section.id);
  return (
    <section ref={setNodeRef} style={{ transform: CSS.Translate.toString(transform), transition }}
      aria-label={`Section ${title}`} data-testid={`canvas-section-${section.id}`} data-element-id={section.id}
      className={cn("rounded-lg border bg-white", selected ? "border-brand-500 ring-1 ring-brand-500" : "border-slate-200", own.length > 0 && "border-red-300", isDragging && "opacity-40")}
      onClick={selectOnClick(store, section.id)}>
      <header className="flex items-center gap-2 border-b border-slate-100 px-2 py-1.5">
        <button ref={setActivatorNodeRef} type="button" aria-label={`Drag section ${title}`} onClick={(event) => event.stopPropagation()}
          className="flex h-6 w-5 cursor-grab items-center justify-center rounded text-slate-300 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          {...attributes} {...listeners}>
          <GripVertical className="h-4 w-4" aria-hidden />
        </button>
        <button type="button" className="min-w-0 flex-1 truncate text-left text-sm font-semibold text-slate-800" aria-pressed={selected}
          onClick={selectOnClick(store, section.id)}>
          {title}
        </button>
        <span className="text-xs text-slate-500">{section.type === "fields" ? `${section.columns} column${section.columns === 1 ? "" : "s"}` : "Related list"}</span>
        {section.collapsible && <Badge color="#475569"><ChevronsDownUp className="mr-0.5 inline h-3 w-3" aria-hidden />{section.collapsed ? "Collapsed" : "Collapsible"}</Badge>}
        {section.visibleWhen && <Badge color="#6d28d9"><Eye className="mr-0.5 inline h-3 w-3" aria-hidden />Conditional</Badge>}
        <button type="button" aria-label={`Remove section ${title}`} title="Remove section"
          onClick={(event) => { event.stopPropagation(); store.removeElement(section.id); }}
          className="rounded p-1 text-slate-400 hover:bg-red-50 hover:text-red-700"><Trash2 className="h-3.5 w-3.5" aria-hidden /></button>
      </header>
      <div className="space-y-1 p-2">
        <IssueMarker issues={own} />
        {section.type === "fields" ? (
          <SortableContext items={section.items.map((item) => item.id)} strategy={rectSortingStrategy}>
            <FieldsZone section={section} empty={section.items.length === 0}>
              {section.items.map((item) => (
                <ItemCard key={item.id} item={item} section={section} object={object} store={store} selected={selection === item.id} issues={issues} />
              ))}
            </FieldsZone>
          </SortableContext>
        ) : (
          <RelatedBody section={section} objects={objects} />
        )}
      </div>
    </section>
  );
}

function TabHeader({ tab, active, props }: { tab: FormTab; active: boolean; props: CanvasProps }) {
  const { store, selection, issues, onActivateTab } = props;
  const disabled = useDropDisabled("tab");
  const data: DragSource & DropTarget = { kind: "tab" };
  const { attributes, listeners, setNodeRef, transform, transition, isDragging, isOver } = useSortable({ id: tab.id, data, disabled: { droppable: disabled } });
  const own = issues.filter((issue) => issue.path.startsWith(`tabs.${props.form.tabs.indexOf(tab)}.`)).length;
  return (
    <li ref={setNodeRef} role="presentation" style={{ transform: CSS.Translate.toString(transform), transition }} className="list-none" data-testid={`canvas-tab-${tab.id}`} data-element-id={tab.id}>
      <button type="button" {...attributes} {...listeners} role="tab" aria-selected={active}
        aria-roledescription="sortable tab" aria-label={`Tab ${tab.label}`}
        onClick={() => { onActivateTab(tab.id); store.select(tab.id); }}
        className={cn(
          "flex items-center gap-1.5 rounded-t-md border border-b-0 px-3 py-1.5 text-sm",
          active ? "border-slate-200 bg-white font-semibold text-slate-900" : "border-transparent text-slate-600 hover:bg-slate-100",
          selection === tab.id && "ring-2 ring-brand-500",
          isOver && "bg-brand-50 ring-2 ring-brand-400",
          isDragging && "opacity-40",
        )}>
        {tab.label}
        {own > 0 && <CircleAlert className="h-3.5 w-3.5 text-red-600" aria-label="Has problems" />}
      </button>
    </li>
  );
}

function TabStripEnd() {
  const disabled = useDropDisabled("tabstrip");
  const data: DropTarget = { kind: "tabstrip" };
  const { setNodeRef, isOver } = useDroppable({ id: "tabstrip", data, disabled });
  return <li ref={setNodeRef} role="presentation" aria-hidden className={cn("h-8 min-w-16 flex-1 list-none rounded-t-md", isOver && "bg-brand-50 ring-2 ring-brand-400")} />;
}

function TabEnd({ tab }: { tab: FormTab }) {
  const disabled = useDropDisabled("tabend");
  const data: DropTarget = { kind: "tabend", tabId: tab.id };
  const { setNodeRef, isOver } = useDroppable({ id: `tabend:${tab.id}`, data, disabled });
  return (
    <div ref={setNodeRef} className={cn("rounded-lg border-2 border-dashed p-3 text-center text-xs", isOver ? "border-brand-400 bg-brand-50 text-brand-700" : "border-slate-200 text-slate-400")}>
      {tab.sections.length === 0 ? "This tab is empty: drop a section here" : "Drop a section here to add it at the end"}
    </div>
  );
}

/** The middle column: the tab strip and the active tab's sections, as drop targets. */
export function FormCanvas(props: CanvasProps & { objects: Map<string, ObjectDef> }) {
  const { form, activeTabId, store, objects } = props;
  const tab = form.tabs.find((candidate) => candidate.id === activeTabId) ?? form.tabs[0]!;
  return (
    <div className="flex min-h-0 flex-col" data-testid="form-canvas" onClick={() => store.select(null)}>
      <SortableContext items={form.tabs.map((candidate) => candidate.id)} strategy={horizontalListSortingStrategy}>
        <ul role="tablist" aria-label="Form tabs" className="flex items-end gap-1 border-b border-slate-200 px-1" onClick={(event) => event.stopPropagation()}>
          {form.tabs.map((candidate) => <TabHeader key={candidate.id} tab={candidate} active={candidate.id === tab.id} props={props} />)}
          <TabStripEnd />
        </ul>
      </SortableContext>
      <div role="tabpanel" aria-label={`Tab ${tab.label}`} className="space-y-3 py-3">
        <SortableContext items={tab.sections.map((section) => section.id)} strategy={verticalListSortingStrategy}>
          {tab.sections.map((section) => <SectionCard key={section.id} section={section} tab={tab} props={props} objects={objects} />)}
        </SortableContext>
        <TabEnd tab={tab} />
      </div>
    </div>
  );
}
