"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Copy, KeyRound, Plus } from "lucide-react";
import { useState, type FormEvent } from "react";
import { errorIssues, errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, Button, ConfirmDialog, Dialog, EmptyState, FormField, Input, NativeSelect, Spinner } from "@/components/ui";
import { formatTime } from "@/designers/audit/audit-table";

/**
 * Create, list and revoke REST API keys. `admin`: every user's keys, and a key may be made for
 * any active user; otherwise the signed-in user's own keys. A new key's secret is shown once.
 */
export function ApiKeysManager({ admin }: { admin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({}));
  const owners = useQuery({ ...trpc.apiKeys.owners.queryOptions(), enabled: admin });
  const [name, setName] = useState("");
  const [owner, setOwner] = useState("");
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (result) => {
        setCreated({ key: result.key, name: result.apiKey.name });
        setName("");
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: () => void refresh() }));
  const issues = errorIssues(create.error);
  const fieldError = (field: string) => issues.find((issue) => issue.path[0] === field)?.message;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, ...(owner ? { userId: owner } : {}) });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label="New API key" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <div className="w-72">
          <FormField label="Key name" htmlFor="api-key-name" required help="What will use it, e.g. “Nightly export”" error={fieldError("name")}>
            <Input id="api-key-name" value={name} maxLength={100} onChange={(event) => setName(event.target.value)} aria-invalid={!!fieldError("name")} />
          </FormField>
        </div>
        {admin && (
          <div className="w-72">
            <FormField label="Acts as" htmlFor="api-key-owner" help="The key can do exactly what this user can" error={fieldError("userId")}>
              <NativeSelect id="api-key-owner" value={owner} onChange={(event) => setOwner(event.target.value)}>
                <option value="">Me</option>
                {owners.data?.map((user) => <option key={user.id} value={user.id}>{user.name ? `${user.name} (${user.email})` : user.email}</option>)}
              </NativeSelect>
            </FormField>
          </div>
        )}
        <Button type="submit" variant="primary" disabled={create.isPending} className="mb-5">
          <Plus className="h-4 w-4" aria-hidden /> Create key
        </Button>
        {create.isError && issues.length === 0 && <Alert className="w-full">{errorMessage(create.error)}</Alert>}
      </form>

      {revoke.isError && <Alert>{errorMessage(revoke.error)}</Alert>}
      {keys.isPending ? (
        <Spinner label="Loading API keys" />
      ) : keys.isError ? (
        <Alert>{errorMessage(keys.error)}</Alert>
      ) : keys.data.length === 0 ? (
        <EmptyState title="No API keys yet">Create one to call the REST API from a script or another system.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">API keys</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2">Name</th>
                <th scope="col" className="px-4 py-2">Key</th>
                {admin && <th scope="col" className="px-4 py-2">Acts as</th>}
                <th scope="col" className="px-4 py-2">Created</th>
                <th scope="col" className="px-4 py-2">Last used</th>
                <th scope="col" className="px-4 py-2">Status</th>
                <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.data.map((key) => (
                <tr key={key.id} className="hover:bg-slate-50">
                  <td className="whitespace-nowrap px-4 py-2 font-medium text-slate-800">
                    <span className="inline-flex items-center gap-2"><KeyRound className="h-4 w-4 text-slate-400" aria-hidden />{key.name}</span>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600">{key.prefix}…</td>
                  {admin && <td className="max-w-56 truncate px-4 py-2 text-slate-700" title={key.user.email}>{key.user.email}</td>}
                  <td className="px-4 py-2 text-slate-600">{formatTime(key.createdAt)}</td>
                  <td className="px-4 py-2 text-slate-600">{key.lastUsedAt ? formatTime(key.lastUsedAt) : "Never"}</td>
                  <td className="px-4 py-2">{key.revokedAt ? <Badge color="#b91c1c">Revoked</Badge> : <Badge color="#047857">Active</Badge>}</td>
                  <td className="px-4 py-2 text-right">
                    {!key.revokedAt && (
                      <Button size="sm" variant="ghost" onClick={() => setRevoking({ id: key.id, name: key.name })} aria-label={`Revoke ${key.name}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Dialog open={created !== null} onOpenChange={(open) => !open && setCreated(null)} title={`API key “${created?.name ?? ""}” created`}
        description="Copy it now: it is shown only this once. Only a hash of it is kept."
        footer={<Button variant="primary" onClick={() => setCreated(null)}>Done</Button>}>
        <div className="flex items-center gap-2">
          <code data-testid="new-api-key" className="block min-w-0 flex-1 break-all rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs">{created?.key}</code>
          <Button size="sm" onClick={() => created && void navigator.clipboard?.writeText(created.key)} aria-label="Copy key">
            <Copy className="h-4 w-4" aria-hidden /> Copy
          </Button>
        </div>
        <p className="mt-3 text-xs text-slate-500">
          Call the API with <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>, e.g.{" "}
          <code className="font-mono">GET /api/v1/objects/account/records?limit=10</code>.
        </p>
      </Dialog>
      <ConfirmDialog open={revoking !== null} onOpenChange={(open) => !open && setRevoking(null)} title={`Revoke “${revoking?.name ?? ""}”?`}
        description="Calls with this key are refused from now on. This cannot be undone."
        confirmLabel="Revoke key" onConfirm={() => revoking && revoke.mutate({ id: revoking.id })} />
    </div>
  );
}
