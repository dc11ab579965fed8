/**
 * Readable differences between two metadata documents of the same kind, for the version history
 * and the conflict dialog: `Field "Stage": label "Stage" → "Phase"`, `Added field "Region"
 * (select)`, `Moved field "Amount" from "Details" to "Money"`.
 *
 * Array elements are matched by identity (`id`, else `name`, `field`, `object`, `value`), so a
 * rename or a move is one change, not a removal plus an addition. What has no special wording
 * falls back to its property path. Secrets (a data source URL's password, keys named like
 * password/secret/token) are never shown. Pure: no React, no I/O.
 */

export type ChangeKind = "added" | "removed" | "changed" | "moved";

export type DocumentChange = {
  kind: ChangeKind;
  /** Where the change is: `Tab "Details" › section "Main"` (empty at the document's top level). */
  where: string;
  /** What changed there: `columns 2 → 3`, `Added field "Region" (select)`. */
  what: string;
  /** The whole line as shown to a person. */
  text: string;
};

/** Nouns for arrays whose elements are named things, by the array's property name. */
const ELEMENT_NOUNS: Record<string, string> = {
  fields: "field",
  tabs: "tab",
  sections: "section",
  items: "field",
  columns: "column",
  navigation: "navigation item",
  validationRules: "validation rule",
  indexes: "index",
  options: "option",
  profiles: "profile",
  permissionSets: "permission set",
  roles: "role",
  groups: "group",
  sharingRules: "sharing rule",
  sort: "sort",
  rowActions: "row action",
  bulkActions: "bulk action",
};

/** Properties that identify an array element, most specific first. */
const IDENTITY_KEYS = ["id", "name", "field", "object", "value", "url", "type"] as const;
const SECRET_KEY = /password|secret|token|apikey|api_key|credential/i;
const ARROW = "→";
const SEPARATOR = " › ";

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How an array element is recognised across versions (`id:f1`, `object:account`), or null. */
export function elementIdentity(element: unknown): string | null {
  if (!isObject(element)) return null;
  for (const key of IDENTITY_KEYS) {
    const value = element[key];
    if (typeof value === "string" || typeof value === "number") return `${key}:${value}`;
  }
  return null;
}

/** Whether every element of every array has an identity, unique within its array (so elements can be matched). */
export function matchableArrays(...arrays: readonly unknown[][]): boolean {
  if (arrays.every((array) => array.length === 0)) return false;
  return arrays.every((array) => {
    const ids = array.map(elementIdentity);
    return ids.every((id) => id !== null) && new Set(ids).size === ids.length;
  });
}

/** "pluralLabel" → "plural label". */
function humanize(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A data source URL with its password (if any) hidden. */
function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/i, "$1•••@").replace(/([?&](?:password|pass|pwd|passwd|sslpassword|sslkey)=)[^&]*/gi, "$1•••");
}

/** A copy of a document with secrets hidden (for the raw JSON view). */
export function redactSecrets<T>(value: T, key = ""): T {
  if (typeof value === "string") {
    if (SECRET_KEY.test(key)) return "•••" as T;
    if (key === "url") return redactUrl(value) as T;
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, key)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, k)])) as T;
  return value;
}

function formatValue(value: Json, key: string): string {
  if (value === undefined || value === null) return "(none)";
  if (typeof value === "string") {
    if (SECRET_KEY.test(key)) return "(hidden)";
    return JSON.stringify(key === "url" ? redactUrl(value) : value);
  }
  if (typeof value === "boolean") return value ? "on" : "off";
  if (typeof value === "number") return String(value);
  const text = JSON.stringify(redactSecrets(value, key));
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** How an element is named for people: its label, else its name/field/object, else its id. */
function displayName(element: JsonObject): string {
  for (const key of ["label", "name", "field", "object", "value", "id", "type"]) {
    const value = element[key];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return "(unnamed)";
}

function elementTitle(noun: string, element: JsonObject): string {
  return `${noun} "${displayName(element)}"`;
}

/** How an element of the array under `key` reads for people: `field "Stage"`. */
export function describeElement(key: string, element: unknown): string {
  const noun = ELEMENT_NOUNS[key] ?? (humanize(key).replace(/s$/, "") || "item");
  return isObject(element) ? elementTitle(noun, element) : noun;
}

/** A property name for people: "pluralLabel" → "plural label". */
export function describeProperty(key: string): string {
  return humanize(key);
}

/** The element's kind in parentheses when it has one (a field's type, a section's kind). */
function typeSuffix(element: JsonObject): string {
  return typeof element.type === "string" ? ` (${element.type})` : "";
}

type Crumb = { title: string; name: string };

/** An element that left one array or joined another, paired afterwards into moves. */
type Pending = { noun: string; identity: string; element: JsonObject; parent: Crumb[]; side: "removed" | "added"; index: number };

class DiffCollector {
  readonly changes: DocumentChange[] = [];
  readonly pending: Pending[] = [];

  push(kind: ChangeKind, crumbs: readonly Crumb[], what: string) {
    const where = crumbs.map((crumb, index) => (index === 0 ? capitalize(crumb.title) : crumb.title)).join(SEPARATOR);
    const shownWhat = where === "" ? capitalize(what) : what;
    this.changes.push({ kind, where, what: shownWhat, text: where === "" ? shownWhat : `${where}: ${shownWhat}` });
  }

  /** Whole-element changes read as sentences: `Added field "Region" (select)`, optionally inside a parent. */
  pushSentence(kind: ChangeKind, parent: readonly Crumb[], sentence: string) {
    const where = parent.map((crumb, index) => (index === 0 ? capitalize(crumb.title) : crumb.title)).join(SEPARATOR);
    this.changes.push({ kind, where, what: sentence, text: where === "" ? sentence : `${where}: ${sentence}` });
  }
}

function diffValue(out: DiffCollector, before: Json, after: Json, crumbs: Crumb[], path: string[]) {
  if (sameJson(before, after)) return;
  const key = path[path.length - 1] ?? "";
  if (isObject(before) && isObject(after)) {
    for (const child of new Set([...Object.keys(before), ...Object.keys(after)])) {
      diffValue(out, before[child], after[child], crumbs, [...path, child]);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (matchableArrays(before, after)) {
      diffElements(out, before as JsonObject[], after as JsonObject[], crumbs, path);
      return;
    }
    if ([...before, ...after].every((value) => !isObject(value) && !Array.isArray(value))) {
      diffScalarList(out, before, after, crumbs, path);
      return;
    }
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index += 1) diffValue(out, before[index], after[index], crumbs, [...path, String(index)]);
    return;
  }
  const label = path.map(humanize).join(SEPARATOR);
  if (before === undefined) out.push("added", crumbs, `${label} set to ${formatValue(after, key)}`);
  else if (after === undefined) out.push("removed", crumbs, `${label} removed (was ${formatValue(before, key)})`);
  else out.push("changed", crumbs, `${label} ${formatValue(before, key)} ${ARROW} ${formatValue(after, key)}`);
}

/** Lists of plain values (group members, index fields): what was added, removed, or reordered. */
function diffScalarList(out: DiffCollector, before: Json[], after: Json[], crumbs: Crumb[], path: string[]) {
  const key = path[path.length - 1] ?? "";
  const label = path.map(humanize).join(SEPARATOR);
  const added = after.filter((value) => !before.some((other) => sameJson(other, value)));
  const removed = before.filter((value) => !after.some((other) => sameJson(other, value)));
  const parts = [
    ...(added.length > 0 ? [`added ${added.map((value) => formatValue(value, key)).join(", ")}`] : []),
    ...(removed.length > 0 ? [`removed ${removed.map((value) => formatValue(value, key)).join(", ")}`] : []),
  ];
  if (parts.length === 0) out.push("moved", crumbs, `${label} reordered`);
  else out.push(added.length > 0 && removed.length > 0 ? "changed" : added.length > 0 ? "added" : "removed", crumbs, `${label}: ${parts.join("; ")}`);
}

/** The positions of the longest common subsequence of `after` within `before` (the elements that kept their order). */
function stableIdentities(before: string[], after: string[]): Set<string> {
  const table: number[][] = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0));
  for (let i = before.length - 1; i >= 0; i -= 1) {
    for (let j = after.length - 1; j >= 0; j -= 1) {
      table[i]![j] = before[i] === after[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    if (before[i] === after[j]) {
      kept.add(before[i]!);
      i += 1;
      j += 1;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i += 1;
    else j += 1;
  }
  return kept;
}

function diffElements(out: DiffCollector, before: JsonObject[], after: JsonObject[], crumbs: Crumb[], path: string[]) {
  const key = path[path.length - 1] ?? "";
  const noun = ELEMENT_NOUNS[key] ?? (humanize(key).replace(/s$/, "") || "item");
  const idOf = (element: JsonObject) => elementIdentity(element)!;
  const beforeIds = before.map(idOf);
  const afterIds = after.map(idOf);
  const beforeById = new Map(before.map((element) => [idOf(element), element]));
  const afterById = new Map(after.map((element) => [idOf(element), element]));
  // Inside a nested property (e.g. `kanban.columns`) the property path says where the list is.
  const listCrumbs = path.length > 1 ? [...crumbs, { title: path.slice(0, -1).map(humanize).join(SEPARATOR), name: "" }] : crumbs;

  before.forEach((element, index) => {
    if (!afterById.has(idOf(element))) out.pending.push({ noun, identity: idOf(element), element, parent: listCrumbs, side: "removed", index });
  });
  after.forEach((element, index) => {
    if (!beforeById.has(idOf(element))) out.pending.push({ noun, identity: idOf(element), element, parent: listCrumbs, side: "added", index });
  });

  const common = (ids: string[], other: Map<string, JsonObject>) => ids.filter((id) => other.has(id));
  const beforeCommon = common(beforeIds, afterById);
  const afterCommon = common(afterIds, beforeById);
  const kept = stableIdentities(beforeCommon, afterCommon);
  for (const id of afterCommon) {
    if (kept.has(id)) continue;
    const element = beforeById.get(id)!;
    const position = afterIds.indexOf(id);
    const previous = position > 0 ? afterById.get(afterIds[position - 1]!) : undefined;
    out.pushSentence("moved", listCrumbs, `Moved ${elementTitle(noun, element)} ${previous ? `after "${displayName(previous)}"` : "to the top"}`);
  }

  for (const id of afterCommon) {
    const was = beforeById.get(id)!;
    const now = afterById.get(id)!;
    if (sameJson(was, now)) continue;
    diffElementBody(out, was, now, noun, listCrumbs);
  }
}

function diffElementBody(out: DiffCollector, was: JsonObject, now: JsonObject, noun: string, parent: Crumb[]) {
  const crumb = { title: elementTitle(noun, was), name: displayName(was) };
  for (const child of new Set([...Object.keys(was), ...Object.keys(now)])) {
    diffValue(out, was[child], now[child], [...parent, crumb], [child]);
  }
}

function parentName(parent: Crumb[]): string {
  const named = [...parent].reverse().find((crumb) => crumb.name !== "");
  return named ? named.name : "(top level)";
}

/** Pairs an element removed in one place and added in another (same noun and identity) into a move. */
function settlePending(out: DiffCollector) {
  const added = out.pending.filter((entry) => entry.side === "added");
  const used = new Set<Pending>();
  for (const removed of out.pending.filter((entry) => entry.side === "removed")) {
    const match = added.find((entry) => !used.has(entry) && entry.noun === removed.noun && entry.identity === removed.identity);
    if (match) {
      used.add(match);
      used.add(removed);
      out.pushSentence("moved", [], `Moved ${elementTitle(removed.noun, removed.element)} from "${parentName(removed.parent)}" to "${parentName(match.parent)}"`);
      diffElementBody(out, removed.element, match.element, removed.noun, match.parent);
    }
  }
  for (const entry of out.pending) {
    if (used.has(entry)) continue;
    if (entry.side === "added") out.pushSentence("added", entry.parent, `Added ${elementTitle(entry.noun, entry.element)}${typeSuffix(entry.element)}`);
    else out.pushSentence("removed", entry.parent, `Removed ${elementTitle(entry.noun, entry.element)}`);
  }
}

/** The readable changes from `before` to `after` (two documents of one kind), in document order. */
export function diffDocuments(before: unknown, after: unknown): DocumentChange[] {
  const out = new DiffCollector();
  if (before === null || before === undefined) {
    if (after !== null && after !== undefined) out.pushSentence("added", [], "Created");
    return out.changes;
  }
  diffValue(out, before, after, [], []);
  settlePending(out);
  return out.changes;
}

export type RawChange = { path: string; before: unknown; after: unknown };

/** The leaf JSON paths where two documents differ (arrays by index), secrets hidden: the "raw" view. */
export function rawChanges(before: unknown, after: unknown, max = 300): RawChange[] {
  const changes: RawChange[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (changes.length >= max || sameJson(a, b)) return;
    const container = (value: unknown) => typeof value === "object" && value !== null;
    if (container(a) && container(b) && Array.isArray(a) === Array.isArray(b)) {
      const left = a as Record<string, unknown>;
      const right = b as Record<string, unknown>;
      for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
        walk(left[key], right[key], Array.isArray(a) ? `${at}[${key}]` : at ? `${at}.${key}` : key);
      }
      return;
    }
    changes.push({ path: at || "(document)", before: a ?? null, after: b ?? null });
  };
  walk(redactSecrets(before), redactSecrets(after), "");
  return changes;
}
