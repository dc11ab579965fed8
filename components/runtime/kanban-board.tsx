"use client";
import {
  closestCorners, DndContext, DragOverlay, pointerWithin, useDroppable,
  type Announcements, type ClientRect, type CollisionDetection, type DragEndEvent, type DragOverEvent, type DragStartEvent, type KeyboardCoordinateGetter,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy, type SortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryKey } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { FieldDef } from "@/spec";
import type { ViewDef } from "@/spec/view";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Alert, Spinner } from "@/components/ui/feedback";
import { errorMessage, useTRPC } from "@/components/trpc";
import { FieldValue, formatFieldValue } from "./field-value";
import { accessOf, fieldEditable, type DescribedObjectDef } from "./record-access";
import { asRecords, fieldByName, recordTitle, type DataRecord } from "./types";
import {
  columnFilter, columnOrderBy, kanbanOptionColumns, placeCard, rankBetween, scaleOf, withNoValueColumn, type KanbanColumn,
} from "./view-kanban-model";
import { useBoardSensors, useNoSwipeNavigation } from "./board-sensors";
import { ViewNotices } from "./view-notices";


export type KanbanBoardProps = {
  /** As `data.describe` returns it: without edit access the cards cannot be dragged. */
  object: DescribedObjectDef;
  /** A view of type kanban (its `kanban` settings, filter and sort). */
  view: ViewDef;
  /** Read as this user (admins' preview as user). */
  asUser?: string;
  /** No writes: cards are not draggable (the designer's preview). */
  readOnly?: boolean;
  /** Where a card's title leads; without it titles are plain text. */
  recordHref?: (record: DataRecord) => string;
  /** Cards loaded per column and per "Load more". */
  pageSize?: number;
};

type FindPage = { records: DataRecord[]; nextCursor?: string };
type ColumnPages = InfiniteData<FindPage, string | null>;
type CardData = { type: "card"; column: string | null; record: DataRecord };
type ColumnData = { type: "column"; column: string | null };

const SUMMARY_LABELS = { count: "Count", sum: "Sum", avg: "Average", min: "Min", max: "Max" } as const;

/** Droppable ids of columns; card ids are record ids. */
const columnId = (value: string | null) => `column:${value ?? "\u0000none"}`;

/** Without a rank field a column's order is the view's sort: cards do not make room within it. */
const keepOrder: SortingStrategy = () => null;

/** Under the pointer, a card wins over its column (so a drop lands at that card's place); the keyboard (no pointer) goes by corners. */
const collisionDetection: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  const cards = hits.filter((hit) => (hit.data?.droppableContainer?.data.current as CardData | ColumnData | undefined)?.type === "card");
  if (cards.length > 0) return cards;
  return hits.length > 0 ? hits : closestCorners(args);
};

/**
 * Arrow keys: left and right go to the neighbouring column at the same height; up and down move
 * within the column (the sortable default). Columns are found by their measured rectangles.
 */
const kanbanKeyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  if (event.code !== "ArrowRight" && event.code !== "ArrowLeft") return sortableKeyboardCoordinates(event, args);
  const { context, currentCoordinates } = args;
  const dragged = context.collisionRect;
  if (!dragged) return undefined;
  const columns = context.droppableContainers
    .getEnabled()
    .filter((container) => (container.data.current as ColumnData | undefined)?.type === "column")
    .map((container) => context.droppableRects.get(container.id))
    .filter((rect): rect is ClientRect => !!rect)
    .sort((a, b) => a.left - b.left);
  const centre = dragged.left + dragged.width / 2;
  const current = columns.findIndex((rect) => centre >= rect.left && centre <= rect.right);
  const target = current < 0 ? undefined : columns[current + (event.code === "ArrowRight" ? 1 : -1)];
  if (!target) return undefined;
  event.preventDefault();
  return { x: target.left + (target.width - dragged.width) / 2, y: currentCoordinates.y };
};

/** The records of a column's loaded pages, as one list. */
function loadedRecords(data: ColumnPages | undefined): DataRecord[] {
  return data ? data.pages.flatMap((page) => asRecords(page.records)) : [];
}

/** The same pages with their records replaced by `records` (page sizes kept; the last takes the difference). */
function withRecords(data: ColumnPages, records: DataRecord[]): ColumnPages {
  let offset = 0;
  const pages = data.pages.map((page, index) => {
    const size = index === data.pages.length - 1 ? Math.max(0, records.length - offset) : asRecords(page.records).length;
    const slice = records.slice(offset, offset + size);
    offset += size;
    return { ...page, records: slice };
  });
  return { ...data, pages };
}

/**
 * A kanban board over a view: a column per option of the view's select field with the records
 * that have it (and the view's filter), a count and summary in each header, and cards that the
 * user drags to another column (setting the field) or, with a rank field, within a column.
 * Moves show at once and are rolled back with the server's reason when it refuses them.
 */
export function KanbanBoard(props: KanbanBoardProps) {
  const settings = props.view.kanban;
  const groupField = settings ? fieldByName(props.object, settings.groupField) : undefined;
  if (!settings || groupField?.type !== "select") {
    return <Alert>This kanban view has no select field to group by{settings ? ` ('${settings.groupField}' is not one you can read)` : ""}.</Alert>;
  }
  return <Board {...props} settings={settings} groupField={groupField} />;
}

function Board({
  object, view, asUser, readOnly = false, recordHref, pageSize = 25, settings, groupField,
}: KanbanBoardProps & { settings: NonNullable<ViewDef["kanban"]>; groupField: FieldDef }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const access = accessOf(object);
  const rankField = settings.rankField ? fieldByName(object, settings.rankField) : undefined;
  const canMove = !readOnly && access.edit && fieldEditable(object, groupField);
  const canRank = canMove && !!rankField && fieldEditable(object, rankField);
  const summary = settings.summary;
  const summaryField = summary ? fieldByName(object, summary.field) : undefined;

  const totalsInput = {
    object: object.name,
    filter: view.filter,
    groupBy: [{ field: groupField.name, alias: "group_value" }],
    aggregate: [
      { function: "count" as const, alias: "card_count" },
      ...(summary && summary.aggregate !== "count" ? [{ function: summary.aggregate, field: summary.field, alias: "summary" }] : []),
    ],
    asUser,
  };
  const totalsQuery = useQuery(trpc.data.aggregate.queryOptions(totalsInput));
  const totals = useMemo(() => {
    const map = new Map<string | null, { count: number; summary: unknown }>();
    for (const row of totalsQuery.data?.rows ?? []) {
      const key = row.group_value === null || row.group_value === undefined ? null : String(row.group_value);
      map.set(key, { count: Number(row.card_count ?? 0), summary: row.summary });
    }
    return map;
  }, [totalsQuery.data]);

  const columns = withNoValueColumn(kanbanOptionColumns(groupField, settings), groupField, totals.get(null)?.count ?? 0);
  const inputFor = (value: string | null) => ({
    object: object.name,
    filter: columnFilter(view.filter, groupField.name, value),
    orderBy: columnOrderBy(view),
    limit: pageSize,
    asUser,
  });
  const keyFor = (value: string | null): QueryKey => trpc.data.find.infiniteQueryKey(inputFor(value));
  const columnOf = (value: string | null) => columns.find((column) => column.value === value);

  const [dragged, setDragged] = useState<CardData | null>(null);
  const [overColumn, setOverColumn] = useState<string | null | undefined>(undefined);
  const [moveError, setMoveError] = useState<string | null>(null);
  const update = useMutation(trpc.data.update.mutationOptions());

  const sensors = useBoardSensors(kanbanKeyboardCoordinates);
  useNoSwipeNavigation();

  const titleOf = (id: string | number) => {
    const record = dragged?.record.id === id ? dragged.record : undefined;
    return record ? recordTitle(object, record) : "the card";
  };
  const targetLabel = (data: unknown) => {
    const target = data as CardData | ColumnData | undefined;
    return target ? (columnOf(target.column)?.label ?? "") : "";
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}. Use the arrow keys to move it, space to drop it, escape to cancel.`,
    onDragOver: ({ active, over }) => (over ? `${titleOf(active.id)} is over ${targetLabel(over.data.current)}.` : `${titleOf(active.id)} is no longer over a column.`),
    onDragEnd: ({ active, over }) => (over ? `${titleOf(active.id)} was dropped in ${targetLabel(over.data.current)}.` : `${titleOf(active.id)} was dropped.`),
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled.`,
  };

  function onDragStart(event: DragStartEvent) {
    setMoveError(null);
    setDragged((event.active.data.current as CardData | undefined) ?? null);
  }

  function onDragOver(event: DragOverEvent) {
    const target = event.over?.data.current as CardData | ColumnData | undefined;
    setOverColumn(target ? target.column : undefined);
  }

  function onDragEnd(event: DragEndEvent) {
    setDragged(null);
    setOverColumn(undefined);
    const source = event.active.data.current as CardData | undefined;
    const target = event.over?.data.current as CardData | ColumnData | undefined;
    if (!source || !target) return;
    const sameColumn = source.column === target.column;
    if (sameColumn && !canRank) return;

    const fromKey = keyFor(source.column);
    const toKey = keyFor(target.column);
    const fromData = queryClient.getQueryData<ColumnPages>(fromKey);
    const toData = queryClient.getQueryData<ColumnPages>(toKey);
    const targetRecords = loadedRecords(toData);
    let index = targetRecords.length;
    if (target.type === "card") {
      const overIndex = targetRecords.findIndex((record) => record.id === target.record.id);
      if (overIndex >= 0) index = overIndex;
    }
    if (sameColumn && targetRecords.findIndex((record) => record.id === source.record.id) === index) return;

    const record = source.record;
    const values: Record<string, unknown> = {};
    if (!sameColumn) values[groupField.name] = target.column;
    if (canRank && rankField) {
      const placed = placeCard(targetRecords, record, index);
      const at = placed.findIndex((candidate) => candidate.id === record.id);
      const rank = rankBetween(placed[at - 1]?.[rankField.name], placed[at + 1]?.[rankField.name], scaleOf(object, rankField.name));
      if (rank !== null) values[rankField.name] = rank;
      else if (sameColumn) {
        setMoveError(`There is no room for “${recordTitle(object, record)}” between those cards at ${rankField.label}'s precision.`);
        return;
      }
    }
    const moved: DataRecord = { ...record, ...values };

    // Show the move at once; the snapshots put everything back if the server refuses it.
    const snapshots: [QueryKey, ColumnPages | undefined][] = [[fromKey, fromData], [toKey, toData]];
    const totalsKey = trpc.data.aggregate.queryKey(totalsInput);
    const totalsSnapshot = queryClient.getQueryData(totalsKey);
    void queryClient.cancelQueries({ queryKey: fromKey });
    void queryClient.cancelQueries({ queryKey: toKey });
    if (!sameColumn) {
      if (fromData) queryClient.setQueryData<ColumnPages>(fromKey, withRecords(fromData, loadedRecords(fromData).filter((candidate) => candidate.id !== record.id)));
      adjustTotals(source.column, -1, record);
      adjustTotals(target.column, 1, record);
    }
    if (toData) queryClient.setQueryData<ColumnPages>(toKey, withRecords(toData, placeCard(targetRecords, moved, index)));

    function adjustTotals(column: string | null, delta: 1 | -1, card: DataRecord) {
      queryClient.setQueryData(totalsKey, (current) => {
        if (!current) return current;
        const exists = current.rows.some((row) => (row.group_value ?? null) === column);
        const rows = exists ? current.rows : [...current.rows, { group_value: column, card_count: 0, summary: null }];
        return {
          ...current,
          rows: rows.map((row) => {
            if ((row.group_value ?? null) !== column) return row;
            const next: Record<string, unknown> = { ...row, card_count: Number(row.card_count ?? 0) + delta };
            // A sum follows the card at once; other summaries wait for the server.
            if (summary?.aggregate === "sum") next.summary = Number(row.summary ?? 0) + delta * Number(card[summary.field] ?? 0);
            return next;
          }),
        };
      });
    }

    const columnLabel = columnOf(target.column)?.label ?? "";
    update.mutate(
      { object: object.name, id: record.id, values, expectedUpdatedAt: versionOf(record.updated_at) },
      {
        onSuccess: (saved) => {
          const current = queryClient.getQueryData<ColumnPages>(toKey);
          if (current) queryClient.setQueryData<ColumnPages>(toKey, withRecords(current, loadedRecords(current).map((candidate) => (candidate.id === saved.id ? (saved as DataRecord) : candidate))));
        },
        onError: (error) => {
          for (const [key, data] of snapshots) queryClient.setQueryData(key, data);
          queryClient.setQueryData(totalsKey, totalsSnapshot);
          setMoveError(
            sameColumn
              ? `Could not reorder “${recordTitle(object, record)}”: ${errorMessage(error)}`
              : `Could not move “${recordTitle(object, record)}” to ${columnLabel}: ${errorMessage(error)}`,
          );
        },
        onSettled: () => {
          void queryClient.invalidateQueries({ queryKey: fromKey });
          if (!sameColumn) void queryClient.invalidateQueries({ queryKey: toKey });
          void queryClient.invalidateQueries({ queryKey: totalsKey });
        },
      },
    );
  }

  return (
    <div className="space-y-3" data-testid="kanban-board">
      <ViewNotices
        moveError={moveError}
        onDismissMoveError={() => setMoveError(null)}
        moveErrorTestId="kanban-error"
        readOnlyNote={!canMove && !readOnly ? <>You can view these cards but not move them: you may not edit {groupField.label.toLowerCase()}.</> : null}
        loadError={totalsQuery.isError ? `Could not load the board: ${errorMessage(totalsQuery.error)}` : null}
        onRetry={() => void totalsQuery.refetch()}
      />
      <DndContext
        sensors={sensors}
        collisionDetection={collisionDetection}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={() => {
          setDragged(null);
          setOverColumn(undefined);
        }}
        accessibility={{ announcements, screenReaderInstructions: { draggable: "To move a card, press space, use the arrow keys to choose a column or position, and press space or enter again to drop it. Escape cancels." } }}
      >
        <div className="flex items-start gap-3 overflow-x-auto pb-3" role="list" aria-label={`${view.label}: ${object.pluralLabel} by ${groupField.label}`}>
          {columns.map((column) => {
            const total = totals.get(column.value);
            return (
              <KanbanColumnView
                key={columnId(column.value)}
                object={object}
                column={column}
                input={inputFor(column.value)}
                cardCount={total?.count ?? (totalsQuery.isPending ? null : 0)}
                summaryText={summaryText(summary, summaryField, total)}
                cardFields={settings.cardFields}
                canMove={canMove}
                canRank={canRank}
                highlighted={dragged !== null && overColumn === column.value}
                recordHref={recordHref}
              />
            );
          })}
        </div>
        <DragOverlay dropAnimation={null}>
          {dragged ? <CardBody object={object} record={dragged.record} cardFields={settings.cardFields} lifted /> : null}
        </DragOverlay>
      </DndContext>
    </div>
  );
}

/** The record's version as the server sent it (`updated_at`, an ISO string), for optimistic concurrency. */
function versionOf(updatedAt: unknown): string | undefined {
  if (updatedAt instanceof Date) return updatedAt.toISOString();
  return typeof updatedAt === "string" && updatedAt !== "" ? updatedAt : undefined;
}

function summaryText(summary: NonNullable<ViewDef["kanban"]>["summary"], field: FieldDef | undefined, total: { summary: unknown } | undefined): string | null {
  if (!summary || summary.aggregate === "count") return null;
  const value = total?.summary;
  const shown = value === null || value === undefined ? "—" : field ? formatFieldValue(field, Number(value)) : String(value);
  return `${SUMMARY_LABELS[summary.aggregate]} of ${field?.label ?? summary.field}: ${shown}`;
}

function KanbanColumnView({
  object, column, input, cardCount, summaryText: summaryLine, cardFields, canMove, canRank, highlighted, recordHref,
}: {
  object: DescribedObjectDef;
  column: KanbanColumn;
  input: Parameters<ReturnType<typeof useTRPC>["data"]["find"]["infiniteQueryOptions"]>[0];
  cardCount: number | null;
  summaryText: string | null;
  cardFields: string[];
  canMove: boolean;
  canRank: boolean;
  highlighted: boolean;
  recordHref?: (record: DataRecord) => string;
}) {
  const trpc = useTRPC();
  const query = useInfiniteQuery(trpc.data.find.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor ?? null }));
  const records = useMemo(() => (query.data ? query.data.pages.flatMap((page) => asRecords(page.records)) : []), [query.data]);
  const { setNodeRef } = useDroppable({ id: columnId(column.value), data: { type: "column", column: column.value } satisfies ColumnData, disabled: !canMove });
  const headingId = `kanban-column-${column.value ?? "none"}`;

  return (
    <section
      ref={setNodeRef}
      role="listitem"
      aria-labelledby={headingId}
      data-testid="kanban-column"
      data-column={column.value ?? ""}
      className={cn(
        "flex max-h-[calc(100vh-15rem)] min-h-40 w-72 shrink-0 flex-col rounded-lg border border-slate-200 bg-slate-50 transition-colors",
        highlighted && "border-brand-500 bg-brand-50 ring-2 ring-brand-100",
      )}
    >
      <header className="border-b border-slate-200 px-3 py-2">
        <div className="flex items-center gap-2">
          <span className="h-2.5 w-2.5 shrink-0 rounded-full" style={{ backgroundColor: column.color ?? "#94a3b8" }} aria-hidden />
          <h3 id={headingId} className="truncate text-sm font-semibold text-slate-800">{column.label}</h3>
          <span className="ml-auto rounded-full bg-white px-2 py-0.5 text-xs font-medium tabular-nums text-slate-600 ring-1 ring-slate-200" data-testid="kanban-count" aria-label={cardCount === null ? "Counting" : `${cardCount} ${cardCount === 1 ? "card" : "cards"}`}>
            {cardCount ?? "…"}
          </span>
        </div>
        {summaryLine && <p className="mt-1 truncate text-xs tabular-nums text-slate-500" data-testid="kanban-summary" title={summaryLine}>{summaryLine}</p>}
      </header>
      <div className="flex-1 space-y-2 overflow-y-auto p-2">
        {query.isPending ? (
          <div className="px-1 py-4"><Spinner label="Loading cards" /></div>
        ) : query.isError ? (
          <p className="px-1 py-2 text-xs text-red-700">Could not load: {errorMessage(query.error)}</p>
        ) : (
          <SortableContext items={records.map((record) => record.id)} strategy={canRank ? verticalListSortingStrategy : keepOrder}>
            {records.map((record) => (
              <KanbanCard key={record.id} object={object} record={record} column={column.value} cardFields={cardFields} draggable={canMove} recordHref={recordHref} />
            ))}
            {records.length === 0 && <p className="rounded-md border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-400">No cards</p>}
          </SortableContext>
        )}
        {query.hasNextPage && (
          <Button size="sm" variant="ghost" className="w-full" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        )}
      </div>
    </section>
  );
}

function KanbanCard({
  object, record, column, cardFields, draggable, recordHref,
}: {
  object: DescribedObjectDef;
  record: DataRecord;
  column: string | null;
  cardFields: string[];
  draggable: boolean;
  recordHref?: (record: DataRecord) => string;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: record.id,
    data: { type: "card", column, record } satisfies CardData,
    disabled: !draggable,
  });
  return (
    <div
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-testid="kanban-card"
      data-record-id={record.id}
      {...(draggable ? { ...attributes, ...listeners, "aria-roledescription": "card", "aria-label": `${recordTitle(object, record)}: drag to move` } : {})}
      className={cn(
        "rounded-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
        draggable && "cursor-grab active:cursor-grabbing",
        isDragging && "opacity-40",
      )}
    >
      <CardBody object={object} record={record} cardFields={cardFields} recordHref={recordHref} />
    </div>
  );
}

function CardBody({ object, record, cardFields, recordHref, lifted = false }: {
  object: DescribedObjectDef;
  record: DataRecord;
  cardFields: string[];
  recordHref?: (record: DataRecord) => string;
  lifted?: boolean;
}) {
  const title = recordTitle(object, record);
  const fields = cardFields.map((name) => fieldByName(object, name)).filter((field): field is FieldDef => !!field);
  return (
    <div className={cn("rounded-md border border-slate-200 bg-white p-2.5 text-sm shadow-xs", lifted && "cursor-grabbing shadow-lg ring-2 ring-brand-500/60")}>
      {recordHref && !lifted ? (
        <Link href={recordHref(record)} draggable={false} className="font-medium text-brand-700 hover:underline" data-testid="kanban-card-title">
          {title}
        </Link>
      ) : (
        <span className="font-medium text-slate-800">{title}</span>
      )}
      {fields.length > 0 && (
        <dl className="mt-1.5 space-y-1">
          {fields.map((field) => (
            <div key={field.name} className="flex items-baseline justify-between gap-2 text-xs">
              <dt className="shrink-0 text-slate-500">{field.label}</dt>
              <dd className="min-w-0 truncate text-right text-slate-700"><FieldValue field={field} value={record[field.name]} /></dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
