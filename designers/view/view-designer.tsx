"use client";
import { useQuery } from "@tanstack/react-query";
import { CalendarDays, Rows3, SquareKanban } from "lucide-react";
import Link from "next/link";
import { useCallback, useMemo, useState, type ReactNode } from "react";
import { FilterTreeBuilder } from "@/components/runtime/filter-tree-builder";
import { errorMessage, useTRPC, type ErrorIssue } from "@/components/trpc";
import { Alert, Button, Spinner } from "@/components/ui";
import { cn } from "@/components/ui/cn";
import { Input, Textarea } from "@/components/ui/input";
import { DraftSafety } from "@/designers/shared/conflict-dialog";
import { SaveFailureBanner } from "@/designers/shared/save-failure-banner";
import { DocumentStatus, SaveStatusText } from "@/designers/shared/document-status";
import { issuesByPath } from "@/designers/shared/issues";
import { PageHeader } from "@/designers/shared/page-header";
import { PublishDialog } from "@/designers/shared/publish-dialog";
import { StudioTabs, TabPanel } from "@/designers/shared/studio-tabs";
import { UndoRedoButtons } from "@/designers/shared/undo-redo-buttons";
import { useDocumentStore } from "@/designers/shared/use-document-store";
import { useSavePublish, type SaveFailure } from "@/designers/shared/use-save-publish";
import { useDesignerHistory } from "@/designers/shared/use-undo-shortcuts";
import { VersionHistory } from "@/designers/shared/version-history";
import type { ObjectDef } from "@/spec/object";
import { viewSchema, VIEW_TYPES, type ViewDef, type ViewType } from "@/spec/view";
import { CalendarSettingsPanel, KanbanSettingsPanel } from "./board-settings";
import { ColumnsPanel } from "./columns-panel";
import { ActionsPanel, GroupByPanel, SortPanel } from "./list-settings";
import { defaultCalendar, defaultKanban, validateView } from "./view-defaults";
import { ViewDesignerStore } from "./view-designer-store";
import { ViewPreview, type PreviewWidth } from "./view-preview";

const TYPE_INFO: Record<ViewType, { label: string; icon: typeof Rows3 }> = {
  grid: { label: "Grid", icon: Rows3 },
  kanban: { label: "Kanban", icon: SquareKanban },
  calendar: { label: "Calendar", icon: CalendarDays },
};

/** Which panel a problem's path belongs to (for the summary's wording). */
const PATH_LABELS: Record<string, string> = {
  label: "Label", description: "Description", name: "API name", object: "Object", type: "Type", columns: "Columns", filter: "Filter",
  sort: "Sort", groupBy: "Group by", rowActions: "Row actions", bulkActions: "Bulk actions", kanban: "Kanban", calendar: "Calendar",
};

function describeIssue(issue: ErrorIssue): string {
  const [head, ...rest] = issue.path;
  const label = PATH_LABELS[String(head)] ?? issue.path.join(".");
  return `${label}${rest.length > 0 ? ` (${rest.join(".")})` : ""}: ${issue.message}`;
}

function Section({ title, children, attention, id }: { title: string; children: ReactNode; attention?: boolean; id: string }) {
  return (
    <section aria-labelledby={id} className="border-b border-slate-200 px-4 py-3">
      <h2 id={id} className="mb-2 flex items-center gap-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">
        {title}
        {attention && <span className="h-1.5 w-1.5 rounded-full bg-red-500" aria-label="has problems" />}
      </h2>
      {children}
    </section>
  );
}

function IssueSummary({ failure, onReload, onDismiss }: { failure: SaveFailure<ViewDef>; onReload: () => void; onDismiss: () => void }) {
  return <SaveFailureBanner failure={failure} className="mx-4 mt-3" onReload={onReload} onDismiss={onDismiss} renderIssue={describeIssue} />;
}

/** A field's label as the undo menu shows it ("Remove column Close date"); other names as they are. */
function fieldLabelOf(object: ObjectDef, field: string): string {
  return object.fields.find((candidate) => candidate.name === field)?.label ?? field;
}

function LoadedViewDesigner({ name, initial, revision, publishedVersion, hasDraft, object }: {
  name: string;
  initial: ViewDef;
  revision: number;
  publishedVersion: number | null;
  hasDraft: boolean;
  object: ObjectDef;
}) {
  const [store] = useState(() => new ViewDesignerStore(initial, { baseRevision: revision, fieldLabel: (field) => fieldLabelOf(object, field) }));
  const snapshot = useDocumentStore(store);
  const view = snapshot.document;
  const validate = useCallback((document: ViewDef) => validateView(document, object), [object]);
  // A drag in progress holds autosave back, so the list is not saved (and re-rendered) under the pointer.
  const [dragging, setDragging] = useState(false);
  const flow = useSavePublish({ kind: "view", name, store, initial: { publishedVersion, hasDraft }, validate, autosave: true, pauseAutosave: dragging });
  const [tab, setTab] = useState("design");
  const { undo, redo } = useDesignerHistory(store, snapshot.dirty);
  const [selectedColumn, setSelectedColumn] = useState<string | null>(null);
  const [previewWidth, setPreviewWidth] = useState<PreviewWidth>("desktop");
  const [asUser, setAsUser] = useState<string | undefined>(undefined);

  const errors = useMemo(() => issuesByPath(flow.saveFailure?.issues ?? []), [flow.saveFailure]);
  const has = (prefix: string) => Object.keys(errors).some((key) => key === prefix || key.startsWith(`${prefix}.`));
  const filterIssues = useMemo(() => Object.fromEntries(
    Object.entries(errors).filter(([key]) => key === "filter" || key.startsWith("filter.")).map(([key, message]) => [key.slice("filter.".length), message]),
  ), [errors]);
  const published = flow.server.publishedVersion !== null;
  const nothingToPublish = published && !flow.server.hasDraft && !snapshot.dirty;

  function switchType(type: ViewType) {
    store.setType(type, { kanban: defaultKanban(object), calendar: defaultCalendar(object) });
  }

  return (
    <div className="flex h-screen min-h-0 flex-col">
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / <Link href="/studio/views" className="hover:underline">Views</Link> / {object.label}</>}
        title={view.label.trim() || view.name}
        meta={
          <>
            <span className="font-mono" aria-label="API name">{view.name}</span>
            <span aria-hidden>·</span>
            <span data-testid="view-status"><DocumentStatus publishedVersion={flow.server.publishedVersion} hasDraft={flow.server.hasDraft} dirty={snapshot.dirty} /></span>
            <span data-testid="save-status"><SaveStatusText status={flow.status} /></span>
          </>
        }
        actions={
          <>
            <UndoRedoButtons snapshot={snapshot} undo={undo} redo={redo} />
            <Button onClick={() => void flow.save()} disabled={!snapshot.dirty || flow.saving}>{flow.saving ? "Saving…" : "Save draft"}</Button>
            <Button variant="primary" onClick={() => void flow.publish.start()} disabled={nothingToPublish || flow.saving || flow.publish.loading}
              title={nothingToPublish ? "Everything is published" : undefined}>
              Publish
            </Button>
          </>
        }
      />
      <DraftSafety flow={flow} className="mx-4 mt-3" />
      {flow.saveFailure && <IssueSummary failure={flow.saveFailure} onReload={() => void flow.reload()} onDismiss={flow.dismissSaveFailure} />}
      {flow.notice && <Alert tone={flow.notice.tone === "error" ? "error" : flow.notice.tone} className="mx-4 mt-3">{flow.notice.text}</Alert>}

      {/* min-h-0: the tabs may shrink below their content, so settings and preview scroll inside the screen. */}
      <StudioTabs className="min-h-0" value={tab} onValueChange={setTab}
        tabs={[{ value: "design", label: "Design", attention: (flow.saveFailure?.issues.length ?? 0) > 0 }, { value: "history", label: "History" }]}>
      <TabPanel value="design" className="flex min-h-0 flex-1 focus:outline-none">
        <aside aria-label="View settings" className="w-[400px] shrink-0 overflow-y-auto border-r border-slate-200 bg-white">
          <Section title="View" id="section-view" attention={has("label") || has("description") || has("type")}>
            <div role="radiogroup" aria-label="View type" className="mb-3 grid grid-cols-3 gap-1.5">
              {VIEW_TYPES.map((type) => {
                const Icon = TYPE_INFO[type].icon;
                return (
                  <button key={type} type="button" role="radio" aria-checked={view.type === type} onClick={() => switchType(type)}
                    className={cn("flex flex-col items-center gap-1 rounded-md border px-2 py-2 text-xs font-medium",
                      view.type === type ? "border-brand-500 bg-brand-50 text-brand-700" : "border-slate-200 text-slate-600 hover:bg-slate-50")}>
                    <Icon className="h-4 w-4" aria-hidden />{TYPE_INFO[type].label}
                  </button>
                );
              })}
            </div>
            <div className="space-y-2">
              <div className="space-y-1">
                <label htmlFor="view-label" className="block text-xs font-medium text-slate-600">Label</label>
                <Input id="view-label" value={view.label} className="h-8! text-sm" aria-invalid={!!errors.label || undefined}
                  onChange={(event) => store.setProps({ label: event.target.value }, { coalesceKey: "label" })} />
                {errors.label && <p role="alert" className="text-xs text-red-600">{errors.label}</p>}
              </div>
              <div className="space-y-1">
                <label htmlFor="view-description" className="block text-xs font-medium text-slate-600">Description</label>
                <Textarea id="view-description" rows={2} value={view.description ?? ""} className="text-sm"
                  onChange={(event) => store.setProps({ description: event.target.value === "" ? undefined : event.target.value }, { coalesceKey: "description" })} />
              </div>
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" checked={view.isDefault} onChange={(event) => store.setProps({ isDefault: event.target.checked })} className="h-3.5 w-3.5 accent-brand-600" />
                Default view of {object.pluralLabel}
              </label>
            </div>
          </Section>
          {view.type === "kanban" && (
            <Section title="Kanban" id="section-kanban" attention={has("kanban")}>
              <KanbanSettingsPanel object={object} kanban={view.kanban} store={store} errors={errors} onDraggingChange={setDragging} />
            </Section>
          )}
          {view.type === "calendar" && (
            <Section title="Calendar" id="section-calendar" attention={has("calendar")}>
              <CalendarSettingsPanel object={object} calendar={view.calendar} store={store} errors={errors} />
            </Section>
          )}
          {view.type === "grid" && (
            <Section title="Columns" id="section-columns" attention={has("columns")}>
              <ColumnsPanel object={object} columns={view.columns} store={store} selected={selectedColumn} onSelect={setSelectedColumn} errors={errors}
                onDraggingChange={setDragging} />
            </Section>
          )}
          <Section title="Filter" id="section-filter" attention={has("filter")}>
            <FilterTreeBuilder object={object} value={view.filter} onChange={(filter) => store.setFilter(filter)} issues={filterIssues} />
          </Section>
          <Section title="Sort" id="section-sort" attention={has("sort")}>
            <SortPanel object={object} view={view} store={store} errors={errors} />
          </Section>
          {view.type === "grid" && (
            <>
              <Section title="Group by" id="section-group" attention={has("groupBy")}>
                <GroupByPanel object={object} view={view} store={store} errors={errors} />
              </Section>
              <Section title="Actions" id="section-actions" attention={has("rowActions") || has("bulkActions")}>
                <ActionsPanel object={object} view={view} store={store} errors={errors} />
              </Section>
            </>
          )}
        </aside>
        <ViewPreview view={view} width={previewWidth} onWidthChange={setPreviewWidth} asUser={asUser} onAsUserChange={setAsUser} />
      </TabPanel>
      <TabPanel value="history" className="min-h-0 flex-1 overflow-y-auto px-6 py-4 focus:outline-none">
        <VersionHistory kind="view" name={name} draft={view} baseRevision={snapshot.baseRevision} dirty={snapshot.dirty}
          onRestored={(detail, version) => { flow.restored(detail, version); setTab("design"); }} />
      </TabPanel>
      </StudioTabs>

      {flow.publish.open && (
        <PublishDialog open onOpenChange={flow.publish.setOpen} title={`Publish ${view.label}`} loading={flow.publish.loading} plan={flow.publish.plan}
          showPlan={false} emptyText="Everyone who may read the object sees the published view." error={flow.publish.error}
          requireDestructiveConfirm={flow.publish.requireDestructive} pending={flow.publish.pending}
          onConfirm={(options) => void flow.publish.confirm(options)} />
      )}
    </div>
  );
}

/** /studio/views/[name]: loads the view (draft, else published) and its object, then opens the designer. */
export function ViewDesigner({ name }: { name: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.metadata.get.queryOptions({ kind: "view", name }), refetchOnWindowFocus: false, staleTime: Infinity });
  const stored = query.data ? ((query.data.draft ?? query.data.published) as ViewDef | null) : null;
  const objectQuery = useQuery({ ...trpc.data.describe.queryOptions({ object: stored?.object ?? "" }), enabled: !!stored, staleTime: 60_000 });
  if (query.isPending || (stored && objectQuery.isPending)) return <div className="p-6"><Spinner label="Loading view" /></div>;
  const error = query.error ?? objectQuery.error;
  if (error || !stored) {
    return (
      <div className="space-y-3 p-6">
        <h1 className="text-lg font-semibold">View {name}</h1>
        <Alert>{error ? errorMessage(error) : "This view has no content."}</Alert>
        <Link href="/studio/views" className="text-sm font-medium text-brand-700 hover:underline">Back to views</Link>
      </div>
    );
  }
  const detail = query.data!;
  // Stored views were validated on save; parsing fills in defaults added to the spec since.
  const parsed = viewSchema.safeParse(stored);
  const body = parsed.success ? parsed.data : stored;
  return (
    <LoadedViewDesigner key={name} name={name} initial={body} revision={detail.draftRevision} publishedVersion={detail.publishedVersion}
      hasDraft={detail.hasDraft} object={objectQuery.data as ObjectDef} />
  );
}

