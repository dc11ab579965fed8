"use client";
import { History, RotateCcw } from "lucide-react";
import { useState } from "react";
import { Alert, Button, Dialog } from "@/components/ui";
import { ChangeList } from "./change-list";
import type { ConflictState } from "./draft-sync";
import type { SavePublishFlow } from "./use-save-publish";

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * Someone else saved this document since it was loaded: what they changed, what I changed, and
 * the ways out. "Merge" only when both edits fit together; nothing is ever thrown away silently.
 */
export function ConflictDialog<T>({
  conflict,
  onMerge,
  onKeepMine,
  onTakeTheirs,
  onClose,
}: {
  conflict: ConflictState<T>;
  onMerge: () => void;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  onClose: () => void;
}) {
  const [showDifferences, setShowDifferences] = useState(false);
  return (
    <Dialog open onOpenChange={(open) => { if (!open && !conflict.pending) onClose(); }} width="44rem"
      title="Someone else saved this draft"
      description="Your edits are safe. Choose how to combine them with the draft saved meanwhile.">
      <div className="space-y-4">
        <section aria-labelledby="conflict-theirs">
          <h3 id="conflict-theirs" className="mb-1.5 text-sm font-semibold text-slate-700">Their saved changes</h3>
          <ChangeList changes={conflict.theirChanges} label="Their saved changes" empty="They saved without changes." />
        </section>
        <section aria-labelledby="conflict-mine">
          <h3 id="conflict-mine" className="mb-1.5 text-sm font-semibold text-slate-700">Your unsaved edits</h3>
          <ChangeList changes={conflict.myChanges} label="Your unsaved edits" empty="You have no edits." />
        </section>
        <button type="button" className="text-xs font-medium text-brand-700 hover:underline" onClick={() => setShowDifferences((value) => !value)}>
          {showDifferences ? "Hide" : "Show"} what “Keep mine” changes in their draft
        </button>
        {showDifferences && <ChangeList changes={conflict.differences} label="Their draft compared with yours" />}
        {conflict.merged ? (
          <Alert tone="success">Your edits and theirs touch different things: “Merge” keeps both.</Alert>
        ) : (
          <Alert tone="warning">
            You both changed {conflict.mergeConflicts.length === 1 ? "the same thing" : "the same things"} ({conflict.mergeConflicts.join(", ")}):
            keep yours, or take theirs (your edits stay in a local backup you can restore).
          </Alert>
        )}
      </div>
      <div className="mt-6 flex flex-wrap justify-end gap-2">
        <Button onClick={onClose} disabled={conflict.pending}>Decide later</Button>
        <Button onClick={onTakeTheirs} disabled={conflict.pending}>Take theirs</Button>
        <Button variant={conflict.merged ? "secondary" : "primary"} onClick={onKeepMine} disabled={conflict.pending}>Keep mine (overwrite)</Button>
        {conflict.merged && <Button variant="primary" onClick={onMerge} disabled={conflict.pending}>Merge</Button>}
      </div>
    </Dialog>
  );
}

/**
 * The parts of a designer that keep edits safe: banners offering unsaved edits from an earlier
 * session or edits set aside by "Take theirs", a way back to an unresolved conflict, and the
 * conflict dialog itself. Put it under the designer's header.
 */
export function DraftSafety({ flow, className = "mx-6 mt-4" }: { flow: SavePublishFlow; className?: string }) {
  const { recovery, discarded, conflict, saveFailure } = flow;
  return (
    <>
      {recovery.backup && (
        <Alert tone="warning" className={className}>
          <div className="flex flex-wrap items-center justify-between gap-3" role="group" aria-label="Unsaved edits found">
            <span className="inline-flex items-center gap-2">
              <History className="h-4 w-4 shrink-0" aria-hidden />
              Unsaved edits from {formatTime(recovery.backup.savedAt) || "an earlier session"} were found in this browser.
            </span>
            <span className="flex gap-2">
              <Button size="sm" variant="primary" onClick={recovery.restore}>Restore unsaved edits</Button>
              <Button size="sm" onClick={recovery.discard}>Discard</Button>
            </span>
          </div>
        </Alert>
      )}
      {discarded.backup && !conflict.state && (
        <Alert tone="info" className={className}>
          <div className="flex flex-wrap items-center justify-between gap-3" role="group" aria-label="Set-aside edits">
            <span className="inline-flex items-center gap-2">
              <RotateCcw className="h-4 w-4 shrink-0" aria-hidden />
              Your edits set aside at {formatTime(discarded.backup.savedAt)} are kept in a local backup.
            </span>
            <span className="flex gap-2">
              <Button size="sm" onClick={discarded.restore}>Restore my edits</Button>
              <Button size="sm" variant="ghost" onClick={discarded.forget}>Forget them</Button>
            </span>
          </div>
        </Alert>
      )}
      {saveFailure?.code === "CONFLICT" && !conflict.state && (
        <div className={className}>
          <Button size="sm" onClick={() => void flow.save()}>Resolve the conflict</Button>
        </div>
      )}
      {conflict.state && (
        <ConflictDialog
          conflict={conflict.state}
          onMerge={() => void conflict.merge()}
          onKeepMine={() => void conflict.keepMine()}
          onTakeTheirs={conflict.takeTheirs}
          onClose={conflict.close}
        />
      )}
    </>
  );
}
