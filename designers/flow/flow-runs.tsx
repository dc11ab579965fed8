"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bug, RefreshCw, RotateCcw } from "lucide-react";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, Button, EmptyState, Spinner, cn } from "@/components/ui";
import { NativeSelect } from "@/components/ui/input";
import { FLOW_RUN_STATUSES } from "@/spec/flow";

const STATUS_COLORS: Record<string, string> = { queued: "#64748b", running: "#0369a1", waiting: "#b45309", screen: "#0284c7", paused: "#7c3aed", finished: "#047857", failed: "#b91c1c" };
const STATUSES = FLOW_RUN_STATUSES;

function duration(startedAt: string, endedAt: string | null): string {
  if (!endedAt) return "—";
  const ms = new Date(endedAt).getTime() - new Date(startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? "" : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** One run's step log: element, the way out taken, the variables it changed, duration, error. */
function RunSteps({ id }: { id: string }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.flows.runDetail.queryOptions({ id }));
  if (detail.isPending) return <Spinner label="Loading steps" />;
  if (detail.isError) return <Alert>{errorMessage(detail.error)}</Alert>;
  const { run, steps } = detail.data;
  return (
    <div className="space-y-2" data-testid="run-detail">
      <p className="text-sm text-slate-700">
        Run <span className="font-mono text-xs">{run.id}</span> of version {run.version} ({run.trigger}
        {run.recordId ? <> on {run.object} <span className="font-mono text-xs">{run.recordId}</span></> : null}): {run.steps} steps
      </p>
      {run.error && <Alert>{run.failedElement ? `${run.failedElement}: ` : ""}{run.error}</Alert>}
      <table className="w-full text-left text-xs" aria-label="Steps">
        <thead className="text-slate-500">
          <tr><th className="py-1 pr-2">#</th><th className="pr-2">Element</th><th className="pr-2">Took</th><th className="pr-2">Changed</th><th className="pr-2">Duration</th><th>Error</th></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {steps.map((step) => (
            <tr key={step.seq} data-testid="run-step" className="align-top">
              <td className="py-1 pr-2 text-slate-500">{step.seq}</td>
              <td className="pr-2" style={{ paddingLeft: step.depth * 12 }}><span className="font-medium text-slate-800">{step.label}</span> <span className="font-mono text-slate-500">{step.element}</span></td>
              <td className="pr-2 font-mono">{step.handle ?? "end"}</td>
              <td className="max-w-md pr-2 font-mono text-slate-600">
                {Object.entries(step.changed).map(([name, value]) => <div key={name} className="truncate" title={JSON.stringify(value)}>{name} = {short(value)}</div>)}
              </td>
              <td className="pr-2 text-slate-600">{step.durationMs.toFixed(1)} ms</td>
              <td className="text-red-700">{step.error ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The flow's run history (newest first) and, for the chosen run, its step log. */
export function FlowRuns({ flow, onOpenInDebugger }: { flow: string; onOpenInDebugger: (runId: string) => void }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "">("");
  const [open, setOpen] = useState<string | null>(null);
  const runs = useQuery(trpc.flows.runs.queryOptions({ flow, ...(status ? { status } : {}), limit: 100 }));
  const openRun = runs.data?.find((run) => run.id === open);
  const queryClient = useQueryClient();
  const retry = useMutation({
    ...trpc.flows.retryRun.mutationOptions(),
    // The list and the step log, now and once a worker has had time to take the run up.
    onSuccess: () => {
      const refresh = () => {
        void queryClient.invalidateQueries({ queryKey: trpc.flows.runs.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.flows.runDetail.queryKey() });
      };
      refresh();
      setTimeout(refresh, 1500);
    },
  });
  const users = useQuery({ ...trpc.users.list.queryOptions(), staleTime: 60_000 });
  // Runs nobody started by hand: the schedule, or the platform (system context).
  const who = (id: string | null, trigger?: string) => (id ? (users.data?.find((user) => user.id === id)?.email ?? id) : trigger === "scheduled" ? "the schedule" : "—");
  return (
    <div className="space-y-3" data-testid="flow-runs">
      <div className="flex items-center gap-2">
        <NativeSelect aria-label="Status" value={status} className="h-8! w-40 text-sm" onChange={(event) => setStatus(event.target.value as typeof status)}>
          <option value="">Every status</option>
          {STATUSES.map((value) => <option key={value} value={value}>{value}</option>)}
        </NativeSelect>
        <Button size="sm" onClick={() => void runs.refetch()} disabled={runs.isFetching}><RefreshCw className={cn("h-3.5 w-3.5", runs.isFetching && "animate-spin")} aria-hidden /> Refresh</Button>
      </div>
      {runs.isPending ? <Spinner label="Loading runs" /> : runs.isError ? <Alert>{errorMessage(runs.error)}</Alert> : runs.data.length === 0 ? (
        <EmptyState title="No runs yet">Runs appear here when the published flow runs.</EmptyState>
      ) : (
        <table className="w-full text-left text-sm" aria-label="Runs">
          <thead className="text-xs text-slate-500">
            <tr><th className="py-1 pr-3">Started</th><th className="pr-3">Status</th><th className="pr-3">Trigger</th><th className="pr-3">Started by</th><th className="pr-3">Steps</th><th className="pr-3">Duration</th><th>Failed step / error</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {runs.data.map((run) => (
              <tr key={run.id} data-testid="run-row" aria-selected={open === run.id} className={cn("cursor-pointer hover:bg-slate-50", open === run.id && "bg-brand-50")} onClick={() => setOpen(open === run.id ? null : run.id)}>
                <td className="py-1.5 pr-3"><button type="button" className="text-left text-brand-700 hover:underline">{new Date(run.startedAt).toLocaleString()}</button></td>
                <td className="pr-3">
                  <Badge color={STATUS_COLORS[run.status] ?? "#64748b"}>{run.status}</Badge>
                  {run.status === "waiting" && run.waitingFor && (
                    <span className="ml-1 text-xs text-slate-600" data-testid="run-event">for event {run.waitingFor.event}{run.waitingFor.key ? ` (${run.waitingFor.key})` : ""}{run.wakeAt ? `, at most until ${new Date(run.wakeAt).toLocaleString()}` : ""}</span>
                  )}
                  {run.status === "waiting" && !run.waitingFor && run.wakeAt && <span className="ml-1 text-xs text-slate-600" data-testid="run-wake">until {new Date(run.wakeAt).toLocaleString()}</span>}
                </td>
                <td className="pr-3 text-xs">{run.trigger}{run.recordId ? ` (${run.object})` : ""}</td>
                <td className="pr-3 text-xs">{who(run.startedBy, run.trigger)}</td>
                <td className="pr-3">{run.steps}</td>
                <td className="pr-3 text-xs">{duration(run.startedAt, run.endedAt)}</td>
                <td className="text-xs text-red-700">{run.failedElement ? `${run.failedElement}: ` : ""}{run.error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <div className="rounded-lg border border-slate-200 bg-white p-3">
          <div className="mb-2 flex justify-end gap-2">
            {openRun?.status === "failed" && openRun.trigger !== "debug" && (
              <Button size="sm" disabled={retry.isPending} onClick={() => retry.mutate({ id: open })}
                title="Queue the run again at the step that failed, with its variables as they were (after fixing what made it fail)">
                <RotateCcw className="h-3.5 w-3.5" aria-hidden /> Retry from the failed step
              </Button>
            )}
            <Button size="sm" onClick={() => onOpenInDebugger(open)}><Bug className="h-3.5 w-3.5" aria-hidden /> Open in debugger</Button>
          </div>
          {retry.isError && <Alert>{errorMessage(retry.error)}</Alert>}
          {retry.isSuccess && retry.variables?.id === open && (openRun?.status === "queued" || openRun?.status === "running") && <p role="status" className="mb-2 text-sm text-emerald-700">Queued again: a worker takes it up in a moment.</p>}
          <RunSteps id={open} />
        </div>
      )}
    </div>
  );
}
