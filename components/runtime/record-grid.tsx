"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Plus, RotateCw, Search, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { nameFieldOf, type FieldDef, type ObjectDef, type ViewDef } from "@/spec";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Alert, EmptyState, Spinner } from "@/components/ui/feedback";
import { Input, NativeSelect } from "@/components/ui/input";
import { errorMessage, useTRPC } from "@/components/trpc";
import { FieldValue, displayField, formatFieldValue } from "./field-value";
import { ExportCsvButton } from "./export-csv-button";
import { FilterBuilder } from "./filter-builder";
import { toQueryFilter } from "./filter-operators";
import { gridFindInputs, nextCountedView, type CountedView, type GridFindInput } from "./record-grid-total";
import { PAGE_SIZES, useLocalGridState, useUrlGridState, type GridState, type GridStateUpdate, type PageSize } from "./grid-state";
import { accessOf, type DescribedObjectDef } from "./record-access";
import { asRecords, recordTitle, type DataRecord } from "./types";

export type RecordGridProps = {
  /** With `access` (as `data.describe` returns it), New, bulk delete and Export follow the user's permissions. */
  object: DescribedObjectDef;
  /** Where a row (and its name link) leads. */
  recordHref: (record: DataRecord) => string;
  /** Where new records are created: the empty state links here, and (unless `showNewButton` is false) a "New record" button. */
  newHref?: string;
  /** Show the "New record" toolbar button when `newHref` is given (default true). */
  showNewButton?: boolean;
  /** Called after a bulk delete with the deleted ids. */
  onDeleted?: (ids: string[]) => void;
  /** Keep page, sort, search and filters in the URL search params (default: component state). */
  urlState?: boolean;
  /** Prefix for the URL params when several grids share a page. */
  urlParamPrefix?: string;
  defaultPageSize?: PageSize;
  /** Row checkboxes with bulk delete (default true). */
  selectable?: boolean;
  /** Field names to show as columns (default: all but textarea/json; name field first). */
  columns?: string[];
  /** Extra toolbar content (right side). */
  toolbar?: ReactNode;
  /** A list view (spec/view.ts): its columns, widths, pins, filter, sort, grouping, actions. */
  view?: ViewDef;
};

const NUMERIC = new Set<FieldDef["type"]>(["number", "currency", "percent"]);
const UNSORTABLE = new Set<FieldDef["type"]>(["multiselect", "json"]);

/** The default columns: the name field first, then every field except long text and JSON. */
export function defaultColumnFields(object: ObjectDef): FieldDef[] {
  const nameField = nameFieldOf(object);
  const named = object.fields.find((field) => field.name === nameField);
  const rest = object.fields.filter((field) => field !== named && field.type !== "textarea" && field.type !== "json");
  return named ? [named, ...rest] : rest;
}

/**
 * A server-driven data grid over one object: sortable columns, pagination, search and a filter
 * builder, all executed by `data.find`. Works standalone (studio) or with its state in the URL.
 */
export function RecordGrid(props: RecordGridProps) {
  return props.urlState ? <UrlStateGrid {...props} /> : <LocalStateGrid {...props} />;
}

function UrlStateGrid(props: RecordGridProps) {
  const [state, update] = useUrlGridState(props.defaultPageSize ?? 25, props.urlParamPrefix);
  return <GridView {...props} state={state} update={update} />;
}

function LocalStateGrid(props: RecordGridProps) {
  const [state, update] = useLocalGridState(props.defaultPageSize ?? 25);
  // A different object starts from a clean state.
  useEffect(() => {
    update({ page: 1, sort: null, search: "", filters: [] });
  }, [props.object.name, update]);
  return <GridView {...props} state={state} update={update} />;
}

function SortIcon({ direction }: { direction: "asc" | "desc" | null }) {
  if (direction === "asc") return <ArrowUp className="h-3.5 w-3.5 text-brand-600" aria-hidden />;
  if (direction === "desc") return <ArrowDown className="h-3.5 w-3.5 text-brand-600" aria-hidden />;
  return <ArrowUpDown className="h-3.5 w-3.5 text-slate-300 group-hover:text-slate-400" aria-hidden />;
}

function GridView({
  object,
  recordHref,
  newHref,
  showNewButton = true,
  onDeleted,
  selectable: selectableProp = true,
  columns: columnNames,
  toolbar,
  state,
  update,
}: RecordGridProps & { state: GridState; update: (patch: GridStateUpdate) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const access = accessOf(object);
  // Row selection only serves bulk delete: without Delete there is nothing to select for.
  const selectable = selectableProp && access.delete;
  const canCreate = access.create;
  const searchId = useId();
  const pageSizeId = useId();
  const [searchText, setSearchText] = useState(state.search);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  // Debounce the search box into the query; follow the URL (Back/Forward) when it changes.
  const pushedSearch = useRef(state.search);
  useEffect(() => {
    const value = searchText.trim();
    if (value === pushedSearch.current) return;
    const timer = setTimeout(() => {
      pushedSearch.current = value;
      update({ search: value, page: 1 });
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText, update]);
  useEffect(() => {
    if (state.search !== pushedSearch.current) {
      pushedSearch.current = state.search;
      setSearchText(state.search);
    }
  }, [state.search]);

  const fields = useMemo(() => {
    if (!columnNames) return defaultColumnFields(object);
    return columnNames
      .map((name) => object.fields.find((field) => field.name === name))
      .filter((field): field is FieldDef => !!field);
  }, [object, columnNames]);
  const nameField = nameFieldOf(object);

  const input: GridFindInput = {
    object: object.name,
    search: state.search || undefined,
    filter: toQueryFilter(state.filters),
    orderBy: state.sort ? [state.sort] : undefined,
    limit: state.pageSize,
    offset: (state.page - 1) * state.pageSize,
  };
  // The total is counted only for the first view of each search/filter (record-grid-total.ts).
  const [counted, setCounted] = useState<CountedView>(() => nextCountedView(null, input));
  const nextCounted = nextCountedView(counted, input);
  if (nextCounted !== counted) setCounted(nextCounted);
  const inputs = gridFindInputs(nextCounted, input);
  const query = useQuery({ ...trpc.data.find.queryOptions(inputs.page), placeholderData: keepPreviousData });
  const totalQuery = useQuery({ ...trpc.data.find.queryOptions(inputs.total), placeholderData: keepPreviousData });
  const records = useMemo(() => asRecords(query.data?.records), [query.data]);
  const total: number = typeof totalQuery.data?.total === "number" ? totalQuery.data.total : 0;
  const pageCount = Math.max(1, Math.ceil(total / state.pageSize));
  const totalSettled = totalQuery.isSuccess && !totalQuery.isPlaceholderData;

  // Past the last page (after deletes or a narrower filter): go to the last one.
  useEffect(() => {
    if (totalSettled && query.isSuccess && !query.isPlaceholderData && state.page > pageCount) update({ page: pageCount });
  }, [totalSettled, query.isSuccess, query.isPlaceholderData, state.page, pageCount, update]);

  // Selection belongs to the rows on screen.
  useEffect(() => setRowSelection({}), [object.name, state.page, state.pageSize, state.search, state.filters, state.sort]);

  const remove = useMutation(trpc.data.delete.mutationOptions());

  const columns = useMemo<ColumnDef<DataRecord>[]>(() => {
    const result: ColumnDef<DataRecord>[] = [];
    if (selectable) {
      result.push({
        id: "__select",
        header: ({ table }) => (
          <input
            type="checkbox"
            aria-label="Select all rows"
            className="h-4 w-4 rounded border-slate-300"
            checked={table.getIsAllRowsSelected()}
            ref={(element) => {
              if (element) element.indeterminate = table.getIsSomeRowsSelected();
            }}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select ${recordTitle(object, row.original)}`}
            className="h-4 w-4 rounded border-slate-300"
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      });
    }
    for (const field of fields) {
      result.push({
        id: field.name,
        header: field.label,
        meta: { field },
        cell: ({ row }) => {
          const record = row.original;
          if (field.name === nameField) {
            return (
              <Link href={recordHref(record)} className="font-medium text-brand-700 hover:underline">
                {recordTitle(object, record)}
              </Link>
            );
          }
          return <FieldValue field={field} value={record[field.name]} />;
        },
      });
    }
    return result;
  }, [fields, nameField, object, recordHref, selectable]);

  // TanStack Table is not React-Compiler-memoizable; this component simply is not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: records,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (record) => record.id,
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    pageCount,
    enableRowSelection: selectable,
    state: { rowSelection },
    onRowSelectionChange: setRowSelection,
  });

  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);

  function toggleSort(field: FieldDef) {
    const current = state.sort?.field === field.name ? state.sort.direction : null;
    const next = current === null ? "asc" : current === "asc" ? "desc" : null;
    update({ sort: next ? { field: field.name, direction: next } : null, page: 1 });
  }

  function onRowClick(event: MouseEvent<HTMLTableRowElement>, record: DataRecord) {
    const target = event.target as HTMLElement;
    if (target.closest("a, button, input, label, select, textarea")) return;
    if (window.getSelection()?.toString()) return;
    router.push(recordHref(record));
  }

  async function deleteSelected() {
    setDeleteError(null);
    const deleted: string[] = [];
    try {
      for (const id of selectedIds) {
        await remove.mutateAsync({ object: object.name, id });
        deleted.push(id);
      }
    } catch (error) {
      setDeleteError(errorMessage(error));
    }
    setRowSelection({});
    await queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
    if (deleted.length > 0) onDeleted?.(deleted);
  }

  const filtered = state.search !== "" || state.filters.length > 0;
  const firstRow = total === 0 ? 0 : (state.page - 1) * state.pageSize + 1;
  const lastRow = Math.min(total, state.page * state.pageSize);
  const colSpan = columns.length;

  return (
    <div className="space-y-3" data-testid="record-grid">
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
                update({ search: searchText.trim(), page: 1 });
              }
            }}
            placeholder={`Search ${object.pluralLabel.toLowerCase()}…`}
            className="pl-8"
            maxLength={200}
          />
        </div>
        {selectedIds.length > 0 && (
          <div className="flex items-center gap-2 rounded-md bg-slate-100 px-2 py-1 text-sm text-slate-700">
            <span>{selectedIds.length} selected</span>
            <Button size="sm" variant="danger" onClick={() => setConfirmOpen(true)} disabled={remove.isPending}>
              <Trash2 className="h-3.5 w-3.5" aria-hidden />
              Delete selected
            </Button>
          </div>
        )}
        <div className="ml-auto flex items-center gap-2">
          {query.isFetching && !query.isPending && <Spinner label="Updating" />}
          {toolbar}
          {access.export && <ExportCsvButton object={object.name} filter={input.filter} search={input.search} orderBy={input.orderBy} />}
          {newHref && canCreate && showNewButton && (
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

      <FilterBuilder object={object} filters={state.filters} onChange={(filters) => update({ filters, page: 1 })} />

      {deleteError && <Alert>{deleteError}</Alert>}

      {query.isError && !query.data ? (
        <Alert>
          <div className="flex items-center justify-between gap-3">
            <span>Could not load {object.pluralLabel.toLowerCase()}: {errorMessage(query.error)}</span>
            <Button size="sm" onClick={() => query.refetch()}>
              <RotateCw className="h-3.5 w-3.5" aria-hidden />
              Retry
            </Button>
          </div>
        </Alert>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs">
          <div className={cn("max-h-[calc(100vh-17rem)] min-h-40 overflow-auto", query.isPlaceholderData && "opacity-60")}>
            <table className="w-full border-separate border-spacing-0 text-sm" aria-label={object.pluralLabel} aria-busy={query.isFetching}>
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => {
                      const field = (header.column.columnDef.meta as { field?: FieldDef } | undefined)?.field;
                      const direction = field && state.sort?.field === field.name ? state.sort.direction : null;
                      const numeric = field ? NUMERIC.has(displayField(field).type) : false;
                      return (
                        <th
                          key={header.id}
                          scope="col"
                          aria-sort={field ? (direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none") : undefined}
                          className={cn(
                            "sticky top-0 z-10 whitespace-nowrap border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500",
                            numeric ? "text-right" : "text-left",
                            !field && "w-10",
                          )}
                        >
                          {field && !UNSORTABLE.has(field.type) ? (
                            <button
                              type="button"
                              onClick={() => toggleSort(field)}
                              className={cn("group inline-flex items-center gap-1 uppercase hover:text-slate-800", numeric && "flex-row-reverse", direction && "text-slate-800")}
                              title={`Sort by ${field.label}`}
                            >
                              {field.label}
                              <SortIcon direction={direction} />
                            </button>
                          ) : (
                            flexRender(header.column.columnDef.header, header.getContext())
                          )}
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {query.isPending ? (
                  <tr>
                    <td colSpan={colSpan} className="px-3 py-10 text-center">
                      <Spinner label="Loading records" />
                    </td>
                  </tr>
                ) : records.length === 0 ? (
                  <tr>
                    <td colSpan={colSpan} className="p-6">
                      {filtered ? (
                        <EmptyState title={`No ${object.pluralLabel.toLowerCase()} match`}>
                          <Button
                            size="sm"
                            onClick={() => {
                              setSearchText("");
                              pushedSearch.current = "";
                              update({ search: "", filters: [], page: 1 });
                            }}
                          >
                            Clear search and filters
                          </Button>
                        </EmptyState>
                      ) : (
                        <EmptyState title={`No ${object.pluralLabel.toLowerCase()} yet`}>
                          {newHref && canCreate ? (
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
                ) : (
                  table.getRowModel().rows.map((row) => (
                    <tr
                      key={row.id}
                      data-testid="record-row"
                      data-record-id={row.id}
                      onClick={(event) => onRowClick(event, row.original)}
                      className={cn(
                        "cursor-pointer even:bg-slate-50/60 hover:bg-brand-50/60",
                        row.getIsSelected() && "bg-brand-50 even:bg-brand-50",
                      )}
                    >
                      {row.getVisibleCells().map((cell) => {
                        const field = (cell.column.columnDef.meta as { field?: FieldDef } | undefined)?.field;
                        const numeric = field ? NUMERIC.has(displayField(field).type) : false;
                        const title = field ? formatFieldValue(field, row.original[field.name]) || undefined : undefined;
                        return (
                          <td
                            key={cell.id}
                            className={cn(
                              "max-w-[18rem] truncate border-b border-slate-100 px-3 py-2 align-middle text-slate-800",
                              numeric && "text-right tabular-nums",
                              !field && "w-10",
                            )}
                            title={title}
                          >
                            {flexRender(cell.column.columnDef.cell, cell.getContext())}
                          </td>
                        );
                      })}
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-600">
            <span data-testid="grid-total">
              {total} {total === 1 ? "record" : "records"}
            </span>
            {total > 0 && (
              <span className="text-slate-400">
                Showing {firstRow}–{lastRow}
              </span>
            )}
            <div className="ml-auto flex items-center gap-2">
              <label htmlFor={pageSizeId} className="whitespace-nowrap text-xs text-slate-500">Rows per page</label>
              <div className="w-24">
                <NativeSelect
                  id={pageSizeId}
                  value={state.pageSize}
                  onChange={(event) => update({ pageSize: Number(event.target.value) as PageSize, page: 1 })}
                  className="h-8 py-1"
                >
                  {PAGE_SIZES.map((size) => (
                    <option key={size} value={size}>{size}</option>
                  ))}
                </NativeSelect>
              </div>
              <span data-testid="grid-page" className="whitespace-nowrap px-1">
                Page {Math.min(state.page, pageCount)} of {pageCount}
              </span>
              <Button size="sm" aria-label="Previous page" onClick={() => update({ page: state.page - 1 })} disabled={state.page <= 1}>
                <ChevronLeft className="h-4 w-4" aria-hidden />
                Previous
              </Button>
              <Button size="sm" aria-label="Next page" onClick={() => update({ page: state.page + 1 })} disabled={state.page >= pageCount}>
                Next
                <ChevronRight className="h-4 w-4" aria-hidden />
              </Button>
            </div>
          </div>
        </div>
      )}

      <ConfirmDialog
        open={confirmOpen}
        onOpenChange={setConfirmOpen}
        title={`Delete ${selectedIds.length} ${selectedIds.length === 1 ? "record" : "records"}?`}
        description="The selected records are deleted permanently. Related detail records are deleted with them."
        confirmLabel="Delete"
        onConfirm={deleteSelected}
      />
    </div>
  );
}
