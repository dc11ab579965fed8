"use client";
import {
  closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useQuery } from "@tanstack/react-query";
import { AppWindow, CircleAlert, Database, ExternalLink, GripVertical, Link as LinkIcon, Plus, Trash2, Workflow } from "lucide-react";
import Link from "next/link";
import { useMemo, useState, type FormEvent } from "react";
import { errorMessage, useTRPC, type ErrorIssue } from "@/components/trpc";
import { Alert, Badge, Button, EmptyState, Input, NativeSelect, Spinner, Textarea, cn } from "@/components/ui";
import { FormField } from "@/components/ui";
import { MetadataIcon } from "@/components/runtime/metadata-icon";
import { DocumentStatus, SaveStatusText } from "@/designers/shared/document-status";
import { SaveFailureBanner } from "@/designers/shared/save-failure-banner";
import { restrictToVerticalAxisModifier } from "@/designers/shared/drag-modifiers";
import { zodIssues } from "@/designers/shared/issues";
import { PageHeader } from "@/designers/shared/page-header";
import { UndoRedoButtons } from "@/designers/shared/undo-redo-buttons";
import { PublishDialog } from "@/designers/shared/publish-dialog";
import { useDocumentStore } from "@/designers/shared/use-document-store";
import { useSavePublish } from "@/designers/shared/use-save-publish";
import { DraftSafety } from "@/designers/shared/conflict-dialog";
import { StudioTabs, TabPanel } from "@/designers/shared/studio-tabs";
import { VersionHistory } from "@/designers/shared/version-history";
import { useDesignerHistory } from "@/designers/shared/use-undo-shortcuts";
import { appSchema, navigationItemSchema, type AppDef, type NavigationItem } from "@/spec/app";
import { AppDesignerStore } from "./app-designer-store";

type ObjectChoice = { name: string; label: string; published: boolean };
/** A published screen flow that runs on no record (what a navigation tab can start). */
type FlowChoice = { name: string; label: string };

function itemLabel(item: NavigationItem, objects: readonly ObjectChoice[], flows: readonly FlowChoice[]): string {
  if (item.type === "url") return item.label;
  if (item.type === "flow") return item.label ?? flows.find((flow) => flow.name === item.flow)?.label ?? item.flow;
  return item.label ?? objects.find((object) => object.name === item.object)?.label ?? item.object;
}

function NavigationRow({
  id,
  position,
  item,
  objects,
  flows,
  errors,
  onChange,
  onRemove,
}: {
  id: string;
  position: number;
  item: NavigationItem;
  objects: readonly ObjectChoice[];
  flows: readonly FlowChoice[] | undefined;
  errors: { path: (string | number)[]; message: string }[];
  onChange: (item: NavigationItem, key: string) => void;
  onRemove: () => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id });
  const n = position + 1;
  const label = itemLabel(item, objects, flows ?? []);
  const object = item.type === "object" ? objects.find((choice) => choice.name === item.object) : undefined;
  const flow = item.type === "flow" ? flows?.find((choice) => choice.name === item.flow) : undefined;
  return (
    <li ref={setNodeRef} style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn("rounded-md border border-slate-200 bg-white px-2 py-2", isDragging && "relative z-10 shadow-lg ring-1 ring-brand-500",
        errors.length > 0 && "border-red-300 bg-red-50/50")}>
      <div className="flex items-center gap-2">
        <button ref={setActivatorNodeRef} type="button" aria-label={`Drag to reorder ${label}`}
          className="flex h-7 w-6 cursor-grab items-center justify-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-700"
          {...attributes} {...listeners}>
          <GripVertical className="h-4 w-4" aria-hidden />
        </button>
        <span className="flex h-7 w-7 shrink-0 items-center justify-center rounded bg-slate-100 text-slate-600">
          {item.type === "object" ? <Database className="h-3.5 w-3.5" aria-hidden /> : item.type === "flow" ? <Workflow className="h-3.5 w-3.5" aria-hidden /> : <LinkIcon className="h-3.5 w-3.5" aria-hidden />}
        </span>
        {item.type === "flow" ? (
          <>
            <div className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
              <span className="font-medium">{flow?.label ?? item.flow}</span>
              <span className="font-mono text-xs text-slate-500">{item.flow}</span>
              <Badge color="#6d28d9">Screen flow</Badge>
              {flows && !flow && <Badge color="#b91c1c">Not a published screen flow</Badge>}
            </div>
            <div className="w-52 shrink-0">
              <label htmlFor={`nav-${n}-label`} className="sr-only">Tab label {n}</label>
              <Input id={`nav-${n}-label`} value={item.label ?? ""} placeholder="Tab label (optional)" className="h-8 text-xs"
                onChange={(e) => onChange({ ...item, label: e.target.value === "" ? undefined : e.target.value }, `nav-${n}-label`)} />
            </div>
          </>
        ) : item.type === "object" ? (
          <>
            <div className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
              <span className="font-medium">{object?.label ?? item.object}</span>
              <span className="font-mono text-xs text-slate-500">{item.object}</span>
              {object && !object.published && <Badge color="#b45309">Not published</Badge>}
              {!object && objects.length > 0 && <Badge color="#b91c1c">Missing object</Badge>}
            </div>
            <div className="w-52 shrink-0">
              <label htmlFor={`nav-${n}-label`} className="sr-only">Tab label {n}</label>
              <Input id={`nav-${n}-label`} value={item.label ?? ""} placeholder="Tab label (optional)" className="h-8 text-xs"
                onChange={(e) => onChange({ ...item, label: e.target.value === "" ? undefined : e.target.value }, `nav-${n}-label`)} />
            </div>
          </>
        ) : (
          <div className="grid min-w-0 flex-1 grid-cols-[12rem_minmax(0,1fr)] gap-2">
            <div>
              <label htmlFor={`nav-${n}-link-label`} className="sr-only">Tab label {n}</label>
              <Input id={`nav-${n}-link-label`} value={item.label} className="h-8 text-xs"
                onChange={(e) => onChange({ ...item, label: e.target.value }, `nav-${n}-link-label`)} />
            </div>
            <div>
              <label htmlFor={`nav-${n}-link-url`} className="sr-only">Tab URL {n}</label>
              <Input id={`nav-${n}-link-url`} value={item.url} className="h-8 font-mono text-xs"
                onChange={(e) => onChange({ ...item, url: e.target.value }, `nav-${n}-link-url`)} />
            </div>
          </div>
        )}
        <Button variant="ghost" size="sm" className="px-1.5 hover:bg-red-50 hover:text-red-700" aria-label={`Remove ${label} from navigation`}
          onClick={onRemove}>
          <Trash2 className="h-3.5 w-3.5" aria-hidden />
        </Button>
      </div>
      {errors.map((error, i) => (
        <p key={i} role="alert" className="ml-16 mt-1 flex items-center gap-1 text-xs text-red-700">
          <CircleAlert className="h-3 w-3" aria-hidden />
          {error.path.length > 0 ? `${error.path.join(".")}: ` : ""}{error.message}
        </p>
      ))}
    </li>
  );
}

function validateApp(app: AppDef): ErrorIssue[] {
  const result = appSchema.safeParse(app);
  return result.success ? [] : zodIssues(result.error);
}

function LoadedAppDesigner({ name, initial, revision, publishedVersion, hasDraft }: {
  name: string; initial: AppDef; revision: number; publishedVersion: number | null; hasDraft: boolean;
}) {
  const trpc = useTRPC();
  const [store] = useState(() => new AppDesignerStore(initial, { baseRevision: revision }));
  const snapshot = useDocumentStore(store);
  const app = snapshot.document;
  const flow = useSavePublish({ kind: "app", name, store, initial: { publishedVersion, hasDraft }, validate: validateApp, autosave: true });
  const [tab, setTab] = useState("design");
  const objectsQuery = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  const objects: ObjectChoice[] = useMemo(
    () => (objectsQuery.data ?? []).map((item) => ({ name: item.name, label: item.label, published: item.publishedVersion !== null })),
    [objectsQuery.data],
  );
  const [objectToAdd, setObjectToAdd] = useState("");
  const flowsQuery = useQuery(trpc.flows.screenFlows.queryOptions());
  const flowChoices: FlowChoice[] | undefined = useMemo(() => flowsQuery.data?.filter((entry) => !entry.object), [flowsQuery.data]);
  const [flowToAdd, setFlowToAdd] = useState("");
  const [linkLabel, setLinkLabel] = useState("");
  const [linkUrl, setLinkUrl] = useState("");
  const [linkErrors, setLinkErrors] = useState<Record<string, string>>({});

  const { undo, redo } = useDesignerHistory(store, snapshot.dirty);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = app.navigation.map((_, index) => `nav-${index}`);

  function onDragEnd(event: DragEndEvent) {
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    store.moveNavigationItem(ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
  }

  const failure = flow.saveFailure;
  const rowErrors = (position: number) =>
    (failure?.issues ?? [])
      .filter((issue) => issue.path[0] === "navigation" && issue.path[1] === position)
      .map((issue) => ({ path: issue.path.slice(2), message: issue.message }));
  const fieldError = (key: string) => failure?.issues.find((issue) => issue.path.join(".") === key)?.message;

  const available = objects.filter((object) => object.published && !app.navigation.some((item) => item.type === "object" && item.object === object.name));
  const published = flow.server.publishedVersion !== null;
  const nothingToPublish = published && !flow.server.hasDraft && !snapshot.dirty;

  const flowsAvailable = (flowChoices ?? []).filter((choice) => !app.navigation.some((item) => item.type === "flow" && item.flow === choice.name));
  function addFlow() {
    if (!flowToAdd) return;
    store.addNavigationItem({ type: "flow", flow: flowToAdd });
    setFlowToAdd("");
  }

  function addObject() {
    if (!objectToAdd) return;
    store.addNavigationItem({ type: "object", object: objectToAdd });
    setObjectToAdd("");
  }

  function addLink(event: FormEvent) {
    event.preventDefault();
    const item = { type: "url" as const, label: linkLabel.trim(), url: linkUrl.trim() };
    const parsed = navigationItemSchema.safeParse(item);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      setLinkErrors(errors);
      return;
    }
    setLinkErrors({});
    store.addNavigationItem(parsed.data);
    setLinkLabel("");
    setLinkUrl("");
  }

  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / Apps</>}
        title={<span className="inline-flex items-center gap-2"><MetadataIcon name={app.icon} fallback={AppWindow} className="h-5 w-5 text-slate-400" />{app.label}</span>}
        meta={
          <>
            <span className="font-mono">{app.name}</span>
            <span aria-hidden>·</span>
            <DocumentStatus publishedVersion={flow.server.publishedVersion} hasDraft={flow.server.hasDraft} dirty={snapshot.dirty} />
            <span data-testid="save-status"><SaveStatusText status={flow.status} /></span>
          </>
        }
        actions={
          <>
            <UndoRedoButtons snapshot={snapshot} undo={undo} redo={redo} />
            {published && (
              <Link href={`/apps/${name}`} className="inline-flex h-9 items-center gap-1.5 rounded-md px-3 text-sm font-medium text-slate-700 hover:bg-slate-100">
                <ExternalLink className="h-4 w-4" aria-hidden /> Open app
              </Link>
            )}
            <Button onClick={() => void flow.save()} disabled={!snapshot.dirty || flow.saving}>{flow.saving ? "Saving…" : "Save draft"}</Button>
            <Button variant="primary" onClick={() => void flow.publish.start()} disabled={nothingToPublish || flow.saving || flow.publish.loading}>
              Publish
            </Button>
          </>
        }
      />
      <DraftSafety flow={flow} />
      {failure && <SaveFailureBanner failure={failure} onReload={() => void flow.reload()} onDismiss={flow.dismissSaveFailure} />}
      {flow.notice && (
        <Alert tone={flow.notice.tone === "error" ? "error" : flow.notice.tone} className="mx-6 mt-4 flex items-center justify-between">
          <span>{flow.notice.text}</span>
          {published && flow.notice.text.startsWith("Published") && (
            <Link href={`/apps/${name}`} className="font-medium underline">Open the app</Link>
          )}
        </Alert>
      )}
      <StudioTabs value={tab} onValueChange={setTab}
        tabs={[{ value: "design", label: "Design", attention: (failure?.issues.length ?? 0) > 0 }, { value: "history", label: "History" }]}>
      <TabPanel value="design" className="flex-1 focus:outline-none">
      <main className="grid flex-1 grid-cols-1 gap-6 px-6 py-4 xl:grid-cols-[22rem_minmax(0,1fr)]">
        <section aria-labelledby="app-details-heading" className="space-y-3 self-start rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="app-details-heading" className="text-sm font-semibold text-slate-800">Details</h2>
          <FormField label="Label" htmlFor="app-label" required error={fieldError("label")}>
            <Input id="app-label" value={app.label} aria-invalid={!!fieldError("label")}
              onChange={(e) => store.updateApp({ label: e.target.value }, { coalesceKey: "label" })} />
          </FormField>
          <FormField label="API name" htmlFor="app-name" help="Part of the app's URL; cannot be changed.">
            <Input id="app-name" value={app.name} readOnly disabled className="font-mono" />
          </FormField>
          <FormField label="Description" htmlFor="app-description" error={fieldError("description")}>
            <Textarea id="app-description" value={app.description ?? ""} rows={3}
              onChange={(e) => store.updateApp({ description: e.target.value === "" ? undefined : e.target.value }, { coalesceKey: "description" })} />
          </FormField>
          <FormField label="Icon" htmlFor="app-icon" error={fieldError("icon")} help="A lucide icon name, e.g. briefcase.">
            <div className="flex items-center gap-2">
              <span className="flex h-9 w-9 shrink-0 items-center justify-center rounded-md border border-slate-200 bg-slate-50">
                <MetadataIcon name={app.icon} className="h-4 w-4 text-slate-600" />
              </span>
              <Input id="app-icon" value={app.icon} onChange={(e) => store.updateApp({ icon: e.target.value }, { coalesceKey: "icon" })} />
            </div>
          </FormField>
        </section>

        <section aria-labelledby="app-navigation-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
          <div>
            <h2 id="app-navigation-heading" className="text-sm font-semibold text-slate-800">Navigation</h2>
            <p className="text-xs text-slate-500">The tabs users see in the app, in this order. Drag to reorder.</p>
          </div>
          {app.navigation.length === 0 ? (
            <EmptyState title="No navigation items">Add a published object, a screen flow or a link below.</EmptyState>
          ) : (
            <DndContext sensors={sensors} collisionDetection={closestCenter} modifiers={[restrictToVerticalAxisModifier]} onDragEnd={onDragEnd}>
              <SortableContext items={ids} strategy={verticalListSortingStrategy}>
                <ol className="space-y-1.5" aria-label="Navigation items">
                  {app.navigation.map((item, position) => (
                    <NavigationRow key={ids[position]} id={ids[position]} position={position} item={item} objects={objects} flows={flowChoices}
                      errors={rowErrors(position)}
                      onChange={(next, key) => store.updateNavigationItem(position, next, { coalesceKey: key })}
                      onRemove={() => store.removeNavigationItem(position)} />
                  ))}
                </ol>
              </SortableContext>
            </DndContext>
          )}
          <div className="grid grid-cols-1 gap-4 border-t border-slate-100 pt-4 lg:grid-cols-2">
            <div className="space-y-2">
              <FormField label="Object to add" htmlFor="nav-object-to-add"
                help={objectsQuery.isPending ? "Loading objects…" : available.length === 0 ? "Every published object is already in the navigation (only published objects can be added)." : "Only published objects can be added."}>
                <NativeSelect id="nav-object-to-add" value={objectToAdd} onChange={(e) => setObjectToAdd(e.target.value)}>
                  <option value="">Choose an object…</option>
                  {available.map((object) => <option key={object.name} value={object.name}>{object.label} ({object.name})</option>)}
                </NativeSelect>
              </FormField>
              <Button onClick={addObject} disabled={!objectToAdd}>
                <Plus className="h-4 w-4" aria-hidden /> Add to navigation
              </Button>
            </div>
            <div className="space-y-2">
              <FormField label="Screen flow to add" htmlFor="nav-flow-to-add"
                help={flowsQuery.isPending ? "Loading flows…" : flowsAvailable.length === 0 ? "No other published screen flow runs without a record (flows on a record are offered on its page)." : "A tab that starts the flow for the user."}>
                <NativeSelect id="nav-flow-to-add" value={flowToAdd} onChange={(e) => setFlowToAdd(e.target.value)}>
                  <option value="">Choose a screen flow…</option>
                  {flowsAvailable.map((choice) => <option key={choice.name} value={choice.name}>{choice.label} ({choice.name})</option>)}
                </NativeSelect>
              </FormField>
              <Button onClick={addFlow} disabled={!flowToAdd}>
                <Workflow className="h-4 w-4" aria-hidden /> Add flow
              </Button>
            </div>
            <form onSubmit={addLink} className="space-y-2" noValidate>
              <div className="grid grid-cols-2 gap-2">
                <FormField label="Link label" htmlFor="nav-link-label" error={linkErrors.label}>
                  <Input id="nav-link-label" value={linkLabel} onChange={(e) => setLinkLabel(e.target.value)} />
                </FormField>
                <FormField label="Link URL" htmlFor="nav-link-url" error={linkErrors.url}>
                  <Input id="nav-link-url" value={linkUrl} placeholder="https://… or /path" onChange={(e) => setLinkUrl(e.target.value)} />
                </FormField>
              </div>
              <Button type="submit"><LinkIcon className="h-4 w-4" aria-hidden /> Add link</Button>
            </form>
          </div>
        </section>
      </main>
      </TabPanel>
      <TabPanel value="history" className="flex-1 px-6 py-4 focus:outline-none">
        <VersionHistory kind="app" name={name} draft={app} baseRevision={snapshot.baseRevision} dirty={snapshot.dirty}
          onRestored={(detail, version) => { flow.restored(detail, version); setTab("design"); }} />
      </TabPanel>
      </StudioTabs>
      {flow.publish.open && (
        <PublishDialog open onOpenChange={flow.publish.setOpen} title={`Publish ${app.label}`} loading={flow.publish.loading}
          plan={flow.publish.plan} showPlan={false} error={flow.publish.error} requireDestructiveConfirm={flow.publish.requireDestructive}
          pending={flow.publish.pending} onConfirm={(options) => void flow.publish.confirm(options)} />
      )}
    </>
  );
}

/** /studio/apps/[name]: loads the app (draft, else published) and opens the editor. */
export function AppDesigner({ name }: { name: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.metadata.get.queryOptions({ kind: "app", name }), refetchOnWindowFocus: false, staleTime: Infinity });
  if (query.isPending) return <div className="p-6"><Spinner label="Loading app" /></div>;
  if (query.isError) {
    return (
      <div className="space-y-3 p-6">
        <h1 className="text-lg font-semibold">App {name}</h1>
        <Alert>{errorMessage(query.error)}</Alert>
        <Link href="/studio" className="text-sm font-medium text-brand-700 hover:underline">Back to the studio</Link>
      </div>
    );
  }
  const body = (query.data.draft ?? query.data.published) as AppDef | null;
  if (!body) return <div className="p-6"><Alert>This app has no content.</Alert></div>;
  return (
    <LoadedAppDesigner key={name} name={name} initial={body} revision={query.data.draftRevision}
      publishedVersion={query.data.publishedVersion} hasDraft={query.data.hasDraft} />
  );
}
