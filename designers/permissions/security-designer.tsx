"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC, type ErrorIssue } from "@/components/trpc";
import { Alert, Button, Spinner } from "@/components/ui";
import { DocumentStatus, SaveStatusText } from "@/designers/shared/document-status";
import { SaveFailureBanner } from "@/designers/shared/save-failure-banner";
import { DraftSafety } from "@/designers/shared/conflict-dialog";
import { VersionHistory } from "@/designers/shared/version-history";
import { describeError } from "@/designers/shared/issues";
import { PageHeader } from "@/designers/shared/page-header";
import { PublishDialog } from "@/designers/shared/publish-dialog";
import { StudioTabs, TabPanel } from "@/designers/shared/studio-tabs";
import { UndoRedoButtons } from "@/designers/shared/undo-redo-buttons";
import { useDocumentStore } from "@/designers/shared/use-document-store";
import { useSavePublish, type SaveFailure } from "@/designers/shared/use-save-publish";
import { useDesignerHistory } from "@/designers/shared/use-undo-shortcuts";
import { SECURITY_DOCUMENT, securitySchema, type SecurityModel } from "@/spec/security";
import { AccessExplainTab } from "./access-explain-tab";
import { FieldHistoryTab } from "./field-history-tab";
import { GroupsTab } from "./groups-tab";
import { ProfilesTab } from "./profiles-tab";
import { RolesTab } from "./roles-tab";
import { tabOfIssue } from "./security-issues";
import { SecurityDesignerStore } from "./security-designer-store";
import { SharingTab } from "./sharing-tab";
import type { SecurityView } from "./tab-props";
import { useSecurityCatalog } from "./use-security-catalog";
import { UsersTab } from "./users-tab";

const TABS = [
  { value: "profiles", label: "Profiles & permission sets" },
  { value: "roles", label: "Roles" },
  { value: "groups", label: "Groups" },
  { value: "sharing", label: "Sharing" },
  { value: "users", label: "Users" },
  { value: "history", label: "Field history" },
  { value: "explain", label: "Access explain" },
  { value: "versions", label: "History" },
] as const;

/** How an issue's path reads for a person: "Role VP Sales › parent". */
function describePath(doc: SecurityModel, path: readonly (string | number)[], userName: (id: string) => string): string {
  const [head, key, ...rest] = path;
  const named = (list: { name: string; label: string }[], noun: string) => {
    const item = typeof key === "number" ? list[key] : undefined;
    return [`${noun} ${item ? item.label : String(key ?? "")}`, ...rest].join(" › ");
  };
  switch (head) {
    case "profiles": return named(doc.profiles, "Profile");
    case "permissionSets": return named(doc.permissionSets, "Permission set");
    case "roles": return named(doc.roles, "Role");
    case "groups": return named(doc.groups, "Group");
    case "sharingRules": return named(doc.sharingRules, "Sharing rule");
    case "assignments": return [`User ${userName(String(key))}`, ...rest].join(" › ");
    case "defaultProfile": return "Default profile";
    case "orgWideDefaults": return `Org-wide default of ${String(key)}`;
    case "trackedFields": return `Field history of ${String(key)}`;
    default: return path.join(".") || "Security";
  }
}

function LoadedSecurityDesigner({ initial, revision, exists, publishedVersion, hasDraft }: {
  initial: SecurityModel; revision: number; exists: boolean; publishedVersion: number | null; hasDraft: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [store] = useState(() => new SecurityDesignerStore(initial, { baseRevision: revision }));
  const snapshot = useDocumentStore(store);
  const doc = snapshot.document;
  // The first save creates the document (metadata.create); later ones are draft saves.
  const [created, setCreated] = useState(exists);
  // Autosave only once the document exists: the first save is an explicit "Save draft" (a create).
  const flow = useSavePublish({ kind: "security", name: SECURITY_DOCUMENT, store, initial: { publishedVersion, hasDraft }, autosave: created });
  const catalog = useSecurityCatalog();
  const [tab, setTab] = useState<string>("profiles");
  const [view, setViewState] = useState<SecurityView>(() => ({
    set: initial.profiles[0] ? { kind: "profiles", name: initial.profiles[0].name } : null,
    group: initial.groups[0]?.name ?? null,
    historyObject: null,
  }));
  const { undo, redo } = useDesignerHistory(store, snapshot.dirty);

  const [createFailure, setCreateFailure] = useState<SaveFailure<SecurityModel> | null>(null);
  const createMutation = useMutation(trpc.metadata.create.mutationOptions());
  const [createdNotice, setCreatedNotice] = useState(false);

  async function save(): Promise<boolean> {
    setCreatedNotice(false);
    if (created) return flow.save();
    const sent = store.document;
    try {
      const detail = await createMutation.mutateAsync({ kind: "security", body: sent });
      store.markSaved(sent, detail.draftRevision);
      setCreated(true);
      setCreateFailure(null);
      setCreatedNotice(true);
      queryClient.setQueryData(trpc.metadata.get.queryKey({ kind: "security", name: SECURITY_DOCUMENT }), detail);
      return true;
    } catch (error) {
      setCreateFailure({ ...describeError(error), sent });
      return false;
    }
  }

  async function publish() {
    setCreatedNotice(false);
    if (!created && !(await save())) return;
    await flow.publish.start();
  }

  const failure = createFailure ?? flow.saveFailure;
  const issues: ErrorIssue[] = failure?.issues ?? [];
  const published = flow.server.publishedVersion !== null;
  const nothingToPublish = created && published && !flow.server.hasDraft && !snapshot.dirty;
  const saving = flow.saving || createMutation.isPending;
  const tabProps = { store, doc, catalog, issues, view, setView: (patch: Partial<SecurityView>) => setViewState((current) => ({ ...current, ...patch })) };

  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / Security</>}
        title={<span className="inline-flex items-center gap-2"><ShieldCheck className="h-5 w-5 text-slate-400" aria-hidden />Permissions and sharing</span>}
        meta={
          <>
            <span>Who may see and change which records and fields</span>
            <span aria-hidden>·</span>
            {created ? <DocumentStatus publishedVersion={flow.server.publishedVersion} hasDraft={flow.server.hasDraft} dirty={snapshot.dirty} />
              : <span className="text-slate-500">Not saved yet</span>}
            <span data-testid="save-status"><SaveStatusText status={flow.status} /></span>
          </>
        }
        actions={
          <>
            <UndoRedoButtons snapshot={snapshot} undo={undo} redo={redo} />
            <Button onClick={() => void save()} disabled={!snapshot.dirty || saving}>{saving ? "Saving…" : "Save draft"}</Button>
            <Button variant="primary" onClick={() => void publish()} disabled={nothingToPublish || saving || flow.publish.loading}
              title={nothingToPublish ? "Everything is published" : undefined}>
              Publish
            </Button>
          </>
        }
      />
      <DraftSafety flow={flow} />
      {failure && (
        <SaveFailureBanner failure={failure} issues={issues} onReload={() => void flow.reload()}
          onDismiss={() => { setCreateFailure(null); flow.dismissSaveFailure(); }}
          renderIssue={(issue) => (
            <>
              <button type="button" className="text-left underline decoration-red-300 underline-offset-2 hover:decoration-red-700"
                onClick={() => setTab(tabOfIssue(issue))}>
                {describePath(failure.sent, issue.path, catalog.userName)}
              </button>: {issue.message}
            </>
          )} />
      )}
      {flow.notice ? (
        <Alert tone={flow.notice.tone === "error" ? "error" : flow.notice.tone} className="mx-6 mt-4">{flow.notice.text}</Alert>
      ) : createdNotice && <Alert tone="success" className="mx-6 mt-4">Draft saved.</Alert>}
      <div className="flex flex-1 flex-col">
        <StudioTabs value={tab} onValueChange={setTab}
          tabs={TABS.map((item) => ({ ...item, attention: issues.some((issue) => tabOfIssue(issue) === item.value) }))}>
          <TabPanel value="profiles" className="flex-1 px-6 py-4 focus:outline-none"><ProfilesTab {...tabProps} /></TabPanel>
          <TabPanel value="roles" className="flex-1 px-6 py-4 focus:outline-none"><RolesTab {...tabProps} /></TabPanel>
          <TabPanel value="groups" className="flex-1 px-6 py-4 focus:outline-none"><GroupsTab {...tabProps} /></TabPanel>
          <TabPanel value="sharing" className="flex-1 px-6 py-4 focus:outline-none"><SharingTab {...tabProps} /></TabPanel>
          <TabPanel value="users" className="flex-1 px-6 py-4 focus:outline-none"><UsersTab {...tabProps} /></TabPanel>
          <TabPanel value="history" className="flex-1 px-6 py-4 focus:outline-none"><FieldHistoryTab {...tabProps} /></TabPanel>
          <TabPanel value="explain" className="flex-1 px-6 py-4 focus:outline-none"><AccessExplainTab {...tabProps} /></TabPanel>
          <TabPanel value="versions" className="flex-1 px-6 py-4 focus:outline-none">
            {created ? (
              <VersionHistory kind="security" name={SECURITY_DOCUMENT} draft={doc} baseRevision={snapshot.baseRevision} dirty={snapshot.dirty}
                onRestored={(detail, version) => { flow.restored(detail, version); setTab("profiles"); }} />
            ) : <p className="text-sm text-slate-600">The security model has not been saved yet: its published versions will be listed here.</p>}
          </TabPanel>
        </StudioTabs>
      </div>
      {flow.publish.open && (
        <PublishDialog open onOpenChange={flow.publish.setOpen} title="Publish the security model" loading={flow.publish.loading}
          plan={flow.publish.plan} showPlan={false} error={flow.publish.error} requireDestructiveConfirm={flow.publish.requireDestructive}
          pending={flow.publish.pending} onConfirm={(options) => void flow.publish.confirm(options)} />
      )}
    </>
  );
}

/** /studio/security: loads the one security document (draft, else published), or starts an empty one. */
export function SecurityDesigner() {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.metadata.get.queryOptions({ kind: "security", name: SECURITY_DOCUMENT }),
    refetchOnWindowFocus: false,
    staleTime: Infinity,
    retry: false,
  });
  if (query.isPending) return <div className="p-6"><Spinner label="Loading the security model" /></div>;
  if (query.isError) {
    if (describeError(query.error).code === "NOT_FOUND") {
      return <LoadedSecurityDesigner initial={securitySchema.parse({})} revision={0} exists={false} publishedVersion={null} hasDraft={false} />;
    }
    return (
      <div className="space-y-3 p-6">
        <h1 className="text-lg font-semibold">Permissions and sharing</h1>
        <Alert>{errorMessage(query.error)}</Alert>
      </div>
    );
  }
  const body = query.data.draft ?? query.data.published;
  const parsed = securitySchema.safeParse(body ?? {});
  const initial = parsed.success ? parsed.data : (body as unknown as SecurityModel);
  return (
    <LoadedSecurityDesigner initial={initial} revision={query.data.draftRevision} exists
      publishedVersion={query.data.publishedVersion} hasDraft={query.data.hasDraft} />
  );
}
