"use client";
import {
  closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent,
} from "@dnd-kit/core";
import { restrictToVerticalAxisModifier } from "@/designers/shared/drag-modifiers";
import {
  SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { CircleAlert, GripVertical, Pencil, Trash2 } from "lucide-react";
import type { FieldDef } from "@/spec/object";
import { Badge, Button, cn } from "@/components/ui";
import { describeFieldPath } from "./field-form";
import { FIELD_TYPE_INFO, FieldTypeIcon } from "./field-types";

export type FieldIssue = { path: (string | number)[]; message: string };

function detailOf(field: FieldDef): string | null {
  switch (field.type) {
    case "text":
    case "textarea":
      return `max ${field.maxLength}`;
    case "currency":
      return `${field.currencyCode}, ${field.scale} dp`;
    case "number":
    case "percent":
      return field.scale > 0 ? `${field.scale} dp` : null;
    case "select":
    case "multiselect":
      return `${field.options.length} option${field.options.length === 1 ? "" : "s"}`;
    case "lookup":
    case "master_detail":
      return `→ ${field.reference}`;
    case "autonumber":
      return field.format;
    case "formula":
      return `${field.returnType} = ${field.expression.length > 60 ? `${field.expression.slice(0, 57)}…` : field.expression}`;
    case "rollup":
      return `${field.function}${field.field ? `(${field.field})` : ""} of ${field.childObject}.${field.childField}`;
    default:
      return null;
  }
}

function FieldRow({
  field,
  isNameField,
  issues,
  onEdit,
  onRemove,
}: {
  field: FieldDef;
  isNameField: boolean;
  issues: FieldIssue[];
  onEdit: () => void;
  onRemove: () => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: field.id });
  const detail = detailOf(field);
  return (
    <tr
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-field-name={field.name}
      className={cn(
        "group cursor-pointer align-top hover:bg-slate-50",
        isDragging && "relative z-10 bg-white shadow-lg ring-1 ring-brand-500",
        issues.length > 0 && "bg-red-50/60",
      )}
      onClick={onEdit}
    >
      <td className="w-8 py-2 pl-2">
        <button
          ref={setActivatorNodeRef}
          type="button"
          aria-label={`Drag to reorder ${field.label}`}
          className="flex h-6 w-6 cursor-grab items-center justify-center rounded text-slate-400 hover:bg-slate-200 hover:text-slate-700 active:cursor-grabbing"
          onClick={(e) => e.stopPropagation()}
          {...attributes}
          {...listeners}
        >
          <GripVertical className="h-4 w-4" aria-hidden />
        </button>
      </td>
      <td className="py-2 pr-3">
        <div className="flex items-center gap-2">
          <span className="flex h-6 w-6 shrink-0 items-center justify-center rounded bg-slate-100 text-slate-600" title={FIELD_TYPE_INFO[field.type].label}>
            <FieldTypeIcon type={field.type} className="h-3.5 w-3.5" />
          </span>
          <button type="button" className="truncate text-left font-medium text-slate-900 hover:text-brand-700 hover:underline"
            onClick={(e) => { e.stopPropagation(); onEdit(); }}>
            {field.label}
          </button>
          {isNameField && <Badge color="#2f58db">Record name</Badge>}
        </div>
        {field.helpText && <p className="ml-8 mt-0.5 truncate text-xs text-slate-500">{field.helpText}</p>}
        {issues.length > 0 && (
          <ul className="ml-8 mt-1 space-y-0.5" aria-label={`Problems with ${field.label}`}>
            {issues.map((issue, index) => (
              <li key={index} role="alert" className="flex items-start gap-1 text-xs text-red-700">
                <CircleAlert className="mt-0.5 h-3 w-3 shrink-0" aria-hidden />
                <span>{describeFieldPath(issue.path)}: {issue.message}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="py-2 pr-3 font-mono text-xs leading-6 text-slate-600">{field.name}</td>
      <td className="py-2 pr-3 text-xs leading-6 text-slate-700">
        {FIELD_TYPE_INFO[field.type].label}
        {detail && <span className="ml-1.5 text-slate-400">{detail}</span>}
      </td>
      <td className="py-2 pr-3">
        <div className="flex flex-wrap gap-1">
          {field.required && <Badge color="#b45309">Required</Badge>}
          {field.unique && <Badge color="#7c3aed">Unique</Badge>}
        </div>
      </td>
      <td className="w-20 py-1.5 pr-2 text-right">
        <div className="flex justify-end gap-0.5 opacity-70 group-hover:opacity-100">
          <Button variant="ghost" size="sm" className="px-1.5" aria-label={`Edit field ${field.label}`}
            onClick={(e) => { e.stopPropagation(); onEdit(); }}>
            <Pencil className="h-3.5 w-3.5" aria-hidden />
          </Button>
          <Button variant="ghost" size="sm" className="px-1.5 hover:bg-red-50 hover:text-red-700" aria-label={`Remove field ${field.label}`}
            onClick={(e) => { e.stopPropagation(); onRemove(); }}>
            <Trash2 className="h-3.5 w-3.5" aria-hidden />
          </Button>
        </div>
      </td>
    </tr>
  );
}

/** The object's fields as a sortable table (drag handle, or focus it and use Space + arrows). */
export function FieldsList({
  fields,
  nameField,
  issuesByFieldId,
  onEdit,
  onRemove,
  onMove,
}: {
  fields: readonly FieldDef[];
  nameField: string;
  issuesByFieldId: Record<string, FieldIssue[]>;
  onEdit: (id: string) => void;
  onRemove: (id: string) => void;
  onMove: (id: string, toIndex: number) => void;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  function onDragEnd(event: DragEndEvent) {
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    const toIndex = fields.findIndex((field) => field.id === over.id);
    if (toIndex >= 0) onMove(String(active.id), toIndex);
  }

  const labelOf = (id: string | number) => fields.find((field) => field.id === id)?.label ?? String(id);

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={[restrictToVerticalAxisModifier]}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements: {
          onDragStart: ({ active }) => `Picked up field ${labelOf(active.id)}.`,
          onDragOver: ({ active, over }) =>
            over ? `Field ${labelOf(active.id)} is over position ${fields.findIndex((f) => f.id === over.id) + 1}.` : undefined,
          onDragEnd: ({ active, over }) =>
            over ? `Field ${labelOf(active.id)} moved to position ${fields.findIndex((f) => f.id === over.id) + 1}.` : `Field ${labelOf(active.id)} dropped.`,
          onDragCancel: ({ active }) => `Moving field ${labelOf(active.id)} was cancelled.`,
        },
      }}
    >
      <table className="w-full table-fixed text-sm">
        <caption className="sr-only">Fields</caption>
        <colgroup>
          <col className="w-8" />
          <col />
          <col className="w-[22%]" />
          <col className="w-[22%]" />
          <col className="w-36" />
          <col className="w-20" />
        </colgroup>
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col"><span className="sr-only">Reorder</span></th>
            <th scope="col" className="py-2 pr-3">Field label</th>
            <th scope="col" className="py-2 pr-3">API name</th>
            <th scope="col" className="py-2 pr-3">Type</th>
            <th scope="col" className="py-2 pr-3">Flags</th>
            <th scope="col"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <SortableContext items={fields.map((field) => field.id)} strategy={verticalListSortingStrategy}>
          <tbody className="divide-y divide-slate-100">
            {fields.map((field) => (
              <FieldRow
                key={field.id}
                field={field}
                isNameField={field.name === nameField}
                issues={issuesByFieldId[field.id] ?? []}
                onEdit={() => onEdit(field.id)}
                onRemove={() => onRemove(field.id)}
              />
            ))}
          </tbody>
        </SortableContext>
      </table>
    </DndContext>
  );
}
