import { describe, expect, it } from "vitest";
import { blockWindow, blocksForRange, flatLayout, groupedLayout, recordRangeOf } from "./grid-blocks";

describe("block fetching", () => {
  it("covers the rows in view with whole blocks, within the total", () => {
    expect(blocksForRange(0, 30, 100_000, 100)).toEqual([0]);
    expect(blocksForRange(95, 130, 100_000, 100)).toEqual([0, 1]);
    expect(blocksForRange(99_980, 100_020, 100_000, 100)).toEqual([999]);
    expect(blocksForRange(0, 30, 0, 100)).toEqual([]);
    expect(blocksForRange(-5, 10, 50, 100)).toEqual([0]);
    expect(blockWindow(999, 100)).toEqual({ offset: 99_900, limit: 100 });
  });

  it("lays a flat list out as one row per record", () => {
    const layout = flatLayout(250);
    expect(layout.count).toBe(250);
    expect(layout.itemAt(249)).toEqual({ kind: "record", index: 249 });
    expect(recordRangeOf(layout, 240, 260)).toEqual({ first: 240, last: 249 });
  });
});

describe("group header layout", () => {
  const layout = groupedLayout([
    { key: "open", count: 2 },
    { key: "done", count: 0 },
    { key: "closed", count: 3 },
  ]);

  it("puts each group's header before its records", () => {
    expect(layout.count).toBe(3 + 5);
    expect([...Array(layout.count).keys()].map((position) => layout.itemAt(position))).toEqual([
      { kind: "group", group: 0 },
      { kind: "record", index: 0, group: 0 },
      { kind: "record", index: 1, group: 0 },
      { kind: "group", group: 1 },
      { kind: "group", group: 2 },
      { kind: "record", index: 2, group: 2 },
      { kind: "record", index: 3, group: 2 },
      { kind: "record", index: 4, group: 2 },
    ]);
    expect(layout.headerPosition(2)).toBe(4);
  });

  it("maps list positions to the records to fetch, skipping headers", () => {
    expect(recordRangeOf(layout, 3, 6)).toEqual({ first: 2, last: 3 });
    expect(recordRangeOf(layout, 3, 4)).toBeNull();
  });

  it("finds positions in a large grouped list by binary search", () => {
    const big = groupedLayout(Array.from({ length: 1000 }, (_, index) => ({ key: index, count: 100 })));
    expect(big.count).toBe(101_000);
    expect(big.itemAt(101 * 500)).toEqual({ kind: "group", group: 500 });
    expect(big.itemAt(101 * 500 + 1)).toEqual({ kind: "record", index: 50_000, group: 500 });
    expect(big.itemAt(big.count - 1)).toEqual({ kind: "record", index: 99_999, group: 999 });
  });
});
