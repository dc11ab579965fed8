"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Download, Plus, Search, Trash2 } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Suspense, lazy, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import type { BulkAction, FieldDef, RowAction, ViewDef } from "@/spec";
import { nameFieldOf } from "@/spec/object-fields";
import { Button } from "@/components/ui/button";
import { Alert, EmptyState, Spinner } from "@/components/ui/feedback";
import { Input } from "@/components/ui/input";
import { errorMessage, useTRPC } from "@/components/trpc";
import { ExportCsvButton, downloadCsv } from "./export-csv-button";
import { FilterBuilder } from "./filter-builder";
import { cellEditorKind, fromEditorValue, sameCellValue, type CellEditorValue } from "./grid-cell-value";
import { useStoredColumnState } from "./grid-column-store";
import {
  MENU_COLUMN_WIDTH,
  SELECT_COLUMN_WIDTH,
  applyColumnState,
  baseColumns,
  columnStorageKey,
  displayOrder,
  moveColumn,
  pinOffsets,
} from "./grid-columns";
import { useGridLayout } from "./grid-data";
import { gridQueryOf, type GridFirstBlock } from "./grid-query";
import { GridHeaderCell, pinnedCellStyle, type HeaderCellProps } from "./grid-header";
import { GridBody } from "./grid-body";
import { LoadFailedAlert } from "./view-notices";
import { type GridRowHandlers } from "./grid-row";
import { useLocalGridState, useUrlGridState, type GridState, type GridStateUpdate } from "./grid-state";
import { accessOf, fieldEditable, type DescribedObjectDef } from "./record-access";
import type { DataRecord } from "./types";

export { defaultColumnFields } from "./grid-columns";

// Only needed once the user opens it: kept out of the list page's first load.
const GridBulkUpdateDialog = dynamic(() => import("./grid-bulk-update-dialog"), { ssr: false });
const ConfirmDialog = dynamic(() => import("@/components/ui/dialog").then((module) => module.ConfirmDialog), { ssr: false });
// Column reordering (@dnd-kit) arrives after the first render (see grid-header-dnd.tsx).
const SortableHeaderCells = lazy(() => import("./grid-header-dnd"));

export type RecordGridProps = {
  /** With `access` (as `data.describe` returns it), New, bulk actions, Export and inline editing follow the user's permissions. */
  object: DescribedObjectDef;
  /** Where a row (and its name link) leads. */
  recordHref: (record: DataRecord) => string;
  /** Where new records are created: the empty state links here, and (unless `showNewButton` is false) a "New record" button. */
  newHref?: string;
  /** Show the "New record" toolbar button when `newHref` is given (default true). */
  showNewButton?: boolean;
  /** Called after a delete (bulk or from a row's menu) with the deleted ids. */
  onDeleted?: (ids: string[]) => void;
  /** Keep sort, search and filters in the URL search params (default: component state). */
  urlState?: boolean;
  /** Prefix for the URL params when several grids share a page. */
  urlParamPrefix?: string;
  /** Row checkboxes for the bulk actions (default true). */
  selectable?: boolean;
  /** Field names to show as columns when there is no view (default: all but textarea/json; name field first). */
  columns?: string[];
  /** Extra toolbar content (right side). */
  toolbar?: ReactNode;
  /** A list view (spec/view.ts): its columns, widths, pins, filter, sort, grouping, inline editing and actions. */
  view?: ViewDef;
  /** Admins' preview: read the records as this user sees them. */
  asUser?: string;
  /** A preview: no inline editing and no action that writes. */
  readOnly?: boolean;
  /** The first block the server fetched for this grid's first query (used only when the query matches). */
  initialFirstBlock?: GridFirstBlock;
};

/** updateMany takes at most this many ids per call. */
const UPDATE_CHUNK = 1000;
const noSubscription = () => () => {};
const DEFAULT_ROW_ACTIONS: RowAction[] = [{ type: "open" }, { type: "edit" }, { type: "delete" }];
const DEFAULT_BULK_ACTIONS: BulkAction[] = [{ type: "delete" }, { type: "export" }];

/**
 * A server-driven data grid over one object that scrolls through every matching record: rows
 * are fetched in blocks as they come into view (virtualized, so 100,000 rows scroll smoothly),
 * with sort, search and a filter builder executed by `data.find`. A `view` adds its columns,
 * filter, default sort, grouping, inline editing and row/bulk actions. Works standalone (studio)
 * or with its state in the URL (apps).
 */
export function RecordGrid(props: RecordGridProps) {
  return props.urlState ? <UrlStateGrid {...props} /> : <LocalStateGrid {...props} />;
}

function UrlStateGrid(props: RecordGridProps) {
  const [state, update] = useUrlGridState(props.urlParamPrefix);
  return <GridView {...props} state={state} update={update} />;
}

function LocalStateGrid(props: RecordGridProps) {
  const [state, update] = useLocalGridState();
  // A different object or view starts from a clean state.
  useEffect(() => {
    update({ sort: null, search: "", filters: [] });
  }, [props.object.name, props.view?.name, update]);
  return <GridView {...props} state={state} update={update} />;
}

function versionOf(updatedAt: unknown): string | undefined {
  if (updatedAt instanceof Date) return updatedAt.toISOString();
  return typeof updatedAt === "string" && updatedAt !== "" ? updatedAt : undefined;
}

type CellRef = { recordId: string; field: string };

function GridView({
  object,
  recordHref,
  newHref,
  showNewButton = true,
  onDeleted,
  selectable: selectableProp = true,
  columns: columnNames,
  toolbar,
  view,
  asUser,
  readOnly = false,
  initialFirstBlock,
  state,
  update,
}: RecordGridProps & { state: GridState; update: (patch: GridStateUpdate) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const access = accessOf(object);
  const searchId = useId();
  const [searchText, setSearchText] = useState(state.search);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string[] | null>(null);
  const [bulkUpdate, setBulkUpdate] = useState<{ action: Extract<BulkAction, { type: "update" }>; field: FieldDef } | null>(null);
  const [editing, setEditing] = useState<CellRef | null>(null);
  const [cellError, setCellError] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  // Debounce the search box into the query; follow the URL (Back/Forward) when it changes.
  const pushedSearch = useRef(state.search);
  useEffect(() => {
    const value = searchText.trim();
    if (value === pushedSearch.current) return;
    const timer = setTimeout(() => {
      pushedSearch.current = value;
      update({ search: value });
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText, update]);
  useEffect(() => {
    if (state.search !== pushedSearch.current) {
      pushedSearch.current = state.search;
      setSearchText(state.search);
    }
  }, [state.search]);

  // ---- Columns: the view's (or the defaults), then the user's order and widths. ----
  const storageKey = columnStorageKey(object.name, view?.name);
  const [stored, saveStored] = useStoredColumnState(storageKey);
  const [liveWidth, setLiveWidth] = useState<{ field: string; width: number } | null>(null);
  const columns = useMemo(() => {
    const resolved = displayOrder(applyColumnState(baseColumns(object, view, columnNames), stored));
    return liveWidth ? resolved.map((column) => (column.field.name === liveWidth.field ? { ...column, width: liveWidth.width } : column)) : resolved;
  }, [object, view, columnNames, stored, liveWidth]);
  const nameField = nameFieldOf(object);

  // ---- What the user may do here. ----
  const viewRowActions = view?.rowActions;
  const rowActions = useMemo(
    () =>
      (readOnly ? [{ type: "open" } as RowAction] : (viewRowActions ?? DEFAULT_ROW_ACTIONS)).filter((action) =>
        action.type === "delete" ? access.delete : action.type === "edit" || action.type === "update" ? access.edit : true,
      ),
    [readOnly, viewRowActions, access.delete, access.edit],
  );
  const bulkActions = readOnly
    ? []
    : (view?.bulkActions ?? DEFAULT_BULK_ACTIONS).filter((action) => (action.type === "delete" ? access.delete : action.type === "export" ? access.export : access.edit));
  const selectable = selectableProp && bulkActions.length > 0;
  const inlineEdit = !readOnly && !!view && view.inlineEdit && access.edit;
  const showMenu = !!view && rowActions.length > 0;
  const editableFields = useMemo(
    () => new Set(inlineEdit ? columns.filter(({ field }) => cellEditorKind(field) !== null && fieldEditable(object, field)).map(({ field }) => field.name) : []),
    [inlineEdit, columns, object],
  );

  // ---- The query: the view's filter AND the user's, the user's sort else the view's, grouped rows first. ----
  const { search, filter, orderBy, groupField, groupDirection } = gridQueryOf(object, view, state);
  const queryKey = JSON.stringify([object.name, search, filter, orderBy, asUser]);

  const data = useGridLayout(
    {
      object: object.name,
      search,
      filter,
      orderBy,
      asUser,
      groupBy: groupField ? { field: groupField.name, direction: groupDirection } : undefined,
    },
    initialFirstBlock,
  );

  const [loaded] = useState(() => new LoadedRecords());

  // A new sort, search or filter starts at the top, with nothing selected or being edited.
  const previousKey = useRef(queryKey);
  useEffect(() => {
    if (previousKey.current === queryKey) return;
    previousKey.current = queryKey;
    scrollRef.current?.scrollTo({ top: 0 });
    setSelected(new Set());
    setEditing(null);
  }, [queryKey]);

  const remove = useMutation(trpc.data.delete.mutationOptions());
  const updateOne = useMutation(trpc.data.update.mutationOptions());
  const updateMany = useMutation(trpc.data.updateMany.mutationOptions());
  const exportMutation = useMutation(trpc.data.export.mutationOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });

  function toggleSort(field: FieldDef) {
    const current = orderBy?.find((sort) => sort.field === field.name)?.direction ?? null;
    const next = current === null ? "asc" : current === "asc" ? "desc" : null;
    update({ sort: next ? { field: field.name, direction: next } : null });
  }

  // ---- Column order and widths. ----
  function moveColumnTo(active: string, over: string) {
    const order = columns.map((column) => column.field.name);
    saveStored({ ...stored, order: moveColumn(order, active, over) });
  }
  // Header dragging loads once the grid is on screen (not on the server, not in the first load).
  const dragReady = useSyncExternalStore(noSubscription, () => true, () => false);
  function saveWidth(field: string, width: number) {
    setLiveWidth(null);
    saveStored({ ...stored, widths: { ...stored?.widths, [field]: width } });
  }

  // ---- Row actions, bulk actions, inline edit. ----
  async function deleteRecords(ids: string[]) {
    setActionError(null);
    const deleted: string[] = [];
    try {
      for (const id of ids) {
        await remove.mutateAsync({ object: object.name, id });
        deleted.push(id);
      }
    } catch (error) {
      setActionError(errorMessage(error));
    }
    setSelected(new Set());
    await refresh();
    if (deleted.length > 0) onDeleted?.(deleted);
  }

  async function updateRecords(ids: string[], field: string, value: unknown): Promise<boolean> {
    setActionError(null);
    try {
      for (let start = 0; start < ids.length; start += UPDATE_CHUNK) {
        await updateMany.mutateAsync({ object: object.name, ids: ids.slice(start, start + UPDATE_CHUNK), values: { [field]: value } });
      }
      return true;
    } catch (error) {
      setActionError(errorMessage(error));
      return false;
    } finally {
      await refresh();
    }
  }

  function onRowAction(action: RowAction, record: DataRecord) {
    switch (action.type) {
      case "open":
        return router.push(recordHref(record));
      case "edit": {
        const href = recordHref(record);
        return router.push(`${href}${href.includes("?") ? "&" : "?"}edit=1`);
      }
      case "delete":
        return setConfirmDelete([record.id]);
      case "update":
        return void updateRecords([record.id], action.field, action.value);
    }
  }

  async function exportSelected(ids: string[]) {
    setActionError(null);
    try {
      const result = await exportMutation.mutateAsync({ object: object.name, filter: { field: "id", operator: "in", value: ids }, orderBy });
      downloadCsv(result.csv, result.filename);
    } catch (error) {
      setActionError(errorMessage(error));
    }
  }

  function onBulkAction(action: BulkAction) {
    const ids = [...selected];
    if (action.type === "delete") return setConfirmDelete(ids);
    if (action.type === "export") return void exportSelected(ids);
    const field = object.fields.find((candidate) => candidate.name === action.field);
    if (!field) return setActionError(`The action "${action.label}" sets '${action.field}', which is not a field of ${object.label}`);
    if (action.value !== undefined) {
      void updateRecords(ids, action.field, action.value).then((ok) => ok && setSelected(new Set()));
    } else setBulkUpdate({ action, field });
  }

  async function saveCell(record: DataRecord, field: FieldDef, raw: CellEditorValue) {
    const converted = fromEditorValue(field, raw);
    if ("error" in converted) return setCellError(converted.error);
    if (sameCellValue(field, record[field.name], converted.value)) {
      setEditing(null);
      setCellError(null);
      return;
    }
    try {
      await updateOne.mutateAsync({ object: object.name, id: record.id, values: { [field.name]: converted.value }, expectedUpdatedAt: versionOf(record.updated_at) });
      setEditing(null);
      setCellError(null);
      await refresh();
    } catch (error) {
      setCellError(errorMessage(error));
    }
  }

  function startEditing(record: DataRecord, field: FieldDef) {
    if (!editableFields.has(field.name)) return;
    setCellError(null);
    setEditing({ recordId: record.id, field: field.name });
  }

  // Rows get one stable handlers object (so a scroll re-renders only the rows that come into view) calling the latest closures.
  const latest = useRef<GridRowHandlers | null>(null);
  useEffect(() => {
    latest.current = {
      open: (record) => router.push(recordHref(record)),
      toggle: (id) =>
        setSelected((current) => {
          const next = new Set(current);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        }),
      startEditing,
      saveCell: (record, field, value) => void saveCell(record, field, value),
      cancelEditing: () => {
        setEditing(null);
        setCellError(null);
      },
      action: onRowAction,
    };
  });
  const handlers = useMemo<GridRowHandlers>(
    () => ({
      open: (record) => latest.current?.open(record),
      toggle: (id) => latest.current?.toggle(id),
      startEditing: (record, field) => latest.current?.startEditing(record, field),
      saveCell: (record, field, value) => latest.current?.saveCell(record, field, value),
      cancelEditing: () => latest.current?.cancelEditing(),
      action: (action, record) => latest.current?.action(action, record),
    }),
    [],
  );

  // ---- Layout. ----
  const trailing = showMenu ? MENU_COLUMN_WIDTH : 0;
  const leading = selectable ? SELECT_COLUMN_WIDTH : 0;
  const pins = useMemo(() => pinOffsets(columns, leading, trailing), [columns, leading, trailing]);
  const tableWidth = leading + columns.reduce((sum, column) => sum + column.width, 0) + trailing;
  const colSpan = columns.length + (selectable ? 1 : 0) + (showMenu ? 1 : 0) + 1;
  const filtered = state.search !== "" || state.filters.length > 0;
  const reorderable = columns.length > 1;

  const rowProps = useMemo(
    () => ({
      object,
      columns,
      pins,
      nameField,
      recordHref,
      selectable,
      editableFields,
      clickToOpen: !inlineEdit,
      rowActions: showMenu ? rowActions : null,
      handlers,
    }),
    [object, columns, pins, nameField, recordHref, selectable, editableFields, inlineEdit, showMenu, rowActions, handlers],
  );

  const headerCells: HeaderCellProps[] = columns.map((column) => ({
    column,
    pin: pins.get(column.field.name),
    direction: orderBy?.find((sort) => sort.field === column.field.name)?.direction ?? null,
    sortable: true,
    onSort: () => toggleSort(column.field),
    onResize: (width) => setLiveWidth({ field: column.field.name, width }),
    onResizeEnd: (width) => saveWidth(column.field.name, width),
  }));
  const plainHeaderCells = headerCells.map((cell) => <GridHeaderCell key={cell.column.field.name} {...cell} />);
  // Built here, passed to the body as elements: scrolling re-renders the body, not these.
  const header = (
    <thead>
      <tr>
        {selectable && (
          <th style={{ ...pinnedCellStyle({ side: "left", offset: 0, edge: false }), zIndex: 30 }} className="sticky top-0 h-9 border-b border-slate-200 bg-slate-50 px-3">
            <SelectLoadedCheckbox loaded={loaded} selected={selected} onChange={setSelected} />
          </th>
        )}
        {reorderable && dragReady ? (
          <Suspense fallback={plainHeaderCells}>
            <SortableHeaderCells cells={headerCells} onMove={moveColumnTo} />
          </Suspense>
        ) : (
          plainHeaderCells
        )}
        <th className="sticky top-0 z-20 h-9 border-b border-slate-200 bg-slate-50 p-0" aria-hidden />
        {showMenu && (
          <th style={{ ...pinnedCellStyle({ side: "right", offset: 0, edge: false }), zIndex: 30 }} className="sticky top-0 h-9 border-b border-slate-200 bg-slate-50 p-0">
            <span className="sr-only">Actions</span>
          </th>
        )}
      </tr>
    </thead>
  );
  const fallback: ReactNode | null =
    data.isPending ? (
      <tr>
        <td colSpan={colSpan} className="px-3 py-10 text-center">
          <Spinner label="Loading records" />
        </td>
      </tr>
    ) : data.layout.count === 0 ? (
      <tr>
        <td colSpan={colSpan} className="p-6">
          {filtered ? (
            <EmptyState title={`No ${object.pluralLabel.toLowerCase()} match`}>
              <Button
                size="sm"
                onClick={() => {
                  setSearchText("");
                  pushedSearch.current = "";
                  update({ search: "", filters: [] });
                }}
              >
                Clear search and filters
              </Button>
            </EmptyState>
          ) : (
            <EmptyState title={`No ${object.pluralLabel.toLowerCase()} yet`}>
              {newHref && access.create && !readOnly ? (
                <Link href={newHref} className="font-medium text-brand-600 hover:underline">
                  Create the first {object.label.toLowerCase()}
                </Link>
              ) : (
                "Records will appear here once they are created."
              )}
            </EmptyState>
          )}
        </td>
      </tr>
    ) : null;

  const bulkUpdateActions = bulkActions.filter((action): action is Extract<BulkAction, { type: "update" }> => action.type === "update");

  return (
    <div className="space-y-3" data-testid="record-grid" data-hydrated={dragReady || undefined}>
      <div className="flex flex-wrap items-center gap-2">
        <div className="relative w-full max-w-xs">
          <label htmlFor={searchId} className="sr-only">Search</label>
          <Search className="pointer-events-none absolute left-2.5 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-400" aria-hidden />
          <Input
            id={searchId}
            type="search"
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                pushedSearch.current = searchText.trim();
                update({ search: searchText.trim() });
              }
            }}
            placeholder={`Search ${object.pluralLabel.toLowerCase()}…`}
            className="pl-8"
            maxLength={200}
          />
        </div>
        {selected.size > 0 && (
          <div className="flex flex-wrap items-center gap-2 rounded-md bg-slate-100 px-2 py-1 text-sm text-slate-700" data-testid="bulk-actions">
            <span>{selected.size} selected</span>
            {bulkActions.map((action, index) =>
              action.type === "delete" ? (
                <Button key={index} size="sm" variant="danger" onClick={() => onBulkAction(action)} disabled={remove.isPending}>
                  <Trash2 className="h-3.5 w-3.5" aria-hidden />
                  Delete selected
                </Button>
              ) : action.type === "export" ? (
                <Button key={index} size="sm" onClick={() => onBulkAction(action)} disabled={exportMutation.isPending}>
                  <Download className="h-3.5 w-3.5" aria-hidden />
                  Export selected
                </Button>
              ) : (
                <Button key={index} size="sm" onClick={() => onBulkAction(action)} disabled={updateMany.isPending}>
                  {action.label}
                </Button>
              ),
            )}
          </div>
        )}
        <div className="ml-auto flex items-center gap-2">
          {data.isFetching && !data.isPending && <Spinner label="Updating" />}
          {toolbar}
          {access.export && !readOnly && <ExportCsvButton object={object.name} filter={filter} search={search} orderBy={orderBy} />}
          {newHref && access.create && showNewButton && !readOnly && (
            <Link
              href={newHref}
              className="inline-flex h-9 items-center gap-1.5 rounded-md bg-brand-600 px-3.5 text-sm font-medium text-white hover:bg-brand-700"
            >
              <Plus className="h-4 w-4" aria-hidden />
              New record
            </Link>
          )}
        </div>
      </div>

      <FilterBuilder object={object} filters={state.filters} onChange={(filters) => update({ filters })} />

      {actionError && <Alert>{actionError}</Alert>}

      {data.error && data.isPending ? (
        <LoadFailedAlert message={`Could not load ${object.pluralLabel.toLowerCase()}: ${errorMessage(data.error)}`} onRetry={() => void data.refetch()} />
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs">
          <div
            ref={scrollRef}
            className="relative max-h-[calc(100vh-17rem)] min-h-40 overflow-auto overscroll-contain"
            // Rows coming and going while scrolling lay out and paint only inside the scroller.
            style={{ contain: "layout paint" }}
            data-testid="grid-scroll"
          >
              <table
                className="border-separate border-spacing-0 text-sm"
                style={{ tableLayout: "fixed", width: "100%", minWidth: tableWidth }}
                aria-label={view?.label ?? object.pluralLabel}
                aria-rowcount={data.layout.count + 1}
                aria-busy={data.isFetching}
              >
                <colgroup>
                  {selectable && <col style={{ width: SELECT_COLUMN_WIDTH }} />}
                  {columns.map((column) => (
                    <col key={column.field.name} style={{ width: column.width }} />
                  ))}
                  <col />
                  {showMenu && <col style={{ width: MENU_COLUMN_WIDTH }} />}
                </colgroup>
                <GridBody
                  scrollRef={scrollRef}
                  grid={data}
                  groupField={groupField}
                  colSpan={colSpan}
                  rowProps={rowProps}
                  selected={selected}
                  editing={editing}
                  cellError={cellError}
                  saving={updateOne.isPending}
                  header={header}
                  fallback={fallback}
                  onLoadedChange={loaded.set}
                />
              </table>
          </div>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-600">
            {/* No count before it is known: a grouped grid waits for its groups' counts. */}
            <span data-testid="grid-total" aria-busy={data.isPending}>
              {data.isPending ? "Counting records…" : `${data.total} ${data.total === 1 ? "record" : "records"}`}
            </span>
            {data.groups && (
              <span className="text-slate-400">
                in {data.groups.length} {data.groups.length === 1 ? "group" : "groups"}
              </span>
            )}
          </div>
        </div>
      )}

      <ConfirmDialog
        open={confirmDelete !== null}
        onOpenChange={(open) => !open && setConfirmDelete(null)}
        title={`Delete ${confirmDelete?.length ?? 0} ${confirmDelete?.length === 1 ? "record" : "records"}?`}
        description="The records are deleted permanently. Related detail records are deleted with them."
        confirmLabel="Delete"
        onConfirm={() => {
          const ids = confirmDelete ?? [];
          setConfirmDelete(null);
          void deleteRecords(ids);
        }}
      />
      {bulkUpdate && bulkUpdateActions.length > 0 && (
        <GridBulkUpdateDialog
          open
          onOpenChange={(open) => !open && setBulkUpdate(null)}
          label={bulkUpdate.action.label}
          field={bulkUpdate.field}
          count={selected.size}
          error={actionError}
          pending={updateMany.isPending}
          onApply={(value) =>
            void updateRecords([...selected], bulkUpdate.field.name, value).then((ok) => {
              if (!ok) return;
              setBulkUpdate(null);
              setSelected(new Set());
            })
          }
        />
      )}
    </div>
  );
}

/**
 * The records loaded so far (for "select all"), kept outside React state: a block arriving
 * while the user scrolls re-renders the checkbox that reads them, not the whole grid.
 */
class LoadedRecords {
  private read: () => DataRecord[] = () => [];
  private version = 0;
  private readonly listeners = new Set<() => void>();
  set = (read: () => DataRecord[]) => {
    this.read = read;
    this.version++;
    for (const listener of this.listeners) listener();
  };
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  getVersion = () => this.version;
  records(): DataRecord[] {
    return this.read();
  }
}

function SelectLoadedCheckbox({ loaded, selected, onChange }: { loaded: LoadedRecords; selected: ReadonlySet<string>; onChange: (selected: Set<string>) => void }) {
  const version = useSyncExternalStore(loaded.subscribe, loaded.getVersion, loaded.getVersion);
  // Records are gathered only when what is loaded changed, not on every render.
  const records = useMemo(() => (version >= 0 ? loaded.records() : []), [loaded, version]);
  const allSelected = records.length > 0 && records.every((record) => selected.has(record.id));
  const someSelected = selected.size > 0 && !allSelected;
  return (
    <input
      type="checkbox"
      aria-label="Select all rows"
      title="Select the rows loaded so far"
      className="h-4 w-4 rounded border-slate-300"
      checked={allSelected}
      ref={(element) => {
        if (element) element.indeterminate = someSelected;
      }}
      onChange={() => onChange(allSelected ? new Set() : new Set(records.map((record) => record.id)))}
    />
  );
}
