"use client";
import { CornerDownRight, Network, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { Alert, Button, EmptyState, FormField, Input, NativeSelect, cn } from "@/components/ui";
import type { Role } from "@/spec/security";
import { NewItemDialog } from "./new-item-dialog";
import { issueAt, issuesUnder, IssueMessages } from "./security-issues";
import type { SecurityTabProps } from "./tab-props";
import { useCommandRefusal } from "./use-command-refusal";

export type RoleNode = { role: Role; index: number; depth: number };

/**
 * The roles in tree order: each manager above its reports, reports indented one level deeper.
 * Roles outside the tree (their manager is unknown, or a cycle) come last, at the top level.
 */
export function roleTree(roles: readonly Role[]): RoleNode[] {
  const byParent = new Map<string | undefined, number[]>();
  const known = new Set(roles.map((role) => role.name));
  roles.forEach((role, index) => {
    const parent = role.parent !== undefined && known.has(role.parent) ? role.parent : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), index]);
  });
  const result: RoleNode[] = [];
  const placed = new Set<number>();
  const visit = (index: number, depth: number) => {
    if (placed.has(index)) return;
    placed.add(index);
    result.push({ role: roles[index], index, depth });
    for (const child of byParent.get(roles[index].name) ?? []) visit(child, depth + 1);
  };
  for (const root of byParent.get(undefined) ?? []) visit(root, 0);
  roles.forEach((_, index) => visit(index, 0));
  return result;
}

/** Tab 2: the role hierarchy. Users in a role see the records of the users in the roles below it. */
export function RolesTab({ store, doc, catalog, issues }: SecurityTabProps) {
  const [creating, setCreating] = useState(false);
  const [newParent, setNewParent] = useState("");
  const { refusal, run, clear } = useCommandRefusal();
  const nodes = roleTree(doc.roles);
  const usersIn = (name: string) => Object.values(doc.assignments).filter((a) => a.role === name).length;

  return (
    <div className="space-y-3">
      <div className="flex items-start justify-between gap-3">
        <div>
          <h2 className="text-sm font-semibold text-slate-800">Role hierarchy</h2>
          <p className="text-xs text-slate-500">
            Managers appear above the roles that report to them and see their records. Deleting a role moves its reports up to its manager.
          </p>
        </div>
        <Button variant="primary" onClick={() => { setNewParent(""); setCreating(true); }}>
          <Plus className="h-4 w-4" aria-hidden /> New role
        </Button>
      </div>
      {refusal && <Alert>{refusal}</Alert>}
      {nodes.length === 0 ? (
        <EmptyState title="No roles yet">Roles open up record access along the management chain, e.g. CEO › VP Sales › Sales rep.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Roles">
          {nodes.map(({ role, index, depth }) => {
            const roleIssues = issuesUnder(issues, ["roles", index]);
            const parentError = issueAt(roleIssues, ["parent"]);
            const users = usersIn(role.name);
            return (
              <li key={role.name} className={cn("px-3 py-2", roleIssues.length > 0 && "bg-red-50/50")} data-role={role.name}>
                <div className="flex flex-wrap items-center gap-3" style={{ paddingLeft: `${depth * 1.75}rem` }}>
                  {depth > 0 ? <CornerDownRight className="h-4 w-4 shrink-0 text-slate-300" aria-hidden /> : <Network className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />}
                  <div className="w-56">
                    <label htmlFor={`role-${role.name}-label`} className="sr-only">Label of role {role.name}</label>
                    <Input id={`role-${role.name}-label`} value={role.label} className="h-8 font-medium" aria-invalid={!!issueAt(roleIssues, ["label"])}
                      onChange={(e) => store.updateRole(role.name, { label: e.target.value }, { coalesceKey: `role-label-${role.name}` })} />
                  </div>
                  <span className="w-36 truncate font-mono text-xs text-slate-500">{role.name}</span>
                  <div className="flex items-center gap-2">
                    <label htmlFor={`role-${role.name}-parent`} className="whitespace-nowrap text-xs text-slate-600">Reports to</label>
                    <NativeSelect id={`role-${role.name}-parent`} value={role.parent ?? ""} className="h-8 w-48 text-xs" aria-invalid={!!parentError}
                      onChange={(e) => store.updateRole(role.name, { parent: e.target.value === "" ? undefined : e.target.value })}>
                      <option value="">No manager (top level)</option>
                      {doc.roles.filter((other) => other.name !== role.name).map((other) => (
                        <option key={other.name} value={other.name}>{other.label}</option>
                      ))}
                      {role.parent !== undefined && !doc.roles.some((other) => other.name === role.parent) && (
                        <option value={role.parent}>{role.parent} (unknown)</option>
                      )}
                    </NativeSelect>
                  </div>
                  <span className="text-xs text-slate-500">{users === 0 ? "No users" : `${users} user${users === 1 ? "" : "s"}`}</span>
                  <Button variant="ghost" size="sm" className="ml-auto px-1.5 hover:bg-red-50 hover:text-red-700" aria-label={`Delete role ${role.label}`}
                    onClick={() => run(() => store.removeRole(role.name, catalog.userName))}>
                    <Trash2 className="h-3.5 w-3.5" aria-hidden />
                  </Button>
                </div>
                <IssueMessages issues={roleIssues} className="mt-1 space-y-0.5" labels={{ parent: "Reports to", label: "Label", name: "API name" }} />
              </li>
            );
          })}
        </ul>
      )}
      {creating && (
        <NewItemDialog open onOpenChange={setCreating} title="New role" idPrefix="new-role" placeholder="Sales rep" submitLabel="Create role"
          description="A role places users in the management chain."
          onCreate={({ label, name }) => { store.addRole({ name, label, ...(newParent ? { parent: newParent } : {}) }); clear(); }}>
          <FormField label="Reports to" htmlFor="new-role-parent" help="The manager role: its users see the records of this role's users.">
            <NativeSelect id="new-role-parent" value={newParent} onChange={(e) => setNewParent(e.target.value)}>
              <option value="">No manager (top level)</option>
              {nodes.map(({ role, depth }) => <option key={role.name} value={role.name}>{"\u00a0\u00a0".repeat(depth)}{role.label}</option>)}
            </NativeSelect>
          </FormField>
        </NewItemDialog>
      )}
    </div>
  );
}
