"use client";
import { Lock, RotateCw } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";

/**
 * The notices a board-like view (kanban, calendar) shows above its records: why the last move
 * was refused (dismissible), that the user may look but not move, and a failed load with Retry.
 */
export function ViewNotices({
  moveError,
  onDismissMoveError,
  moveErrorTestId,
  readOnlyNote,
  loadError,
  onRetry,
}: {
  moveError: string | null;
  onDismissMoveError: () => void;
  moveErrorTestId: string;
  /** Shown when the user may not make the view's moves (null: they may, or the view is a preview). */
  readOnlyNote: ReactNode | null;
  /** The load failure's message, null when loading did not fail. */
  loadError: string | null;
  onRetry: () => void;
}) {
  return (
    <>
      {moveError && (
        <Alert>
          <div className="flex items-start justify-between gap-3">
            <span data-testid={moveErrorTestId}>{moveError}</span>
            <button type="button" className="shrink-0 text-xs font-medium underline" onClick={onDismissMoveError}>Dismiss</button>
          </div>
        </Alert>
      )}
      {readOnlyNote && (
        <p className="flex items-center gap-1.5 text-xs text-slate-500">
          <Lock className="h-3.5 w-3.5" aria-hidden />
          {readOnlyNote}
        </p>
      )}
      {loadError && <LoadFailedAlert message={loadError} onRetry={onRetry} />}
    </>
  );
}

/** A failed load of a view's records, with Retry (grid, kanban, calendar). */
export function LoadFailedAlert({ message, onRetry }: { message: ReactNode; onRetry: () => void }) {
  return (
    <Alert>
      <div className="flex items-center justify-between gap-3">
        <span>{message}</span>
        <Button size="sm" onClick={onRetry}>
          <RotateCw className="h-3.5 w-3.5" aria-hidden />
          Retry
        </Button>
      </div>
    </Alert>
  );
}
