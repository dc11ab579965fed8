"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, CircleCheck } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ObjectDef } from "@/spec";
import type { FormDef } from "@/spec/form";
import { Button } from "@/components/ui/button";
import { Alert, Spinner } from "@/components/ui/feedback";
import { errorMessage, useTRPC } from "@/components/trpc";
import { LaidOutForm } from "./form-renderer";
import type { DataRecord } from "./types";
import type { ScreenView } from "@/server/automation/screens/flow-screens";

/**
 * A screen flow as its user goes through it: each screen's text and fields (drawn by the apps'
 * form renderer, so a picklist, a lookup or a date looks and checks as on a record form), Back
 * and Next. The run lives on the server; its id is in the page's URL, so a reload (or another
 * tab) shows the screen the run is at.
 */

/** The screen's fields as an object and a one-column form the form renderer draws. */
function screenForm(view: ScreenView, screen: NonNullable<ScreenView["screen"]>): { object: ObjectDef; form: FormDef } {
  const object = {
    name: `${view.flow.name}_screen`,
    label: screen.label,
    pluralLabel: screen.label,
    fields: screen.fields.map((entry) => entry.field),
    indexes: [],
  } as unknown as ObjectDef;
  const form: FormDef = {
    name: `${view.flow.name}_${screen.element}`,
    label: screen.label,
    object: object.name,
    isDefault: false,
    profiles: [],
    tabs: [{
      id: "screen", label: screen.label,
      sections: [{
        id: "fields", type: "fields", columns: 1, collapsible: false, collapsed: false,
        items: screen.fields.map((entry, index) => ({
          id: `item_${index}`, type: "field", field: entry.field.name, span: 1, required: entry.required, readOnly: false, widget: "default",
          ...(entry.help ? { helpText: entry.help } : {}),
        })),
      }],
    }],
  } as FormDef;
  return { object, form };
}

export function ScreenFlowRunner({
  flowName,
  recordId,
  runId: givenRunId,
  onStarted,
  doneHref,
  doneLabel,
}: {
  flowName: string;
  /** A flow that runs on a record: the record the user started it from. */
  recordId?: string;
  /** A run already started (from the URL): it is shown where it is. */
  runId?: string;
  /** A new run has started (the page puts its id in the URL). */
  onStarted?: (runId: string) => void;
  /** Where "Done" leads when the flow has ended. */
  doneHref: string;
  doneLabel: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [view, setView] = useState<ScreenView | null>(null);
  // Each screen shown gets a fresh form (its own values and errors), even when the same screen comes again.
  const [shown, setShown] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const start = useMutation(trpc.flows.screenStart.mutationOptions());
  const submit = useMutation(trpc.flows.screenSubmit.mutationOptions());
  const existing = useQuery({ ...trpc.flows.screenRun.queryOptions({ runId: givenRunId ?? "" }), enabled: !!givenRunId && view === null, retry: false });

  const show = (next: ScreenView) => {
    setView(next);
    setShown((count) => count + 1);
    setProblem(null);
    // What the flow wrote shows everywhere else in the app.
    if (next.status !== "screen" || next.screen?.element !== current?.screen?.element) void queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
  };

  const startedOnce = useRef(false);
  useEffect(() => {
    if (givenRunId || startedOnce.current) return;
    startedOnce.current = true;
    start.mutate({ flow: flowName, ...(recordId ? { recordId } : {}) }, {
      onSuccess: (started) => {
        show(started);
        onStarted?.(started.runId);
      },
      onError: (error) => setProblem(errorMessage(error)),
    });
    // Started once per mount: a new run for each visit without a run id.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // A run from the URL shows where it is until the user moves it on.
  const current = view ?? existing.data ?? null;
  const screen = current?.screen;
  const laidOut = useMemo(() => (current && screen ? screenForm(current, screen) : null), [current, screen]);

  if (problem && !current) return <Alert>{problem}</Alert>;
  if (existing.error && !current) return <Alert>{errorMessage(existing.error)}</Alert>;
  if (!current) return <Spinner label="Starting the flow" />;

  if (current.status === "finished") {
    return (
      <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-6" role="status" data-testid="screen-flow-finished">
        <p className="flex items-center gap-2 font-medium text-emerald-900">
          <CircleCheck className="h-5 w-5" aria-hidden /> {current.flow.label}: done
        </p>
        <Link href={doneHref} className="mt-4 inline-flex h-9 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
          {doneLabel}
        </Link>
      </div>
    );
  }
  if (current.status === "failed" || !screen || !laidOut) {
    return (
      <div className="space-y-4" data-testid="screen-flow-failed">
        <Alert>{current.error ? `The flow stopped: ${current.error}` : `The flow is ${current.status}.`}</Alert>
        <Link href={doneHref} className="text-sm font-medium text-brand-700 hover:underline">{doneLabel}</Link>
      </div>
    );
  }

  const record = { id: current.runId, ...screen.values } as DataRecord;
  const back = () =>
    submit.mutate({ runId: current.runId, element: screen.element, action: "back" }, { onSuccess: show, onError: (error) => setProblem(errorMessage(error)) });
  return (
    <section aria-labelledby="screen-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="flow-screen" data-element={screen.element}>
      <header className="space-y-2">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{current.flow.label}</p>
        <h2 id="screen-heading" className="text-lg font-semibold text-slate-900">{screen.label}</h2>
        {screen.text && <p className="whitespace-pre-wrap text-sm text-slate-700" data-testid="screen-text">{screen.text}</p>}
      </header>
      {problem && <Alert>{problem}</Alert>}
      <LaidOutForm
        key={shown}
        object={laidOut.object}
        form={laidOut.form}
        record={record}
        formLabel={screen.label}
        submitLabel={screen.nextLabel}
        pendingLabel="Working…"
        onSaved={() => undefined}
        onSubmitValues={(values) => submit.mutateAsync({ runId: current.runId, element: screen.element, action: "next", values }).then(show)}
        secondaryActions={
          screen.canGoBack ? (
            <Button onClick={back} disabled={submit.isPending} className="mr-auto">
              <ArrowLeft className="h-4 w-4" aria-hidden /> Back
            </Button>
          ) : null
        }
      />
    </section>
  );
}
