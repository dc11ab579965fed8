"use client";
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { useTRPC } from "@/components/trpc";
import { Alert } from "@/components/ui";
import { FLOW_START_ID, type FlowDef } from "@/spec/flow";
import { placeFlowIssues, placedWhere, problemCount } from "./flow-issues";

/**
 * Published flows that no longer pass their publish check (an object, field or subflow they use
 * was removed or changed since). One query, shared by the sidebar, the flow list and the
 * designer (the same query key, so React Query fetches it once per screen).
 */
export function useFlowProblems() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.flows.problems.queryOptions(), staleTime: 5_000 });
}

/** The list row's warning: "Broken: 2 problems", the first problem shown while the row is hovered or focused. */
export function FlowProblemBadge({ id, count, first }: { id: string; count: number; first: string }) {
  return (
    <span className="relative inline-flex">
      <span className="inline-flex items-center gap-1 rounded-full border border-red-200 bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700" title={first} data-testid="flow-broken">
        <AlertTriangle className="h-3.5 w-3.5" aria-hidden /> Broken: {problemCount(count)}
      </span>
      <span id={id} role="tooltip"
        className="pointer-events-none absolute right-0 top-full z-10 mt-1 hidden w-80 rounded-md bg-slate-900 px-2.5 py-1.5 text-xs text-white shadow-lg group-hover:block group-focus-visible:block">
        {first}
      </span>
    </span>
  );
}

/**
 * Above the canvas: the published version fails its publish check against today's metadata, so
 * its runs will fail. Each problem names the element (a button that selects it, when the draft
 * still has it) and what is wrong. The draft's own issues are shown as before, separately.
 */
export function PublishedProblemsBanner({ published, version, issues, draft, onSelect, className }: {
  published: FlowDef;
  version: number | null;
  issues: readonly { path: (string | number)[]; message: string }[];
  draft: FlowDef;
  onSelect: (node: string) => void;
  className?: string;
}) {
  const placed = placeFlowIssues(published, issues);
  const inDraft = (node: string | null) => node !== null && (node === FLOW_START_ID || draft.elements.some((element) => element.id === node));
  return (
    <Alert tone="warning" className={className}>
      <div data-testid="published-problems">
        <p className="font-medium">
          The published version{version !== null ? ` (v${version})` : ""} is broken: {problemCount(placed.length)} against today&apos;s objects and flows. It may fail, or not start, until a fixed version is published.
        </p>
        <ul className="mt-1 max-h-32 list-disc space-y-0.5 overflow-y-auto pl-5">
          {placed.map((issue, index) => (
            <li key={index}>
              {inDraft(issue.node) ? (
                <button type="button" className="font-medium underline decoration-dotted hover:decoration-solid" onClick={() => onSelect(issue.node!)}>
                  {placedWhere(published, issue)}
                </button>
              ) : <span className="font-medium">{placedWhere(published, issue)}</span>}
              : {issue.message}
            </li>
          ))}
        </ul>
      </div>
    </Alert>
  );
}
