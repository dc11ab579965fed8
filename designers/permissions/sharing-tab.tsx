"use client";
import { Plus, Share2, Trash2 } from "lucide-react";
import { useState } from "react";
import { FilterBuilder } from "@/components/runtime/filter-builder";
import { toQueryFilter, type GridFilter } from "@/components/runtime/filter-operators";
import { Button, EmptyState, FormField, Input, NativeSelect, cn } from "@/components/ui";
import type { Filter } from "@/spec/query";
import {
  ORG_WIDE_DEFAULTS, SHARE_ACCESS, SHARE_TARGET_KINDS, type OrgWideDefault, type SecurityModel, type ShareAccess, type ShareTarget, type SharingRule,
} from "@/spec/security";
import { NewItemDialog } from "./new-item-dialog";
import { roleTree } from "./roles-tab";
import { issueAt, issuesUnder, IssueMessages } from "./security-issues";
import { SecurityCommandError } from "./security-designer-store";
import type { SecurityTabProps } from "./tab-props";
import type { CatalogObject, CatalogUser } from "./use-security-catalog";

const OWD_LABELS: Record<OrgWideDefault, { label: string; help: string }> = {
  private: { label: "Private", help: "Only the owner, the managers above them and whoever a rule shares with" },
  public_read: { label: "Public read only", help: "Everyone with Read sees every record; the owner and their managers edit it" },
  public_read_write: { label: "Public read/write", help: "Everyone with Read and Edit sees and edits every record" },
  controlled_by_parent: { label: "Controlled by parent", help: "As visible and editable as the master record" },
};

const TARGET_LABELS: Record<ShareTarget["kind"], string> = {
  user: "User",
  role: "Role",
  role_and_subordinates: "Role and subordinates",
  group: "Group",
};

const ACCESS_LABELS: Record<ShareAccess, string> = { read: "Read only", edit: "Read and edit" };

const RULE_PART_LABELS = { label: "Label", name: "API name", object: "Object", criteria: "Criteria", sharedWith: "Shared with", access: "Access" };

/** The rule's criteria as the filter builder's list of AND'ed conditions; null when it is more complex than that. */
export function criteriaToFilters(criteria: Filter): GridFilter[] | null {
  if ("field" in criteria) return [criteria];
  if ("and" in criteria && criteria.and.every((part) => "field" in part)) return criteria.and as GridFilter[];
  return null;
}

/** The criteria for a list of conditions: one condition, or their AND (an empty AND is every record). */
export function filtersToCriteria(filters: GridFilter[]): Filter {
  return toQueryFilter(filters) ?? { and: [] };
}

function targetChoices(kind: ShareTarget["kind"], doc: SecurityModel, users: readonly CatalogUser[]) {
  if (kind === "user") return users.map((user) => ({ value: user.id, label: `${user.name ?? user.email} (${user.email})` }));
  if (kind === "group") return doc.groups.map((group) => ({ value: group.name, label: group.label }));
  return roleTree(doc.roles).map(({ role, depth }) => ({ value: role.name, label: `${"\u00a0\u00a0".repeat(depth)}${role.label}` }));
}

/** "Shared with": the kind of target and which one. */
function ShareTargetFields({ idPrefix, value, onChange, doc, users, error, labelSuffix = "" }: {
  idPrefix: string;
  value: ShareTarget;
  onChange: (target: ShareTarget) => void;
  doc: SecurityModel;
  users: readonly CatalogUser[];
  error?: string;
  labelSuffix?: string;
}) {
  const choices = targetChoices(value.kind, doc, users);
  const known = choices.some((choice) => choice.value === value.name);
  return (
    <div className="grid grid-cols-2 gap-2">
      <FormField label={`Share with${labelSuffix}`} htmlFor={`${idPrefix}-kind`}>
        <NativeSelect id={`${idPrefix}-kind`} value={value.kind}
          onChange={(e) => {
            const kind = e.target.value as ShareTarget["kind"];
            onChange({ kind, name: targetChoices(kind, doc, users)[0]?.value ?? "" });
          }}>
          {SHARE_TARGET_KINDS.map((kind) => <option key={kind} value={kind}>{TARGET_LABELS[kind]}</option>)}
        </NativeSelect>
      </FormField>
      <FormField label={`${TARGET_LABELS[value.kind]}${labelSuffix}`} htmlFor={`${idPrefix}-name`} error={error}>
        <NativeSelect id={`${idPrefix}-name`} value={value.name} aria-invalid={!!error} onChange={(e) => onChange({ ...value, name: e.target.value })}>
          {!known && <option value={value.name}>{value.name === "" ? "Choose…" : `${value.name} (unknown)`}</option>}
          {choices.map((choice) => <option key={choice.value} value={choice.value}>{choice.label}</option>)}
        </NativeSelect>
      </FormField>
    </div>
  );
}

function RuleCriteria({ rule, object, onChange }: { rule: SharingRule; object: CatalogObject | undefined; onChange: (criteria: Filter) => void }) {
  const filters = criteriaToFilters(rule.criteria);
  if (filters === null) {
    return (
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <code className="max-w-full truncate rounded bg-slate-100 px-2 py-1 font-mono text-slate-700">{JSON.stringify(rule.criteria)}</code>
        <Button size="sm" onClick={() => onChange({ and: [] })}>Replace with simple conditions</Button>
      </div>
    );
  }
  if (!object?.definition) return <p className="text-xs text-slate-500">{object ? "Loading fields…" : `Object '${rule.object}' is not published.`}</p>;
  return (
    <div className="space-y-1">
      {filters.length === 0 && <p className="text-xs text-slate-500">Every {object.label} record (add a filter to share only some).</p>}
      <FilterBuilder object={object.definition} filters={filters} onChange={(next) => onChange(filtersToCriteria(next))} />
    </div>
  );
}

/** Tab 4: org-wide defaults (the baseline per object) and sharing rules that open records up. */
export function SharingTab({ store, doc, catalog, issues }: SecurityTabProps) {
  const [creating, setCreating] = useState(false);
  const firstObject = catalog.objects[0]?.name ?? "";
  const [draft, setDraft] = useState<{ object: string; sharedWith: ShareTarget; access: ShareAccess }>({ object: "", sharedWith: { kind: "role", name: "" }, access: "read" });

  function startCreate() {
    const target = targetChoices("role", doc, catalog.users)[0] ? { kind: "role" as const, name: targetChoices("role", doc, catalog.users)[0].value }
      : { kind: "user" as const, name: catalog.users[0]?.id ?? "" };
    setDraft({ object: firstObject, sharedWith: target, access: "read" });
    setCreating(true);
  }

  return (
    <div className="space-y-6">
      <section aria-labelledby="owd-heading" className="space-y-2">
        <div>
          <h2 id="owd-heading" className="text-sm font-semibold text-slate-800">Org-wide defaults</h2>
          <p className="text-xs text-slate-500">The baseline access to records of each object for users with permission on it. Owners, managers and sharing rules open it up.</p>
        </div>
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">Org-wide defaults</caption>
            <thead className="bg-slate-50 text-left text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Object</th>
                <th scope="col" className="w-64 px-3 py-2 font-medium">Default record access</th>
                <th scope="col" className="px-3 py-2 font-medium">Meaning</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {catalog.objects.length === 0 && (
                <tr><td colSpan={3} className="px-3 py-6 text-center text-slate-500">{catalog.objectsLoading ? "Loading objects…" : "No published objects yet."}</td></tr>
              )}
              {catalog.objects.map((object) => {
                const value = doc.orgWideDefaults[object.name] ?? "public_read_write";
                const hasMaster = object.definition?.fields.some((field) => field.type === "master_detail") ?? false;
                const error = issueAt(issues, ["orgWideDefaults", object.name]);
                return (
                  <tr key={object.name}>
                    <th scope="row" className="px-3 py-1.5 text-left font-normal">
                      <span className="font-medium text-slate-800">{object.label}</span> <span className="font-mono text-xs text-slate-500">{object.name}</span>
                    </th>
                    <td className="px-3 py-1.5">
                      <NativeSelect aria-label={`Org-wide default of ${object.label}`} value={value} className="h-8 text-xs" aria-invalid={!!error}
                        onChange={(e) => store.setOrgWideDefault(object.name, e.target.value as OrgWideDefault)}>
                        {ORG_WIDE_DEFAULTS.map((option) => (
                          <option key={option} value={option} disabled={option === "controlled_by_parent" && !hasMaster && value !== option}>
                            {OWD_LABELS[option].label}{option === "public_read_write" && !(object.name in doc.orgWideDefaults) ? " (default)" : ""}
                          </option>
                        ))}
                      </NativeSelect>
                      {error && <IssueMessages issues={[error]} />}
                    </td>
                    <td className="px-3 py-1.5 text-xs text-slate-500">{OWD_LABELS[value].help}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="rules-heading" className="space-y-2">
        <div className="flex items-start justify-between gap-3">
          <div>
            <h2 id="rules-heading" className="text-sm font-semibold text-slate-800">Sharing rules</h2>
            <p className="text-xs text-slate-500">Records matching a rule&apos;s criteria are shared with a user, role or group, beyond the org-wide default.</p>
          </div>
          <Button variant="primary" onClick={startCreate} disabled={catalog.objects.length === 0}>
            <Plus className="h-4 w-4" aria-hidden /> New sharing rule
          </Button>
        </div>
        {doc.sharingRules.length === 0 ? (
          <EmptyState title="No sharing rules">Add one to share, for example, big opportunities with the sales managers.</EmptyState>
        ) : (
          <ul className="space-y-3" aria-label="Sharing rules">
            {doc.sharingRules.map((rule, index) => {
              const ruleIssues = issuesUnder(issues, ["sharingRules", index]);
              const object = catalog.objects.find((candidate) => candidate.name === rule.object);
              const id = `rule-${rule.name}`;
              return (
                <li key={rule.name} aria-label={`Sharing rule ${rule.label}`} data-rule={rule.name}
                  className={cn("space-y-3 rounded-lg border border-slate-200 bg-white p-4", ruleIssues.length > 0 && "border-red-300")}>
                  <div className="flex items-center gap-2">
                    <Share2 className="h-4 w-4 text-slate-400" aria-hidden />
                    <label htmlFor={`${id}-label`} className="sr-only">Label of sharing rule {rule.name}</label>
                    <Input id={`${id}-label`} value={rule.label} className="h-8 max-w-sm font-medium"
                      onChange={(e) => store.updateSharingRule(rule.name, { label: e.target.value }, { coalesceKey: `${id}-label` })} />
                    <span className="font-mono text-xs text-slate-500">{rule.name}</span>
                    <Button variant="ghost" size="sm" className="ml-auto px-1.5 hover:bg-red-50 hover:text-red-700" aria-label={`Delete sharing rule ${rule.label}`}
                      onClick={() => store.removeSharingRule(rule.name)}>
                      <Trash2 className="h-3.5 w-3.5" aria-hidden />
                    </Button>
                  </div>
                  <div className="grid grid-cols-1 gap-3 lg:grid-cols-[14rem_minmax(0,1fr)_12rem]">
                    <FormField label="Object" htmlFor={`${id}-object`} error={issueAt(ruleIssues, ["object"])}>
                      <NativeSelect id={`${id}-object`} value={rule.object} onChange={(e) => store.updateSharingRule(rule.name, { object: e.target.value })}>
                        {!object && <option value={rule.object}>{rule.object} (not published)</option>}
                        {catalog.objects.map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label}</option>)}
                      </NativeSelect>
                    </FormField>
                    <ShareTargetFields idPrefix={id} value={rule.sharedWith} doc={doc} users={catalog.users}
                      error={issueAt(ruleIssues, ["sharedWith", "name"])}
                      onChange={(sharedWith) => store.updateSharingRule(rule.name, { sharedWith })} />
                    <FormField label="Access" htmlFor={`${id}-access`}>
                      <NativeSelect id={`${id}-access`} value={rule.access} onChange={(e) => store.updateSharingRule(rule.name, { access: e.target.value as ShareAccess })}>
                        {SHARE_ACCESS.map((access) => <option key={access} value={access}>{ACCESS_LABELS[access]}</option>)}
                      </NativeSelect>
                    </FormField>
                  </div>
                  <div className="space-y-1">
                    <p className="text-sm font-medium text-slate-700">Records that match</p>
                    <RuleCriteria rule={rule} object={object} onChange={(criteria) => store.updateSharingRule(rule.name, { criteria })} />
                  </div>
                  {/* Object and shared-with problems show at their selects; the rest here. */}
                  <IssueMessages labels={RULE_PART_LABELS}
                    issues={ruleIssues.filter((issue) => !["object", "sharedWith.name"].includes(issue.path.join(".")))} />
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {creating && (
        <NewItemDialog open onOpenChange={setCreating} title="New sharing rule" idPrefix="new-rule" placeholder="Big deals to managers" submitLabel="Create rule"
          description="Choose what is shared with whom; add criteria on the rule afterwards."
          onCreate={({ label, name }) => {
            if (draft.sharedWith.name === "") throw new SecurityCommandError("Choose who the records are shared with");
            store.addSharingRule({ name, label, object: draft.object, criteria: { and: [] }, sharedWith: draft.sharedWith, access: draft.access });
          }}>
          <FormField label="Object" htmlFor="new-rule-object">
            <NativeSelect id="new-rule-object" value={draft.object} onChange={(e) => setDraft({ ...draft, object: e.target.value })}>
              {catalog.objects.map((object) => <option key={object.name} value={object.name}>{object.label}</option>)}
            </NativeSelect>
          </FormField>
          <ShareTargetFields idPrefix="new-rule-target" value={draft.sharedWith} doc={doc} users={catalog.users}
            onChange={(sharedWith) => setDraft({ ...draft, sharedWith })} />
          <FormField label="Access" htmlFor="new-rule-access">
            <NativeSelect id="new-rule-access" value={draft.access} onChange={(e) => setDraft({ ...draft, access: e.target.value as ShareAccess })}>
              {SHARE_ACCESS.map((access) => <option key={access} value={access}>{ACCESS_LABELS[access]}</option>)}
            </NativeSelect>
          </FormField>
        </NewItemDialog>
      )}
    </div>
  );
}
