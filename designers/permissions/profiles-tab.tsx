"use client";
import { Plus, Trash2, UserRound, Layers } from "lucide-react";
import { useState } from "react";
import { Alert, Badge, Button, EmptyState, FormField, Input } from "@/components/ui";
import type { PermissionSet } from "@/spec/security";
import { NewItemDialog } from "./new-item-dialog";
import { PermissionMatrix } from "./permission-matrix";
import { SideListItem } from "./side-list-item";
import { issueAt, issuesUnder } from "./security-issues";
import type { PermissionSetKind } from "./security-designer-store";
import type { SecurityTabProps, SecurityView } from "./tab-props";
import { useCommandRefusal } from "./use-command-refusal";

type Selection = SecurityView["set"];

const NOUN: Record<PermissionSetKind, { one: string; title: string }> = {
  profiles: { one: "profile", title: "Profile" },
  permissionSets: { one: "permission set", title: "Permission set" },
};

function SetList({ kind, sets, selected, onSelect, onNew, hasIssues, defaultProfile, userCount }: {
  kind: PermissionSetKind;
  sets: PermissionSet[];
  selected: Selection;
  onSelect: (name: string) => void;
  onNew: () => void;
  hasIssues: (index: number) => boolean;
  defaultProfile?: string;
  userCount: (name: string) => number;
}) {
  const heading = kind === "profiles" ? "Profiles" : "Permission sets";
  return (
    <section aria-label={heading}>
      <div className="mb-1 flex items-center justify-between">
        <h3 className="text-xs font-semibold uppercase tracking-wider text-slate-500">{heading}</h3>
        <Button size="sm" variant="ghost" onClick={onNew} aria-label={`New ${NOUN[kind].one}`}>
          <Plus className="h-3.5 w-3.5" aria-hidden /> New
        </Button>
      </div>
      {sets.length === 0 ? (
        <p className="px-2 py-1 text-xs text-slate-500">
          {kind === "profiles" ? "Every user has one profile: create the first." : "Extra grants for some users."}
        </p>
      ) : (
        <ul className="space-y-0.5">
          {sets.map((set, index) => {
            const active = selected?.kind === kind && selected.name === set.name;
            const users = userCount(set.name);
            return (
              <li key={set.name}>
                <SideListItem active={active} label={set.label} onSelect={() => onSelect(set.name)} hasIssues={hasIssues(index)}
                  icon={kind === "profiles" ? <UserRound className="h-4 w-4 shrink-0 text-slate-400" aria-hidden /> : <Layers className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />}
                  marker={set.name === defaultProfile && <span className="text-[10px] font-semibold uppercase text-slate-500">Default</span>}
                  count={users} countTitle={`${users} user${users === 1 ? "" : "s"}`} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Tab 1: pick a profile or permission set, edit its label, and its object and field permissions. */
export function ProfilesTab({ store, doc, catalog, issues, view, setView }: SecurityTabProps) {
  const selected = view.set;
  const setSelected = (set: Selection) => setView({ set });
  const [creating, setCreating] = useState<PermissionSetKind | null>(null);
  const { refusal, run, clear } = useCommandRefusal();

  const current = selected ? doc[selected.kind].find((set) => set.name === selected.name) : undefined;
  const index = selected && current ? doc[selected.kind].indexOf(current) : -1;
  const setIssues = selected && current ? issuesUnder(issues, [selected.kind, index]) : [];
  const assignments = Object.values(doc.assignments);
  const userCount = (kind: PermissionSetKind) => (name: string) =>
    assignments.filter((a) => (kind === "profiles" ? a.profile === name : a.permissionSets.includes(name))).length;

  function remove() {
    if (!selected || !run(() => store.removePermissionSet(selected.kind, selected.name, catalog.userName))) return;
    const rest = doc[selected.kind].filter((set) => set.name !== selected.name);
    setSelected(rest[0] ? { kind: selected.kind, name: rest[0].name } : null);
  }

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
      <aside className="space-y-5 self-start rounded-lg border border-slate-200 bg-white p-3">
        {(["profiles", "permissionSets"] as const).map((kind) => (
          <SetList key={kind} kind={kind} sets={doc[kind]} selected={selected}
            onSelect={(name) => { setSelected({ kind, name }); clear(); }}
            onNew={() => setCreating(kind)}
            hasIssues={(i) => issuesUnder(issues, [kind, i]).length > 0}
            defaultProfile={kind === "profiles" ? doc.defaultProfile : undefined}
            userCount={userCount(kind)} />
        ))}
      </aside>

      {!selected || !current ? (
        <EmptyState title="No profile selected">
          Profiles say what users may do with each object and field. Create one with “New” under Profiles.
        </EmptyState>
      ) : (
        <div className="min-w-0 space-y-4">
          <section aria-label={`${NOUN[selected.kind].title} details`} className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="mb-3 flex items-center gap-2">
              <Badge>{NOUN[selected.kind].title}</Badge>
              <span className="font-mono text-xs text-slate-500">{current.name}</span>
              {current.name === doc.defaultProfile && <Badge color="#047857">Default profile</Badge>}
              <Button variant="ghost" size="sm" className="ml-auto hover:bg-red-50 hover:text-red-700" onClick={remove}>
                <Trash2 className="h-3.5 w-3.5" aria-hidden /> Delete {NOUN[selected.kind].one}
              </Button>
            </div>
            {refusal && <Alert className="mb-3">{refusal}</Alert>}
            <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
              <FormField label="Label" htmlFor="set-label" required error={issueAt(setIssues, ["label"])}>
                <Input id="set-label" value={current.label} aria-invalid={!!issueAt(setIssues, ["label"])}
                  onChange={(e) => store.updatePermissionSet(selected.kind, current.name, { label: e.target.value }, { coalesceKey: `label-${current.name}` })} />
              </FormField>
              <FormField label="Description" htmlFor="set-description" error={issueAt(setIssues, ["description"])}>
                <Input id="set-description" value={current.description ?? ""} placeholder="What this grants, and to whom"
                  onChange={(e) => store.updatePermissionSet(selected.kind, current.name, { description: e.target.value === "" ? undefined : e.target.value }, { coalesceKey: `description-${current.name}` })} />
              </FormField>
            </div>
            {issueAt(setIssues, ["name"]) && <p role="alert" className="mt-2 text-xs text-red-700">API name: {issueAt(setIssues, ["name"])}</p>}
          </section>
          <section aria-labelledby="matrix-heading" className="space-y-2">
            <div>
              <h2 id="matrix-heading" className="text-sm font-semibold text-slate-800">Object permissions</h2>
              <p className="text-xs text-slate-500">
                Ticking a permission ticks what it needs (Edit needs Read); unticking one unticks what depends on it. Open an object to set field access.
              </p>
            </div>
            <PermissionMatrix store={store} kind={selected.kind} set={current} setIndex={index} objects={catalog.objects} issues={issues} />
          </section>
        </div>
      )}

      {creating && (
        <NewItemDialog open onOpenChange={(open) => { if (!open) setCreating(null); }}
          title={`New ${NOUN[creating].one}`} idPrefix="new-set" placeholder={creating === "profiles" ? "Sales user" : "Export reports"}
          description={creating === "profiles"
            ? "A profile is the base set of permissions of a user; every user has exactly one."
            : "A permission set grants extra permissions to the users it is given to, on top of their profile."}
          submitLabel={`Create ${NOUN[creating].one}`}
          onCreate={({ label, name }) => {
            store.addPermissionSet(creating, { name, label });
            setSelected({ kind: creating, name });
            clear();
          }} />
      )}
    </div>
  );
}
