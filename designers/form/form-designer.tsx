"use client";
import {
  DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors,
  type DragEndEvent, type DragOverEvent, type DragStartEvent,
} from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import { useQuery } from "@tanstack/react-query";
import { ClipboardList, Eye, History, LayoutTemplate, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { errorMessage, useTRPC, type ErrorIssue } from "@/components/trpc";
import { Alert, Button, Spinner, cn } from "@/components/ui";
import { formMetadataIssues } from "@/formula/form-rules";
import { DraftSafety } from "@/designers/shared/conflict-dialog";
import { SaveFailureBanner } from "@/designers/shared/save-failure-banner";
import { DocumentStatus, SaveStatusText } from "@/designers/shared/document-status";
import type { HistoryMark } from "@/designers/shared/document-store";
import { zodIssues } from "@/designers/shared/issues";
import { PageHeader } from "@/designers/shared/page-header";
import { PublishDialog } from "@/designers/shared/publish-dialog";
import { UndoRedoButtons } from "@/designers/shared/undo-redo-buttons";
import { useDocumentStore } from "@/designers/shared/use-document-store";
import { useSavePublish } from "@/designers/shared/use-save-publish";
import { useDesignerHistory } from "@/designers/shared/use-undo-shortcuts";
import { VersionHistory } from "@/designers/shared/version-history";
import { formSchema, type FormDef } from "@/spec/form";
import type { ObjectDef } from "@/spec/object";
import { FormCanvas } from "./form-canvas";
import { FormDesignerStore, locateElement, type CommandResult, type MoveDirection } from "./form-designer-store";
import {
  ActiveDragContext, describeDraggable, describeDroppable, formAnnouncements, formCollisionDetection, type DragSource, type DropTarget,
} from "./form-dnd";
import { FormInspector, relatedCandidates } from "./form-inspector";
import { placeIssues } from "./form-issues";
import { FormPalette } from "./form-palette";
import { FormPreview } from "./form-preview";
import { useFormObjects } from "./use-form-objects";

/** The form's problems as publishing would report them: schema first, then against the object. */
export function validateForm(form: FormDef, object: ObjectDef | undefined, objects: Map<string, ObjectDef>): ErrorIssue[] {
  const parsed = formSchema.safeParse(form);
  if (!parsed.success) return zodIssues(parsed.error);
  return formMetadataIssues(parsed.data, object, (name) => objects.get(name));
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest("[data-testid=condition-code-editor]")) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !["checkbox", "radio", "button", "submit", "reset"].includes((target as HTMLInputElement).type);
}

const ARROWS: Record<string, MoveDirection> = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };

type DesignerMode = "design" | "preview" | "history";
const MODES: { value: DesignerMode; label: string; icon: LucideIcon }[] = [
  { value: "design", label: "Design", icon: LayoutTemplate },
  { value: "preview", label: "Preview", icon: Eye },
  { value: "history", label: "History", icon: History },
];

function LoadedFormDesigner({ name, initial, revision, publishedVersion, hasDraft, object, objects }: {
  name: string; initial: FormDef; revision: number; publishedVersion: number | null; hasDraft: boolean; object: ObjectDef; objects: Map<string, ObjectDef>;
}) {
  const [store] = useState(() => new FormDesignerStore(initial, { baseRevision: revision }));
  const snapshot = useDocumentStore(store);
  const form = snapshot.document;
  const selection = useSyncExternalStore(store.subscribeSelection, store.getSelection, store.getSelection);
  const validate = useCallback((document: FormDef) => validateForm(document, object, objects), [object, objects]);
  const [activeDrag, setActiveDrag] = useState<{ id: string; source: DragSource; keyboard: boolean } | null>(null);
  // A drag moves elements live and squashes them into one step at the drop: no autosave in between.
  const flow = useSavePublish({ kind: "form", name, store, initial: { publishedVersion, hasDraft }, validate, autosave: true, pauseAutosave: activeDrag !== null });
  const { undo, redo } = useDesignerHistory(store, snapshot.dirty);
  const [mode, setMode] = useState<DesignerMode>("design");
  const [activeTabId, setActiveTabId] = useState(form.tabs[0]!.id);
  const [refusal, setRefusal] = useState<string | null>(null);
  const dragMark = useRef<HistoryMark<FormDef> | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const candidates = useMemo(() => relatedCandidates(object, objects), [object, objects]);

  const report = useCallback((result: CommandResult) => setRefusal(result.ok ? null : result.reason), []);

  // Keep the selected element's tab open (after undo/redo, a keyboard move, a drop on a tab).
  const tabOfSelection = selection ? locateElement(form, selection) : undefined;
  const selectedTabId = tabOfSelection ? tabOfSelection.tab.id : null;
  const [followedTabId, setFollowedTabId] = useState(selectedTabId);
  if (selectedTabId !== followedTabId) {
    setFollowedTabId(selectedTabId);
    if (selectedTabId) setActiveTabId(selectedTabId);
  }
  const activeTab = form.tabs.find((tab) => tab.id === activeTabId) ?? form.tabs[0]!;

  // Live issues on the elements; the server's (same paths) while the document is what it was sent as.
  const localIssues = useMemo(() => validateForm(form, object, objects), [form, object, objects]);
  const failure = flow.saveFailure;
  const issues = useMemo(() => {
    const serverIssues = failure && failure.sent === form ? failure.issues : [];
    const seen = new Set<string>();
    return placeIssues(form, [...localIssues, ...serverIssues]).filter((issue) => {
      const key = `${issue.path}|${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }, [failure, form, localIssues]);

  /** Where the palette's + buttons add a field: the selected section (or the selection's), else the open tab's first fields section. */
  const targetSection = useCallback((): { sectionId: string; index: number } | null => {
    const at = selection ? locateElement(form, selection) : undefined;
    if (at?.kind === "item") return { sectionId: at.section.id, index: at.itemIndex + 1 };
    if (at?.kind === "section" && at.section.type === "fields") return { sectionId: at.section.id, index: at.section.items.length };
    const tab = at ? at.tab : activeTab;
    const section = tab.sections.find((candidate) => candidate.type === "fields");
    return section && section.type === "fields" ? { sectionId: section.id, index: section.items.length } : null;
  }, [activeTab, form, selection]);

  const addFieldFromPalette = useCallback((field: string) => {
    const target = targetSection();
    if (target) return report(store.addField(field, target.sectionId, target.index));
    // No fields section in the tab yet: make one and place the field, as one step.
    let result: CommandResult = { ok: true };
    store.batch(`Add field ${field}`, () => {
      store.addSection(activeTab.id, activeTab.sections.length, { type: "fields", columns: 2 });
      result = store.addField(field, store.getSelection()!, 0);
    });
    report(result);
  }, [activeTab, report, store, targetSection]);

  const addSectionFromPalette = (columns: number) => {
    const at = selection ? locateElement(form, selection) : undefined;
    const index = at && at.kind !== "tab" && at.tab.id === activeTab.id ? at.sectionIndex + 1 : activeTab.sections.length;
    report(store.addSection(activeTab.id, index, { type: "fields", columns }));
  };
  const addRelatedFromPalette = (tabId = activeTab.id, index = activeTab.sections.length) => {
    const candidate = candidates[0];
    if (!candidate) return report({ ok: false, reason: `No published object has a lookup to ${object.label}.` });
    report(store.addSection(tabId, index, { type: "related", object: candidate.object, lookupField: candidate.lookupField, label: candidate.label }));
  };

  // Delete, duplicate and arrow moves on the selection, when focus is on the canvas (or nowhere).
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (mode !== "design" || activeDrag || event.altKey) return;
      if (isTyping(event.target)) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      const target = event.target instanceof Node ? event.target : null;
      const onCanvas = target === document.body || (target !== null && !!canvasRef.current?.contains(target));
      if (!onCanvas) return;
      const id = store.getSelection();
      if (!id) return;
      const modifier = event.ctrlKey || event.metaKey;
      if ((event.key === "Delete" || event.key === "Backspace") && !modifier) {
        event.preventDefault();
        report(store.removeElement(id));
      } else if (modifier && event.key.toLowerCase() === "d") {
        event.preventDefault();
        report(store.duplicateElement(id));
      } else if (!modifier && ARROWS[event.key]) {
        event.preventDefault();
        report(store.moveSelection(ARROWS[event.key]!));
        // Keep focus on the moved element so the next arrow press moves it again.
        requestAnimationFrame(() => {
          const selected = store.getSelection();
          const host = selected ? canvasRef.current?.querySelector<HTMLElement>(`[data-element-id="${selected}"]`) : null;
          host?.querySelector<HTMLElement>("[role=button], [role=tab]")?.focus();
        });
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [activeDrag, mode, report, store]);

  // --- drag and drop -----------------------------------------------------------------------

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  /** Where a field (new or moved) lands for a drop target: a section and an index in it. */
  function fieldPlace(overId: string, target: DropTarget | undefined): { sectionId: string; index: number } | null {
    const current = store.document;
    if (!target) return null;
    if (target.kind === "item") {
      const at = locateElement(current, overId);
      return at?.kind === "item" ? { sectionId: at.section.id, index: at.itemIndex } : null;
    }
    if (target.kind === "zone") {
      const at = locateElement(current, target.sectionId);
      return at?.kind === "section" && at.section.type === "fields" ? { sectionId: at.section.id, index: at.section.items.length } : null;
    }
    if (target.kind === "tab") {
      const at = locateElement(current, overId);
      const section = at?.kind === "tab" ? at.tab.sections.find((candidate) => candidate.type === "fields") : undefined;
      return section && section.type === "fields" ? { sectionId: section.id, index: section.items.length } : null;
    }
    return null;
  }

  function sectionPlace(overId: string, target: DropTarget | undefined): { tabId: string; index: number } | null {
    const current = store.document;
    if (!target) return null;
    if (target.kind === "section") {
      const at = locateElement(current, overId);
      return at?.kind === "section" ? { tabId: at.tab.id, index: at.sectionIndex } : null;
    }
    if (target.kind === "tabend" || target.kind === "tab") {
      const at = locateElement(current, target.kind === "tab" ? overId : target.tabId);
      return at?.kind === "tab" ? { tabId: at.tab.id, index: at.tab.sections.length } : null;
    }
    return null;
  }

  function onDragStart(event: DragStartEvent) {
    const source = event.active.data.current as DragSource | undefined;
    if (!source) return;
    setRefusal(null);
    setActiveDrag({ id: String(event.active.id), source, keyboard: event.activatorEvent instanceof KeyboardEvent });
    dragMark.current = source.kind === "item" || source.kind === "section" || source.kind === "tab" ? store.mark() : null;
    if (source.kind === "item" || source.kind === "section" || source.kind === "tab") store.select(String(event.active.id));
  }

  /** Moves a dragged field or section into another section or tab while it is dragged (one undo step at the end). */
  function onDragOver(event: DragOverEvent) {
    const { active, over } = event;
    const source = active.data.current as DragSource | undefined;
    if (!over || !source || over.id === active.id) return;
    const target = over.data.current as DropTarget | undefined;
    const activeId = String(active.id);
    const overId = String(over.id);
    if (source.kind === "item") {
      const from = locateElement(store.document, activeId);
      const place = fieldPlace(overId, target);
      if (from?.kind !== "item" || !place || place.sectionId === from.section.id) return;
      store.moveItem(activeId, place.sectionId, place.index);
      if (target?.kind === "tab") setActiveTabId(overId);
    } else if (source.kind === "section" && target?.kind === "tab") {
      const from = locateElement(store.document, activeId);
      if (from?.kind !== "section" || from.tab.id === overId) return;
      const place = sectionPlace(overId, target);
      if (place) {
        store.moveSection(activeId, place.tabId, place.index);
        setActiveTabId(overId);
      }
    } else if ((source.kind.startsWith("palette-")) && target?.kind === "tab" && source.kind !== "palette-tab") {
      // Hovering a tab header with something new: open that tab to show where it will go.
      setActiveTabId(overId);
    }
  }

  function finishDrag(label: string | null) {
    const mark = dragMark.current;
    dragMark.current = null;
    setActiveDrag(null);
    if (!mark) return;
    if (label === null) store.bailToMark(mark);
    else store.squashToMark(mark, label);
  }

  function onDragEnd(event: DragEndEvent) {
    const { active, over } = event;
    const source = active.data.current as DragSource | undefined;
    const activeId = String(active.id);
    if (!source || !over) return finishDrag(null);
    const target = over.data.current as DropTarget | undefined;
    const overId = String(over.id);
    const name = describeDraggable(activeId, source, store.document, object);
    switch (source.kind) {
      case "item": {
        const from = locateElement(store.document, activeId);
        if (from?.kind === "item" && target?.kind === "item" && overId !== activeId) {
          const place = fieldPlace(overId, target);
          if (place && place.sectionId === from.section.id) report(store.moveItem(activeId, place.sectionId, place.index));
        }
        return finishDrag(`Move ${name}`);
      }
      case "section": {
        if (target?.kind === "section" && overId !== activeId) {
          const place = sectionPlace(overId, target);
          if (place) report(store.moveSection(activeId, place.tabId, place.index));
        } else if (target?.kind === "tabend") {
          const place = sectionPlace(overId, target);
          if (place) report(store.moveSection(activeId, place.tabId, place.index));
        }
        return finishDrag(`Move ${name}`);
      }
      case "tab": {
        if (target?.kind === "tab" && overId !== activeId) {
          const index = store.document.tabs.findIndex((tab) => tab.id === overId);
          report(store.moveTab(activeId, index));
        } else if (target?.kind === "tabstrip") report(store.moveTab(activeId, store.document.tabs.length - 1));
        return finishDrag(`Move ${name}`);
      }
      case "palette-field": {
        finishDrag(null);
        const place = fieldPlace(overId, target);
        if (place) report(store.addField(source.field, place.sectionId, place.index));
        else report({ ok: false, reason: "Drop a field on a section of the form." });
        return;
      }
      case "palette-section":
      case "palette-related": {
        finishDrag(null);
        const place = sectionPlace(overId, target);
        if (!place) return;
        if (source.kind === "palette-section") report(store.addSection(place.tabId, place.index, { type: "fields", columns: source.columns }));
        else addRelatedFromPalette(place.tabId, place.index);
        return;
      }
      case "palette-tab": {
        finishDrag(null);
        const index = target?.kind === "tab" ? store.document.tabs.findIndex((tab) => tab.id === overId) : store.document.tabs.length;
        report(store.addTab(index));
        return;
      }
    }
  }

  const announcements = formAnnouncements({
    draggable: (id, source) => describeDraggable(id, source, store.document, object),
    droppable: (id, target) => describeDroppable(id, target, store.document, object),
  });

  const published = flow.server.publishedVersion !== null;
  const nothingToPublish = published && !flow.server.hasDraft && !snapshot.dirty;

  return (
    <div className="flex h-screen min-h-0 flex-col">
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / <Link href="/studio/forms" className="hover:underline">Forms</Link> / {object.label}</>}
        title={<span className="inline-flex items-center gap-2"><ClipboardList className="h-5 w-5 text-slate-400" aria-hidden />{form.label}</span>}
        meta={
          <>
            <span className="font-mono">{form.name}</span>
            <span aria-hidden>·</span>
            <span>Form of <Link href={`/studio/objects/${object.name}`} className="hover:underline">{object.label}</Link></span>
            <span aria-hidden>·</span>
            <DocumentStatus publishedVersion={flow.server.publishedVersion} hasDraft={flow.server.hasDraft} dirty={snapshot.dirty} />
            <span data-testid="save-status"><SaveStatusText status={flow.status} /></span>
            {issues.length > 0 && <span className="text-red-700">{issues.length} problem{issues.length === 1 ? "" : "s"}</span>}
          </>
        }
        actions={
          <>
            <div role="tablist" aria-label="Designer mode" className="flex overflow-hidden rounded-md border border-slate-200">
              {MODES.map(({ value, label, icon: Icon }) => (
                <button key={value} type="button" role="tab" aria-selected={mode === value} onClick={() => setMode(value)}
                  className={cn("inline-flex h-9 items-center gap-1.5 px-3 text-sm [&:not(:first-child)]:border-l [&:not(:first-child)]:border-slate-200",
                    mode === value ? "bg-slate-100 font-medium" : "text-slate-600 hover:bg-slate-50")}>
                  <Icon className="h-4 w-4" aria-hidden /> {label}
                </button>
              ))}
            </div>
            <UndoRedoButtons snapshot={snapshot} undo={undo} redo={redo} />
            <Button onClick={() => void flow.save()} disabled={!snapshot.dirty || flow.saving}>{flow.saving ? "Saving…" : "Save draft"}</Button>
            <Button variant="primary" onClick={() => void flow.publish.start()} disabled={nothingToPublish || flow.saving || flow.publish.loading}>Publish</Button>
          </>
        }
      />
      <DraftSafety flow={flow} className="mx-4 mt-3" />
      {failure && (
        <SaveFailureBanner failure={failure} issues={placeIssues(failure.sent, failure.issues)} className="mx-4 mt-3"
          onReload={() => void flow.reload()} onDismiss={flow.dismissSaveFailure}
          renderIssue={(issue) => (
            <>
              {issue.elementId ? (
                <button type="button" className="underline" onClick={() => { setMode("design"); store.select(issue.elementId); }}>{issue.path}</button>
              ) : (issue.path || "Form")}: {issue.message}
            </>
          )} />
      )}
      {flow.notice && (
        <Alert tone={flow.notice.tone === "error" ? "error" : flow.notice.tone} className="mx-4 mt-3">{flow.notice.text}</Alert>
      )}
      {mode === "preview" ? (
        <FormPreview form={form} />
      ) : mode === "history" ? (
        <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3">
          <VersionHistory kind="form" name={name} draft={form} baseRevision={snapshot.baseRevision} dirty={snapshot.dirty}
            onRestored={(detail, version) => { flow.restored(detail, version); setMode("design"); }} />
        </div>
      ) : (
        <ActiveDragContext.Provider value={activeDrag}>
          <DndContext sensors={sensors} collisionDetection={formCollisionDetection} onDragStart={onDragStart} onDragOver={onDragOver} onDragEnd={onDragEnd}
            onDragCancel={() => finishDrag(null)}
            accessibility={{
              announcements,
              screenReaderInstructions: { draggable: "To pick up an element, press Space or Enter. Use the arrow keys to move it, Space or Enter to drop it, Escape to cancel." },
            }}>
            <div className="grid min-h-0 flex-1 grid-cols-[15rem_minmax(0,1fr)_20rem]">
              <FormPalette form={form} object={object} onAddField={addFieldFromPalette} onAddSection={addSectionFromPalette}
                onAddTab={() => report(store.addTab())} onAddRelated={() => addRelatedFromPalette()} canAddRelated={candidates.length > 0} />
              <div ref={canvasRef} className="min-h-0 overflow-y-auto bg-slate-100/70 px-4 py-3" aria-label="Form canvas" role="region">
                <FormCanvas form={form} object={object} objects={objects} store={store} selection={selection} issues={issues}
                  activeTabId={activeTab.id} onActivateTab={setActiveTabId} />
                <p role="status" aria-live="polite" className={cn("mt-2 text-sm", refusal ? "rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-800" : "sr-only")}>
                  {refusal}
                </p>
                <p className="mt-2 text-xs text-slate-500">
                  Click an element to edit it. Arrow keys move the selection, Delete removes it, Ctrl+D duplicates a section or tab, Ctrl+Z undoes.
                </p>
              </div>
              <FormInspector form={form} object={object} objects={objects} store={store} selection={selection} issues={issues} onRefused={report} />
            </div>
            <DragOverlay dropAnimation={null}>
              {activeDrag && (
                <div className="rounded-md border border-brand-400 bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-lg">
                  {describeDraggable(activeDrag.id, activeDrag.source, form, object)}
                </div>
              )}
            </DragOverlay>
          </DndContext>
        </ActiveDragContext.Provider>
      )}
      {flow.publish.open && (
        <PublishDialog open onOpenChange={flow.publish.setOpen} title={`Publish ${form.label}`} loading={flow.publish.loading}
          plan={flow.publish.plan} showPlan={false} error={flow.publish.error} requireDestructiveConfirm={flow.publish.requireDestructive}
          pending={flow.publish.pending} onConfirm={(options) => void flow.publish.confirm(options)} />
      )}
    </div>
  );
}

/** /studio/forms/[name]: loads the form (draft, else published) and its object, then opens the designer. */
export function FormDesigner({ name }: { name: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.metadata.get.queryOptions({ kind: "form", name }), refetchOnWindowFocus: false, staleTime: Infinity });
  const { objects, pending, error } = useFormObjects();
  if (query.isPending || pending) return <div className="p-6"><Spinner label="Loading form" /></div>;
  const failed = query.error ?? error;
  if (failed) {
    return (
      <div className="space-y-3 p-6">
        <h1 className="text-lg font-semibold">Form {name}</h1>
        <Alert>{errorMessage(failed)}</Alert>
        <Link href="/studio/forms" className="text-sm font-medium text-brand-700 hover:underline">Back to forms</Link>
      </div>
    );
  }
  const body = (query.data!.draft ?? query.data!.published) as FormDef | null;
  if (!body) return <div className="p-6"><Alert>This form has no content.</Alert></div>;
  const object = objects.get(body.object);
  if (!object) {
    return (
      <div className="space-y-3 p-6">
        <h1 className="text-lg font-semibold">{body.label}</h1>
        <Alert>The object &apos;{body.object}&apos; of this form is not published. Publish it in the object designer first.</Alert>
        <Link href="/studio/forms" className="text-sm font-medium text-brand-700 hover:underline">Back to forms</Link>
      </div>
    );
  }
  return (
    <LoadedFormDesigner key={name} name={name} initial={body} revision={query.data!.draftRevision}
      publishedVersion={query.data!.publishedVersion} hasDraft={query.data!.hasDraft} object={object} objects={objects} />
  );
}
