"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RotateCcw } from "lucide-react";
import { useMemo, useState, type ReactNode } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, Button, ConfirmDialog, EmptyState, NativeSelect, Spinner, cn } from "@/components/ui";
import type { MetadataKind } from "@/spec/metadata";
import { ChangeList } from "./change-list";
import type { ServerDetail } from "./draft-sync";
import { diffDocuments, rawChanges, redactSecrets } from "./version-diff";

/** A side of the comparison: a published version, or the designer's current draft. */
type Side = number | "draft";

function formatDate(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function sideLabel(side: Side): string {
  return side === "draft" ? "Current draft" : `Version ${side}`;
}

function formatRaw(value: unknown): string {
  return value === null ? "—" : JSON.stringify(value);
}

/** The document of one side: fetched for a version, given for the draft. */
function useSideDocument(kind: MetadataKind, name: string, side: Side | null, draft: unknown) {
  const trpc = useTRPC();
  const version = typeof side === "number" ? side : 1;
  const query = useQuery({ ...trpc.metadata.getVersion.queryOptions({ kind, name, version }), enabled: typeof side === "number", staleTime: Infinity });
  if (side === null) return { document: null, loading: false, error: null };
  if (side === "draft") return { document: draft, loading: false, error: null };
  return { document: query.data ?? null, loading: query.isPending, error: query.isError ? errorMessage(query.error) : null };
}

/**
 * The published versions of any metadata document (object, app, security, form, view, data
 * source): who published each and when, with its note; a readable comparison between any two
 * versions or a version and the current draft (and the raw JSON paths); and "Restore this
 * version", which makes it the working draft (`metadata.restoreVersion`) for the designer to load
 * through `onRestored` and the admin to publish.
 */
export function VersionHistory({
  kind,
  name,
  draft,
  baseRevision,
  dirty = false,
  onRestored,
  renderVersion,
}: {
  kind: MetadataKind;
  name: string;
  /** The designer's current document (with unsaved edits), compared as "Current draft". */
  draft?: unknown;
  /** The draft revision the designer holds (the restore is refused if the server's moved on). */
  baseRevision: number;
  /** The designer has unsaved edits (they are set aside in a local backup when a version is restored). */
  dirty?: boolean;
  onRestored: (detail: ServerDetail, version: number) => void;
  /** Optional summary of a version's contents (e.g. an object's fields table). */
  renderVersion?: (document: unknown, version: number) => ReactNode;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.metadata.history.queryOptions({ kind, name }));
  const restore = useMutation(trpc.metadata.restoreVersion.mutationOptions());
  const [selected, setSelected] = useState<number | null>(null);
  const [compareWith, setCompareWith] = useState<Side | null | undefined>(undefined);
  const [raw, setRaw] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [restoreError, setRestoreError] = useState<string | null>(null);

  const versions = useMemo(() => history.data ?? [], [history.data]);
  const current = selected ?? versions[0]?.version ?? null;
  const previous = versions.find((entry) => current !== null && entry.version < current)?.version ?? null;
  // By default a version is compared with the one before it (the first with nothing: "created").
  const base: Side | null = compareWith === undefined ? previous : compareWith;
  const hasDraft = draft !== undefined;

  const left = useSideDocument(kind, name, base, draft);
  const right = useSideDocument(kind, name, current, draft);
  const changes = useMemo(
    () => (left.loading || right.loading || right.document === null ? [] : diffDocuments(left.document, right.document)),
    [left.document, left.loading, right.document, right.loading],
  );
  const rawList = useMemo(() => (raw && right.document !== null ? rawChanges(left.document, right.document) : []), [raw, left.document, right.document]);

  if (history.isPending) return <Spinner label="Loading history" />;
  if (history.isError) return <Alert>{errorMessage(history.error)}</Alert>;
  if (versions.length === 0 || current === null) {
    return <EmptyState title="Not published yet">Each publish is kept here as a version you can compare and restore.</EmptyState>;
  }
  const entry = versions.find((item) => item.version === current);
  const choices: Side[] = [...(hasDraft ? (["draft"] as Side[]) : []), ...versions.map((item) => item.version).filter((version) => version !== current)];

  async function confirmRestore() {
    if (current === null) return;
    setRestoreError(null);
    try {
      const detail = await restore.mutateAsync({ kind, name, version: current, baseRevision });
      onRestored(detail as ServerDetail, current);
      await queryClient.invalidateQueries({ queryKey: trpc.metadata.history.queryKey({ kind, name }) });
    } catch (error) {
      setRestoreError(errorMessage(error));
    }
  }

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[18rem_minmax(0,1fr)]">
      <ol className="divide-y divide-slate-100 self-start rounded-lg border border-slate-200 bg-white" aria-label="Versions">
        {versions.map((item) => (
          <li key={item.version}>
            <button type="button" onClick={() => { setSelected(item.version); setCompareWith(undefined); setRestoreError(null); }}
              aria-current={item.version === current ? "true" : undefined} aria-label={`View version ${item.version}`}
              className={cn("block w-full px-3 py-2 text-left hover:bg-slate-50", item.version === current && "bg-brand-50")}>
              <span className="flex items-center gap-2 text-sm font-medium">
                Version {item.version}
                {item.current && <Badge color="#047857">Live</Badge>}
              </span>
              <span className="block text-xs text-slate-500">
                {formatDate(item.publishedAt)}
                {item.publishedBy && <> · {item.publishedBy.name ?? item.publishedBy.email ?? "unknown user"}</>}
              </span>
              {item.note && <span className="block truncate text-xs text-slate-600" title={item.note}>{item.note}</span>}
            </button>
          </li>
        ))}
      </ol>

      <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" aria-label={`Version ${current}`}>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 className="text-sm font-semibold">Version {current}{entry?.current && <span className="ml-2 font-normal text-emerald-700">(live)</span>}</h2>
            {entry && (
              <p className="text-xs text-slate-500">
                Published {formatDate(entry.publishedAt)}
                {entry.publishedBy && <> by {entry.publishedBy.name ?? entry.publishedBy.email}</>}
                {entry.note && <> · “{entry.note}”</>}
              </p>
            )}
          </div>
          <Button size="sm" onClick={() => { setRestoreError(null); setConfirming(true); }} disabled={restore.isPending}>
            <RotateCcw className="h-3.5 w-3.5" aria-hidden /> Restore this version
          </Button>
        </div>
        {restoreError && <Alert>{restoreError}</Alert>}

        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label htmlFor="history-compare" className="text-slate-600">Changes from</label>
          <span className="w-52">
            <NativeSelect id="history-compare" value={base === null ? "" : String(base)}
              onChange={(event) => setCompareWith(event.target.value === "" ? null : event.target.value === "draft" ? "draft" : Number(event.target.value))}>
              <option value="">Nothing (full contents)</option>
              {choices.map((side) => <option key={String(side)} value={String(side)}>{sideLabel(side)}</option>)}
            </NativeSelect>
          </span>
          <span className="text-slate-600">to version {current}</span>
          <label className="ml-auto inline-flex items-center gap-1.5 text-xs text-slate-600">
            <input type="checkbox" checked={raw} onChange={(event) => setRaw(event.target.checked)} /> Raw JSON paths
          </label>
        </div>

        {left.error || right.error ? (
          <Alert>{left.error ?? right.error}</Alert>
        ) : left.loading || right.loading ? (
          <Spinner label="Loading versions" />
        ) : raw ? (
          <div className="overflow-x-auto rounded-md border border-slate-200">
            <table className="w-full text-xs" aria-label="Raw changes">
              <thead className="bg-slate-50 text-left text-slate-500"><tr><th className="px-2 py-1">Path</th><th className="px-2 py-1">{base === null ? "Before" : sideLabel(base)}</th><th className="px-2 py-1">Version {current}</th></tr></thead>
              <tbody className="divide-y divide-slate-100 font-mono">
                {rawList.map((change) => (
                  <tr key={change.path}><td className="px-2 py-1">{change.path}</td><td className="px-2 py-1 text-red-700">{formatRaw(change.before)}</td><td className="px-2 py-1 text-emerald-700">{formatRaw(change.after)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : base === null ? (
          <p className="text-sm text-slate-600">{previous === null ? `The first version: it created the ${kind}.` : "Its full contents are below."}</p>
        ) : (
          <ChangeList changes={changes} label={`Changes from ${sideLabel(base).toLowerCase()} to version ${current}`} empty="The two are identical." />
        )}

        {right.document !== null && renderVersion?.(right.document, current)}
        {right.document !== null && (
          <details className="rounded-md border border-slate-200 bg-slate-50">
            <summary className="cursor-pointer px-3 py-1.5 text-xs font-medium text-slate-600">JSON of version {current}</summary>
            <pre className="max-h-80 overflow-auto px-3 py-2 text-xs">{JSON.stringify(redactSecrets(right.document), null, 2)}</pre>
          </details>
        )}
      </section>

      <ConfirmDialog open={confirming} onOpenChange={setConfirming} danger={false}
        title={`Restore version ${current}?`}
        description={`Version ${current} becomes the working draft. Nothing changes for users until you review and publish it as a new version.`}
        confirmLabel="Restore as draft" onConfirm={() => void confirmRestore()}>
        {dirty && <Alert tone="warning">Your unsaved edits are replaced; they stay in a local backup you can restore.</Alert>}
      </ConfirmDialog>
    </div>
  );
}
