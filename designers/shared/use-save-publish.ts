"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useTRPC, useTRPCClient, type ErrorIssue } from "@/components/trpc";
import type { MetadataKind } from "@/spec/metadata";
import type { DocumentStore } from "./document-store";
import { DraftSync, TransportError, type DraftTransport, type ServerDetail, type ServerState } from "./draft-sync";
import { describeError } from "./issues";
import { browserStorage } from "./local-backup";
import type { PublishPlan } from "./publish-dialog";

export type { ServerState, SaveFailure, Notice } from "./draft-sync";

/**
 * Save draft / publish for a designer store: optimistic-concurrency saves (`baseRevision`),
 * publish saves first when dirty, previews the plan, then publishes (with confirmDestructive when
 * the admin accepted data loss). Saving itself lives in DraftSync (draft-sync.ts): a stale save
 * opens a conflict (merge / keep mine / take theirs), unsaved edits are backed up locally, and
 * with `autosave` the draft is saved a moment after the last edit.
 */
export function useSavePublish<T>({
  kind,
  name,
  store,
  initial,
  validate,
  autosave = false,
  autosaveDelayMs,
  pauseAutosave = false,
}: {
  kind: MetadataKind;
  name: string;
  store: DocumentStore<T>;
  initial: ServerState;
  /** Local validation before sending (same issue shape as the server's). */
  validate?: (document: T) => ErrorIssue[];
  /** Save the draft automatically a moment after the last edit. */
  autosave?: boolean;
  autosaveDelayMs?: number;
  /** The designer has a dialog open: autosave waits (the publish and conflict dialogs pause it already). */
  pauseAutosave?: boolean;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [publishOpen, setPublishOpen] = useState(false);
  const [publishLoading, setPublishLoading] = useState(false);
  const [plan, setPlan] = useState<PublishPlan>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [requireDestructive, setRequireDestructive] = useState(false);
  const publishMutation = useMutation(trpc.metadata.publish.mutationOptions());

  // Read by the sync object at the moment it needs them (they change between renders).
  const latest = useRef({ validate, paused: pauseAutosave || publishOpen });
  useEffect(() => {
    latest.current = { validate, paused: pauseAutosave || publishOpen };
  });

  const [sync] = useState(() => {
    const transport: DraftTransport<T> = {
      save: async (body, baseRevision) => {
        try {
          const detail = await client.metadata.saveDraft.mutate({ kind, name, body, baseRevision });
          queryClient.setQueryData(trpc.metadata.get.queryKey({ kind, name }), detail);
          void queryClient.invalidateQueries({ queryKey: trpc.metadata.list.queryKey() });
          return detail as ServerDetail;
        } catch (error) {
          const { message, issues, code } = describeError(error);
          throw new TransportError(message, code, issues);
        }
      },
      fetch: async () => {
        try {
          return (await queryClient.fetchQuery({ ...trpc.metadata.get.queryOptions({ kind, name }), staleTime: 0 })) as ServerDetail;
        } catch (error) {
          const { message, issues, code } = describeError(error);
          throw new TransportError(message, code, issues);
        }
      },
    };
    return new DraftSync<T>(store, {
      kind,
      name,
      transport,
      initial,
      validate: (document) => latest.current.validate?.(document) ?? [],
      storage: browserStorage(),
      autosave,
      autosaveDelayMs,
      isPaused: () => latest.current.paused,
    });
  });
  useEffect(() => sync.start(), [sync]);
  useEffect(() => sync.setAutosave(autosave), [sync, autosave]);
  const state = useSyncExternalStore(sync.subscribe, sync.getSnapshot, sync.getSnapshot);

  const save = useCallback((): Promise<boolean> => sync.save(), [sync]);

  const startPublish = useCallback(async () => {
    sync.setNotice(null);
    setPublishError(null);
    setRequireDestructive(false);
    setPlan(null);
    if (store.dirty) {
      const saved = await sync.save();
      if (!saved) return;
    }
    setPublishOpen(true);
    setPublishLoading(true);
    try {
      const preview = await queryClient.fetchQuery({ ...trpc.metadata.previewPublish.queryOptions({ kind, name }), staleTime: 0 });
      setPlan((preview as { plan: PublishPlan }).plan);
    } catch (error) {
      const { message, issues, code } = describeError(error);
      setPublishError(message);
      // Issues with paths (e.g. a lookup to an unknown object) are also shown on the rows they name.
      if (issues.length > 0) sync.setFailure({ message, issues, code, sent: store.document });
    } finally {
      setPublishLoading(false);
    }
  }, [kind, name, queryClient, store, sync, trpc]);

  const confirmPublish = useCallback(
    async ({ confirmDestructive, note }: { confirmDestructive: boolean; note?: string }) => {
      setPublishError(null);
      try {
        const result = await publishMutation.mutateAsync({ kind, name, confirmDestructive, note });
        sync.setServer({ publishedVersion: result.version, hasDraft: false });
        setPublishOpen(false);
        sync.setNotice({ tone: "success", text: `Published version ${result.version}.` });
        const detail = await queryClient.fetchQuery({ ...trpc.metadata.get.queryOptions({ kind, name }), staleTime: 0 });
        const body = (detail.draft ?? detail.published) as T | null;
        if (body) store.markSaved(body, detail.draftRevision);
        sync.setServer({ publishedVersion: detail.publishedVersion, hasDraft: detail.hasDraft });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() }),
          // Any publish may break or mend a published flow (a field removed, a flow fixed): the studio's flags follow.
          queryClient.invalidateQueries({ queryKey: trpc.flows.problems.queryKey() }),
        ]);
      } catch (error) {
        const { message, issues, code } = describeError(error);
        setPublishError(message);
        if (issues.length > 0) sync.setFailure({ message, issues, code, sent: store.document });
        if (code === "PRECONDITION_FAILED") setRequireDestructive(true);
      }
    },
    [kind, name, publishMutation, queryClient, store, sync, trpc],
  );

  /** Throws away local edits and loads the server's current document (after a conflict). */
  const reload = useCallback(() => sync.reload(), [sync]);

  /** A version was restored as the draft (VersionHistory's onRestored): load it into the designer. */
  const restored = useCallback(
    (detail: ServerDetail, version: number) => {
      // Unsaved edits are replaced by the restored version: keep them restorable.
      sync.setAside();
      sync.loadDetail(detail);
      sync.setNotice({ tone: "info", text: `Restored version ${version} as the draft. Review it, then publish to make it live.` });
      queryClient.setQueryData(trpc.metadata.get.queryKey({ kind, name }), detail as never);
      void queryClient.invalidateQueries({ queryKey: trpc.metadata.list.queryKey() });
    },
    [kind, name, queryClient, sync, trpc],
  );

  const conflict = state.conflict;
  return {
    server: state.server,
    save,
    saving: state.saving,
    saveFailure: state.failure,
    dismissSaveFailure: () => sync.setFailure(null),
    notice: state.notice,
    dismissNotice: () => sync.setNotice(null),
    reload,
    /** "Saving…", "All changes saved", "Not saved: <reason>" for the header. */
    status: state.status,
    /** A stale save: the other person's draft, both sides' changes, and the ways out. */
    conflict: {
      state: conflict,
      merge: () => sync.merge(),
      keepMine: () => sync.keepMine(),
      takeTheirs: () => sync.takeTheirs(),
      close: () => sync.closeConflict(),
    },
    /** Unsaved edits from an earlier session (offer "Restore unsaved edits" / "Discard"). */
    recovery: {
      backup: state.recovery,
      restore: () => sync.restoreRecovery(),
      discard: () => sync.discardRecovery(),
    },
    /** Edits set aside by "Take theirs". */
    discarded: {
      backup: state.discarded,
      restore: () => sync.restoreDiscarded(),
      forget: () => sync.forgetDiscarded(),
    },
    restored,
    publish: {
      open: publishOpen,
      setOpen: setPublishOpen,
      loading: publishLoading,
      plan,
      error: publishError,
      requireDestructive,
      pending: publishMutation.isPending,
      start: startPublish,
      confirm: confirmPublish,
    },
  };
}

export type SavePublishFlow = ReturnType<typeof useSavePublish>;
