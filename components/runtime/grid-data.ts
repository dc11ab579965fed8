"use client";
import { hashKey, keepPreviousData, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { Filter, OrderBy } from "@/spec";
import { useTRPC } from "@/components/trpc";
import type { GridFirstBlock } from "./grid-query";
import { BLOCK_SIZE, blockWindow, blocksForRange, flatLayout, groupedLayout, recordRangeOf, type GridGroup, type GridLayout } from "./grid-blocks";
import { gridFindInputs, nextCountedView, type CountedView, type GridFindInput } from "./record-grid-total";
import { asRecords, type DataRecord } from "./types";

export type GridQuery = {
  object: string;
  search?: string;
  filter?: Filter;
  orderBy?: OrderBy[];
  asUser?: string;
  /** Group header rows per value of this field (the records are then sorted by it first). */
  groupBy?: { field: string; direction: "asc" | "desc" };
};

/** How long the visible range must hold still before blocks that are not cached are fetched (a fast scroll skips the blocks it passes). */
const FETCH_SETTLE_MS = 60;

/**
 * The grid's shape for a query: the total (from `withTotal`, so the scrollbar is right from the
 * first answer) and the layout (group headers included, from a count per group). `initial` is
 * the first block the server fetched: it seeds the cache of exactly that query, once, so the
 * rows render on the server and the client does not ask again while it is fresh.
 */
export function useGridLayout(query: GridQuery, initial?: GridFirstBlock) {
  const trpc = useTRPC();
  const { groupBy, ...base } = query;

  const firstBlock: GridFindInput = { ...base, ...blockWindow(0) };
  const [counted, setCounted] = useState<CountedView>(() => nextCountedView(null, firstBlock));
  const nextCounted = nextCountedView(counted, firstBlock);
  if (nextCounted !== counted) setCounted(nextCounted);
  const totalInput = gridFindInputs(nextCounted, firstBlock).total;
  const totalOptions = trpc.data.find.queryOptions(totalInput);
  const groupsOptions = trpc.data.aggregate.queryOptions({
    object: base.object,
    search: base.search,
    filter: base.filter,
    asUser: base.asUser,
    groupBy: [{ field: groupBy?.field ?? "id" }],
    aggregate: [{ function: "count", alias: "count" }],
    orderBy: [{ field: groupBy?.field ?? "id", direction: groupBy?.direction ?? "asc" }],
    limit: 10_000,
  });
  const queryClient = useQueryClient();
  useState(() => {
    if (!initial) return;
    const key = trpc.data.find.queryKey(initial.input);
    if (hashKey(key) === hashKey(totalOptions.queryKey) && !queryClient.getQueryState(key)) {
      queryClient.setQueryData(key, initial.result, { updatedAt: initial.fetchedAt });
    }
  });
  // A query not asked yet starts while the page is still hydrating, not once it has committed
  // (when useQuery would start it): the first rows arrive sooner. useQuery below takes it over.
  if (typeof window !== "undefined") {
    if (!queryClient.getQueryState(totalOptions.queryKey)) void queryClient.prefetchQuery(totalOptions);
    if (groupBy && !queryClient.getQueryState(groupsOptions.queryKey)) void queryClient.prefetchQuery(groupsOptions);
  }
  const totalQuery = useQuery({ ...totalOptions, placeholderData: keepPreviousData });
  const groupsQuery = useQuery({ ...groupsOptions, enabled: !!groupBy, placeholderData: keepPreviousData });

  const total: number = typeof totalQuery.data?.total === "number" ? totalQuery.data.total : 0;
  const groupRows = groupBy ? groupsQuery.data?.rows : undefined;
  const groupField = groupBy?.field;
  const groups = useMemo<GridGroup[] | null>(() => {
    if (!groupField || !groupRows) return null;
    return groupRows.map((row) => ({ key: row[groupField] ?? null, count: Number(row.count) || 0 }));
  }, [groupField, groupRows]);
  const layout: GridLayout = useMemo(() => (groupField ? groupedLayout(groups ?? []) : flatLayout(total)), [groupField, groups, total]);

  return {
    base,
    counted: nextCounted,
    layout,
    total: groups ? groups.reduce((sum, group) => sum + group.count, 0) : total,
    groups,
    isPending: totalQuery.isPending || (!!groupBy && groupsQuery.isPending),
    isFetching: totalQuery.isFetching || groupsQuery.isFetching,
    error: totalQuery.error ?? groupsQuery.error ?? null,
    refetch: () => Promise.all([totalQuery.refetch(), groupBy ? groupsQuery.refetch() : null]),
  };
}

export type GridLayoutState = ReturnType<typeof useGridLayout>;

/**
 * The records for list positions `first..last`, one `data.find` per block of BLOCK_SIZE. Blocks
 * on screen render from the cache at once; those not cached are fetched once scrolling settles
 * (a fast scroll skips the blocks it passes).
 */
export function useGridBlocks(grid: GridLayoutState, first: number, last: number) {
  const trpc = useTRPC();
  const range = recordRangeOf(grid.layout, first, last);
  const blocks = range ? blocksForRange(range.first, range.last, grid.total) : [];
  const blocksKey = blocks.join(",");
  const [settledKey, setSettledKey] = useState(blocksKey);
  useEffect(() => {
    if (blocksKey === settledKey) return;
    const timer = setTimeout(() => setSettledKey(blocksKey), settledKey === "" ? 0 : FETCH_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [blocksKey, settledKey]);
  const settled = new Set(settledKey.split(",").filter(Boolean).map(Number));

  const blockQueries = useQueries({
    queries: blocks.map((block) => ({
      ...trpc.data.find.queryOptions(gridFindInputs(grid.counted, { ...grid.base, ...blockWindow(block) }).page),
      enabled: settled.has(block),
    })),
  });
  const loaded = new Map<number, DataRecord[]>();
  const loadedAt: string[] = [];
  blocks.forEach((block, index) => {
    const query = blockQueries[index];
    if (!query?.data) return;
    loaded.set(block, asRecords(query.data.records));
    loadedAt.push(`${block}@${query.dataUpdatedAt}`);
  });

  return {
    isFetching: blockQueries.some((block) => block.isFetching),
    error: blockQueries.find((block) => block.error)?.error ?? null,
    /** The record at a position of the sorted result, when its block is loaded. */
    recordAt(index: number): DataRecord | undefined {
      const block = Math.floor(index / BLOCK_SIZE);
      return loaded.get(block)?.[index - block * BLOCK_SIZE];
    },
    /** Changes when the loaded blocks (or their data) change. */
    loadedKey: loadedAt.join(","),
    /** The records loaded for the blocks on screen. */
    loadedRecords(): DataRecord[] {
      return [...loaded.values()].flat();
    },
  };
}
