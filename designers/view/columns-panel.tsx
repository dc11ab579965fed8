"use client";
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { GripVertical, Pin } from "lucide-react";
import type { KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import { Input, NativeSelect } from "@/components/ui/input";
import { restrictToVerticalAxisModifier } from "@/designers/shared/drag-modifiers";
import type { FieldDef, ObjectDef } from "@/spec/object";
import type { ViewColumn } from "@/spec/view";
import type { ViewDesignerStore } from "./view-designer-store";

type Errors = Record<string, string>;

function ColumnRow({ column, index, field, selected, errors, store, onSelect, onKeyDown }: {
  column: ViewColumn;
  index: number;
  field: FieldDef | undefined;
  selected: boolean;
  errors: Errors;
  store: ViewDesignerStore;
  onSelect: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLLIElement>) => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: column.field });
  const label = field?.label ?? column.field;
  const error = errors[`columns.${index}.field`] ?? errors[`columns.${index}.width`] ?? errors[`columns.${index}.label`] ?? errors[`columns.${index}`];
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-testid="view-column"
      data-field={column.field}
      aria-current={selected || undefined}
      aria-label={`Column ${label}`}
      tabIndex={0}
      onFocus={onSelect}
      onClick={onSelect}
      onKeyDown={onKeyDown}
      className={cn(
        "rounded-md border bg-white px-1.5 py-1 text-sm focus:outline-none",
        selected ? "border-brand-500 ring-1 ring-brand-500" : "border-slate-200",
        isDragging && "relative z-10 shadow-lg",
        error && "border-red-300 bg-red-50/60",
      )}
    >
      <div className="flex items-center gap-1.5">
        <button ref={setActivatorNodeRef} type="button" aria-label={`Drag to reorder ${label}`}
          className="flex h-6 w-5 cursor-grab items-center justify-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing"
          {...attributes} {...listeners}>
          <GripVertical className="h-4 w-4" aria-hidden />
        </button>
        <input type="checkbox" checked aria-label={`Show ${label}`} onChange={() => store.removeColumn(column.field)} className="h-3.5 w-3.5 accent-brand-600" />
        <span className="min-w-0 flex-1 truncate font-medium text-slate-800">{column.label ?? label}</span>
        {column.pinned && (
          <span className="inline-flex items-center gap-0.5 rounded bg-brand-50 px-1 text-[10px] font-medium text-brand-700" title={`Pinned ${column.pinned}`}>
            <Pin className="h-3 w-3" aria-hidden />{column.pinned}
          </span>
        )}
        {column.width && <span className="text-[10px] text-slate-400">{column.width}px</span>}
      </div>
      {selected && (
        <div className="mt-1.5 grid grid-cols-[1fr_4.5rem_6.5rem] gap-1.5 pl-6" onClick={(event) => event.stopPropagation()} onKeyDown={(event) => event.stopPropagation()}>
          <Input aria-label={`Heading of ${label}`} placeholder={label} value={column.label ?? ""} className="h-7! text-xs"
            onChange={(event) => store.renameColumn(column.field, event.target.value, { coalesceKey: `heading:${column.field}` })} />
          <Input aria-label={`Width of ${label}`} type="number" min={40} max={1000} step={10} placeholder="Auto" value={column.width ?? ""} className="h-7! text-right text-xs"
            onChange={(event) => {
              const width = event.target.value === "" ? undefined : Math.trunc(Number(event.target.value));
              store.setColumnWidth(column.field, width !== undefined && Number.isFinite(width) ? width : undefined, { coalesceKey: `width:${column.field}` });
            }} />
          <NativeSelect aria-label={`Pin ${label}`} value={column.pinned ?? ""} className="h-7! py-0! text-xs"
            onChange={(event) => store.pinColumn(column.field, (event.target.value || undefined) as "left" | "right" | undefined)}>
            <option value="">No pin</option>
            <option value="left">Pin left</option>
            <option value="right">Pin right</option>
          </NativeSelect>
        </div>
      )}
      {error && <p role="alert" className="mt-1 pl-6 text-xs text-red-600">{error}</p>}
    </li>
  );
}

/**
 * The grid's columns: the shown fields in order (drag the grip, or select a row and press the
 * arrow keys; Delete hides it), each with a heading, width and pin; the other fields below.
 */
export function ColumnsPanel({ object, columns, store, selected, onSelect, errors, onDraggingChange }: {
  object: ObjectDef;
  columns: ViewColumn[];
  store: ViewDesignerStore;
  selected: string | null;
  onSelect: (field: string | null) => void;
  errors: Errors;
  /** A column is being dragged (the designer holds autosave back meanwhile). */
  onDraggingChange?: (dragging: boolean) => void;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const shown = new Set(columns.map((column) => column.field));
  const hidden = object.fields.filter((field) => !shown.has(field.name));

  function onDragEnd(event: DragEndEvent) {
    onDraggingChange?.(false);
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    const from = columns.findIndex((column) => column.field === active.id);
    const to = columns.findIndex((column) => column.field === over.id);
    store.moveColumn(from, to);
  }

  function onRowKeyDown(event: KeyboardEvent<HTMLLIElement>, index: number, field: string) {
    if (event.target !== event.currentTarget) return;
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      const to = index + (event.key === "ArrowUp" ? -1 : 1);
      if (store.moveColumn(index, to)) {
        // Keep focus on the moved row so repeated presses keep moving it.
        requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="view-column"][data-field="${field}"]`)?.focus());
      }
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      store.removeColumn(field);
      const next = columns[index + 1]?.field ?? columns[index - 1]?.field ?? null;
      onSelect(next);
      if (next) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="view-column"][data-field="${next}"]`)?.focus());
    }
  }

  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-500">Drag to order, or select a column and press ↑/↓; Delete hides it.</p>
      {errors.columns && <p role="alert" className="text-xs text-red-600">{errors.columns}</p>}
      <DndContext sensors={sensors} collisionDetection={closestCenter} modifiers={[restrictToVerticalAxisModifier]}
        onDragStart={() => onDraggingChange?.(true)} onDragCancel={() => onDraggingChange?.(false)} onDragEnd={onDragEnd}>
        <SortableContext items={columns.map((column) => column.field)} strategy={verticalListSortingStrategy}>
          <ol aria-label="Columns" className="space-y-1">
            {columns.map((column, index) => (
              <ColumnRow key={column.field} column={column} index={index} field={object.fields.find((field) => field.name === column.field)}
                selected={selected === column.field} errors={errors} store={store}
                onSelect={() => onSelect(column.field)} onKeyDown={(event) => onRowKeyDown(event, index, column.field)} />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      {hidden.length > 0 && (
        <ul aria-label="Other fields" className="space-y-0.5 border-t border-slate-100 pt-2">
          {hidden.map((field) => (
            <li key={field.name}>
              <label className="flex items-center gap-2 rounded px-1.5 py-0.5 text-sm text-slate-600 hover:bg-slate-50">
                <input type="checkbox" checked={false} aria-label={`Show ${field.label}`} onChange={() => { store.addColumn(field.name); onSelect(field.name); }}
                  className="h-3.5 w-3.5 accent-brand-600" />
                {field.label}
              </label>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
