"use client";
import { useQuery } from "@tanstack/react-query";
import { Database, ExternalLink, Plus, Table2 } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { errorMessage, useTRPC, type ErrorIssue } from "@/components/trpc";
import { Alert, Button, EmptyState, Spinner } from "@/components/ui";
import { MetadataIcon } from "@/components/runtime/metadata-icon";
import { DocumentStatus, SaveStatusText } from "@/designers/shared/document-status";
import { SaveFailureBanner } from "@/designers/shared/save-failure-banner";
import { DraftSafety } from "@/designers/shared/conflict-dialog";
import { zodIssues } from "@/designers/shared/issues";
import { PageHeader } from "@/designers/shared/page-header";
import { UndoRedoButtons } from "@/designers/shared/undo-redo-buttons";
import { PublishDialog } from "@/designers/shared/publish-dialog";
import { StudioTabs, TabPanel } from "@/designers/shared/studio-tabs";
import { useDocumentStore } from "@/designers/shared/use-document-store";
import { useSavePublish, type SaveFailure } from "@/designers/shared/use-save-publish";
import { useDesignerHistory } from "@/designers/shared/use-undo-shortcuts";
import { nameFieldOf, objectSchema, type FieldDef, type ObjectDef } from "@/spec/object";
import { describeFieldPath } from "./field-form";
import { FieldDialog } from "./field-dialog";
import { FieldsList, type FieldIssue } from "./fields-list";
import { HistoryPanel } from "./history-panel";
import { FieldCommandError, newFieldId, ObjectDesignerStore } from "./object-designer-store";
import { ObjectSettingsPanel } from "./object-settings-panel";
import { describeRulePath } from "./rule-form";
import { ValidationRulesPanel } from "./validation-rules-panel";

type DialogState = { mode: "add"; id: string } | { mode: "edit"; id: string } | null;

const OBJECT_PATH_LABELS: Record<string, string> = {
  label: "Label", pluralLabel: "Plural label", description: "Description", icon: "Icon", nameField: "Name field",
  name: "API name", indexes: "Indexes", fields: "Fields", validationRules: "Validation rules",
};

/** Splits save issues into per-field issues (by field id) and object-level errors (by path). */
function splitIssues(failure: SaveFailure<ObjectDef> | null) {
  const byField: Record<string, FieldIssue[]> = {};
  const objectErrors: Record<string, string> = {};
  if (!failure) return { byField, objectErrors };
  for (const issue of failure.issues) {
    const [head, index, ...rest] = issue.path;
    if (head === "fields" && typeof index === "number") {
      const field = failure.sent.fields[index];
      if (field) {
        (byField[field.id] ??= []).push({ path: rest, message: issue.message });
        continue;
      }
    }
    const key = issue.path.join(".");
    if (!(key in objectErrors)) objectErrors[key] = issue.message;
  }
  return { byField, objectErrors };
}

function IssueSummary({ failure, object, onReload, onDismiss }: {
  failure: SaveFailure<ObjectDef>;
  object: ObjectDef;
  onReload: () => void;
  onDismiss: () => void;
}) {
  const labelFor = (index: number) => {
    const sent = failure.sent.fields[index];
    const current = sent ? object.fields.find((field) => field.id === sent.id) : undefined;
    return current?.label ?? sent?.label ?? `#${index + 1}`;
  };
  const describe = (issue: ErrorIssue) => {
    const [head, index, ...rest] = issue.path;
    if (head === "fields" && typeof index === "number") return `Field “${labelFor(index)}” — ${describeFieldPath(rest)}: ${issue.message}`;
    if (head === "validationRules" && typeof index === "number") {
      const rule = failure.sent.validationRules?.[index];
      return `Validation rule “${rule?.name ?? `#${index + 1}`}” — ${describeRulePath(rest)}: ${issue.message}`;
    }
    const label = OBJECT_PATH_LABELS[String(head)] ?? issue.path.join(".");
    return `${label}${issue.path.length > 1 ? ` (${issue.path.slice(1).join(".")})` : ""}: ${issue.message}`;
  };
  return <SaveFailureBanner failure={failure} onReload={onReload} onDismiss={onDismiss} renderIssue={describe} />;
}

function validateObject(object: ObjectDef): ErrorIssue[] {
  const result = objectSchema.safeParse(object);
  return result.success ? [] : zodIssues(result.error);
}

function LoadedObjectDesigner({
  name,
  initial,
  revision,
  publishedVersion,
  hasDraft,
}: {
  name: string;
  initial: ObjectDef;
  revision: number;
  publishedVersion: number | null;
  hasDraft: boolean;
}) {
  const trpc = useTRPC();
  const [store] = useState(() => new ObjectDesignerStore(initial, { baseRevision: revision }));
  const snapshot = useDocumentStore(store);
  const object = snapshot.document;
  const [dialog, setDialog] = useState<DialogState>(null);
  const flow = useSavePublish({
    kind: "object", name, store, initial: { publishedVersion, hasDraft }, validate: validateObject,
    autosave: true, pauseAutosave: dialog !== null,
  });
  const objectsQuery = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  const [tab, setTab] = useState("fields");
  const [removed, setRemoved] = useState<string | null>(null);

  const { undo, redo } = useDesignerHistory(store, snapshot.dirty);

  const { byField, objectErrors } = useMemo(() => splitIssues(flow.saveFailure), [flow.saveFailure]);
  const isRuleKey = (key: string) => key === "validationRules" || key.startsWith("validationRules.");
  const ruleErrors = Object.fromEntries(Object.entries(objectErrors).filter(([key]) => isRuleKey(key)));
  const settingsErrors = Object.fromEntries(Object.entries(objectErrors).filter(([key]) => !isRuleKey(key)));
  const objectChoices = useMemo(
    () => (objectsQuery.data ?? []).map((item) => ({ name: item.name, label: item.label })),
    [objectsQuery.data],
  );
  const published = flow.server.publishedVersion !== null;
  const nothingToPublish = published && !flow.server.hasDraft && !snapshot.dirty;
  const editingField = dialog?.mode === "edit" ? object.fields.find((field) => field.id === dialog.id) : undefined;

  function submitField(field: FieldDef): string | null {
    try {
      if (dialog?.mode === "edit") store.updateField(dialog.id, field);
      else store.addField(field);
      setDialog(null);
      return null;
    } catch (error) {
      if (error instanceof FieldCommandError) return error.message;
      throw error;
    }
  }

  const fieldServerErrors = (id: string): Record<string, string> => {
    const result: Record<string, string> = {};
    for (const issue of byField[id] ?? []) {
      const key = issue.path.join(".");
      if (!(key in result)) result[key] = issue.message;
    }
    return result;
  };

  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / Objects</>}
        title={<span className="inline-flex items-center gap-2"><MetadataIcon name={object.icon} fallback={Database} className="h-5 w-5 text-slate-400" />{object.label}</span>}
        meta={
          <>
            <span className="font-mono" aria-label="API name">{object.name}</span>
            <span aria-hidden>·</span>
            <span data-testid="object-status">
              <DocumentStatus publishedVersion={flow.server.publishedVersion} hasDraft={flow.server.hasDraft} dirty={snapshot.dirty} />
            </span>
            <span data-testid="save-status"><SaveStatusText status={flow.status} /></span>
          </>
        }
        actions={
          <>
            <UndoRedoButtons snapshot={snapshot} undo={undo} redo={redo} />
            {published && (
              <Link href={`/studio/objects/${name}/data`}
                className="inline-flex h-9 items-center gap-1.5 rounded-md px-3 text-sm font-medium text-slate-700 hover:bg-slate-100">
                <Table2 className="h-4 w-4" aria-hidden /> View data
              </Link>
            )}
            <Button onClick={() => void flow.save()} disabled={!snapshot.dirty || flow.saving}>
              {flow.saving ? "Saving…" : "Save draft"}
            </Button>
            <Button variant="primary" onClick={() => void flow.publish.start()} disabled={nothingToPublish || flow.saving || flow.publish.loading}
              title={nothingToPublish ? "Everything is published" : undefined}>
              Publish
            </Button>
          </>
        }
      />

      <DraftSafety flow={flow} />
      {flow.saveFailure && (
        <IssueSummary failure={flow.saveFailure} object={object} onReload={() => void flow.reload()} onDismiss={flow.dismissSaveFailure} />
      )}
      {flow.notice && (
        <Alert tone={flow.notice.tone === "error" ? "error" : flow.notice.tone} className="mx-6 mt-4 flex items-center justify-between">
          <span>{flow.notice.text}</span>
          {flow.notice.tone === "success" && published && flow.notice.text.startsWith("Published") && (
            <Link href={`/studio/objects/${name}/data`} className="inline-flex items-center gap-1 font-medium underline">
              View data <ExternalLink className="h-3.5 w-3.5" aria-hidden />
            </Link>
          )}
        </Alert>
      )}

      <div className="flex flex-1 flex-col">
        <StudioTabs
          value={tab}
          onValueChange={setTab}
          tabs={[
            { value: "fields", label: <>Fields <span aria-hidden className="rounded-full bg-slate-100 px-1.5 text-xs text-slate-600">{object.fields.length}</span></>, attention: Object.keys(byField).length > 0 },
            { value: "settings", label: "Settings", attention: Object.keys(settingsErrors).length > 0 },
            { value: "rules", label: <>Rules <span aria-hidden className="rounded-full bg-slate-100 px-1.5 text-xs text-slate-600">{object.validationRules.length}</span></>, attention: Object.keys(ruleErrors).length > 0 },
            { value: "history", label: "History" },
          ]}
        >
          <TabPanel value="fields" className="flex-1 px-6 py-4 focus:outline-none">
            <div className="mb-3 flex items-center justify-between gap-3">
              <div>
                <h2 className="text-sm font-semibold text-slate-800">Fields</h2>
                <p className="text-xs text-slate-500">
                  Drag rows to change the order forms and grids use. Every record also has id, created_at, updated_at, created_by and updated_by.
                </p>
              </div>
              <Button variant="primary" onClick={() => setDialog({ mode: "add", id: newFieldId() })}>
                <Plus className="h-4 w-4" aria-hidden /> Add field
              </Button>
            </div>
            {removed && (
              <Alert tone="info" className="mb-3 flex items-center justify-between">
                <span>Removed field {removed}.</span>
                <button type="button" className="font-medium underline" onClick={() => { store.undo(); setRemoved(null); }}>Undo remove</button>
              </Alert>
            )}
            {object.fields.length === 0 ? (
              <EmptyState title="No fields yet">Use “Add field” to create the first field of {object.label}.</EmptyState>
            ) : (
              <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
                <FieldsList
                  fields={object.fields}
                  nameField={nameFieldOf(object)}
                  issuesByFieldId={byField}
                  onEdit={(id) => setDialog({ mode: "edit", id })}
                  onRemove={(id) => {
                    const label = store.fieldById(id)?.label ?? id;
                    if (store.removeField(id)) setRemoved(label);
                  }}
                  onMove={(id, toIndex) => store.moveField(id, toIndex)}
                />
              </div>
            )}
          </TabPanel>
          <TabPanel value="settings" className="flex-1 px-6 py-4 focus:outline-none">
            <ObjectSettingsPanel store={store} object={object} errors={settingsErrors} />
          </TabPanel>
          <TabPanel value="rules" className="flex-1 px-6 py-4 focus:outline-none">
            <ValidationRulesPanel store={store} object={object} errors={ruleErrors} />
          </TabPanel>
          <TabPanel value="history" className="flex-1 px-6 py-4 focus:outline-none">
            <HistoryPanel name={name} draft={object} baseRevision={snapshot.baseRevision} dirty={snapshot.dirty}
              onRestored={(detail, version) => { flow.restored(detail, version); setTab("fields"); }} />
          </TabPanel>
        </StudioTabs>
      </div>

      {dialog && (dialog.mode === "add" || editingField) && (
        <FieldDialog
          key={dialog.id + dialog.mode}
          open
          onOpenChange={(open) => { if (!open) setDialog(null); }}
          field={editingField}
          newId={dialog.id}
          otherFields={object.fields.filter((field) => field.id !== dialog.id)}
          objects={objectChoices}
          currentObject={{ name: object.name, label: object.label }}
          serverErrors={dialog.mode === "edit" ? fieldServerErrors(dialog.id) : undefined}
          onSubmit={submitField}
        />
      )}

      {flow.publish.open && (
        <PublishDialog
          open
          onOpenChange={flow.publish.setOpen}
          title={`Publish ${object.label}`}
          loading={flow.publish.loading}
          plan={flow.publish.plan}
          showPlan
          error={flow.publish.error}
          requireDestructiveConfirm={flow.publish.requireDestructive}
          pending={flow.publish.pending}
          onConfirm={(options) => void flow.publish.confirm(options)}
        />
      )}
    </>
  );
}

/** /studio/objects/[name]: loads the object (draft, else published) and opens the designer. */
export function ObjectDesigner({ name }: { name: string }) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.metadata.get.queryOptions({ kind: "object", name }),
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  if (query.isPending) {
    return <div className="p-6"><Spinner label="Loading object" /></div>;
  }
  if (query.isError) {
    return (
      <div className="space-y-3 p-6">
        <h1 className="text-lg font-semibold">Object {name}</h1>
        <Alert>{errorMessage(query.error)}</Alert>
        <Link href="/studio" className="text-sm font-medium text-brand-700 hover:underline">Back to the studio</Link>
      </div>
    );
  }
  const detail = query.data;
  const stored = (detail.draft ?? detail.published) as (Omit<ObjectDef, "validationRules"> & Partial<Pick<ObjectDef, "validationRules">>) | null;
  if (!stored) return <div className="p-6"><Alert>This object has no content.</Alert></div>;
  // Definitions saved before validation rules existed have no `validationRules`.
  const body: ObjectDef = { ...stored, validationRules: stored.validationRules ?? [] };
  return (
    <LoadedObjectDesigner
      key={name}
      name={name}
      initial={body}
      revision={detail.draftRevision}
      publishedVersion={detail.publishedVersion}
      hasDraft={detail.hasDraft}
    />
  );
}
