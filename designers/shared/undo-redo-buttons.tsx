"use client";
import { Redo2, Undo2 } from "lucide-react";
import { Button } from "@/components/ui";

/** The designers' Undo / Redo pair; titles name the step and the shortcut. */
export function UndoRedoButtons({
  snapshot,
  undo,
  redo,
}: {
  snapshot: { canUndo: boolean; canRedo: boolean; undoLabel?: string | null; redoLabel?: string | null };
  undo: () => void;
  redo: () => void;
}) {
  return (
    <div className="flex items-center rounded-md border border-slate-200">
      <Button variant="ghost" size="sm" aria-label="Undo" disabled={!snapshot.canUndo} onClick={undo}
        title={snapshot.undoLabel ? `Undo: ${snapshot.undoLabel} (Ctrl+Z)` : "Undo (Ctrl+Z)"}>
        <Undo2 className="h-4 w-4" aria-hidden />
      </Button>
      <Button variant="ghost" size="sm" aria-label="Redo" disabled={!snapshot.canRedo} onClick={redo}
        title={snapshot.redoLabel ? `Redo: ${snapshot.redoLabel} (Ctrl+Shift+Z)` : "Redo (Ctrl+Shift+Z)"}>
        <Redo2 className="h-4 w-4" aria-hidden />
      </Button>
    </div>
  );
}
