"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Share2, Trash2, UserRound, Users } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Badge, Spinner } from "@/components/ui/feedback";
import { FormField, Input, NativeSelect } from "@/components/ui/input";
import { errorIssues, errorMessage, useTRPC } from "@/components/trpc";
import type { ObjectDef } from "@/spec";
import { asRecord, recordTitle } from "./types";

type PrincipalKind = "user" | "group";
type ShareLevel = "read" | "edit";

const LEVEL_LABELS: Record<ShareLevel, string> = { read: "Read only", edit: "Read and edit" };

/** A refused call as one message plus the messages per input path ("principal.name", "ownerId"). */
function refusalOf(error: unknown): { message: string; at: Record<string, string> } {
  const at: Record<string, string> = {};
  for (const issue of errorIssues(error)) at[issue.path.join(".")] = issue.message;
  return { message: errorMessage(error), at };
}

/**
 * "Sharing" on a record page: who owns the record and who it is shared with by hand; the owner,
 * their managers, users with Modify all and admins add and remove shares and hand the record to
 * another owner (`data.shares`, `data.share`, `data.unshare`, `data.changeOwner`).
 */
export function RecordSharingButton({ object, recordId }: { object: ObjectDef; recordId: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  // The record page has loaded it already (same query): only its title is needed here.
  const record = asRecord(useQuery(trpc.data.get.queryOptions({ object: object.name, id: recordId })).data);
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Share2 className="h-4 w-4" aria-hidden />
        Sharing
      </Button>
      {open && (
        <RecordSharingDialog open onOpenChange={setOpen} object={object.name} objectLabel={object.label} recordId={recordId}
          recordTitle={record ? recordTitle(object, record) : recordId} />
      )}
    </>
  );
}

function RecordSharingDialog({ open, onOpenChange, object, objectLabel, recordId, recordTitle }: {
  open: boolean; onOpenChange: (open: boolean) => void; object: string; objectLabel: string; recordId: string; recordTitle: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = { kind: useId(), name: useId(), level: useId(), owner: useId() };
  const sharesQuery = useQuery(trpc.data.shares.queryOptions({ object, id: recordId }));
  const [kind, setKind] = useState<PrincipalKind>("user");
  const [name, setName] = useState("");
  const [level, setLevel] = useState<ShareLevel>("read");
  const [ownerInput, setOwnerInput] = useState("");
  const [failure, setFailure] = useState<{ message: string; at: Record<string, string> } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
  const share = useMutation(trpc.data.share.mutationOptions());
  const unshare = useMutation(trpc.data.unshare.mutationOptions());
  const changeOwner = useMutation(trpc.data.changeOwner.mutationOptions());
  const busy = share.isPending || unshare.isPending || changeOwner.isPending;

  async function attempt(work: () => Promise<string | null>) {
    setFailure(null);
    setNotice(null);
    try {
      setNotice(await work());
      await refresh();
    } catch (error) {
      setFailure(refusalOf(error));
    }
  }

  function onShare(event: FormEvent) {
    event.preventDefault();
    void attempt(async () => {
      await share.mutateAsync({ object, id: recordId, principal: { kind, name: name.trim() }, access: level });
      setName("");
      return `Shared with ${kind} ${name.trim()}.`;
    });
  }

  function onChangeOwner(event: FormEvent) {
    event.preventDefault();
    void attempt(async () => {
      const result = await changeOwner.mutateAsync({ object, id: recordId, ownerId: ownerInput.trim() });
      setOwnerInput("");
      return result.visible ? `${result.owner.name} now owns this record.` : `${result.owner.name} now owns this record; you no longer have access to it.`;
    });
  }

  const data = sharesQuery.data;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Sharing: ${recordTitle}`} width="40rem"
      description={`Who owns this ${objectLabel.toLowerCase()} and who it is shared with, beyond what the org-wide settings allow.`}
      footer={<Button onClick={() => onOpenChange(false)}>Close</Button>}>
      {sharesQuery.isError ? (
        <Alert>{errorMessage(sharesQuery.error)}</Alert>
      ) : !data ? (
        <Spinner label="Loading shares" />
      ) : (
        <div className="space-y-5">
          {failure && Object.keys(failure.at).length === 0 && <Alert>{failure.message}</Alert>}
          {notice && <Alert tone="success">{notice}</Alert>}
          <section aria-label="Owner" className="space-y-2">
            <p className="text-sm text-slate-700">
              <span className="font-medium">Owner:</span> {data.owner ? `${data.owner.name}${data.owner.email && data.owner.email !== data.owner.name ? ` (${data.owner.email})` : ""}` : "nobody"}
            </p>
            {data.canManage && (
              <form onSubmit={onChangeOwner} className="flex items-end gap-2">
                <div className="flex-1">
                  <FormField label="New owner (email)" htmlFor={ids.owner} error={failure?.at.ownerId}>
                    <Input id={ids.owner} value={ownerInput} onChange={(event) => setOwnerInput(event.target.value)} placeholder="name@example.com" disabled={busy} />
                  </FormField>
                </div>
                <Button type="submit" disabled={busy || ownerInput.trim() === ""} className={failure?.at.ownerId ? "mb-5" : undefined}>Change owner</Button>
              </form>
            )}
          </section>

          <section aria-label="Shares" className="space-y-2">
            <h3 className="text-sm font-semibold text-slate-800">Shared with</h3>
            {data.shares.length === 0 ? (
              <p className="text-sm text-slate-500">Not shared with anyone by hand.</p>
            ) : (
              <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Manual shares">
                {data.shares.map((item) => (
                  <li key={item.principal} className="flex items-center gap-2 px-3 py-2 text-sm" data-principal={item.principal}>
                    {item.kind === "group" ? <Users className="h-4 w-4 text-slate-400" aria-hidden /> : <UserRound className="h-4 w-4 text-slate-400" aria-hidden />}
                    <span className="flex-1 truncate">{item.kind === "group" ? `Group ${item.label}` : item.label}</span>
                    <Badge>{LEVEL_LABELS[item.access]}</Badge>
                    {data.canManage && (
                      <Button size="sm" variant="ghost" aria-label={`Remove share with ${item.label}`} disabled={busy}
                        onClick={() => void attempt(async () => {
                          await unshare.mutateAsync({ object, id: recordId, principal: { kind: item.kind, name: item.name } });
                          return `No longer shared with ${item.label}.`;
                        })}>
                        <Trash2 className="h-3.5 w-3.5" aria-hidden />
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>

          {data.canManage ? (
            <form onSubmit={onShare} className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3" aria-label="Share this record">
              <div className="grid grid-cols-1 gap-2 sm:grid-cols-[8rem_minmax(0,1fr)_10rem]">
                <FormField label="Share with" htmlFor={ids.kind}>
                  <NativeSelect id={ids.kind} value={kind} onChange={(event) => setKind(event.target.value as PrincipalKind)} disabled={busy}>
                    <option value="user">User</option>
                    <option value="group">Group</option>
                  </NativeSelect>
                </FormField>
                <FormField label={kind === "user" ? "User's email" : "Group name"} htmlFor={ids.name} error={failure?.at["principal.name"]}>
                  <Input id={ids.name} value={name} onChange={(event) => setName(event.target.value)} disabled={busy}
                    placeholder={kind === "user" ? "name@example.com" : "big_deals"} aria-invalid={!!failure?.at["principal.name"]} />
                </FormField>
                <FormField label="Access" htmlFor={ids.level}>
                  <NativeSelect id={ids.level} value={level} onChange={(event) => setLevel(event.target.value as ShareLevel)} disabled={busy}>
                    {(Object.keys(LEVEL_LABELS) as ShareLevel[]).map((value) => <option key={value} value={value}>{LEVEL_LABELS[value]}</option>)}
                  </NativeSelect>
                </FormField>
              </div>
              <div className="flex justify-end">
                <Button type="submit" variant="primary" disabled={busy || name.trim() === ""}>Share</Button>
              </div>
            </form>
          ) : (
            <p className="text-xs text-slate-500">Only the owner, the managers above them, users who may modify every {objectLabel.toLowerCase()} and admins change the sharing of this record.</p>
          )}
        </div>
      )}
    </Dialog>
  );
}
