"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useTRPC, type ErrorIssue } from "@/components/trpc";
import type { MetadataKind } from "@/spec/metadata";
import type { DocumentStore } from "./document-store";
import { describeError } from "./issues";
import type { PublishPlan } from "./publish-dialog";

export type ServerState = { publishedVersion: number | null; hasDraft: boolean };
export type SaveFailure<T> = { message: string; issues: ErrorIssue[]; code: string | null; sent: T };
export type Notice = { tone: "success" | "error" | "info"; text: string } | null;

/**
 * Save draft / publish for a designer store: optimistic-concurrency saves (`baseRevision`), a
 * conflict keeps the user's edits; publish saves first when dirty, previews the plan, then
 * publishes (with confirmDestructive when the admin accepted data loss).
 */
export function useSavePublish<T>({
  kind,
  name,
  store,
  initial,
  validate,
}: {
  kind: MetadataKind;
  name: string;
  store: DocumentStore<T>;
  initial: ServerState;
  /** Local validation before sending (same issue shape as the server's). */
  validate?: (document: T) => ErrorIssue[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [server, setServer] = useState<ServerState>(initial);
  const [saveFailure, setSaveFailure] = useState<SaveFailure<T> | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [publishOpen, setPublishOpen] = useState(false);
  const [publishLoading, setPublishLoading] = useState(false);
  const [plan, setPlan] = useState<PublishPlan>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [requireDestructive, setRequireDestructive] = useState(false);

  const saveMutation = useMutation(trpc.metadata.saveDraft.mutationOptions());
  const publishMutation = useMutation(trpc.metadata.publish.mutationOptions());

  const save = useCallback(async (): Promise<boolean> => {
    const sent = store.document;
    setNotice(null);
    const local = validate?.(sent) ?? [];
    if (local.length > 0) {
      setSaveFailure({ message: `The ${kind} has ${local.length} problem${local.length === 1 ? "" : "s"}; it was not saved.`, issues: local, code: "BAD_REQUEST", sent });
      return false;
    }
    try {
      const detail = await saveMutation.mutateAsync({ kind, name, body: sent, baseRevision: store.revision });
      store.markSaved(sent, detail.draftRevision);
      setServer({ publishedVersion: detail.publishedVersion, hasDraft: detail.hasDraft });
      setSaveFailure(null);
      setNotice({ tone: "success", text: "Draft saved." });
      queryClient.setQueryData(trpc.metadata.get.queryKey({ kind, name }), detail);
      void queryClient.invalidateQueries({ queryKey: trpc.metadata.list.queryKey() });
      return true;
    } catch (error) {
      const { message, issues, code } = describeError(error);
      setSaveFailure({ message, issues, code, sent });
      return false;
    }
  }, [kind, name, queryClient, saveMutation, store, trpc, validate]);

  const startPublish = useCallback(async () => {
    setNotice(null);
    setPublishError(null);
    setRequireDestructive(false);
    setPlan(null);
    if (store.dirty) {
      const saved = await save();
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
      if (issues.length > 0) setSaveFailure({ message, issues, code, sent: store.document });
    } finally {
      setPublishLoading(false);
    }
  }, [kind, name, queryClient, save, store, trpc]);

  const confirmPublish = useCallback(
    async ({ confirmDestructive, note }: { confirmDestructive: boolean; note?: string }) => {
      setPublishError(null);
      try {
        const result = await publishMutation.mutateAsync({ kind, name, confirmDestructive, note });
        setServer({ publishedVersion: result.version, hasDraft: false });
        setPublishOpen(false);
        setNotice({ tone: "success", text: `Published version ${result.version}.` });
        const detail = await queryClient.fetchQuery({ ...trpc.metadata.get.queryOptions({ kind, name }), staleTime: 0 });
        const body = (detail.draft ?? detail.published) as T | null;
        if (body) store.markSaved(body, detail.draftRevision);
        setServer({ publishedVersion: detail.publishedVersion, hasDraft: detail.hasDraft });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.metadata.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() }),
        ]);
      } catch (error) {
        const { message, issues, code } = describeError(error);
        setPublishError(message);
        if (issues.length > 0) setSaveFailure({ message, issues, code, sent: store.document });
        if (code === "PRECONDITION_FAILED") setRequireDestructive(true);
      }
    },
    [kind, name, publishMutation, queryClient, store, trpc],
  );

  /** Throws away local edits and loads the server's current document (after a conflict). */
  const reload = useCallback(async () => {
    const detail = await queryClient.fetchQuery({ ...trpc.metadata.get.queryOptions({ kind, name }), staleTime: 0 });
    const body = (detail.draft ?? detail.published) as T | null;
    if (body) store.load(body, detail.draftRevision);
    setServer({ publishedVersion: detail.publishedVersion, hasDraft: detail.hasDraft });
    setSaveFailure(null);
    setNotice({ tone: "info", text: "Reloaded the latest saved version." });
  }, [kind, name, queryClient, store, trpc]);

  return {
    server,
    save,
    saving: saveMutation.isPending,
    saveFailure,
    dismissSaveFailure: () => setSaveFailure(null),
    notice,
    dismissNotice: () => setNotice(null),
    reload,
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
