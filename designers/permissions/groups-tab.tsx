"use client";
import { Plus, Trash2, UsersRound } from "lucide-react";
import { useState } from "react";
import { Alert, Badge, Button, EmptyState, FormField, Input } from "@/components/ui";
import { CheckboxList } from "./checkbox-list";
import { NewItemDialog } from "./new-item-dialog";
import { roleTree } from "./roles-tab";
import { issueAt, issuesUnder, IssueMessages } from "./security-issues";
import { SideListItem } from "./side-list-item";
import type { SecurityTabProps } from "./tab-props";
import { useCommandRefusal } from "./use-command-refusal";

/** Tab 3: public groups: named sets of users and roles that sharing rules can share with. */
export function GroupsTab({ store, doc, catalog, issues, view, setView }: SecurityTabProps) {
  const selected = view.group;
  const setSelected = (group: string | null) => setView({ group });
  const [creating, setCreating] = useState(false);
  const { refusal, run, clear } = useCommandRefusal();
  const group = doc.groups.find((candidate) => candidate.name === selected);
  const index = group ? doc.groups.indexOf(group) : -1;
  const groupIssues = group ? issuesUnder(issues, ["groups", index]) : [];

  const userChoices = catalog.users.map((user) => ({ value: user.id, label: user.name ?? user.email, hint: user.email }));
  const roleChoices = roleTree(doc.roles).map(({ role, depth }) => ({ value: role.name, label: `${"· ".repeat(depth)}${role.label}` }));

  function remove(name: string) {
    if (run(() => store.removeGroup(name))) setSelected(doc.groups.find((other) => other.name !== name)?.name ?? null);
  }

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
      <aside className="self-start rounded-lg border border-slate-200 bg-white p-3" aria-label="Groups">
        <div className="mb-1 flex items-center justify-between">
          <h2 className="text-xs font-semibold uppercase tracking-wider text-slate-500">Groups</h2>
          <Button size="sm" variant="ghost" onClick={() => setCreating(true)} aria-label="New group"><Plus className="h-3.5 w-3.5" aria-hidden /> New</Button>
        </div>
        {doc.groups.length === 0 ? (
          <p className="px-2 py-1 text-xs text-slate-500">No groups yet.</p>
        ) : (
          <ul className="space-y-0.5">
            {doc.groups.map((item, i) => (
              <li key={item.name}>
                <SideListItem active={item.name === selected} label={item.label} onSelect={() => { setSelected(item.name); clear(); }}
                  icon={<UsersRound className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />}
                  count={item.users.length + item.roles.length} countTitle="Users and roles"
                  hasIssues={issuesUnder(issues, ["groups", i]).length > 0} />
              </li>
            ))}
          </ul>
        )}
      </aside>

      {!group ? (
        <EmptyState title="No group selected">Groups collect users and roles, so a sharing rule can share records with all of them at once.</EmptyState>
      ) : (
        <div className="min-w-0 space-y-4">
          <section aria-label="Group details" className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="mb-3 flex items-center gap-2">
              <Badge>Group</Badge>
              <span className="font-mono text-xs text-slate-500">{group.name}</span>
              <Button variant="ghost" size="sm" className="ml-auto hover:bg-red-50 hover:text-red-700" onClick={() => remove(group.name)}>
                <Trash2 className="h-3.5 w-3.5" aria-hidden /> Delete group
              </Button>
            </div>
            {refusal && <Alert className="mb-3">{refusal}</Alert>}
            <div className="max-w-md">
              <FormField label="Label" htmlFor="group-label" required error={issueAt(groupIssues, ["label"])}>
                <Input id="group-label" value={group.label}
                  onChange={(e) => store.updateGroup(group.name, { label: e.target.value }, { coalesceKey: `group-label-${group.name}` })} />
              </FormField>
            </div>
          </section>
          <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
            <section aria-labelledby="group-users-heading" className="rounded-lg border border-slate-200 bg-white p-4">
              <h3 id="group-users-heading" className="text-sm font-semibold text-slate-800">Users <span className="font-normal text-slate-500">({group.users.length})</span></h3>
              <p className="mb-2 text-xs text-slate-500">These users are members.</p>
              <CheckboxList legend={`Users in ${group.label}`} choices={userChoices} value={group.users}
                emptyText={catalog.usersLoading ? "Loading users…" : "There are no users."}
                onChange={(users) => store.updateGroup(group.name, { users })} />
              <IssueMessages issues={issuesUnder(groupIssues, ["users"]).map((issue) => issue.message)} />
            </section>
            <section aria-labelledby="group-roles-heading" className="rounded-lg border border-slate-200 bg-white p-4">
              <h3 id="group-roles-heading" className="text-sm font-semibold text-slate-800">Roles <span className="font-normal text-slate-500">({group.roles.length})</span></h3>
              <p className="mb-2 text-xs text-slate-500">Every user in these roles is a member too.</p>
              <CheckboxList legend={`Roles in ${group.label}`} choices={roleChoices} value={group.roles}
                emptyText="There are no roles yet (see the Roles tab)."
                onChange={(roles) => store.updateGroup(group.name, { roles })} />
              <IssueMessages issues={issuesUnder(groupIssues, ["roles"]).map((issue) => issue.message)} />
            </section>
          </div>
        </div>
      )}

      {creating && (
        <NewItemDialog open onOpenChange={setCreating} title="New group" idPrefix="new-group" placeholder="EMEA sales" submitLabel="Create group"
          description="A group is a named set of users and roles that records can be shared with."
          onCreate={({ label, name }) => { store.addGroup({ name, label }); setSelected(name); clear(); }} />
      )}
    </div>
  );
}
