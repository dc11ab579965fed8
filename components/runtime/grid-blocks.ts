/**
 * The virtual grid's list layout: records are fetched in blocks of BLOCK_SIZE (one `data.find`
 * per block, offset/limit), and with grouping a header row precedes each group's records. Both
 * are pure index arithmetic so the grid can map any scroll position to what it must show and
 * fetch without holding 100,000 rows.
 */

export const BLOCK_SIZE = 100;
export const ROW_HEIGHT = 36;

/** Block numbers covering record indexes `first..last` (inclusive), within `total` records. */
export function blocksForRange(first: number, last: number, total: number, blockSize = BLOCK_SIZE): number[] {
  if (total <= 0 || last < first) return [];
  const from = Math.max(0, Math.floor(Math.max(0, first) / blockSize));
  const to = Math.floor(Math.min(total - 1, last) / blockSize);
  const blocks: number[] = [];
  for (let block = from; block <= to; block++) blocks.push(block);
  return blocks;
}

/** The offset/limit of a block. */
export function blockWindow(block: number, blockSize = BLOCK_SIZE): { offset: number; limit: number } {
  return { offset: block * blockSize, limit: blockSize };
}

/** A group as the grid lays it out: its key (the group field's value) and how many records it holds. */
export type GridGroup = { key: unknown; count: number };

/** One row of the virtual list: a group header, or the record at a position of the sorted result. */
export type GridItem = { kind: "group"; group: number } | { kind: "record"; index: number; group?: number };

export type GridLayout = {
  /** Rows in the virtual list (headers included). */
  count: number;
  itemAt(position: number): GridItem;
  /** Where group `group`'s header sits in the list. */
  headerPosition(group: number): number;
};

/** A flat list: row i is record i. */
export function flatLayout(total: number): GridLayout {
  return {
    count: Math.max(0, total),
    itemAt: (position) => ({ kind: "record", index: position }),
    headerPosition: () => -1,
  };
}

/**
 * A grouped list: each group's header, then its records (the records are sorted by the group
 * field first, in the order of `groups`, so group g's records are the `count` records after
 * those of the groups before it).
 */
export function groupedLayout(groups: GridGroup[]): GridLayout {
  // headerAt[g]: the list position of group g's header; recordsBefore[g]: records in groups < g.
  const headerAt: number[] = [];
  const recordsBefore: number[] = [];
  let position = 0;
  let records = 0;
  for (const group of groups) {
    headerAt.push(position);
    recordsBefore.push(records);
    position += 1 + group.count;
    records += group.count;
  }
  return {
    count: position,
    headerPosition: (group) => headerAt[group] ?? -1,
    itemAt(target) {
      // The last group whose header is at or before `target` (binary search).
      let low = 0;
      let high = headerAt.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (headerAt[middle]! <= target) low = middle;
        else high = middle - 1;
      }
      const offset = target - headerAt[low]!;
      if (offset === 0) return { kind: "group", group: low };
      return { kind: "record", index: recordsBefore[low]! + offset - 1, group: low };
    },
  };
}

/** The record indexes shown by list positions `first..last` (inclusive), or null when none. */
export function recordRangeOf(layout: GridLayout, first: number, last: number): { first: number; last: number } | null {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let position = Math.max(0, first); position <= Math.min(layout.count - 1, last); position++) {
    const item = layout.itemAt(position);
    if (item.kind !== "record") continue;
    low = Math.min(low, item.index);
    high = Math.max(high, item.index);
  }
  return low <= high ? { first: low, last: high } : null;
}
