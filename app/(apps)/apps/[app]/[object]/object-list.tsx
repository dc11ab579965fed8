"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { Alert } from "@/components/ui/feedback";
import { useTRPC } from "@/components/trpc";
import { toQueryFilter } from "@/components/runtime/filter-operators";
import { applyColumnState, baseColumns, columnStorageKey } from "@/components/runtime/grid-columns";
import { useStoredColumnState } from "@/components/runtime/grid-column-store";
import { useUrlGridState } from "@/components/runtime/grid-state";
import { ListView } from "@/components/runtime/list-view";
import type { DescribedObjectDef } from "@/components/runtime/record-access";
import type { GridFirstBlock } from "@/components/runtime/grid-query";
import { RecordGrid } from "@/components/runtime/record-grid";
import type { DataRecord } from "@/components/runtime/types";
import { parseMonth } from "@/components/runtime/view-calendar-model";
import { chooseView, personalViewBody, viewParam, type ObjectViews } from "@/components/runtime/view-selection";
import { ViewSwitcher } from "@/components/runtime/view-switcher";

/**
 * The object's records in the app through its list views: the shared views (default first) and
 * the user's own, chosen with `?view=` (grid, kanban or calendar); without any view, the
 * generated grid. The grid's query and the calendar's month are kept in the URL too.
 */
export function ObjectList({
  appName,
  object,
  initialViews,
  initialFirstBlock,
}: {
  appName: string;
  object: DescribedObjectDef;
  initialViews: ObjectViews;
  /** The grid's first block as the page fetched it on the server (its rows are in the HTML). */
  initialFirstBlock?: GridFirstBlock;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const params = useSearchParams();
  const base = `/apps/${appName}/${object.name}`;
  const recordHref = useCallback((record: DataRecord) => `${base}/${encodeURIComponent(record.id)}`, [base]);

  const viewsKey = trpc.views.forObject.queryKey({ object: object.name });
  const viewsQuery = useQuery({ ...trpc.views.forObject.queryOptions({ object: object.name }), initialData: initialViews });
  const views: ObjectViews = viewsQuery.data;
  const requested = params.get("view");
  const { choice, missing } = chooseView(views, requested);
  const current = choice.kind === "generated" ? null : choice.view;
  const [gridState] = useUrlGridState();
  // The order and widths the user gave the grid's columns in this browser (the grid keeps them per view).
  const [storedColumns] = useStoredColumnState(columnStorageKey(object.name, current?.name));

  // Another view starts clean: its own sort, filters and month (pushed, so Back returns to the previous view).
  const goTo = (search: URLSearchParams, push: boolean) => {
    const query = search.toString();
    const url = query ? `${pathname}?${query}` : pathname;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  };
  const choose = (param: string | null) => goTo(new URLSearchParams(param ? { view: param } : {}), true);
  const setMonth = (month: string) => {
    const search = new URLSearchParams(window.location.search);
    search.set("month", month);
    goTo(search, false);
  };

  const save = useMutation(trpc.views.save.mutationOptions());
  const rename = useMutation(trpc.views.rename.mutationOptions());
  const remove = useMutation(trpc.views.delete.mutationOptions());
  const isGrid = (current?.type ?? "grid") === "grid";

  async function onSave(label: string) {
    const columns = storedColumns
      ? applyColumnState(baseColumns(object, current ?? undefined), storedColumns).map((column) => ({
        field: column.field.name,
        width: column.width,
        ...(column.pinned ? { pinned: column.pinned } : {}),
        ...(column.label !== column.field.label ? { label: column.label } : {}),
      }))
      : undefined;
    const body = personalViewBody(current, label, isGrid ? { sort: gridState.sort, filter: toQueryFilter(gridState.filters), columns } : undefined);
    const saved = await save.mutateAsync({ object: object.name, view: body });
    queryClient.setQueryData(viewsKey, (data) => data && { ...data, mine: [...data.mine, saved].sort((a, b) => a.label.localeCompare(b.label)) });
    choose(viewParam("mine", saved.name));
    void queryClient.invalidateQueries({ queryKey: viewsKey });
  }

  async function onRename(label: string) {
    if (choice.kind !== "mine") return;
    const renamed = await rename.mutateAsync({ id: choice.view.id, label });
    queryClient.setQueryData(viewsKey, (data) => data && { ...data, mine: data.mine.map((view) => (view.id === renamed.id ? renamed : view)) });
    void queryClient.invalidateQueries({ queryKey: viewsKey });
  }

  async function onDelete() {
    if (choice.kind !== "mine") return;
    const { id } = await remove.mutateAsync({ id: choice.view.id });
    choose(null);
    queryClient.setQueryData(viewsKey, (data) => data && { ...data, mine: data.mine.filter((view) => view.id !== id) });
    void queryClient.invalidateQueries({ queryKey: viewsKey });
  }

  const gridProps = { urlState: true, newHref: `${base}/new`, showNewButton: false, initialFirstBlock } as const;
  return (
    <div className="space-y-4">
      <ViewSwitcher
        pluralLabel={object.pluralLabel}
        views={views}
        choice={choice}
        onChoose={choose}
        onSave={onSave}
        onRename={onRename}
        onDelete={onDelete}
        saveNote={isGrid && gridState.search ? "The search text is not saved with the view; sort, filters and columns are." : undefined}
      />
      {missing && requested && (
        <Alert tone="info">The view “{requested}” is not available to you; showing {current ? `“${current.label}”` : "all records"} instead.</Alert>
      )}
      {remove.isError && <Alert>Could not delete the view: {remove.error.message}</Alert>}
      {choice.kind === "generated" ? (
        <RecordGrid object={object} recordHref={recordHref} {...gridProps} />
      ) : (
        <ListView
          key={choice.param}
          object={object}
          view={choice.view}
          recordHref={recordHref}
          month={parseMonth(params.get("month")) ?? undefined}
          onMonthChange={setMonth}
          gridProps={gridProps}
        />
      )}
    </div>
  );
}
