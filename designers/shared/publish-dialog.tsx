"use client";
import { CircleAlert, Plus, Minus, Pencil } from "lucide-react";
import { useState } from "react";
import { Alert, Button, Dialog, Input, Spinner, cn } from "@/components/ui";
import { FormField } from "@/components/ui";

/** A step of the server's schema plan (server/objectql/schema-plan.ts). */
export type PlanStep = { kind: string; field?: string; description: string; destructive: boolean; reason?: string };
export type PublishPlan = { object: string; steps: PlanStep[]; destructive: PlanStep[] } | null;

function StepIcon({ kind }: { kind: string }) {
  if (kind.startsWith("drop")) return <Minus className="h-3.5 w-3.5" aria-hidden />;
  if (kind.startsWith("add") || kind === "create_table") return <Plus className="h-3.5 w-3.5" aria-hidden />;
  return <Pencil className="h-3.5 w-3.5" aria-hidden />;
}

/**
 * Confirms a publish: lists what will change (destructive steps in red with their reason).
 * With destructive steps (or after the server refused for data loss) the confirm button reads
 * "Publish and delete data" and sends confirmDestructive.
 */
export function PublishDialog({
  open,
  onOpenChange,
  title,
  loading,
  plan,
  showPlan,
  emptyText,
  error,
  requireDestructiveConfirm,
  pending,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  loading: boolean;
  plan: PublishPlan;
  /** Objects have a schema plan; apps do not. */
  showPlan: boolean;
  emptyText?: string;
  error: string | null;
  /** The server refused because data would be lost. */
  requireDestructiveConfirm: boolean;
  pending: boolean;
  onConfirm: (options: { confirmDestructive: boolean; note?: string }) => void;
}) {
  const [note, setNote] = useState("");
  const destructive = (plan?.destructive.length ?? 0) > 0 || requireDestructiveConfirm;
  const noChanges = showPlan && !loading && plan !== null && plan.steps.length === 0;

  return (
    <Dialog open={open} onOpenChange={(next) => { if (!pending) onOpenChange(next); }} title={title} width="38rem"
      description="Publishing makes this version live for every user of the apps.">
      <div className="space-y-4">
        {loading ? (
          <Spinner label="Preparing the publish plan" />
        ) : (
          <>
            {error && <Alert>{error}</Alert>}
            {showPlan && plan && plan.steps.length > 0 && (
              <section aria-labelledby="publish-plan-heading">
                <h3 id="publish-plan-heading" className="mb-2 text-sm font-semibold text-slate-700">Planned changes</h3>
                <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Planned changes">
                  {plan.steps.map((step, index) => (
                    <li key={index} data-destructive={step.destructive || undefined}
                      className={cn("flex items-start gap-2 px-3 py-2 text-sm", step.destructive && "bg-red-50 text-red-800")}>
                      <span className={cn("mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded",
                        step.destructive ? "bg-red-100 text-red-700" : "bg-slate-100 text-slate-600")}>
                        {step.destructive ? <CircleAlert className="h-3.5 w-3.5" aria-hidden /> : <StepIcon kind={step.kind} />}
                      </span>
                      <div>
                        <p className={cn(step.destructive && "font-medium")}>{step.description}</p>
                        {step.destructive && step.reason && <p className="text-xs text-red-700">Data loss: {step.reason}</p>}
                      </div>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {showPlan && plan === null && !error && (
              <p className="text-sm text-slate-600">{emptyText ?? "There are no unpublished changes."}</p>
            )}
            {noChanges && <p className="text-sm text-slate-600">No database changes; only labels and settings change.</p>}
            {destructive && (
              <Alert tone="warning">
                Some changes delete data that cannot be recovered. Publish only if that is what you want.
              </Alert>
            )}
            <FormField label="Version note" htmlFor="publish-note" help="Optional: what changed, for the history.">
              <Input id="publish-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
            </FormField>
          </>
        )}
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={() => onOpenChange(false)} disabled={pending}>Cancel</Button>
          <Button
            variant={destructive ? "danger" : "primary"}
            disabled={loading || pending || (showPlan && plan === null && !error)}
            onClick={() => onConfirm({ confirmDestructive: destructive, note: note.trim() || undefined })}
          >
            {pending ? "Publishing…" : destructive ? "Publish and delete data" : "Publish"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
