"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { Bug, LayoutDashboard, Maximize } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { errorMessage, useTRPC, type ErrorIssue } from "@/components/trpc";
import { Alert, Button, Spinner, cn } from "@/components/ui";
import { DraftSafety } from "@/designers/shared/conflict-dialog";
import { DocumentStatus, SaveStatusText } from "@/designers/shared/document-status";
import { zodIssues } from "@/designers/shared/issues";
import { PageHeader } from "@/designers/shared/page-header";
import { PublishDialog } from "@/designers/shared/publish-dialog";
import { SaveFailureBanner } from "@/designers/shared/save-failure-banner";
import { StudioTabs, TabPanel } from "@/designers/shared/studio-tabs";
import { UndoRedoButtons } from "@/designers/shared/undo-redo-buttons";
import { useDocumentStore } from "@/designers/shared/use-document-store";
import { useSavePublish } from "@/designers/shared/use-save-publish";
import { useDesignerHistory } from "@/designers/shared/use-undo-shortcuts";
import { VersionHistory } from "@/designers/shared/version-history";
import { useFormObjects } from "@/designers/form/use-form-objects";
import { flowMetadataIssues } from "@/server/automation/flow-check";
import { FLOW_START_ID, flowSchema, type FlowDef, type FlowElementType } from "@/spec/flow";
import type { ObjectDef } from "@/spec/object";
import { FlowCanvas, FlowPalette, type CanvasDebug, type Selection } from "./flow-canvas";
import { FlowDebugStore, canDrive, currentElement, pathTaken } from "./flow-debug-store";
import { DebugPanel, DebugStartDialog, DebugToolbar, commandForKey, useDebugState, useFlowDebugger } from "./flow-debugger";
import { FlowDesignerStore } from "./flow-designer-store";
import { flowFormulaContext } from "./flow-formula";
import { SelectionInspector, VariablesPanel } from "./flow-inspector";
import { placeFlowIssues, type PlacedFlowIssue } from "./flow-issues";
import { layoutFlow } from "./flow-layout";
import { PublishedProblemsBanner, useFlowProblems } from "./flow-problems";
import { FlowRuns } from "./flow-runs";

/** What saving checks locally: the schema (publishing checks the rest, on the server and here). */
function validateFlow(flow: FlowDef): ErrorIssue[] {
  const parsed = flowSchema.safeParse(flow);
  return parsed.success ? [] : zodIssues(parsed.error);
}

/** Published autolaunched flows (what a subflow element may call), by name. */
function usePublishedFlows() {
  const trpc = useTRPC();
  const list = useQuery(trpc.metadata.list.queryOptions({ kind: "flow" }));
  const details = useQueries({
    queries: (list.data ?? []).filter((summary) => summary.publishedVersion !== null)
      .map((summary) => ({ ...trpc.metadata.get.queryOptions({ kind: "flow", name: summary.name }), staleTime: 60_000 })),
  });
  const flows = new Map<string, FlowDef>();
  for (const query of details) {
    const body = query.data?.published as FlowDef | null | undefined;
    if (body) flows.set(body.name, body);
  }
  return flows;
}

function LoadedFlowDesigner({ name, initial, published: publishedBody, revision, publishedVersion, hasDraft, objects }: {
  name: string;
  initial: FlowDef;
  /** The published version as loaded (what the server's problem check is about). */
  published: FlowDef | null;
  revision: number;
  publishedVersion: number | null;
  hasDraft: boolean;
  objects: ReadonlyMap<string, ObjectDef>;
}) {
  const reactFlow = useReactFlow();
  const [store] = useState(() => new FlowDesignerStore(initial, { baseRevision: revision }));
  const snapshot = useDocumentStore(store);
  const flow = snapshot.document;
  const [dragging, setDragging] = useState(false);
  const save = useSavePublish({ kind: "flow", name, store, initial: { publishedVersion, hasDraft }, validate: validateFlow, autosave: true, pauseAutosave: dragging });
  const { undo, redo } = useDesignerHistory(store, snapshot.dirty);
  const [tab, setTab] = useState("design");
  const [panel, setPanel] = useState<"selection" | "variables" | "debug">("selection");
  const [selection, setSelection] = useState<Selection>({ nodes: [], edges: [] });
  const published = usePublishedFlows();
  const subflows = useMemo(() => new Map([...published].filter(([, other]) => other.start.type === "autolaunched")), [published]);
  const objectLookup = useCallback((other: string) => objects.get(other), [objects]);
  const context = useMemo(() => flowFormulaContext(flow, objectLookup), [flow, objectLookup]);

  // The debugger: breakpoints and the run shown live in their own store; the canvas shows them.
  const [debugStore] = useState(() => new FlowDebugStore(name));
  const debugState = useDebugState(debugStore);
  const debugApi = useFlowDebugger(debugStore);
  const session = debugState.session;
  const [debugDialog, setDebugDialog] = useState(false);
  useEffect(() => debugStore.prune(flow), [debugStore, flow]);
  const toggleBreakpoint = useCallback((element: string) => {
    debugStore.toggleBreakpoint(element);
    const current = debugStore.snapshot.session;
    if (current?.mode === "live" && current.view.status === "paused") void debugApi.syncBreakpoints(current.view.run.id);
  }, [debugStore, debugApi]);
  const canvasDebug = useMemo<CanvasDebug>(() => ({
    breakpoints: debugState.breakpoints,
    current: session ? currentElement(session) : null,
    currentLabel: session?.step != null ? `step #${session.step}` : (session?.view.frames.length ?? 0) > 1 ? "in subflow" : "paused here",
    path: session ? pathTaken(session.view.steps, session.step) : null,
    onToggleBreakpoint: toggleBreakpoint,
  }), [debugState.breakpoints, session, toggleBreakpoint]);
  const flowDefs = useCallback((other: string) => (other === flow.name ? flow : published.get(other)), [flow, published]);
  const labelOf = useCallback((other: string, element: string) => flowDefs(other)?.elements.find((candidate) => candidate.id === element)?.label ?? element, [flowDefs]);
  const debugsDraft = save.server.publishedVersion === null || save.server.hasDraft || snapshot.dirty;

  // After a refusal the publish check runs as the admin edits, so the red goes away as each problem is fixed.
  const [checking, setChecking] = useState(false);
  const failure = save.saveFailure;
  if (failure && failure.issues.length > 0 && !checking) setChecking(true);
  /** The schema, then what publishing checks (against the published objects and flows). */
  const check = useCallback((document: FlowDef): ErrorIssue[] => {
    const local = validateFlow(document);
    if (local.length > 0) return local;
    return flowMetadataIssues(flowSchema.parse(document), objectLookup, (other) => published.get(other)).map((issue) => ({ path: issue.path, message: issue.message }));
  }, [objectLookup, published]);
  const liveIssues = useMemo<ErrorIssue[] | null>(() => (checking ? check(flow) : null), [checking, check, flow]);
  /** Publish: the same check first, so problems land on their nodes before any dialog (the server checks again). */
  function publish() {
    if (check(flow).length > 0) return setChecking(true);
    void save.publish.start();
  }
  const issues = useMemo<PlacedFlowIssue[]>(() => {
    if (liveIssues) return placeFlowIssues(flow, liveIssues);
    return failure ? placeFlowIssues(failure.sent as FlowDef, failure.issues) : [];
  }, [liveIssues, failure, flow]);
  const selected = selection.nodes.length === 1 ? selection.nodes[0]! : null;
  // The published version's own problems (against today's metadata), apart from the draft's.
  const brokenPublished = useFlowProblems().data?.find((problem) => problem.flow === name)?.issues ?? [];

  // VS Code's keys: F8 continue, F10 step over, F11 step into, Shift+F11 step out; F9 toggles the selected node's breakpoint.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === "F9" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        if (!selected || selected === FLOW_START_ID) return;
        event.preventDefault();
        toggleBreakpoint(selected);
        return;
      }
      const command = commandForKey(event);
      if (!command || !session) return;
      event.preventDefault();
      if (session && canDrive(session) && !debugApi.busy) void debugApi.command(session.view.run.id, command);
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [debugApi, selected, session, toggleBreakpoint]);
  // A run shown opens the debug panel.
  const shownRun = session?.view.run.id ?? null;
  const [panelRun, setPanelRun] = useState<string | null>(null);
  if (shownRun !== panelRun) {
    setPanelRun(shownRun);
    if (shownRun) setPanel("debug");
  }
  const nothingToPublish = save.server.publishedVersion !== null && !save.server.hasDraft && !snapshot.dirty;

  const select = useCallback((id: string | null) => {
    setSelection({ nodes: id ? [id] : [], edges: [] });
    if (id) setPanel("selection");
  }, []);

  const addAtFreeSpot = useCallback((type: FlowElementType) => {
    const anchor = selected === FLOW_START_ID ? flow.start.position : flow.elements.find((element) => element.id === selected)?.position;
    const lowest = Math.max(flow.start.position.y, ...flow.elements.map((element) => element.position.y));
    const position = anchor ? { x: anchor.x, y: anchor.y + 140 } : { x: flow.start.position.x, y: lowest + 140 };
    select(store.addElement(type, position));
  }, [flow, select, selected, store]);

  function autoLayout() {
    store.move(layoutFlow(flow), "Auto-layout");
    requestAnimationFrame(() => void reactFlow.fitView({ padding: 0.2, maxZoom: 1, duration: 200 }));
  }

  const liveMessage = liveIssues && liveIssues.length > 0 ? `The flow has ${liveIssues.length} problem${liveIssues.length === 1 ? "" : "s"}; it cannot be published yet.` : null;
  const shownFailure = failure && (!checking || failure.issues.length === 0) ? failure : liveMessage ? { message: liveMessage, code: "BAD_REQUEST", issues: liveIssues! } : null;
  const inspectorProps = { flow, store, objects, subflows, context, issues, onSelect: select };

  return (
    <div className="flex h-screen min-h-0 flex-col">
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / <Link href="/studio/flows" className="hover:underline">Flows</Link></>}
        title={flow.label.trim() || flow.name}
        meta={
          <>
            <span className="font-mono" aria-label="API name">{flow.name}</span>
            <span aria-hidden>·</span>
            <span data-testid="flow-status"><DocumentStatus publishedVersion={save.server.publishedVersion} hasDraft={save.server.hasDraft} dirty={snapshot.dirty} /></span>
            <span data-testid="save-status"><SaveStatusText status={save.status} /></span>
          </>
        }
        actions={
          <>
            <UndoRedoButtons snapshot={snapshot} undo={undo} redo={redo} />
            <Button onClick={() => { debugApi.dismissError(); setTab("design"); setDebugDialog(true); }} title={debugsDraft ? "Debug the current draft" : "Debug the published version"}>
              <Bug className="h-4 w-4" aria-hidden /> Debug
            </Button>
            <Button onClick={() => void save.save()} disabled={!snapshot.dirty || save.saving}>{save.saving ? "Saving…" : "Save draft"}</Button>
            <Button variant="primary" onClick={publish} disabled={nothingToPublish || save.saving || save.publish.loading} title={nothingToPublish ? "Everything is published" : undefined}>
              Publish
            </Button>
          </>
        }
      />
      <DraftSafety flow={save} className="mx-4 mt-3" />
      {publishedBody && brokenPublished.length > 0 && (
        <PublishedProblemsBanner published={publishedBody} version={save.server.publishedVersion} issues={brokenPublished} draft={flow} className="mx-4 mt-3"
          onSelect={(node) => { setTab("design"); select(node); }} />
      )}
      {shownFailure && (
        <SaveFailureBanner failure={shownFailure} issues={placeFlowIssues(checking ? flow : (failure?.sent as FlowDef), shownFailure.issues)} className="mx-4 mt-3 max-h-40 overflow-y-auto"
          onReload={() => void save.reload()} onDismiss={() => { save.dismissSaveFailure(); setChecking(false); }}
          renderIssue={(issue) => issue.node && issue.node !== "variables" ? (
            <button type="button" className="text-left underline decoration-dotted hover:decoration-solid" onClick={() => { setTab("design"); select(issue.node); }}>{issue.message}</button>
          ) : issue.node === "variables" ? (
            <button type="button" className="text-left underline decoration-dotted hover:decoration-solid" onClick={() => { setTab("design"); setPanel("variables"); }}>Variables: {issue.message}</button>
          ) : issue.message} />
      )}
      {save.notice && <Alert tone={save.notice.tone === "error" ? "error" : save.notice.tone} className="mx-4 mt-3">{save.notice.text}</Alert>}

      <StudioTabs className="min-h-0" value={tab} onValueChange={setTab}
        tabs={[{ value: "design", label: "Design", attention: issues.length > 0 }, { value: "runs", label: "Runs" }, { value: "history", label: "History" }]}>
        <TabPanel value="design" className="flex min-h-0 flex-1 focus:outline-none">
          {/* While a run is shown the canvas gets the room (the palette is for building). */}
          {!session && <FlowPalette onAdd={addAtFreeSpot} />}
          <div className="flex min-w-0 flex-1 flex-col">
            {session && <DebugToolbar session={session} api={debugApi} labelOf={labelOf} onClose={() => { debugStore.close(); setPanel("selection"); }} />}
            <div className="flex items-center gap-1.5 border-b border-slate-200 bg-white px-3 py-1.5">
              <Button size="sm" variant="ghost" onClick={autoLayout}><LayoutDashboard className="h-3.5 w-3.5" aria-hidden /> Auto-layout</Button>
              <Button size="sm" variant="ghost" onClick={() => void reactFlow.fitView({ padding: 0.2, maxZoom: 1, duration: 200 })}><Maximize className="h-3.5 w-3.5" aria-hidden /> Zoom to fit</Button>
              <span className="ml-auto text-xs text-slate-500">Drag from a node&apos;s dots to connect · Delete removes · arrows nudge · Ctrl+C/V copies</span>
            </div>
            <FlowCanvas flow={flow} store={store} issues={issues} selection={selection}
              onSelectionChange={(next) => { setSelection(next); if (next.nodes.length > 0 && !session) setPanel("selection"); }} onDraggingChange={setDragging} debug={canvasDebug} />
          </div>
          <aside aria-label="Inspector" className={cn("shrink-0 overflow-y-auto border-l border-slate-200 bg-white", panel === "debug" ? "w-[420px]" : "w-[360px]")}>
            <div role="tablist" aria-label="Inspector panels" className="flex border-b border-slate-200">
              {(session ? (["selection", "variables", "debug"] as const) : (["selection", "variables"] as const)).map((value) => (
                <button key={value} type="button" role="tab" aria-selected={panel === value} onClick={() => setPanel(value)}
                  className={cn("flex-1 border-b-2 px-3 py-2 text-sm font-medium", panel === value ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:text-slate-800")}>
                  {value === "selection" ? (selected ? "Selection" : "Flow") : value === "debug" ? "Debug" : `Variables (${flow.variables.length})`}
                  {value === "variables" && issues.some((issue) => issue.node === "variables") && <span className="ml-1 inline-block h-1.5 w-1.5 rounded-full bg-red-500" aria-label="has problems" />}
                </button>
              ))}
            </div>
            {panel === "debug" && session ? <DebugPanel store={debugStore} session={session} api={debugApi} flow={flow} flowDefs={flowDefs} context={context} />
              : panel === "variables" ? <VariablesPanel {...inspectorProps} /> : <SelectionInspector {...inspectorProps} selected={selected} />}
          </aside>
        </TabPanel>
        <TabPanel value="runs" className="min-h-0 flex-1 overflow-y-auto px-6 py-4 focus:outline-none">
          <FlowRuns flow={name} onOpenInDebugger={(id) => { setTab("design"); void debugApi.open(id, null); }} />
        </TabPanel>
        <TabPanel value="history" className="min-h-0 flex-1 overflow-y-auto px-6 py-4 focus:outline-none">
          <VersionHistory kind="flow" name={name} draft={flow} baseRevision={snapshot.baseRevision} dirty={snapshot.dirty}
            onRestored={(detail, version) => { save.restored(detail, version); setTab("design"); }} />
        </TabPanel>
      </StudioTabs>

      {debugDialog && <DebugStartDialog open onOpenChange={setDebugDialog} flow={flow} debugsDraft={debugsDraft} api={debugApi} />}
      {save.publish.open && (
        <PublishDialog open onOpenChange={save.publish.setOpen} title={`Publish ${flow.label}`} loading={save.publish.loading} plan={save.publish.plan}
          showPlan={false} emptyText={flow.start.type === "record" ? `Saves of ${flow.start.object} records run the published flow.` : flow.start.type === "scheduled" ? "The published flow runs on its schedule." : "Callers run the published flow."}
          error={save.publish.error} requireDestructiveConfirm={save.publish.requireDestructive} pending={save.publish.pending}
          onConfirm={(options) => void save.publish.confirm(options)} />
      )}
    </div>
  );
}

/** The published body, with the spec's defaults filled in (as the draft is). */
function publishedDef(body: unknown): FlowDef | null {
  if (!body) return null;
  const parsed = flowSchema.safeParse(body);
  return parsed.success ? parsed.data : (body as FlowDef);
}

/** /studio/flows/[name]: loads the flow (draft, else published) and the published objects, then opens the designer. */
export function FlowDesigner({ name }: { name: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.metadata.get.queryOptions({ kind: "flow", name }), refetchOnWindowFocus: false, staleTime: Infinity });
  const { objects, pending, error: objectsError } = useFormObjects();
  const stored = query.data ? ((query.data.draft ?? query.data.published) as FlowDef | null) : null;
  if (query.isPending || pending) return <div className="p-6"><Spinner label="Loading flow" /></div>;
  const error = query.error ?? objectsError;
  if (error || !stored) {
    return (
      <div className="space-y-3 p-6">
        <h1 className="text-lg font-semibold">Flow {name}</h1>
        <Alert>{error ? errorMessage(error) : "This flow has no content."}</Alert>
        <Link href="/studio/flows" className="text-sm font-medium text-brand-700 hover:underline">Back to flows</Link>
      </div>
    );
  }
  const detail = query.data!;
  // Stored flows were validated on save; parsing fills in defaults added to the spec since.
  const parsed = flowSchema.safeParse(stored);
  return (
    <ReactFlowProvider>
      <LoadedFlowDesigner key={name} name={name} initial={parsed.success ? parsed.data : stored} published={publishedDef(detail.published)} revision={detail.draftRevision}
        publishedVersion={detail.publishedVersion} hasDraft={detail.hasDraft} objects={objects} />
    </ReactFlowProvider>
  );
}
