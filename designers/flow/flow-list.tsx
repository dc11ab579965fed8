"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import { Mail, Plus, Workflow } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Button, Dialog, EmptyState, FormField, Input, Spinner } from "@/components/ui";
import { NativeSelect } from "@/components/ui/input";
import { toApiName } from "@/designers/shared/api-name";
import { DocumentStatus } from "@/designers/shared/document-status";
import { useCreateDocument, validateCommon, type Errors } from "@/designers/shared/new-document-dialogs";
import { PageHeader } from "@/designers/shared/page-header";
import { RECORD_TRIGGER_EVENTS, type FlowDef, type FlowInput } from "@/spec/flow";
import { cronProblem } from "@/spec/cron";
import { startSummary } from "./flow-elements";
import { firstProblemText } from "./flow-issues";
import { FlowProblemBadge, useFlowProblems } from "./flow-problems";

const EVENT_LABELS = { create: "A record is created", update: "A record is updated", create_or_update: "A record is created or updated", delete: "A record is deleted" } as const;

/** "New flow": label, API name, and how it starts (a record save: object, when, on; or autolaunched). */
function NewFlowDialog({ open, onOpenChange, objects }: { open: boolean; onOpenChange: (open: boolean) => void; objects: { name: string; label: string }[] }) {
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [startType, setStartType] = useState<"record" | "scheduled" | "autolaunched" | "screen">("record");
  const [cron, setCron] = useState("0 8 * * 1-5");
  const [object, setObject] = useState("");
  const [when, setWhen] = useState<"after_save" | "before_save">("after_save");
  const [on, setOn] = useState<(typeof RECORD_TRIGGER_EVENTS)[number]>("create");
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const create = useCreateDocument((created) => `/studio/flows/${created}`, onOpenChange, setServerError, setErrors);

  function reset() {
    setLabel(""); setName(""); setNameTouched(false); setStartType("record"); setObject(""); setWhen("after_save"); setOn("create"); setCron("0 8 * * 1-5");
    setErrors({}); setServerError(null); create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateCommon(label, name);
    if (startType === "record" && !object) local.object = "is required";
    const cronIssue = startType === "scheduled" ? cronProblem(cron) : null;
    if (cronIssue) local.cron = cronIssue;
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0) return;
    const body: FlowInput = {
      name,
      label: label.trim(),
      start: startType === "record"
        ? { type: "record", object, when, on, position: { x: 0, y: 0 } }
        : startType === "scheduled"
          ? { type: "scheduled", cron: cron.trim(), timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", position: { x: 0, y: 0 } }
          : { type: "autolaunched", position: { x: 0, y: 0 } },
    };
    create.mutate({ kind: "flow", body });
  }

  return (
    <Dialog open={open} title="New flow" description="Automation: runs when a record is saved, on a schedule, when an API call or another flow starts it, or as screens a user goes through in an app."
      onOpenChange={(next) => { if (!next) reset(); onOpenChange(next); }}>
      <form onSubmit={submit} className="space-y-3" noValidate>
        {serverError && <Alert>{serverError}</Alert>}
        <FormField label="Label" htmlFor="new-flow-label" required error={errors.label}>
          <Input id="new-flow-label" value={label} placeholder="Follow up won deals" aria-invalid={!!errors.label}
            onChange={(event) => { setLabel(event.target.value); if (!nameTouched) setName(toApiName(event.target.value)); }} />
        </FormField>
        <FormField label="API name" htmlFor="new-flow-name" required error={errors.name} help="Lowercase letters, digits and underscores; cannot be changed later.">
          <Input id="new-flow-name" value={name} className="font-mono" aria-invalid={!!errors.name} onChange={(event) => { setName(event.target.value); setNameTouched(true); }} />
        </FormField>
        <FormField label="Starts" htmlFor="new-flow-start">
          <NativeSelect id="new-flow-start" value={startType} onChange={(event) => setStartType(event.target.value as typeof startType)}>
            <option value="record">When a record is saved (record-triggered)</option>
            <option value="scheduled">On a schedule</option>
            <option value="autolaunched">Autolaunched (API, another flow)</option>
            <option value="screen">Screen (a user runs it in an app)</option>
          </NativeSelect>
        </FormField>
        {startType === "scheduled" && (
          <FormField label="Schedule (cron)" htmlFor="new-flow-cron" required error={errors.cron}
            help="minute hour day-of-month month day-of-week, in your time zone: 0 8 * * 1-5 is 8:00 on weekdays">
            <Input id="new-flow-cron" value={cron} className="font-mono" aria-invalid={!!errors.cron} onChange={(event) => setCron(event.target.value)} />
          </FormField>
        )}
        {startType === "screen" && (
          <FormField label="On a record of" htmlFor="new-flow-screen-object" help="With an object, the flow is a button on its record pages; without, a tab you add to an app's navigation.">
            <NativeSelect id="new-flow-screen-object" value={object} onChange={(event) => setObject(event.target.value)}>
              <option value="">No record (a navigation tab)</option>
              {objects.map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label}</option>)}
            </NativeSelect>
          </FormField>
        )}
        {startType === "record" && (
          <>
            <FormField label="Object" htmlFor="new-flow-object" required error={errors.object}>
              <NativeSelect id="new-flow-object" value={object} onChange={(event) => setObject(event.target.value)} aria-invalid={!!errors.object}>
                <option value="">Choose an object</option>
                {objects.map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label}</option>)}
              </NativeSelect>
            </FormField>
            <FormField label="When" htmlFor="new-flow-when">
              <NativeSelect id="new-flow-when" value={when} onChange={(event) => setWhen(event.target.value as typeof when)}>
                <option value="after_save">After save (after the save commits)</option>
                <option value="before_save">Before save (may change the record, or refuse the save)</option>
              </NativeSelect>
            </FormField>
            <FormField label="On" htmlFor="new-flow-on">
              <NativeSelect id="new-flow-on" value={on} onChange={(event) => setOn(event.target.value as typeof on)}>
                {RECORD_TRIGGER_EVENTS.map((event) => <option key={event} value={event}>{EVENT_LABELS[event]}</option>)}
              </NativeSelect>
            </FormField>
          </>
        )}
        <div className="flex justify-end gap-2 pt-3">
          <Button onClick={() => { reset(); onOpenChange(false); }}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create flow"}</Button>
        </div>
      </form>
    </Dialog>
  );
}

/** /studio/flows: every flow with its status, how it starts, and "New flow". */
export function FlowList() {
  const trpc = useTRPC();
  const [creating, setCreating] = useState(false);
  const flows = useQuery(trpc.metadata.list.queryOptions({ kind: "flow" }));
  const objects = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  // The list has names and labels; how each flow starts comes from its document.
  const details = useQueries({
    queries: (flows.data ?? []).map((summary) => ({ ...trpc.metadata.get.queryOptions({ kind: "flow", name: summary.name }), staleTime: 30_000 })),
  });
  const problems = useFlowProblems();
  const broken = new Map((problems.data ?? []).map((problem) => [problem.flow, problem.issues]));
  const publishedObjects = (objects.data ?? []).filter((summary) => summary.publishedVersion !== null).map((summary) => ({ name: summary.name, label: summary.label }));
  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / Flows</>}
        title="Flows"
        meta={<span>Automation that runs when records are saved, or when an API call or another flow starts it.</span>}
        actions={<>
          <Link href="/studio/outbox" className="inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"><Mail className="h-4 w-4" aria-hidden /> Outbox</Link>
          <Button variant="primary" onClick={() => setCreating(true)}><Plus className="h-4 w-4" aria-hidden /> New flow</Button>
        </>}
      />
      <div className="px-6 py-4">
        {flows.isPending ? <Spinner label="Loading flows" /> : flows.isError ? <Alert>{errorMessage(flows.error)}</Alert> : flows.data.length === 0 ? (
          <EmptyState title="No flows yet">Use “New flow” to automate what happens when records are saved.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Flows">
            {flows.data.map((summary, index) => {
              const detail = details[index]?.data;
              const body = detail ? ((detail.draft ?? detail.published) as FlowDef | null) : null;
              const issues = broken.get(summary.name);
              const tip = `flow-problem-${summary.name}`;
              return (
                <li key={summary.name}>
                  <Link href={`/studio/flows/${summary.name}`} aria-describedby={issues ? tip : undefined}
                    className="group flex items-center gap-3 px-4 py-2.5 hover:bg-slate-50 focus:outline-none focus-visible:bg-slate-50 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500">
                    <Workflow className="h-4 w-4 text-slate-400" aria-hidden />
                    <span className="font-medium text-slate-900">{summary.label}</span>
                    <span className="font-mono text-xs text-slate-500">{summary.name}</span>
                    <span className="ml-auto text-xs text-slate-500" data-testid="flow-start">{body ? startSummary(body.start) : ""}</span>
                    {issues && <FlowProblemBadge id={tip} count={issues.length} first={firstProblemText((detail?.published as FlowDef | null | undefined) ?? null, issues)} />}
                    {body?.runAs === "system" && <span className="text-xs font-medium text-amber-700">System context</span>}
                    <DocumentStatus publishedVersion={summary.publishedVersion} hasDraft={summary.hasDraft} />
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <NewFlowDialog open={creating} onOpenChange={setCreating} objects={publishedObjects} />
    </>
  );
}
