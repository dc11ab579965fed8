import type { ErrorIssue } from "@/components/trpc";
import { FLOW_START_ID, type FlowDef } from "@/spec/flow";

/**
 * An issue as the designer shows it: `node` is an element id, `start`, `variables` (the
 * variables panel) or null (the flow's own settings); `property` is the rest of the path.
 */
export type PlacedFlowIssue = { node: string | null; property: string; message: string };

/**
 * Places issues (zod, the publish check, the server's refusal: all use the same paths) on what
 * they concern, by the document they were found in (`elements.3` is the fourth element of that
 * document, whatever has been moved since). An edge's issue goes to the edge's source.
 */
export function placeFlowIssues(flow: FlowDef, issues: readonly ErrorIssue[]): PlacedFlowIssue[] {
  return issues.map((issue) => {
    const path = issue.path.map(String);
    const [head, index, ...rest] = path;
    if (head === "elements" && index !== undefined) {
      const element = flow.elements[Number(index)];
      if (element) return { node: element.id, property: rest.join("."), message: issue.message };
    }
    if (head === "edges" && index !== undefined) {
      const edge = flow.edges[Number(index)];
      if (edge) return { node: edge.source === FLOW_START_ID || flow.elements.some((element) => element.id === edge.source) ? edge.source : null, property: path.join("."), message: issue.message };
    }
    if (head === "start") return { node: FLOW_START_ID, property: path.slice(1).join("."), message: issue.message };
    if (head === "variables") return { node: "variables", property: path.slice(1).join("."), message: issue.message };
    return { node: null, property: path.join("."), message: issue.message };
  });
}

/** The messages for one node, optionally for one property (and what is under it). */
export function issuesOn(issues: readonly PlacedFlowIssue[], node: string | null, property?: string): string[] {
  return issues
    .filter((issue) => issue.node === node && (property === undefined || issue.property === property || issue.property.startsWith(`${property}.`)))
    .map((issue) => issue.message);
}

/** "1 problem", "2 problems". */
export function problemCount(count: number): string {
  return `${count} problem${count === 1 ? "" : "s"}`;
}

/**
 * What the list's badge says on hover or focus: the first problem, with where it is (an
 * element's label in the published version) unless the message already names it.
 */
export function firstProblemText(published: FlowDef | null, issues: readonly { path: (string | number)[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return "";
  if (!published) return first.message;
  const where = placedWhere(published, placeFlowIssues(published, [first])[0]!);
  return first.message.includes(where) ? first.message : `${where}: ${first.message}`;
}

/** Where a placed issue is, in words: an element's label, "Start", "Variables" or "Flow". */
export function placedWhere(flow: FlowDef, issue: PlacedFlowIssue): string {
  if (issue.node === null) return "Flow";
  if (issue.node === "variables") return "Variables";
  if (issue.node === FLOW_START_ID) return "Start";
  return flow.elements.find((element) => element.id === issue.node)?.label ?? issue.node;
}
