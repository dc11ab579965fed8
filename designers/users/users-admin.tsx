"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, Button, ConfirmDialog, ListTable, Spinner } from "@/components/ui";
import { formatTime } from "@/designers/audit/audit-table";

type Pending = { kind: "sign-out" | "deactivate"; userId: string; email: string };

/** The studio's users admin: every user, their status and live sessions; sign a user out everywhere, deactivate or reactivate. */
export function UsersAdmin() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accounts = useQuery(trpc.users.accounts.queryOptions());
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.accounts.queryKey() });
  const signOutEverywhere = useMutation(
    trpc.users.signOutEverywhere.mutationOptions({
      onSuccess: (result, input) => {
        const email = accounts.data?.find((user) => user.id === input.userId)?.email ?? "The user";
        setDone(`${email} was signed out of ${result.ended} session${result.ended === 1 ? "" : "s"}.`);
        void refresh();
      },
    }),
  );
  const setActive = useMutation(
    trpc.users.setActive.mutationOptions({
      onSuccess: (_result, input) => {
        const email = accounts.data?.find((user) => user.id === input.userId)?.email ?? "The user";
        setDone(input.active ? `${email} can sign in again.` : `${email} was deactivated and signed out everywhere.`);
        void refresh();
      },
    }),
  );
  const failure = signOutEverywhere.error ?? setActive.error;

  if (accounts.isPending) return <Spinner label="Loading users" />;
  if (accounts.isError) return <Alert>{errorMessage(accounts.error)}</Alert>;
  return (
    <div className="space-y-4">
      {done && <Alert tone="success">{done}</Alert>}
      {failure && <Alert>{errorMessage(failure)}</Alert>}
      <ListTable caption="Users" columns={["User", "Role", "Status", "Signed in", "Created", ""]}>
        {accounts.data.map((user) => (
          <tr key={user.id} data-testid={`user-row-${user.email}`} className="hover:bg-slate-50">
            <td className="px-4 py-2">
              <p className="font-medium text-slate-800">{user.name || user.email}{user.isYou && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}</p>
              {user.name && <p className="text-xs text-slate-500">{user.email}</p>}
            </td>
            <td className="px-4 py-2 capitalize text-slate-700">{user.role}</td>
            <td className="px-4 py-2">{user.active ? <Badge color="#047857">Active</Badge> : <Badge color="#b91c1c">Inactive</Badge>}</td>
            <td className="px-4 py-2 text-slate-700" data-testid="live-sessions">
              {user.liveSessions === 0 ? "No sessions" : `${user.liveSessions} session${user.liveSessions === 1 ? "" : "s"}`}
            </td>
            <td className="px-4 py-2 text-slate-600">{formatTime(user.createdAt)}</td>
            <td className="whitespace-nowrap px-4 py-2 text-right">
              {user.isYou ? (
                <Link href="/account/security" className="text-sm text-brand-700 hover:underline">Your sessions</Link>
              ) : (
                <span className="inline-flex gap-1">
                  <Button size="sm" variant="ghost" disabled={user.liveSessions === 0}
                    onClick={() => setPending({ kind: "sign-out", userId: user.id, email: user.email })}
                    aria-label={`Sign ${user.email} out everywhere`}>
                    Sign out everywhere
                  </Button>
                  {user.active ? (
                    <Button size="sm" variant="ghost" onClick={() => setPending({ kind: "deactivate", userId: user.id, email: user.email })}
                      aria-label={`Deactivate ${user.email}`}>
                      Deactivate
                    </Button>
                  ) : (
                    <Button size="sm" variant="ghost" disabled={setActive.isPending}
                      onClick={() => setActive.mutate({ userId: user.id, active: true })} aria-label={`Reactivate ${user.email}`}>
                      Reactivate
                    </Button>
                  )}
                </span>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
      <ConfirmDialog open={pending !== null} onOpenChange={(open) => !open && setPending(null)}
        title={pending?.kind === "deactivate" ? `Deactivate ${pending.email}?` : `Sign ${pending?.email ?? ""} out everywhere?`}
        description={pending?.kind === "deactivate"
          ? "They are signed out at once, cannot sign in, and their API keys stop working until you reactivate them."
          : "Every browser signed in to this account is signed out at once; they can sign in again. API keys keep working."}
        confirmLabel={pending?.kind === "deactivate" ? "Deactivate" : "Sign out everywhere"}
        onConfirm={() => {
          if (!pending) return;
          setDone(null);
          if (pending.kind === "deactivate") setActive.mutate({ userId: pending.userId, active: false });
          else signOutEverywhere.mutate({ userId: pending.userId });
        }} />
    </div>
  );
}
