"use client";
import { X } from "lucide-react";
import type { ReactNode } from "react";
import type { ErrorIssue } from "@/components/trpc";
import { Alert, cn } from "@/components/ui";

/**
 * Why a save or publish failed, under a designer's header: the message, each problem (the
 * designer says how to show an issue's path, e.g. as a button that selects the element), and
 * after a conflict the way to load the saved version (the edits stay in a local backup).
 */
export function SaveFailureBanner<I extends { message: string } = ErrorIssue>({
  failure,
  issues = failure.issues as unknown as I[],
  renderIssue,
  onReload,
  onDismiss,
  className = "mx-6 mt-4",
}: {
  failure: { message: string; code: string | null; issues: ErrorIssue[] };
  /** The issues to list (default: the failure's, shown as "path: message"). */
  issues?: I[];
  /** One problem's content (needed when `issues` are not the failure's own). */
  renderIssue?: (issue: I) => ReactNode;
  onReload: () => void;
  onDismiss: () => void;
  className?: string;
}) {
  return (
    <Alert className={cn(className)}>
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <p className="font-medium">{failure.message}</p>
          {issues.length > 0 && (
            <ul className="mt-1 list-disc space-y-0.5 pl-5" aria-label="Problems">
              {issues.map((issue, i) => (
                <li key={i}>{renderIssue ? renderIssue(issue) : `${(issue as unknown as ErrorIssue).path.join(".") || "Document"}: ${issue.message}`}</li>
              ))}
            </ul>
          )}
          {failure.code === "CONFLICT" && (
            <p className="mt-2">
              Your edits are still here.{" "}
              <button type="button" className="font-medium underline" onClick={onReload}>Load the saved version</button> (your edits stay in a local backup you can restore).
            </p>
          )}
        </div>
        <button type="button" aria-label="Dismiss" onClick={onDismiss} className="rounded p-0.5 hover:bg-red-100">
          <X className="h-4 w-4" aria-hidden />
        </button>
      </div>
    </Alert>
  );
}
