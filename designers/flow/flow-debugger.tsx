"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArrowDownToLine, ArrowRightToLine, ArrowUpFromLine, Bug, ChevronRight, History, Play, RotateCcw, Square, X } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { errorIssues, errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Button, Dialog, cn } from "@/components/ui";
import { Input, NativeSelect } from "@/components/ui/input";
import { LookupPicker } from "@/components/runtime/lookup-picker";
import type { LookupValue } from "@/components/runtime/types";
import type { FlowStep } from "@/server/automation/runtime/flow-interpreter";
import type { FlowDef, FlowVariable } from "@/spec/flow";
import {
  canDrive, parseVariableInput, runStatusText, stackAt, variableInputText, variablesAfter, variablesBefore,
  type DebugRunView, type DebugSession, type FlowDebugStore,
} from "./flow-debug-store";
import { FormulaInput } from "./flow-inspector-fields";
import type { FlowFormulaContext } from "./flow-formula";

export type DebugCommandName = "continue" | "stepOver" | "stepInto" | "stepOut" | "stop";

export function useDebugState(store: FlowDebugStore) {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/**
 * The debugger's server calls: each returns the run as it then stands, which goes to the store
 * (polling after each command: the paused run lives on the server). Errors land in `error`.
 */
export function useFlowDebugger(store: FlowDebugStore) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = useMutation(trpc.flows.debugStart.mutationOptions());
  const command = useMutation(trpc.flows.debugCommand.mutationOptions());
  const setVariable = useMutation(trpc.flows.debugSetVariable.mutationOptions());
  const setBreakpoints = useMutation(trpc.flows.debugSetBreakpoints.mutationOptions());
  const rerun = useMutation(trpc.flows.debugRerunFrom.mutationOptions());
  // Condition edits reach a paused run once typing stops, or before its next command, whichever is first.
  const pendingSync = useRef<{ timer: ReturnType<typeof setTimeout>; id: string } | null>(null);
  useEffect(() => () => { if (pendingSync.current) clearTimeout(pendingSync.current.timer); }, []);
  const sendBreakpoints = (id: string) => setBreakpoints.mutateAsync({ id, breakpoints: store.serverBreakpoints() });
  // A sync sent in the background once typing stopped: the next command waits for it rather than
  // being refused as busy (a Continue pressed just then was lost).
  const syncing = useRef<Promise<unknown> | null>(null);
  async function flushBreakpoints() {
    const pending = pendingSync.current;
    if (pending) {
      clearTimeout(pending.timer);
      pendingSync.current = null;
      await sendBreakpoints(pending.id);
    }
    await syncing.current;
  }

  async function run(work: () => Promise<unknown>, mode: (view: DebugRunView) => DebugSession["mode"] = () => "live", keepFrame = false): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      const view = (await work()) as DebugRunView;
      store.showRun(view, mode(view), keepFrame);
      void queryClient.invalidateQueries({ queryKey: trpc.flows.runs.queryKey() });
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return {
    error,
    busy,
    dismissError: () => setError(null),
    start: (input: { flow: string; draft?: FlowDef; inputs: Record<string, unknown>; recordId?: string; rollback: boolean }) =>
      run(() => start.mutateAsync({ ...input, draft: input.draft as Record<string, unknown> | undefined, breakpoints: store.serverBreakpoints() })),
    command: (id: string, name: DebugCommandName) => run(async () => {
      await flushBreakpoints();
      return command.mutateAsync({ id, command: name });
    }),
    /** Sets a variable of a paused run; returns the server's refusal (shown on the field), or null. */
    setVariable: async (id: string, frame: number, name: string, value: unknown): Promise<string | null> => {
      try {
        store.showRun((await setVariable.mutateAsync({ id, frame, name, value })) as DebugRunView, "live", true);
        return null;
      } catch (failure) {
        return errorIssues(failure)[0]?.message ?? errorMessage(failure);
      }
    },
    syncBreakpoints: (id: string) => run(() => sendBreakpoints(id), undefined, true),
    /** A breakpoint's condition changed: sent soon (or with the next command). */
    breakpointsChanged: (id: string) => {
      if (pendingSync.current) clearTimeout(pendingSync.current.timer);
      pendingSync.current = {
        id,
        timer: setTimeout(() => {
          pendingSync.current = null;
          const sync = sendBreakpoints(id)
            .then((view) => store.showRun(view as DebugRunView, "live", true))
            .catch((failure: unknown) => setError(errorMessage(failure)))
            .finally(() => {
              if (syncing.current === sync) syncing.current = null;
            });
          syncing.current = sync;
        }, 400),
      };
    },
    rerunFrom: (id: string, seq: number, edits: Record<string, unknown>, rollback: boolean) =>
      run(() => rerun.mutateAsync({ id, seq, edits, rollback, breakpoints: store.serverBreakpoints() })),
    /** Opens a run: a paused debug run of this developer live, anything else read-only (replay). */
    open: (id: string, userId: string | null) =>
      run(() => queryClient.fetchQuery({ ...trpc.flows.debugView.queryOptions({ id }), staleTime: 0 }),
        (view) => (view.run.trigger === "debug" && view.status === "paused" && (!userId || view.debug.userId === userId) ? "live" : "replay")),
  };
}
export type FlowDebuggerApi = ReturnType<typeof useFlowDebugger>;

// --- the start dialog --------------------------------------------------------------------------

const INPUT_TYPES: Partial<Record<FlowVariable["type"], string>> = { number: "number", date: "date", datetime: "datetime-local" };

/** One typed field for a variable (text, number, boolean, date, date-time; records by id with the record picker). */
function VariableField({ variable, value, onChange, problem, label }: { variable: FlowVariable; value: unknown; onChange: (value: unknown) => void; problem?: string | null; label?: string }) {
  const id = useId();
  const text = label ?? variable.name;
  let control: ReactNode;
  if (variable.type === "boolean") {
    control = (
      <NativeSelect id={id} value={value === true ? "true" : value === false ? "false" : ""} className="h-8! text-sm" onChange={(event) => onChange(event.target.value === "" ? null : event.target.value === "true")}>
        <option value="">(empty)</option><option value="true">true</option><option value="false">false</option>
      </NativeSelect>
    );
  } else if (variable.type === "record" && variable.object) {
    control = <LookupPicker id={id} reference={variable.object} label={text} value={(value as LookupValue | null) ?? null} onChange={onChange} invalid={!!problem} />;
  } else if (variable.type === "records") {
    control = <Input id={id} value={String(value ?? "")} className="h-8! font-mono text-sm" placeholder="record ids, separated by commas" onChange={(event) => onChange(event.target.value)} aria-invalid={!!problem || undefined} />;
  } else {
    const type = INPUT_TYPES[variable.type] ?? "text";
    const shown = variable.type === "datetime" && typeof value === "string" && value.endsWith("Z") ? value.slice(0, 16) : String(value ?? "");
    control = <Input id={id} type={type} step={variable.type === "number" ? "any" : undefined} value={shown} className="h-8! text-sm" aria-invalid={!!problem || undefined}
      onChange={(event) => onChange(event.target.value)} />;
  }
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="flex items-baseline gap-2 text-xs font-medium text-slate-700">
        {text}<span className="font-normal text-slate-400">{variable.type}{variable.object ? ` of ${variable.object}` : ""}</span>
      </label>
      {control}
      {problem && <p role="alert" className="text-xs text-red-600">{problem}</p>}
    </div>
  );
}

/** A typed field's value as the server takes it (records by id; empty fields left out). */
function inputValue(variable: FlowVariable, raw: unknown): { value: unknown } | { message: string } | null {
  if (raw === undefined || raw === null || raw === "") return null;
  if (variable.type === "record") return { value: (raw as LookupValue).id };
  if (variable.type === "boolean") return { value: raw };
  // datetime-local gives local time without a zone: Date.parse reads it as local time.
  return parseVariableInput(variable, String(raw));
}

/** "Debug": the flow's inputs as typed fields (or the record a record-triggered flow runs on), and rollback. */
export function DebugStartDialog({ open, onOpenChange, flow, debugsDraft, api }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  flow: FlowDef;
  /** The draft differs from the published version (or nothing is published): the draft is debugged. */
  debugsDraft: boolean;
  api: FlowDebuggerApi;
}) {
  const inputs = flow.variables.filter((variable) => variable.input);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [record, setRecord] = useState<LookupValue | null>(null);
  const [rollback, setRollback] = useState(true);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const recordId = useId();
  const rollbackId = useId();
  const triggerObject = (flow.start.type === "record" || flow.start.type === "screen") && flow.start.object ? flow.start.object : null;

  async function submit() {
    const given: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const variable of inputs) {
      const parsed = inputValue(variable, values[variable.name]);
      if (!parsed) continue;
      if ("message" in parsed) found[variable.name] = parsed.message;
      else given[variable.name] = parsed.value;
    }
    if (triggerObject && !record) found.record = flow.start.type === "record" ? "choose the record the save is debugged on" : "choose the record the flow runs on";
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const ok = await api.start({ flow: flow.name, ...(debugsDraft ? { draft: flow } : {}), inputs: given, recordId: record?.id, rollback });
    if (ok) onOpenChange(false);
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Debug ${flow.label}`} width="34rem"
      description={debugsDraft ? "Debugs the current draft (what you see on the canvas, not yet published)." : "Debugs the published version (the draft does not differ)."}
      footer={<>
        <Button onClick={() => onOpenChange(false)}>Cancel</Button>
        <Button variant="primary" onClick={() => void submit()} disabled={api.busy}><Play className="h-3.5 w-3.5" aria-hidden /> Start debugging</Button>
      </>}>
      <form className="space-y-3" onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        {triggerObject && (
          <div className="space-y-1">
            <label htmlFor={recordId} className="text-xs font-medium text-slate-700">{triggerObject} record</label>
            <LookupPicker id={recordId} reference={triggerObject} label={`${triggerObject} record`} value={record} onChange={setRecord} invalid={!!problems.record} />
            <p className="text-xs text-slate-500">The flow runs as this record&apos;s save would (saved unchanged).</p>
            {problems.record && <p role="alert" className="text-xs text-red-600">{problems.record}</p>}
          </div>
        )}
        {inputs.length === 0 && !triggerObject && <p className="text-sm text-slate-500">The flow has no input variables.</p>}
        {inputs.length > 0 && (
          <fieldset className="space-y-3">
            <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Inputs</legend>
            {inputs.map((variable) => (
              <VariableField key={variable.name} variable={variable} value={values[variable.name]} problem={problems[variable.name]}
                onChange={(value) => setValues((current) => ({ ...current, [variable.name]: value }))} />
            ))}
          </fieldset>
        )}
        <div className="flex items-start gap-3 rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
          <button id={rollbackId} type="button" role="switch" aria-checked={rollback} onClick={() => setRollback(!rollback)}
            className={cn("mt-0.5 inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors", rollback ? "bg-brand-600" : "bg-slate-300")}>
            <span className={cn("h-4 w-4 rounded-full bg-white shadow transition-transform", rollback ? "translate-x-4.5" : "translate-x-0.5")} />
          </button>
          <label htmlFor={rollbackId} className="text-sm">
            <span className="font-medium text-slate-800">Roll back changes when the run ends</span>
            <span className="block text-xs text-slate-500">Every record the debug run creates, changes or deletes is put back when it ends or is stopped.</span>
          </label>
        </div>
        {api.error && <Alert>{api.error}</Alert>}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

// --- the debug toolbar -------------------------------------------------------------------------

const COMMANDS: { name: DebugCommandName; label: string; key: string; icon: typeof Play }[] = [
  { name: "continue", label: "Continue", key: "F8", icon: Play },
  { name: "stepOver", label: "Step over", key: "F10", icon: ArrowRightToLine },
  { name: "stepInto", label: "Step into", key: "F11", icon: ArrowDownToLine },
  { name: "stepOut", label: "Step out", key: "Shift+F11", icon: ArrowUpFromLine },
];

/** The command a key press asks for (VS Code's keys), if any. */
export function commandForKey(event: Pick<KeyboardEvent, "key" | "shiftKey" | "ctrlKey" | "metaKey" | "altKey">): DebugCommandName | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key === "F8") return "continue";
  if (event.key === "F10") return "stepOver";
  if (event.key === "F11") return event.shiftKey ? "stepOut" : "stepInto";
  return null;
}

/** Continue / step over / into / out / stop, and what the run is doing. */
export function DebugToolbar({ session, api, labelOf, onClose }: { session: DebugSession; api: FlowDebuggerApi; labelOf: (flow: string, element: string) => string; onClose: () => void }) {
  const drive = canDrive(session) && !api.busy;
  const { view } = session;
  const tone = view.status === "paused" ? "text-amber-800 bg-amber-50 border-amber-200" : view.status === "failed" ? "text-red-800 bg-red-50 border-red-200" : "text-slate-700 bg-slate-50 border-slate-200";
  return (
    <div role="toolbar" aria-label="Debugger" className="flex flex-wrap items-center gap-1 border-b border-amber-200 bg-amber-50/60 px-2 py-1.5">
      <Bug className="h-4 w-4 text-amber-700" aria-hidden />
      <span className="mr-1 text-xs font-semibold uppercase tracking-wide text-amber-800">{session.mode === "replay" ? "Replay" : "Debug"}</span>
      {session.mode === "live" && <>
        {COMMANDS.map(({ name, label, key, icon: Icon }) => (
          <Button key={name} size="sm" variant="ghost" disabled={!drive} aria-label={label} title={`${label} (${key})`} aria-keyshortcuts={key} onClick={() => void api.command(view.run.id, name)}>
            <Icon className="h-3.5 w-3.5" aria-hidden /> {label}
          </Button>
        ))}
        <Button size="sm" variant="ghost" disabled={view.status !== "paused" || api.busy} aria-label="Stop" title="Stop (rolls back in rollback mode)" onClick={() => void api.command(view.run.id, "stop")}>
          <Square className="h-3.5 w-3.5 text-red-600" aria-hidden /> Stop
        </Button>
      </>}
      <span role="status" data-testid="debug-status" className={cn("ml-1 min-w-0 flex-1 truncate rounded-md border px-2 py-0.5 text-xs font-medium sm:flex-none", tone)} title={runStatusText(view, labelOf)}>
        {api.busy ? "Running…" : runStatusText(view, labelOf)}
      </span>
      {view.debug.rollback === false && session.mode === "live" && <span className="text-xs text-slate-500">rollback off</span>}
      <Button size="sm" variant="ghost" className="ml-auto" onClick={onClose} aria-label="Close debugger" title="Close the debugger (back to editing)"><X className="h-4 w-4" aria-hidden /></Button>
    </div>
  );
}

// --- values ----------------------------------------------------------------------------------

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** A value as a tree: records as field: value, lists by index (collapsed past the first level). */
export function ValueTree({ value, depth = 0 }: { value: unknown; depth?: number }): ReactNode {
  if (value === null || typeof value !== "object") return <span className={cn("font-mono", typeof value === "string" ? "text-emerald-800" : typeof value === "number" ? "text-sky-800" : "text-violet-800")}>{scalar(value)}</span>;
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
  const summary = Array.isArray(value) ? `${value.length} item${value.length === 1 ? "" : "s"}` : "id" in value ? `record ${String((value as { id: unknown }).id)}` : `${entries.length} fields`;
  return (
    <details open={depth === 0} className="group/tree">
      <summary className="cursor-pointer list-none text-slate-500 [&::-webkit-details-marker]:hidden">
        <ChevronRight className="inline h-3 w-3 transition-transform group-open/tree:rotate-90" aria-hidden /> {summary}
      </summary>
      <dl className="ml-3 border-l border-slate-200 pl-2">
        {entries.map(([key, item]) => (
          <div key={key} className="flex gap-1.5 py-px">
            <dt className="shrink-0 font-mono text-slate-600">{key}:</dt>
            <dd className="min-w-0 break-all"><ValueTree value={item} depth={depth + 1} /></dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** One variable: its value (records expanded), editable while paused; the server's refusal shown on it. */
function VariableRow({ name, variable, value, changed, editable, onSet }: {
  name: string;
  variable: FlowVariable | undefined;
  value: unknown;
  changed: boolean;
  editable: boolean;
  onSet: (value: unknown) => Promise<string | null>;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  async function apply() {
    if (!variable) return;
    const parsed = parseVariableInput(variable, text);
    if ("message" in parsed) return setProblem(parsed.message);
    const refused = await onSet(parsed.value);
    setProblem(refused);
    if (!refused) setEditing(false);
  }
  return (
    <li data-testid="debug-variable" data-name={name} data-changed={changed || undefined} className={cn("rounded px-1.5 py-1 text-xs", changed && "bg-amber-50")}>
      <div className="flex items-start gap-2">
        <span className="font-mono font-semibold text-slate-800">{name}</span>
        {variable && <span className="text-slate-400">{variable.type}{variable.object ? `<${variable.object}>` : ""}</span>}
        {changed && <span className="rounded bg-amber-200 px-1 text-[10px] font-medium text-amber-900">changed</span>}
        {editable && variable && !editing && (
          <button type="button" className="ml-auto text-brand-700 hover:underline" aria-label={`Edit ${name}`} onClick={() => { setText(variableInputText(variable, value)); setProblem(null); setEditing(true); }}>Edit</button>
        )}
      </div>
      {editing ? (
        <form className="mt-1 space-y-1" onSubmit={(event) => { event.preventDefault(); void apply(); }}>
          <label htmlFor={id} className="sr-only">New value of {name}</label>
          <div className="flex gap-1">
            <Input id={id} autoFocus value={text} onChange={(event) => setText(event.target.value)} aria-invalid={!!problem || undefined}
              placeholder={variable?.type === "record" ? "record id" : variable?.type === "records" ? "record ids, comma separated" : variable?.type === "boolean" ? "true or false" : undefined}
              className="h-7! font-mono text-xs" onKeyDown={(event) => { if (event.key === "Escape") setEditing(false); }} />
            <Button size="sm" type="submit" variant="primary" className="h-7">Set</Button>
            <Button size="sm" className="h-7" onClick={() => setEditing(false)}>Cancel</Button>
          </div>
          {problem && <p role="alert" className="text-red-600">{problem}</p>}
        </form>
      ) : (
        <div className="mt-0.5 pl-1" data-testid="debug-variable-value"><ValueTree value={value} /></div>
      )}
    </li>
  );
}

// --- the panel ---------------------------------------------------------------------------------

function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section aria-label={title} className="border-b border-slate-200 px-3 py-2">
      <div className="mb-1 flex items-center gap-2">
        <h3 className="text-[11px] font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
        {actions && <div className="ml-auto flex items-center gap-1">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

function compact(value: Record<string, unknown>): string {
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** One executed step in the timeline: element, way out, duration; expanded: inputs, outputs, changes. */
function TimelineStep({ step, selected, onSelect, onRerun }: { step: FlowStep; selected: boolean; onSelect: () => void; onRerun: (() => void) | null }) {
  return (
    <li data-testid="debug-step" data-seq={step.seq} aria-current={selected ? "step" : undefined}
      className={cn("rounded border px-1.5 py-1 text-xs", selected ? "border-brand-400 bg-brand-50" : "border-transparent hover:bg-slate-50", step.error && "text-red-800")}>
      <div className="flex items-center gap-1.5" style={{ paddingLeft: step.depth * 12 }}>
        <button type="button" className="min-w-0 flex-1 truncate text-left" onClick={onSelect} title="Show the variables as they were after this step">
          <span className="mr-1 text-slate-400">#{step.seq}</span>
          <span className="font-medium text-slate-800">{step.type === "variable_edit" ? step.label : step.label}</span>
          <span className="ml-1 font-mono text-slate-500">{step.type === "variable_edit" ? "edit" : step.type === "subflow_return" ? "return" : `${step.element}${step.handle ? ` → ${step.handle}` : ""}`}</span>
        </button>
        <span className="shrink-0 tabular-nums text-slate-400">{step.durationMs < 10 ? step.durationMs.toFixed(1) : Math.round(step.durationMs)} ms</span>
        {onRerun && <button type="button" className="shrink-0 text-brand-700 hover:underline" onClick={onRerun} aria-label={`Rerun from step ${step.seq}`} title="Rerun from here (with edited variables)"><RotateCcw className="h-3 w-3" aria-hidden /></button>}
      </div>
      {typeof step.outputs.wouldWaitUntil === "string" && (
        // A debug run does not sleep at a wait: it says when the run would have gone on.
        <p className="pl-2 text-slate-600" data-testid="debug-step-wait">Would wait until {new Date(step.outputs.wouldWaitUntil).toLocaleString()}</p>
      )}
      {selected && (
        <dl className="mt-1 space-y-0.5 pl-2 font-mono text-[11px] text-slate-600" data-testid="debug-step-detail">
          {Object.keys(step.inputs).length > 0 && <div><dt className="inline text-slate-400">inputs </dt><dd className="inline break-all">{compact(step.inputs)}</dd></div>}
          {Object.keys(step.outputs).length > 0 && <div><dt className="inline text-slate-400">outputs </dt><dd className="inline break-all">{compact(step.outputs)}</dd></div>}
          {Object.keys(step.changed).length > 0 && <div><dt className="inline text-slate-400">changed </dt><dd className="inline break-all">{compact(step.changed)}</dd></div>}
          {step.error && <div className="text-red-700"><dt className="inline">error </dt><dd className="inline">{step.error}</dd></div>}
        </dl>
      )}
    </li>
  );
}

/** "Rerun from here": the flow's variables as they were before the step, editable; a new debug run paused there. */
function RerunDialog({ view, seq, flowDef, api, onClose }: { view: DebugRunView; seq: number; flowDef: FlowDef; api: FlowDebuggerApi; onClose: () => void }) {
  const before = useMemo(() => variablesBefore(view.initial, view.steps, seq), [view, seq]);
  const editable = flowDef.variables.filter((variable) => variable.type !== "records");
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(editable.map((variable) => [variable.name, variableInputText(variable, before[variable.name])])));
  const [rollback, setRollback] = useState(true);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const step = view.steps.find((candidate) => candidate.seq === seq);
  async function submit() {
    const edits: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const variable of editable) {
      const text = texts[variable.name] ?? "";
      if (text === variableInputText(variable, before[variable.name])) continue;
      const parsed = parseVariableInput(variable, text);
      if ("message" in parsed) found[variable.name] = parsed.message;
      else edits[variable.name] = parsed.value;
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    if (await api.rerunFrom(view.run.id, seq, edits, rollback)) onClose();
  }
  return (
    <Dialog open onOpenChange={(open) => { if (!open) onClose(); }} title={`Rerun from step #${seq}: ${step?.label ?? ""}`} width="34rem"
      description="A new debug run of this flow, paused at this step, with the variables as they were just before it. Change any of them first."
      footer={<><Button onClick={onClose}>Cancel</Button><Button variant="primary" disabled={api.busy} onClick={() => void submit()}><RotateCcw className="h-3.5 w-3.5" aria-hidden /> Rerun</Button></>}>
      <form className="space-y-2" onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        {editable.map((variable) => (
          <RerunField key={variable.name} variable={variable} text={texts[variable.name] ?? ""} problem={problems[variable.name]} onChange={(text) => setTexts((current) => ({ ...current, [variable.name]: text }))} />
        ))}
        <label className="flex items-center gap-2 pt-1 text-sm"><input type="checkbox" checked={rollback} onChange={(event) => setRollback(event.target.checked)} /> Roll back changes when the run ends</label>
        {api.error && <Alert>{api.error}</Alert>}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

function RerunField({ variable, text, problem, onChange }: { variable: FlowVariable; text: string; problem?: string; onChange: (text: string) => void }) {
  const id = useId();
  return (
    <div className="grid grid-cols-[10rem_1fr] items-center gap-2">
      <label htmlFor={id} className="truncate font-mono text-xs text-slate-700">{variable.name} <span className="text-slate-400">{variable.type}</span></label>
      <Input id={id} value={text} className="h-8! font-mono text-xs" onChange={(event) => onChange(event.target.value)} aria-invalid={!!problem || undefined}
        placeholder={variable.type === "record" ? "record id" : undefined} />
      {problem && <p role="alert" className="col-span-2 text-xs text-red-600">{problem}</p>}
    </div>
  );
}

/** Breakpoints: each with its condition (a formula, type-checked as typed; empty: always stop). */
function BreakpointList({ store, flow, context, onChanged }: { store: FlowDebugStore; flow: FlowDef; context: FlowFormulaContext; onChanged: () => void }) {
  const { breakpoints } = useDebugState(store);
  if (breakpoints.size === 0) return <p className="text-xs text-slate-500">None. Click the dot at a node&apos;s left edge (or select it and press F9).</p>;
  return (
    <ul className="space-y-2">
      {[...breakpoints].map(([element, condition]) => {
        const label = flow.elements.find((candidate) => candidate.id === element)?.label ?? element;
        return (
          <li key={element} data-testid="debug-breakpoint" className="space-y-1">
            <div className="flex items-center gap-1.5 text-xs">
              <span className="h-2.5 w-2.5 rounded-full bg-red-600" aria-hidden />
              <span className="font-medium text-slate-800">{label}</span>
              <button type="button" className="ml-auto text-slate-500 hover:text-red-700" aria-label={`Remove breakpoint on ${label}`} onClick={() => { store.toggleBreakpoint(element); onChanged(); }}><X className="h-3 w-3" aria-hidden /></button>
            </div>
            <FormulaInput label={`Condition on ${label}`} value={condition ?? ""} context={context} expected={condition ? "boolean" : undefined}
              help="Stop only when this formula is true (empty: always)" onChange={(value) => { store.setCondition(element, value); onChanged(); }} />
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The debug panel: the call stack (click a frame to see its variables), the variables (records
 * as field: value trees, editable while paused), the timeline (click a step to see the variables
 * as they were after it: read-only; "Rerun from here"), and the breakpoints.
 */
export function DebugPanel({ store, session, api, flow, flowDefs, context }: {
  store: FlowDebugStore;
  session: DebugSession;
  api: FlowDebuggerApi;
  /** The flow on the canvas. */
  flow: FlowDef;
  /** The definitions of the flows on the call stack (the canvas's for the flow itself, published subflows). */
  flowDefs: (name: string) => FlowDef | undefined;
  context: FlowFormulaContext;
}) {
  const { view, step: travel } = session;
  // The run and step to rerun from, kept as they were when asked (the new run replaces the session).
  const [rerunFrom, setRerunFrom] = useState<{ view: DebugRunView; seq: number } | null>(null);
  const drive = canDrive(session);
  const stack = travel === null
    ? view.frames.map((frame, index) => ({ flow: frame.flow, at: frame.at, index }))
    : stackAt(view.steps, travel).map((frame, index) => ({ ...frame, index }));
  const frameIndex = Math.min(session.frame, stack.length - 1);
  const frame = stack[frameIndex];
  const def = frame ? flowDefs(frame.flow) : undefined;
  const variables = travel === null ? (view.frames[frameIndex]?.variables ?? {}) : variablesAfter(view.initial, view.steps, travel, frameIndex);
  const lastChanged = useMemo(() => {
    const last = travel === null ? view.steps.at(-1) : view.steps.find((step) => step.seq === travel);
    return new Set(last && last.depth === frameIndex ? Object.keys(last.changed) : []);
  }, [view.steps, travel, frameIndex]);
  const names = Object.keys(variables).filter((name) => !name.startsWith("_"));
  const labelOf = (flowName: string, element: string | null) => (element === null ? "(end)" : (flowDefs(flowName)?.elements.find((candidate) => candidate.id === element)?.label ?? element));
  const live = session.mode === "live" && view.status === "paused";
  function breakpointsChanged() {
    if (live) api.breakpointsChanged(view.run.id);
  }

  useEffect(() => {
    if (travel === null) return;
    document.querySelector(`[data-testid="debug-step"][data-seq="${travel}"]`)?.scrollIntoView({ block: "nearest" });
  }, [travel]);

  return (
    <div className="text-sm" data-testid="debug-panel">
      {api.error && <div className="px-3 pt-2"><Alert>{api.error} <button type="button" className="ml-1 underline" onClick={api.dismissError}>Dismiss</button></Alert></div>}
      {travel !== null && (
        <div role="status" className="sticky top-0 z-10 flex items-center gap-2 border-b border-sky-200 bg-sky-50 px-3 py-1.5 text-xs text-sky-900" data-testid="time-travel">
          <History className="h-3.5 w-3.5" aria-hidden />
          <span>Time travel: as it was after step #{travel} (read-only)</span>
          <Button size="sm" variant="ghost" className="ml-auto h-6" onClick={() => store.selectStep(null)}>Back to now</Button>
        </div>
      )}
      {session.mode === "replay" && travel === null && <p className="border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs text-slate-600">Replay of run {view.run.id.slice(0, 8)} ({view.run.trigger}, version {view.run.version}): read-only. Click a step to see the variables then.</p>}
      <Section title="Call stack">
        <ol className="space-y-0.5" aria-label="Call stack">
          {[...stack].reverse().map((entry) => (
            <li key={entry.index}>
              <button type="button" aria-current={entry.index === frameIndex ? "true" : undefined} onClick={() => store.selectFrame(entry.index)}
                className={cn("w-full rounded px-1.5 py-0.5 text-left text-xs", entry.index === frameIndex ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-50")}>
                <span className="font-mono">{entry.flow}</span> <span className="text-slate-400">at</span> {labelOf(entry.flow, entry.at)}
              </button>
            </li>
          ))}
        </ol>
      </Section>
      <Section title={`Variables${frame ? ` · ${frame.flow}` : ""}`}>
        {travel !== null && frameIndex > 0 && <p className="mb-1 text-[11px] text-slate-500">A subflow&apos;s variables: those set since it was called.</p>}
        {names.length === 0 ? <p className="text-xs text-slate-500">No variables.</p> : (
          <ul className="space-y-0.5" aria-label="Variables">
            {names.map((name) => (
              <VariableRow key={`${view.run.id}:${frameIndex}:${name}`} name={name} value={variables[name]} changed={lastChanged.has(name)}
                variable={def?.variables.find((candidate) => candidate.name === name)}
                editable={drive && travel === null && live}
                onSet={(value) => api.setVariable(view.run.id, frameIndex, name, value)} />
            ))}
          </ul>
        )}
        {view.outputs && travel === null && <div className="mt-2 text-xs"><span className="font-medium text-slate-600">Outputs</span> <ValueTree value={view.outputs} /></div>}
      </Section>
      <Section title={`Timeline (${view.steps.length})`} actions={travel !== null ? <Button size="sm" variant="ghost" className="h-6" onClick={() => store.selectStep(null)}>Now</Button> : undefined}>
        {view.steps.length === 0 ? <p className="text-xs text-slate-500">No step has run yet.</p> : (
          <ol className="max-h-[22rem] space-y-0.5 overflow-y-auto" aria-label="Timeline">
            {view.steps.map((step) => (
              <TimelineStep key={step.seq} step={step} selected={travel === step.seq} onSelect={() => store.selectStep(travel === step.seq ? null : step.seq)}
                onRerun={step.depth === 0 && step.type !== "variable_edit" && step.type !== "subflow_return" ? () => setRerunFrom({ view, seq: step.seq }) : null} />
            ))}
          </ol>
        )}
      </Section>
      <Section title="Breakpoints">
        <BreakpointList store={store} flow={flow} context={context} onChanged={breakpointsChanged} />
      </Section>
      {rerunFrom && (
        <RerunDialog view={rerunFrom.view} seq={rerunFrom.seq} flowDef={flowDefs(rerunFrom.view.run.flow) ?? flow} api={api} onClose={() => setRerunFrom(null)} />
      )}
    </div>
  );
}
