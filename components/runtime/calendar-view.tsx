"use client";
import {
  DndContext, DragOverlay, closestCenter, pointerWithin, rectIntersection, useDraggable, useDroppable,
  type Announcements, type CollisionDetection, type DragEndEvent, type DragStartEvent, type KeyboardCoordinateGetter,
} from "@dnd-kit/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { Popover } from "radix-ui";
import { useMemo, useState, useSyncExternalStore } from "react";
import type { FieldDef } from "@/spec";
import { MAX_LIMIT } from "@/spec/query-constants";
import type { ViewDef } from "@/spec/view";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Alert, Spinner } from "@/components/ui/feedback";
import { errorMessage, useTRPC } from "@/components/trpc";
import { formatDate } from "./field-value";
import { accessOf, fieldEditable, type DescribedObjectDef } from "./record-access";
import { asRecords, fieldByName, recordTitle, type DataRecord } from "./types";
import {
  addDays, addMonths, daysBetween, localDay, monthOf, monthWeeks, recordSpan, rescheduleValues, timeOfDay, visibleRangeFilter, type Day,
} from "./view-calendar-model";
import { useBoardSensors, useNoSwipeNavigation } from "./board-sensors";
import { ViewNotices } from "./view-notices";


export type CalendarViewProps = {
  /** As `data.describe` returns it: without edit access entries cannot be dragged. */
  object: DescribedObjectDef;
  /** A view of type calendar (its `calendar` settings and filter). */
  view: ViewDef;
  /** Read as this user (admins' preview as user). */
  asUser?: string;
  /** No writes: entries are not draggable (the designer's preview). */
  readOnly?: boolean;
  /** Where an entry leads; without it entries are plain text. */
  recordHref?: (record: DataRecord) => string;
  /** The month shown, "YYYY-MM" (default: this month). With `onMonthChange` the caller keeps it (e.g. in the URL). */
  month?: string;
  onMonthChange?: (month: string) => void;
};

/** Entries a day cell shows before "+N more". */
const VISIBLE_PER_DAY = 3;

type Entry = { record: DataRecord; day: Day; first: Day; last: Day; color?: string };
type EntryData = { type: "entry"; record: DataRecord; day: Day };
type DayData = { type: "day"; day: Day };

const noSubscription = () => () => {};

/** Today on the client; null while rendering on the server (whose clock and zone may differ). */
function useToday(): Day | null {
  return useSyncExternalStore(noSubscription, () => localDay(new Date()), () => null);
}

/** The pointer's day wins; the keyboard (no pointer) goes by where the entry overlaps. */
const collisionDetection: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  if (hits.length > 0) return hits;
  const overlaps = rectIntersection(args);
  return overlaps.length > 0 ? overlaps : closestCenter(args);
};

/** Arrow keys move a picked-up entry by one day cell (left/right) or one week (up/down). */
const dayCellCoordinates: KeyboardCoordinateGetter = (event, { currentCoordinates, context }) => {
  const cell = context.droppableRects.values().next().value;
  if (!cell) return undefined;
  const moves: Record<string, { x: number; y: number }> = {
    ArrowRight: { x: cell.width, y: 0 },
    ArrowLeft: { x: -cell.width, y: 0 },
    ArrowDown: { x: 0, y: cell.height },
    ArrowUp: { x: 0, y: -cell.height },
  };
  const move = moves[event.code];
  if (!move) return undefined;
  event.preventDefault();
  return { x: currentCoordinates.x + move.x, y: currentCoordinates.y + move.y };
};

function monthTitle(month: string): string {
  const [year, index] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, index - 1, 1)).toLocaleDateString(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
}

/** Monday to Sunday in the browser's language (1 January 2024 was a Monday). */
const WEEKDAYS = Array.from({ length: 7 }, (_, index) => {
  const date = new Date(Date.UTC(2024, 0, 1 + index));
  return {
    short: date.toLocaleDateString(undefined, { weekday: "short", timeZone: "UTC" }),
    narrow: date.toLocaleDateString(undefined, { weekday: "narrow", timeZone: "UTC" }),
  };
});

/**
 * A month calendar over a view: records on their start date (multi-day ones spanning to their end),
 * tinted by a select field's option colours. Dragging an entry to another day reschedules it
 * (start, and end keeping the duration); only the visible weeks are loaded.
 */
export function CalendarView(props: CalendarViewProps) {
  const settings = props.view.calendar;
  const startField = settings ? fieldByName(props.object, settings.startField) : undefined;
  const today = useToday();
  if (!settings || !startField || (startField.type !== "date" && startField.type !== "datetime")) {
    return <Alert>This calendar view has no date field to place records on{settings ? ` ('${settings.startField}' is not one you can read)` : ""}.</Alert>;
  }
  if (!today) return <Spinner label="Loading calendar" />;
  return <Calendar {...props} settings={settings} startField={startField} today={today} />;
}

function Calendar({
  object, view, asUser, readOnly = false, recordHref, month: monthProp, onMonthChange, settings, startField, today,
}: CalendarViewProps & { settings: NonNullable<ViewDef["calendar"]>; startField: FieldDef; today: Day }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [ownMonth, setOwnMonth] = useState(() => monthOf(today));
  const month = monthProp ?? ownMonth;
  const setMonth = (next: string) => (onMonthChange ? onMonthChange(next) : setOwnMonth(next));

  const endCandidate = settings.endField ? fieldByName(object, settings.endField) : undefined;
  const endField = endCandidate && (endCandidate.type === "date" || endCandidate.type === "datetime") ? endCandidate : undefined;
  const colorCandidate = settings.colorField ? fieldByName(object, settings.colorField) : undefined;
  const colorField = colorCandidate?.type === "select" ? colorCandidate : undefined;
  const titleField = settings.titleField ? fieldByName(object, settings.titleField) : undefined;
  const access = accessOf(object);
  const canMove = !readOnly && access.edit && fieldEditable(object, startField) && (!endField || fieldEditable(object, endField));

  const weeks = useMemo(() => monthWeeks(month), [month]);
  const firstDay = weeks[0]![0]!;
  const lastDay = weeks.at(-1)!.at(-1)!;
  const input = {
    object: object.name,
    filter: visibleRangeFilter(view.filter, startField, endField, firstDay, lastDay),
    orderBy: [{ field: startField.name, direction: "asc" as const }],
    limit: MAX_LIMIT,
    asUser,
  };
  const query = useQuery({ ...trpc.data.find.queryOptions(input), placeholderData: keepPreviousData });
  const records = useMemo(() => asRecords(query.data?.records), [query.data]);

  const titleOf = (record: DataRecord) => {
    if (titleField) {
      const value = record[titleField.name];
      if (value !== null && value !== undefined && value !== "") return typeof value === "object" && "name" in value ? String((value as { name: unknown }).name) : String(value);
    }
    return recordTitle(object, record);
  };
  const colorOf = (record: DataRecord) => colorField?.options.find((option) => option.value === record[colorField.name])?.color;

  // Each record on every visible day it covers (the React Compiler memoizes this per render inputs).
  const entriesByDay = new Map<Day, Entry[]>();
  for (const record of records) {
    const span = recordSpan(record, startField, endField);
    if (!span) continue;
    const from = span.first < firstDay ? firstDay : span.first;
    const to = span.last > lastDay ? lastDay : span.last;
    for (let day = from; day <= to; day = addDays(day, 1)) {
      const list = entriesByDay.get(day) ?? [];
      list.push({ record, day, first: span.first, last: span.last, color: colorOf(record) });
      entriesByDay.set(day, list);
    }
  }

  const [dragged, setDragged] = useState<EntryData | null>(null);
  const [moveError, setMoveError] = useState<string | null>(null);
  const update = useMutation(trpc.data.update.mutationOptions());
  const sensors = useBoardSensors(dayCellCoordinates);
  useNoSwipeNavigation();

  const dayLabel = (day: Day) => formatDate(day);
  const draggedTitle = () => (dragged ? titleOf(dragged.record) : "the entry");
  const announcements: Announcements = {
    onDragStart: () => `Picked up ${draggedTitle()}. Use the arrow keys to choose a day, space to drop it, escape to cancel.`,
    onDragOver: ({ over }) => (over ? `${draggedTitle()} is over ${dayLabel((over.data.current as DayData).day)}.` : `${draggedTitle()} is not over a day.`),
    onDragEnd: ({ over }) => (over ? `${draggedTitle()} was moved to ${dayLabel((over.data.current as DayData).day)}.` : `${draggedTitle()} was dropped.`),
    onDragCancel: () => `Moving ${draggedTitle()} was cancelled.`,
  };

  function onDragStart(event: DragStartEvent) {
    setMoveError(null);
    setDragged((event.active.data.current as EntryData | undefined) ?? null);
  }

  function onDragEnd(event: DragEndEvent) {
    setDragged(null);
    const source = event.active.data.current as EntryData | undefined;
    const target = event.over?.data.current as DayData | undefined;
    if (!source || !target) return;
    const days = daysBetween(source.day, target.day);
    if (days === 0) return;
    const record = source.record;
    const values = rescheduleValues(record, startField, endField, days);
    const key = trpc.data.find.queryKey(input);
    const snapshot = queryClient.getQueryData(key);
    void queryClient.cancelQueries({ queryKey: key });
    queryClient.setQueryData(key, (current) =>
      current && { ...current, records: current.records.map((candidate) => (candidate.id === record.id ? { ...candidate, ...values } : candidate)) },
    );
    update.mutate(
      { object: object.name, id: record.id, values, expectedUpdatedAt: versionOf(record.updated_at) },
      {
        onError: (error) => {
          queryClient.setQueryData(key, snapshot);
          setMoveError(`Could not move “${titleOf(record)}” to ${dayLabel(target.day)}: ${errorMessage(error)}`);
        },
        onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.data.find.queryKey({ object: object.name }) }),
      },
    );
  }

  return (
    <div className="space-y-3" data-testid="calendar-view" data-month={month}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="mr-auto text-lg font-semibold text-slate-900" aria-live="polite" data-testid="calendar-month">{monthTitle(month)}</h2>
        {query.isFetching && <Spinner label="Loading" />}
        <Button size="sm" onClick={() => setMonth(monthOf(today))} disabled={month === monthOf(today)}>Today</Button>
        <div className="flex">
          <Button size="sm" className="rounded-r-none" aria-label="Previous month" onClick={() => setMonth(addMonths(month, -1))}>
            <ChevronLeft className="h-4 w-4" aria-hidden />
          </Button>
          <Button size="sm" className="-ml-px rounded-l-none" aria-label="Next month" onClick={() => setMonth(addMonths(month, 1))}>
            <ChevronRight className="h-4 w-4" aria-hidden />
          </Button>
        </div>
      </div>
      <ViewNotices
        moveError={moveError}
        onDismissMoveError={() => setMoveError(null)}
        moveErrorTestId="calendar-error"
        readOnlyNote={!canMove && !readOnly ? <>You can view these entries but not reschedule them: you may not edit {startField.label.toLowerCase()}.</> : null}
        loadError={query.isError ? `Could not load ${object.pluralLabel.toLowerCase()}: ${errorMessage(query.error)}` : null}
        onRetry={() => void query.refetch()}
      />
      {query.data?.nextCursor && (
        <Alert tone="warning">More than {MAX_LIMIT} {object.pluralLabel.toLowerCase()} fall in these weeks: only the first {MAX_LIMIT} are shown. Narrow the view&apos;s filter to see the rest.</Alert>
      )}
      <DndContext
        sensors={sensors}
        collisionDetection={collisionDetection}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragged(null)}
        accessibility={{ announcements, screenReaderInstructions: { draggable: "To reschedule, press space, use the arrow keys to choose a day (up and down move a week), and press space or enter again to drop. Escape cancels." } }}
      >
        <div className={cn("overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs", query.isPlaceholderData && "opacity-60")} role="grid" aria-label={`${view.label}: ${monthTitle(month)}`} aria-busy={query.isFetching}>
          <div className="grid grid-cols-7 border-b border-slate-200 bg-slate-50" role="row">
            {WEEKDAYS.map((weekday) => (
              <div key={weekday.short} role="columnheader" className="px-1 py-1.5 text-center text-xs font-semibold uppercase tracking-wide text-slate-500 sm:px-2 sm:text-left">
                <span className="hidden sm:inline">{weekday.short}</span>
                <span className="sm:hidden" aria-label={weekday.short}>{weekday.narrow}</span>
              </div>
            ))}
          </div>
          {weeks.map((week) => (
            <div key={week[0]} className="grid grid-cols-7" role="row">
              {week.map((day) => (
                <DayCell
                  key={day}
                  day={day}
                  inMonth={monthOf(day) === month}
                  isToday={day === today}
                  entries={entriesByDay.get(day) ?? []}
                  canMove={canMove}
                  titleOf={titleOf}
                  startField={startField}
                  recordHref={recordHref}
                />
              ))}
            </div>
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {dragged ? (
            <EntryChip title={titleOf(dragged.record)} time={startField.type === "datetime" ? timeOfDay(dragged.record[startField.name]) : null} color={colorOf(dragged.record)} lifted />
          ) : null}
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

function DayCell({
  day, inMonth, isToday, entries, canMove, titleOf, startField, recordHref,
}: {
  day: Day;
  inMonth: boolean;
  isToday: boolean;
  entries: Entry[];
  canMove: boolean;
  titleOf: (record: DataRecord) => string;
  startField: FieldDef;
  recordHref?: (record: DataRecord) => string;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: `day:${day}`, data: { type: "day", day } satisfies DayData, disabled: !canMove });
  const visible = entries.slice(0, VISIBLE_PER_DAY);
  const hidden = entries.length - visible.length;
  const dayNumber = Number(day.slice(8, 10));
  const timeOf = (entry: Entry) => (startField.type === "datetime" && entry.day === entry.first ? timeOfDay(entry.record[startField.name]) : null);
  return (
    <div
      ref={setNodeRef}
      role="gridcell"
      aria-label={`${formatDate(day)}${entries.length ? `, ${entries.length} ${entries.length === 1 ? "entry" : "entries"}` : ""}`}
      data-testid="calendar-day"
      data-day={day}
      className={cn(
        "min-h-24 min-w-0 border-b border-r border-slate-100 p-0.5 sm:min-h-28 sm:p-1 [&:nth-child(7n)]:border-r-0",
        !inMonth && "bg-slate-50/70",
        isToday && "bg-brand-50/50",
        isOver && "bg-brand-100 ring-2 ring-inset ring-brand-500/60",
      )}
    >
      <div className="mb-0.5 flex justify-end px-0.5">
        <span
          className={cn(
            "inline-flex h-6 min-w-6 items-center justify-center rounded-full px-1 text-xs tabular-nums",
            inMonth ? "text-slate-700" : "text-slate-400",
            isToday && "bg-brand-600 font-semibold text-white",
          )}
          aria-current={isToday ? "date" : undefined}
        >
          {dayNumber}
        </span>
      </div>
      <ul className="space-y-0.5">
        {visible.map((entry) => (
          <li key={entry.record.id}>
            <DraggableEntry entry={entry} title={titleOf(entry.record)} time={timeOf(entry)} canMove={canMove} recordHref={recordHref} />
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <Popover.Root>
          <Popover.Trigger asChild>
            <button type="button" className="mt-0.5 w-full truncate rounded px-1 text-left text-xs font-medium text-slate-500 hover:bg-slate-100 hover:text-slate-800" data-testid="calendar-more" aria-label={`${hidden} more on ${formatDate(day)}`}>
              <span className="sm:hidden" aria-hidden>+{hidden}</span>
              <span className="hidden sm:inline" aria-hidden>+{hidden} more</span>
            </button>
          </Popover.Trigger>
          <Popover.Portal>
            <Popover.Content sideOffset={4} align="start" collisionPadding={8} className="z-50 w-64 rounded-lg border border-slate-200 bg-white p-2 shadow-lg focus:outline-none">
              <p className="mb-1.5 px-1 text-xs font-semibold text-slate-600">{formatDate(day)}</p>
              <ul className="max-h-72 space-y-0.5 overflow-y-auto">
                {entries.map((entry) => (
                  <li key={entry.record.id}>
                    {recordHref ? (
                      <Link href={recordHref(entry.record)} className="block rounded focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
                        <EntryChip title={titleOf(entry.record)} time={timeOf(entry)} color={entry.color} />
                      </Link>
                    ) : (
                      <EntryChip title={titleOf(entry.record)} time={timeOf(entry)} color={entry.color} />
                    )}
                  </li>
                ))}
              </ul>
              <Popover.Arrow className="fill-white" />
            </Popover.Content>
          </Popover.Portal>
        </Popover.Root>
      )}
    </div>
  );
}

function DraggableEntry({ entry, title, time, canMove, recordHref }: {
  entry: Entry;
  title: string;
  time: string | null;
  canMove: boolean;
  recordHref?: (record: DataRecord) => string;
}) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: `${entry.record.id}@${entry.day}`,
    data: { type: "entry", record: entry.record, day: entry.day } satisfies EntryData,
    disabled: !canMove,
  });
  const chip = <EntryChip title={title} time={time} color={entry.color} continuesBefore={entry.day !== entry.first} continuesAfter={entry.day !== entry.last} />;
  const common = {
    ref: setNodeRef,
    "data-testid": "calendar-entry",
    "data-record-id": entry.record.id,
    title,
    className: cn("block rounded focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500", canMove && "cursor-grab", isDragging && "opacity-40"),
    ...(canMove ? { ...attributes, ...listeners, "aria-roledescription": "calendar entry" } : {}),
  };
  // A link opens the record on click; a drag (past 5 px) moves it instead.
  return recordHref ? (
    <Link href={recordHref(entry.record)} draggable={false} {...common}>{chip}</Link>
  ) : (
    <div {...common}>{chip}</div>
  );
}

function EntryChip({ title, time, color, continuesBefore = false, continuesAfter = false, lifted = false }: {
  title: string;
  time: string | null;
  color?: string;
  continuesBefore?: boolean;
  continuesAfter?: boolean;
  lifted?: boolean;
}) {
  const tint = color ?? "#64748b";
  return (
    <span
      className={cn(
        "flex items-center gap-1 truncate rounded border-l-[3px] px-1 py-0.5 text-[11px] leading-4 text-slate-800 sm:px-1.5 sm:text-xs",
        continuesBefore && "rounded-l-none border-l-0 pl-1.5",
        continuesAfter && "rounded-r-none",
        lifted && "cursor-grabbing shadow-lg ring-2 ring-brand-500/60",
      )}
      // Opaque (white under the tint), so an entry stays readable over a highlighted day or while dragged.
      style={{ backgroundColor: "#fff", backgroundImage: `linear-gradient(${tint}1f, ${tint}1f)`, borderLeftColor: tint }}
    >
      {time && <span className="shrink-0 tabular-nums text-slate-500">{time}</span>}
      <span className="truncate">{title}</span>
    </span>
  );
}
