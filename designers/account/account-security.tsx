"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LogOut, MonitorSmartphone } from "lucide-react";
import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { errorIssues, errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, Button, ConfirmDialog, FormField, Input, ListTable, Spinner } from "@/components/ui";
import { formatTime } from "@/designers/audit/audit-table";
import { describeUserAgent } from "./user-agent";

/** Leaves through next-auth's sign-out (clears the cookie) to the sign-in page, saying why. */
function signOutTo(reason: "password-changed" | "signed-out-everywhere") {
  return signOut({ callbackUrl: `/signin?reason=${reason}&callbackUrl=${encodeURIComponent("/account/security")}` });
}

/** The signed-in user's sessions (end one, or all) and their password. */
export function AccountSecurity() {
  return (
    <div className="space-y-8">
      <SessionsPanel />
      <ChangePasswordPanel />
    </div>
  );
}

function SessionsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.account.sessions.queryOptions());
  const [confirmAll, setConfirmAll] = useState(false);
  const endOne = useMutation(
    trpc.account.endSession.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.account.sessions.queryKey() }) }),
  );
  const endAll = useMutation(trpc.account.signOutEverywhere.mutationOptions({ onSuccess: () => void signOutTo("signed-out-everywhere") }));

  return (
    <section aria-labelledby="sessions-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="sessions-heading" className="text-lg font-semibold text-slate-900">Where you are signed in</h2>
          <p className="text-sm text-slate-500">Each sign-in lasts 8 hours at most. Ending one signs that browser out at once.</p>
        </div>
        <Button variant="danger" onClick={() => setConfirmAll(true)} disabled={endAll.isPending}>
          <LogOut className="h-4 w-4" aria-hidden /> Sign out of all my devices
        </Button>
      </div>
      {(endOne.isError || endAll.isError) && <Alert>{errorMessage(endOne.error ?? endAll.error)}</Alert>}
      {sessions.isPending ? (
        <Spinner label="Loading sessions" />
      ) : sessions.isError ? (
        <Alert>{errorMessage(sessions.error)}</Alert>
      ) : (
        <ListTable caption="Your sessions" columns={["Browser", "IP address", "Signed in", "Ends", ""]}>
          {sessions.data.map((session) => (
            <tr key={session.id} data-testid="session-row">
              <td className="px-4 py-2 text-slate-800" title={session.userAgent ?? undefined}>
                <span className="inline-flex items-center gap-2">
                  <MonitorSmartphone className="h-4 w-4 text-slate-400" aria-hidden />
                  {describeUserAgent(session.userAgent)}
                  {session.current && <Badge color="#047857">This browser</Badge>}
                </span>
              </td>
              <td className="px-4 py-2 font-mono text-xs text-slate-600">{session.ip ?? "—"}</td>
              <td className="px-4 py-2 text-slate-600">{formatTime(session.createdAt)}</td>
              <td className="px-4 py-2 text-slate-600">{formatTime(session.expires)}</td>
              <td className="px-4 py-2 text-right">
                {session.current ? (
                  <Button size="sm" variant="ghost" onClick={() => void signOut({ callbackUrl: "/signin" })}>Sign out</Button>
                ) : (
                  <Button size="sm" variant="ghost" disabled={endOne.isPending} onClick={() => endOne.mutate({ id: session.id })}
                    aria-label={`End the session of ${describeUserAgent(session.userAgent)} from ${formatTime(session.createdAt)}`}>
                    End session
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      <ConfirmDialog open={confirmAll} onOpenChange={setConfirmAll} title="Sign out of all your devices?"
        description="Every browser signed in to your account, this one included, is signed out at once. API keys keep working."
        confirmLabel="Sign out everywhere" onConfirm={() => endAll.mutate()} />
    </section>
  );
}

function ChangePasswordPanel() {
  const trpc = useTRPC();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(trpc.account.changePassword.mutationOptions({ onSuccess: () => void signOutTo("password-changed") }));
  const issues = errorIssues(change.error);
  const fieldError = (field: string) => issues.find((issue) => issue.path[0] === field)?.message;

  function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(newPassword !== repeated);
    if (newPassword !== repeated) return;
    change.mutate({ currentPassword, newPassword });
  }

  return (
    <section aria-labelledby="password-heading" className="space-y-3">
      <div>
        <h2 id="password-heading" className="text-lg font-semibold text-slate-900">Change password</h2>
        <p className="text-sm text-slate-500">Changing it signs you out everywhere, this browser included: sign in again with the new one.</p>
      </div>
      <form onSubmit={submit} aria-label="Change password" className="grid max-w-md gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <FormField label="Current password" htmlFor="current-password" required error={fieldError("currentPassword")}>
          <Input id="current-password" type="password" autoComplete="current-password" value={currentPassword} required
            onChange={(event) => setCurrentPassword(event.target.value)} aria-invalid={!!fieldError("currentPassword")} />
        </FormField>
        <FormField label="New password" htmlFor="new-password" required help="At least 8 characters" error={fieldError("newPassword")}>
          <Input id="new-password" type="password" autoComplete="new-password" value={newPassword} required
            onChange={(event) => setNewPassword(event.target.value)} aria-invalid={!!fieldError("newPassword")} />
        </FormField>
        <FormField label="Repeat new password" htmlFor="repeat-password" required error={mismatch ? "does not match the new password" : undefined}>
          <Input id="repeat-password" type="password" autoComplete="new-password" value={repeated} required
            onChange={(event) => setRepeated(event.target.value)} aria-invalid={mismatch} />
        </FormField>
        {change.isError && issues.length === 0 && <Alert>{errorMessage(change.error)}</Alert>}
        <div>
          <Button type="submit" variant="primary" disabled={change.isPending}>{change.isPending ? "Changing…" : "Change password"}</Button>
        </div>
      </form>
    </section>
  );
}
