"use client";
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Eye, EyeOff, GripVertical } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { NativeSelect } from "@/components/ui/input";
import { restrictToVerticalAxisModifier } from "@/designers/shared/drag-modifiers";
import type { ObjectDef, SelectOption } from "@/spec/object";
import { KANBAN_SUMMARIES, type CalendarSettings, type KanbanSettings } from "@/spec/view";
import { DATE_FIELD_TYPES, NUMBER_FIELD_TYPES } from "./view-defaults";
import { effectiveColumnOrder, type ViewDesignerStore } from "./view-designer-store";

type Errors = Record<string, string>;

function FieldError({ message }: { message?: string }) {
  return message ? <p role="alert" className="text-xs text-red-600">{message}</p> : null;
}

function SettingRow({ label, htmlFor, children, error }: { label: string; htmlFor: string; children: React.ReactNode; error?: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-600">{label}</label>
      {children}
      <FieldError message={error} />
    </div>
  );
}

function OptionChip({ option, hidden, error, onToggleHidden }: { option: SelectOption; hidden: boolean; error?: string; onToggleHidden: () => void }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: option.value });
  return (
    <li ref={setNodeRef} style={{ transform: CSS.Translate.toString(transform), transition }} data-testid="kanban-column-chip" data-value={option.value}
      className={cn("flex items-center gap-1 rounded-full border bg-white py-0.5 pl-1 pr-1 text-xs", isDragging ? "z-10 shadow-lg ring-1 ring-brand-500" : "border-slate-200",
        hidden && "opacity-60", error && "border-red-300")}>
      <button type="button" aria-label={`Drag to reorder column ${option.label}`} className="flex cursor-grab items-center gap-1.5 rounded-full px-1 py-0.5 active:cursor-grabbing" {...attributes} {...listeners}>
        <GripVertical className="h-3.5 w-3.5 text-slate-400" aria-hidden />
        <span className="h-2.5 w-2.5 rounded-full" style={{ background: option.color ?? "#94a3b8" }} aria-hidden />
        <span className={cn("font-medium text-slate-700", hidden && "line-through")}>{option.label}</span>
      </button>
      <button type="button" aria-pressed={hidden} aria-label={hidden ? `Show column ${option.label}` : `Hide column ${option.label}`} onClick={onToggleHidden}
        className="ml-auto rounded-full p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700">
        {hidden ? <EyeOff className="h-3.5 w-3.5" aria-hidden /> : <Eye className="h-3.5 w-3.5" aria-hidden />}
      </button>
    </li>
  );
}

/** Kanban: the select field that makes the columns, their order (drag the chips), hidden columns, card fields, card order and column summary. */
export function KanbanSettingsPanel({ object, kanban, store, errors, onDraggingChange }: {
  object: ObjectDef;
  kanban: KanbanSettings | undefined;
  store: ViewDesignerStore;
  errors: Errors;
  /** A chip is being dragged (the designer holds autosave back meanwhile). */
  onDraggingChange?: (dragging: boolean) => void;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const selectFields = object.fields.filter((field) => field.type === "select");
  const numberFields = object.fields.filter((field) => NUMBER_FIELD_TYPES.has(field.type));
  const group = kanban ? object.fields.find((field) => field.name === kanban.groupField) : undefined;
  const options = group?.type === "select" ? group.options : [];
  const optionValues = options.map((option) => option.value);
  const order = kanban ? effectiveColumnOrder(kanban.columnOrder, optionValues) : [];
  const columnOrderError = Object.entries(errors).find(([key]) => key.startsWith("kanban.columnOrder"))?.[1];

  function onDragEnd(event: DragEndEvent) {
    onDraggingChange?.(false);
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    store.moveKanbanColumn(optionValues, order.indexOf(String(active.id)), order.indexOf(String(over.id)));
  }

  return (
    <div className="space-y-3">
      <FieldError message={errors.kanban} />
      <SettingRow label="Group cards by" htmlFor="kanban-group" error={errors["kanban.groupField"]}>
        <NativeSelect id="kanban-group" value={kanban?.groupField ?? ""} onChange={(event) => event.target.value && store.setKanbanGroupField(event.target.value)}
          aria-invalid={!!errors["kanban.groupField"] || undefined} className="h-8 py-0 text-sm">
          {!kanban && <option value="">Choose a select field</option>}
          {kanban && !group && <option value={kanban.groupField}>{kanban.groupField} (missing)</option>}
          {selectFields.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
        </NativeSelect>
        {selectFields.length === 0 && <p className="text-xs text-amber-700">{object.label} has no select field: add one to use a kanban.</p>}
      </SettingRow>
      {kanban && options.length > 0 && (
        <div className="space-y-1">
          <p className="text-xs font-medium text-slate-600">Columns <span className="font-normal text-slate-400">(drag to order, eye to hide)</span></p>
          <DndContext sensors={sensors} collisionDetection={closestCenter} modifiers={[restrictToVerticalAxisModifier]}
            onDragStart={() => onDraggingChange?.(true)} onDragCancel={() => onDraggingChange?.(false)} onDragEnd={onDragEnd}>
            <SortableContext items={order} strategy={verticalListSortingStrategy}>
              <ol aria-label="Kanban columns" className="flex flex-col items-stretch gap-1">
                {order.map((value) => {
                  const option = options.find((candidate) => candidate.value === value)!;
                  return <OptionChip key={value} option={option} hidden={kanban.hiddenColumns.includes(value)} error={columnOrderError}
                    onToggleHidden={() => store.setKanbanColumnHidden(value, !kanban.hiddenColumns.includes(value))} />;
                })}
              </ol>
            </SortableContext>
          </DndContext>
          <FieldError message={columnOrderError} />
        </div>
      )}
      {kanban && (
        <>
          <fieldset className="space-y-1">
            <legend className="text-xs font-medium text-slate-600">Card fields <span className="font-normal text-slate-400">(up to 8, under the title)</span></legend>
            <div className="grid grid-cols-2 gap-x-2 gap-y-0.5">
              {object.fields.filter((field) => field.name !== kanban.groupField).map((field) => {
                const on = kanban.cardFields.includes(field.name);
                return (
                  <label key={field.name} className="flex items-center gap-1.5 text-xs text-slate-700">
                    <input type="checkbox" checked={on} disabled={!on && kanban.cardFields.length >= 8} onChange={() => store.toggleKanbanCardField(field.name)}
                      aria-label={`Show ${field.label} on cards`} className="h-3.5 w-3.5 accent-brand-600" />
                    {field.label}
                  </label>
                );
              })}
            </div>
            <FieldError message={Object.entries(errors).find(([key]) => key.startsWith("kanban.cardFields"))?.[1]} />
          </fieldset>
          <SettingRow label="Card order field" htmlFor="kanban-rank" error={errors["kanban.rankField"]}>
            <NativeSelect id="kanban-rank" value={kanban.rankField ?? ""} className="h-8! py-0! text-sm" onChange={(event) => store.setKanbanRankField(event.target.value || undefined)}>
              <option value="">None (the view&apos;s sort)</option>
              {numberFields.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
            </NativeSelect>
          </SettingRow>
          <div className="space-y-1">
            <p className="text-xs font-medium text-slate-600">Column summary</p>
            <div className="flex gap-1.5">
              <NativeSelect aria-label="Summary" value={kanban.summary?.aggregate ?? ""} className="h-8! py-0! text-sm"
                onChange={(event) => {
                  const aggregate = event.target.value as (typeof KANBAN_SUMMARIES)[number] | "";
                  if (!aggregate) store.setKanbanSummary(undefined);
                  else store.setKanbanSummary({ aggregate, field: kanban.summary?.field ?? numberFields[0]?.name ?? kanban.groupField });
                }}>
                <option value="">None</option>
                {KANBAN_SUMMARIES.map((aggregate) => <option key={aggregate} value={aggregate}>{aggregate}</option>)}
              </NativeSelect>
              {kanban.summary && (
                <NativeSelect aria-label="Summary field" value={kanban.summary.field} className="h-8! py-0! text-sm"
                  onChange={(event) => store.setKanbanSummary({ aggregate: kanban.summary!.aggregate, field: event.target.value })}>
                  {(kanban.summary.aggregate === "count" ? object.fields : numberFields).map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
                </NativeSelect>
              )}
            </div>
            <FieldError message={errors["kanban.summary.field"] ?? errors["kanban.summary"]} />
          </div>
        </>
      )}
    </div>
  );
}

/** Calendar: where records sit (start, optional end), their title and colour. */
export function CalendarSettingsPanel({ object, calendar, store, errors }: { object: ObjectDef; calendar: CalendarSettings | undefined; store: ViewDesignerStore; errors: Errors }) {
  const dateFields = object.fields.filter((field) => DATE_FIELD_TYPES.has(field.type));
  const selectFields = object.fields.filter((field) => field.type === "select");
  const choose = (key: keyof CalendarSettings) => (event: React.ChangeEvent<HTMLSelectElement>) => store.setCalendar({ [key]: event.target.value || undefined });
  return (
    <div className="space-y-3">
      <FieldError message={errors.calendar} />
      {dateFields.length === 0 && <p className="text-xs text-amber-700">{object.label} has no date field: add one to use a calendar.</p>}
      <SettingRow label="Start date field" htmlFor="calendar-start" error={errors["calendar.startField"]}>
        <NativeSelect id="calendar-start" value={calendar?.startField ?? ""} onChange={choose("startField")} className="h-8! py-0! text-sm">
          {!calendar && <option value="">Choose a date field</option>}
          {dateFields.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
        </NativeSelect>
      </SettingRow>
      {calendar && (
        <>
          <SettingRow label="End date field" htmlFor="calendar-end" error={errors["calendar.endField"]}>
            <NativeSelect id="calendar-end" value={calendar.endField ?? ""} onChange={choose("endField")} className="h-8! py-0! text-sm">
              <option value="">None (one day)</option>
              {dateFields.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
            </NativeSelect>
          </SettingRow>
          <SettingRow label="Title field" htmlFor="calendar-title" error={errors["calendar.titleField"]}>
            <NativeSelect id="calendar-title" value={calendar.titleField ?? ""} onChange={choose("titleField")} className="h-8! py-0! text-sm">
              <option value="">The record name</option>
              {object.fields.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
            </NativeSelect>
          </SettingRow>
          <SettingRow label="Colour by" htmlFor="calendar-color" error={errors["calendar.colorField"]}>
            <NativeSelect id="calendar-color" value={calendar.colorField ?? ""} onChange={choose("colorField")} className="h-8! py-0! text-sm">
              <option value="">No colour</option>
              {selectFields.map((field) => <option key={field.name} value={field.name}>{field.label}</option>)}
            </NativeSelect>
          </SettingRow>
        </>
      )}
    </div>
  );
}
