import { isRelativeDateValue, RELATIVE_N_DAYS_PATTERN, type Condition, type Filter, type FilterOperator, type ScalarValue } from "@/spec/query";
import type { FieldDef } from "@/spec/object";
import { allOperatorsFor, filterValueKind, operatorArity } from "./filter-operators";

/**
 * The editor model of the visual filter builder: a tree of groups (and / or, optionally negated)
 * and conditions, each with a stable id for React keys and focus. It converts to and from
 * spec/query.ts's Filter; conditions still being filled in (no field, a missing value) stay in
 * the model but are left out of the filter.
 */

export type FilterValue = ScalarValue | ScalarValue[] | undefined;

export type ConditionNode = {
  kind: "condition";
  id: string;
  field: string;
  operator: FilterOperator;
  value: FilterValue;
  negated: boolean;
};

export type GroupNode = {
  kind: "group";
  id: string;
  combinator: "and" | "or";
  negated: boolean;
  children: FilterNode[];
};

export type FilterNode = ConditionNode | GroupNode;

let nextId = 0;
export function newNodeId(): string {
  nextId += 1;
  return `fn${nextId}`;
}

export function emptyGroup(combinator: "and" | "or" = "and"): GroupNode {
  return { kind: "group", id: newNodeId(), combinator, negated: false, children: [] };
}

function toNode(filter: Filter, negated: boolean): FilterNode {
  if ("and" in filter || "or" in filter) {
    const combinator = "and" in filter ? "and" : "or";
    const parts = "and" in filter ? filter.and : (filter as { or: Filter[] }).or;
    return { kind: "group", id: newNodeId(), combinator, negated, children: parts.map((part) => toNode(part, false)) };
  }
  if ("not" in filter) {
    // not(not(x)) stays two negations: a negated group around the negated inner node.
    if (negated) return { kind: "group", id: newNodeId(), combinator: "and", negated: true, children: [toNode(filter.not, true)] };
    return toNode(filter.not, true);
  }
  return { kind: "condition", id: newNodeId(), field: filter.field, operator: filter.operator, value: filter.value, negated };
}

/** The editor tree of a filter: always a root group (an `and` group for a single condition or none). */
export function filterToModel(filter: Filter | undefined): GroupNode {
  if (!filter) return emptyGroup();
  const node = toNode(filter, false);
  if (node.kind === "group") return node;
  return { kind: "group", id: newNodeId(), combinator: "and", negated: false, children: [node] };
}

/** Whether a condition has everything its operator needs (an incomplete one is not applied). */
export function conditionComplete(node: ConditionNode): boolean {
  if (node.field === "") return false;
  const value = node.value;
  const filled = (item: ScalarValue | undefined) => item !== undefined && item !== null && item !== "";
  switch (operatorArity(node.operator)) {
    case "none": return true;
    case "one": return !Array.isArray(value) && (filled(value) || typeof value === "boolean");
    case "many": return Array.isArray(value) && value.length > 0 && value.every(filled);
    case "pair": return Array.isArray(value) && value.length === 2 && value.every(filled);
  }
}

type Built = { filter: Filter; place: (path: string[], paths: Map<string, string>) => void };

/** The filter of a node, and how to record where each condition ends up in it (for issue paths). */
function build(node: FilterNode): Built | undefined {
  let inner: Built;
  if (node.kind === "condition") {
    if (!conditionComplete(node)) return undefined;
    const condition: Condition = { field: node.field, operator: node.operator };
    if (operatorArity(node.operator) !== "none") condition.value = node.value;
    inner = { filter: condition, place: (path, paths) => paths.set(path.join("."), node.id) };
  } else {
    const parts = node.children.map(build).filter((part): part is Built => part !== undefined);
    if (parts.length === 0) return undefined;
    // A group of one part is just that part (negated when the group is).
    if (parts.length === 1) inner = parts[0]!;
    else {
      const key = node.combinator;
      inner = {
        filter: key === "and" ? { and: parts.map((part) => part.filter) } : { or: parts.map((part) => part.filter) },
        place: (path, paths) => parts.forEach((part, index) => part.place([...path, key, String(index)], paths)),
      };
    }
  }
  if (!node.negated) return inner;
  return { filter: { not: inner.filter }, place: (path, paths) => inner.place([...path, "not"], paths) };
}

/**
 * The ObjectQL filter of the editor tree (spec/query.ts's shape), or undefined when nothing is
 * complete. A root group with one condition becomes that condition.
 */
export function modelToFilter(root: GroupNode): Filter | undefined {
  return build(root)?.filter;
}

/** Where each complete condition sits in `modelToFilter(root)`: dotted path ("or.1", "" for the root) to node id. */
export function conditionPaths(root: GroupNode): Map<string, string> {
  const paths = new Map<string, string>();
  build(root)?.place([], paths);
  return paths;
}

/**
 * Attaches issues about the filter (keyed by dotted path inside it, e.g. "or.1.operator") to the
 * conditions they name; the rest stay general.
 */
export function issuesByCondition(root: GroupNode, issues: Record<string, string>): { byNode: Record<string, string[]>; general: string[] } {
  const paths = conditionPaths(root);
  const byNode: Record<string, string[]> = {};
  const general: string[] = [];
  for (const [key, message] of Object.entries(issues)) {
    const parts = key === "" ? [] : key.split(".");
    let id: string | undefined;
    for (let length = parts.length; length >= 0 && id === undefined; length--) id = paths.get(parts.slice(0, length).join("."));
    const last = parts[parts.length - 1];
    const what = last === "field" || last === "operator" || last === "value" ? `${last}: ` : "";
    if (id !== undefined) (byNode[id] ??= []).push(`${what}${message}`);
    else general.push(key ? `${key}: ${message}` : message);
  }
  return { byNode, general };
}

/** Conditions that are in the tree but not applied yet. */
export function incompleteConditions(root: GroupNode): ConditionNode[] {
  const out: ConditionNode[] = [];
  const walk = (node: FilterNode) => {
    if (node.kind === "condition") {
      if (!conditionComplete(node)) out.push(node);
    } else node.children.forEach(walk);
  };
  walk(root);
  return out;
}

// --- edits (immutable) ---------------------------------------------------------------------

export function updateNode(root: GroupNode, id: string, change: (node: FilterNode) => FilterNode): GroupNode {
  const visit = (node: FilterNode): FilterNode => {
    if (node.id === id) return change(node);
    if (node.kind === "group") {
      const children = node.children.map(visit);
      return children.every((child, i) => child === node.children[i]) ? node : { ...node, children };
    }
    return node;
  };
  return visit(root) as GroupNode;
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  const visit = (group: GroupNode): GroupNode => {
    const children = group.children.filter((child) => child.id !== id).map((child) => (child.kind === "group" ? visit(child) : child));
    return { ...group, children };
  };
  return visit(root);
}

export function appendChild(root: GroupNode, groupId: string, child: FilterNode): GroupNode {
  return updateNode(root, groupId, (node) => (node.kind === "group" ? { ...node, children: [...node.children, child] } : node));
}

// --- values -----------------------------------------------------------------------------------

/** A new condition on `field` with its first operator and an empty value. */
export function newCondition(field: FieldDef | undefined): ConditionNode {
  const operator = field ? allOperatorsFor(field)[0]! : "=";
  const node: ConditionNode = { kind: "condition", id: newNodeId(), field: field?.name ?? "", operator, value: undefined, negated: false };
  return field ? { ...node, value: valueForOperator(field, operator, undefined) } : node;
}

/**
 * The value to keep when the operator changes: a single value becomes the first of a list or a
 * pair and back, so switching `=` to `in` keeps what was typed.
 */
export function valueForOperator(field: FieldDef, operator: FilterOperator, previous: FilterValue): FilterValue {
  const first = Array.isArray(previous) ? previous[0] : previous;
  const kind = filterValueKind(field);
  switch (operatorArity(operator)) {
    case "none": return undefined;
    case "one":
      if (kind === "boolean") return typeof first === "boolean" ? first : true;
      return first === null ? undefined : first;
    case "many":
      if (Array.isArray(previous)) return previous.filter((item) => item !== null && item !== "" && !isRelativeDateValue(item));
      return first === undefined || first === null || first === "" || isRelativeDateValue(first) ? [] : [first];
    case "pair":
      if (Array.isArray(previous) && previous.length === 2) return previous;
      return [first ?? null, null];
  }
}

export type RelativeDateChoice = { value: string; label: string };

function titleCase(keyword: string): string {
  const text = keyword.toLowerCase().replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Last 7 days", "This quarter", …: how a relative date value reads. */
export function relativeDateLabel(value: string): string {
  const days = RELATIVE_N_DAYS_PATTERN.exec(value);
  if (days) return `${days[1] === "LAST" ? "Last" : "Next"} ${days[2]} day${days[2] === "1" ? "" : "s"}`;
  return titleCase(value);
}

/** A relative-days value (`LAST_N_DAYS:n`) split into its direction and count; null for others. */
export function parseRelativeDays(value: unknown): { direction: "LAST" | "NEXT"; days: number } | null {
  if (typeof value !== "string") return null;
  const match = RELATIVE_N_DAYS_PATTERN.exec(value);
  return match ? { direction: match[1] as "LAST" | "NEXT", days: Number(match[2]) } : null;
}
