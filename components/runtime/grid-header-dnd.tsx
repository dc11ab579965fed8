"use client";
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { SortableContext, horizontalListSortingStrategy, sortableKeyboardCoordinates, useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { GridHeaderCell, type HeaderCellProps } from "./grid-header";

function SortableHeaderCell(props: HeaderCellProps) {
  const sortable = useSortable({ id: props.column.field.name });
  const { transform } = sortable;
  return (
    <GridHeaderCell
      {...props}
      drag={{
        setNodeRef: sortable.setNodeRef,
        attributes: sortable.attributes as unknown as Record<string, unknown>,
        listeners: sortable.listeners,
        // Headers move sideways only.
        transform: CSS.Translate.toString(transform ? { ...transform, y: 0 } : null),
        transition: sortable.transition,
        isDragging: sortable.isDragging,
      }}
    />
  );
}

/**
 * The header cells, reorderable by dragging (pointer, or Space and the arrow keys on a focused
 * header). Loaded after the grid first renders: @dnd-kit is not part of the page's first load.
 */
export default function SortableHeaderCells({ cells, onMove }: { cells: HeaderCellProps[]; onMove: (active: string, over: string) => void }) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  function onDragEnd(event: DragEndEvent) {
    if (event.over && event.active.id !== event.over.id) onMove(String(event.active.id), String(event.over.id));
  }
  return (
    // The screen-reader instructions and live region go to <body>: inside the header row they would be stray cells.
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ container: document.body }}>
      <SortableContext items={cells.map((cell) => cell.column.field.name)} strategy={horizontalListSortingStrategy}>
        {cells.map((cell) => (
          <SortableHeaderCell key={cell.column.field.name} {...cell} />
        ))}
      </SortableContext>
    </DndContext>
  );
}
