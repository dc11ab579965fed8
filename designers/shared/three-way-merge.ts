import { describeElement, describeProperty, elementIdentity, matchableArrays } from "./version-diff";

/**
 * Three-way merge of metadata documents: `base` is what the editor loaded, `mine` the local
 * edits, `theirs` what someone else saved meanwhile. Objects merge property by property, arrays
 * of identifiable elements (fields, tabs, sections, items…) element by element (matched as in
 * the readable diff), so two people editing different fields merge cleanly. Anything both sides
 * changed differently is a conflict, reported as a readable path (`field "Stage" › label`); the
 * merge is then not offered.
 */

export type MergeResult<T> = { merged: T; conflicts: string[] };

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function same(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function pathText(path: string[]): string {
  return path.length === 0 ? "the whole document" : path.join(" › ");
}

function mergeValue(base: Json, mine: Json, theirs: Json, path: string[], conflicts: string[], rawKey = ""): Json {
  if (same(mine, theirs)) return mine;
  if (same(base, mine)) return theirs;
  if (same(base, theirs)) return mine;
  if (isObject(mine) && isObject(theirs) && (isObject(base) || base === undefined)) {
    const origin = (base ?? {}) as JsonObject;
    const result: JsonObject = {};
    // Keep mine's key order, then keys only theirs has.
    for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs), ...Object.keys(origin)])) {
      const value = mergeValue(origin[key], mine[key], theirs[key], [...path, describeProperty(key)], conflicts, key);
      if (value !== undefined) result[key] = value;
    }
    return result;
  }
  if (Array.isArray(mine) && Array.isArray(theirs) && (Array.isArray(base) || base === undefined)) {
    const origin = (base ?? []) as Json[];
    if (matchableArrays(origin, mine, theirs)) return mergeElements(origin, mine, theirs, path, conflicts, rawKey);
  }
  conflicts.push(pathText(path));
  return mine;
}

/** The order of the merged elements: whichever side reordered wins; the other's additions follow their predecessor. */
function mergeOrder(base: string[], mine: string[], theirs: string[], keep: Set<string>, path: string[], conflicts: string[]): string[] {
  const relative = (ids: string[], among: Set<string>) => ids.filter((id) => among.has(id));
  const shared = new Set(base.filter((id) => mine.includes(id) && theirs.includes(id)));
  const baseOrder = relative(base, shared);
  const mineReordered = !same(relative(mine, shared), baseOrder);
  const theirsReordered = !same(relative(theirs, shared), baseOrder);
  if (mineReordered && theirsReordered && !same(relative(mine, shared), relative(theirs, shared))) {
    conflicts.push(`${pathText(path)} (order)`);
  }
  const [skeleton, other] = theirsReordered && !mineReordered ? [theirs, mine] : [mine, theirs];
  const order = skeleton.filter((id) => keep.has(id));
  other.forEach((id, index) => {
    if (!keep.has(id) || order.includes(id)) return;
    const previous = other.slice(0, index).reverse().find((candidate) => order.includes(candidate));
    order.splice(previous === undefined ? 0 : order.indexOf(previous) + 1, 0, id);
  });
  return order;
}

function mergeElements(base: Json[], mine: Json[], theirs: Json[], path: string[], conflicts: string[], listKey: string): Json[] {
  const index = (elements: Json[]) => new Map(elements.map((element) => [elementIdentity(element)!, element]));
  const [baseById, mineById, theirsById] = [index(base), index(mine), index(theirs)];
  const merged = new Map<string, Json>();
  for (const id of new Set([...mineById.keys(), ...theirsById.keys(), ...baseById.keys()])) {
    const inBase = baseById.get(id);
    const inMine = mineById.get(id);
    const inTheirs = theirsById.get(id);
    // The list's own name was the last segment: the element replaces it (`field "Stage"`, not `fields › field "Stage"`).
    const at = [...path.slice(0, -1), describeElement(listKey, inBase ?? inMine ?? inTheirs)];
    if (inMine === undefined && inTheirs === undefined) continue; // removed by both (or never there)
    if (inBase !== undefined && (inMine === undefined || inTheirs === undefined)) {
      // Removed on one side: fine unless the other side changed it.
      const kept = inMine ?? inTheirs;
      if (!same(kept, inBase)) {
        conflicts.push(`${pathText(at)} (removed on one side, changed on the other)`);
        merged.set(id, kept);
      }
      continue;
    }
    merged.set(id, inMine === undefined ? inTheirs : inTheirs === undefined ? inMine : mergeValue(inBase, inMine, inTheirs, at, conflicts));
  }
  const order = mergeOrder([...baseById.keys()], [...mineById.keys()], [...theirsById.keys()], new Set(merged.keys()), path, conflicts);
  return order.map((id) => merged.get(id));
}

/** Merges `mine` and `theirs` (both derived from `base`). `conflicts` is empty when the merge is clean. */
export function threeWayMerge<T>(base: T, mine: T, theirs: T): MergeResult<T> {
  const conflicts: string[] = [];
  const merged = mergeValue(base, mine, theirs, [], conflicts) as T;
  return { merged, conflicts };
}
