"use client";
import { RotateCcw } from "lucide-react";
import { Alert, Badge, Button, EmptyState, FormField, NativeSelect, Spinner, cn } from "@/components/ui";
import type { UserAssignment } from "@/spec/security";
import { MultiSelect } from "./checkbox-list";
import { roleTree } from "./roles-tab";
import { issueAt, issuesUnder, IssueMessages } from "./security-issues";
import type { SecurityTabProps } from "./tab-props";
import { useCommandRefusal } from "./use-command-refusal";

/** Tab 5: each user's profile, permission sets and role, and the profile of users without an assignment. */
export function UsersTab({ store, doc, catalog, issues }: SecurityTabProps) {
  const { refusal, run } = useCommandRefusal();
  const defaultLabel = doc.profiles.find((profile) => profile.name === doc.defaultProfile)?.label;
  const roles = roleTree(doc.roles);
  const setChoices = doc.permissionSets.map((set) => ({ value: set.name, label: set.label }));
  const defaultError = issueAt(issues, ["defaultProfile"]);

  const assign = (userId: string, patch: Partial<UserAssignment>) => run(() => store.assignUser(userId, patch));

  // Assignments of users the platform no longer lists (deleted accounts) are shown too, so they can be removed.
  const listed = new Set(catalog.users.map((user) => user.id));
  const rows = [
    ...catalog.users,
    ...Object.keys(doc.assignments).filter((id) => !listed.has(id)).map((id) => ({ id, name: null, email: id, role: "unknown" })),
  ];

  return (
    <div className="space-y-4">
      <section aria-label="Default profile" className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4">
        <div className="w-72">
          <FormField label="Default profile" htmlFor="default-profile" error={defaultError}
            help="The profile of every user without an assignment below; with none, they get no permissions.">
            <NativeSelect id="default-profile" value={doc.defaultProfile ?? ""} aria-invalid={!!defaultError}
              onChange={(e) => store.setDefaultProfile(e.target.value === "" ? undefined : e.target.value)}>
              <option value="">None</option>
              {doc.profiles.map((profile) => <option key={profile.name} value={profile.name}>{profile.label}</option>)}
            </NativeSelect>
          </FormField>
        </div>
        {doc.profiles.length === 0 && <p className="pb-1 text-xs text-amber-700">Create a profile on the first tab before assigning users.</p>}
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" checked={doc.enforced} onChange={(e) => store.setEnforced(e.target.checked)} />
          Enforce record access
          <span className="text-xs text-slate-500">(off: every user works with every record, as before a model was published)</span>
        </label>
      </section>
      {refusal && <Alert>{refusal}</Alert>}
      {catalog.usersLoading ? (
        <Spinner label="Loading users" />
      ) : rows.length === 0 ? (
        <EmptyState title="No users">Users appear here once they have an account.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">User assignments</caption>
            <thead className="bg-slate-50 text-left text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">User</th>
                <th scope="col" className="w-56 px-3 py-2 font-medium">Profile</th>
                <th scope="col" className="w-56 px-3 py-2 font-medium">Permission sets</th>
                <th scope="col" className="w-56 px-3 py-2 font-medium">Role</th>
                <th scope="col" className="w-12 px-3 py-2"><span className="sr-only">Reset</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((user) => {
                const assignment = doc.assignments[user.id];
                const name = user.name ?? user.email;
                const userIssues = issuesUnder(issues, ["assignments", user.id]);
                return (
                  <tr key={user.id} data-user={user.email} className={cn("align-top", userIssues.length > 0 && "bg-red-50/50")}>
                    <th scope="row" className="px-3 py-2 text-left font-normal">
                      <div className="flex items-center gap-2">
                        <span className="font-medium text-slate-800">{name}</span>
                        {user.role === "admin" && <Badge color="#7c3aed">Admin</Badge>}
                        {user.role === "unknown" && <Badge color="#b91c1c">Unknown user</Badge>}
                      </div>
                      <p className="text-xs text-slate-500">{user.email}</p>
                      {user.role === "admin" && <p className="text-xs text-slate-500">Admins have every permission; this applies if they stop being one.</p>}
                      <IssueMessages issues={userIssues} labels={{ profile: "Profile", role: "Role", permissionSets: "Permission sets" }} />
                    </th>
                    <td className="px-3 py-2">
                      <NativeSelect aria-label={`Profile of ${name}`} value={assignment?.profile ?? ""} className="h-8 text-xs"
                        aria-invalid={!!issueAt(userIssues, ["profile"])}
                        onChange={(e) => { if (e.target.value !== "") assign(user.id, { profile: e.target.value }); }}>
                        {!assignment && <option value="">{defaultLabel ? `Default (${defaultLabel})` : "No profile"}</option>}
                        {assignment && !doc.profiles.some((profile) => profile.name === assignment.profile) && (
                          <option value={assignment.profile}>{assignment.profile} (unknown)</option>
                        )}
                        {doc.profiles.map((profile) => <option key={profile.name} value={profile.name}>{profile.label}</option>)}
                      </NativeSelect>
                    </td>
                    <td className="px-3 py-2">
                      <MultiSelect label={`Permission sets of ${name}`} choices={setChoices} value={assignment?.permissionSets ?? []}
                        emptyText="There are no permission sets yet." disabled={doc.profiles.length === 0}
                        onChange={(permissionSets) => assign(user.id, { permissionSets })} />
                    </td>
                    <td className="px-3 py-2">
                      <NativeSelect aria-label={`Role of ${name}`} value={assignment?.role ?? ""} className="h-8 text-xs" disabled={doc.profiles.length === 0}
                        aria-invalid={!!issueAt(userIssues, ["role"])}
                        onChange={(e) => assign(user.id, { role: e.target.value === "" ? undefined : e.target.value })}>
                        <option value="">No role</option>
                        {roles.map(({ role, depth }) => <option key={role.name} value={role.name}>{"\u00a0\u00a0".repeat(depth)}{role.label}</option>)}
                      </NativeSelect>
                    </td>
                    <td className="px-3 py-2 text-right">
                      {assignment && (
                        <Button variant="ghost" size="sm" className="px-1.5" aria-label={`Reset ${name} to the default profile`}
                          title="Reset to the default profile, no permission sets and no role" onClick={() => store.clearAssignment(user.id)}>
                          <RotateCcw className="h-3.5 w-3.5" aria-hidden />
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
