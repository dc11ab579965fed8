"use client";
import { ChevronRight } from "lucide-react";
import { Fragment, useId, useState } from "react";
import type { ErrorIssue } from "@/components/trpc";
import { Badge, NativeSelect, cn } from "@/components/ui";
import { isComputedField } from "@/spec/object";
import { FIELD_ACCESS, OBJECT_PERMISSIONS, type FieldAccess, type ObjectAccess, type PermissionSet } from "@/spec/security";
import { emptyObjectAccess, PERMISSION_HELP, PERMISSION_LABELS } from "./object-permissions";
import { issuesUnder, IssueMessages } from "./security-issues";
import type { PermissionSetKind, SecurityDesignerStore } from "./security-designer-store";
import type { CatalogObject } from "./use-security-catalog";

export const FIELD_ACCESS_LABELS: Record<FieldAccess, string> = { edit: "Read and edit", read: "Read only", none: "Hidden" };

function fieldSummary(access: ObjectAccess): string {
  const custom = Object.keys(access.fields).length;
  return `${FIELD_ACCESS_LABELS[access.fieldDefault]}${custom > 0 ? ` · ${custom} field${custom === 1 ? " differs" : "s differ"}` : ""}`;
}

/** Field-level security of one object: the default for unlisted fields and each field's access. */
function FieldAccessPanel({ id, object, access, onDefault, onField }: {
  id: string;
  object: CatalogObject;
  access: ObjectAccess;
  onDefault: (access: FieldAccess) => void;
  onField: (field: string, access: FieldAccess | null) => void;
}) {
  const fields = object.definition?.fields ?? [];
  return (
    <div id={id} className="space-y-3 border-l-2 border-brand-100 bg-slate-50/70 px-4 py-3">
      <div className="flex flex-wrap items-end gap-4">
        <div className="w-56 space-y-1">
          <label htmlFor={`${id}-default`} className="block text-xs font-medium text-slate-700">Default field access</label>
          <NativeSelect id={`${id}-default`} aria-label={`Default field access on ${object.label}`} value={access.fieldDefault} className="h-8 text-xs"
            onChange={(e) => onDefault(e.target.value as FieldAccess)}>
            {FIELD_ACCESS.map((value) => <option key={value} value={value}>{FIELD_ACCESS_LABELS[value]}</option>)}
          </NativeSelect>
        </div>
        <p className="pb-1.5 text-xs text-slate-500">Applies to every field not set below, and to fields added later.</p>
        {!access.read && <p className="pb-1.5 text-xs text-amber-700">Without Read on {object.label}, field access has no effect.</p>}
      </div>
      {object.definition === null ? (
        <p className="text-xs text-slate-500">Loading fields…</p>
      ) : fields.length === 0 ? (
        <p className="text-xs text-slate-500">{object.label} has no fields.</p>
      ) : (
        <table className="w-full max-w-3xl text-sm">
          <caption className="sr-only">Field access on {object.label}</caption>
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th scope="col" className="py-1 font-medium">Field</th>
              <th scope="col" className="py-1 font-medium">Type</th>
              <th scope="col" className="w-56 py-1 font-medium">Access</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200/70">
            {fields.map((field) => {
              const own = access.fields[field.name];
              return (
                <tr key={field.name}>
                  <td className="py-1 pr-3">
                    <span className="font-medium text-slate-800">{field.label}</span>{" "}
                    <span className="font-mono text-xs text-slate-500">{field.name}</span>
                  </td>
                  <td className="py-1 pr-3 text-xs text-slate-600">{field.type}{isComputedField(field) && " (read only)"}</td>
                  <td className="py-1">
                    <NativeSelect aria-label={`Access to ${field.label} on ${object.label}`} value={own ?? ""}
                      className={cn("h-8 text-xs", own !== undefined && "border-brand-500 font-medium")}
                      onChange={(e) => onField(field.name, e.target.value === "" ? null : (e.target.value as FieldAccess))}>
                      <option value="">Default ({FIELD_ACCESS_LABELS[access.fieldDefault].toLowerCase()})</option>
                      {FIELD_ACCESS.map((value) => <option key={value} value={value}>{FIELD_ACCESS_LABELS[value]}</option>)}
                    </NativeSelect>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * The object permission matrix of one profile or permission set: a row per object, a checkbox
 * per permission (ticking one ticks what it needs), and per object an expandable field list.
 */
export function PermissionMatrix({ store, kind, set, setIndex, objects, issues }: {
  store: SecurityDesignerStore;
  kind: PermissionSetKind;
  set: PermissionSet;
  setIndex: number;
  objects: readonly CatalogObject[];
  issues: readonly ErrorIssue[];
}) {
  const baseId = useId();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const unknown = Object.keys(set.objects).filter((name) => !objects.some((object) => object.name === name))
    .map((name): CatalogObject => ({ name, label: name, definition: null }));
  const rows = [...objects, ...unknown];
  const objectIssues = issuesUnder(issues, [kind, setIndex, "objects"]);

  function toggle(name: string) {
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  }

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="permission-matrix">
        <caption className="sr-only">Object permissions of {set.label}</caption>
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2 text-left align-bottom font-medium">Object</th>
            {OBJECT_PERMISSIONS.map((permission) => {
              const all = rows.length > 0 && rows.every((object) => set.objects[object.name]?.[permission]);
              return (
                <th key={permission} scope="col" className="w-16 px-1 py-2 text-center align-bottom font-medium" title={PERMISSION_HELP[permission]}>
                  <span className="block">{PERMISSION_LABELS[permission]}</span>
                  <input type="checkbox" className="mt-1 h-3.5 w-3.5 cursor-pointer rounded border-slate-300 accent-brand-600" disabled={rows.length === 0}
                    aria-label={`${PERMISSION_LABELS[permission]} on every object`} title={`${PERMISSION_LABELS[permission]} on every object`} checked={all}
                    onChange={(e) => store.setPermissionOnObjects(kind, set.name, rows.map((object) => object.name), permission, e.target.checked)} />
                </th>
              );
            })}
            <th scope="col" className="w-44 px-3 py-2 text-left align-bottom font-medium">Fields</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.length === 0 && (
            <tr><td colSpan={OBJECT_PERMISSIONS.length + 2} className="px-3 py-6 text-center text-sm text-slate-500">No published objects yet.</td></tr>
          )}
          {rows.map((object) => {
            const access = set.objects[object.name] ?? emptyObjectAccess();
            const open = expanded.has(object.name);
            const panelId = `${baseId}-${object.name}`;
            const rowIssues = issuesUnder(objectIssues, [object.name]);
            const isUnknown = unknown.includes(object);
            return (
              <Fragment key={object.name}>
                <tr className={cn("hover:bg-slate-50/60", rowIssues.length > 0 && "bg-red-50/50")} data-object={object.name}>
                  <th scope="row" className="px-3 py-1.5 text-left font-normal">
                    <button type="button" onClick={() => toggle(object.name)} aria-expanded={open} aria-controls={panelId}
                      aria-label={`Field access on ${object.label}`}
                      className="inline-flex items-center gap-1.5 rounded px-1 py-0.5 text-left hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
                      <ChevronRight className={cn("h-4 w-4 text-slate-400 transition-transform", open && "rotate-90")} aria-hidden />
                      <span className="font-medium text-slate-800">{object.label}</span>
                      <span className="font-mono text-xs text-slate-500">{object.name}</span>
                    </button>
                    {isUnknown && <Badge color="#b91c1c" className="ml-2">Not published</Badge>}
                  </th>
                  {OBJECT_PERMISSIONS.map((permission) => (
                    <td key={permission} className="px-1 py-1.5 text-center">
                      <input type="checkbox" className="h-4 w-4 cursor-pointer rounded border-slate-300 accent-brand-600"
                        aria-label={`${PERMISSION_LABELS[permission]} ${object.label}`} title={PERMISSION_HELP[permission]}
                        checked={access[permission]}
                        onChange={(e) => store.setObjectPermission(kind, set.name, object.name, permission, e.target.checked)} />
                    </td>
                  ))}
                  <td className="whitespace-nowrap px-3 py-1.5 text-xs text-slate-600">{fieldSummary(access)}</td>
                </tr>
                {rowIssues.length > 0 && (
                  <tr><td colSpan={OBJECT_PERMISSIONS.length + 2} className="px-3 pb-2"><IssueMessages issues={rowIssues} labels={PERMISSION_LABELS} /></td></tr>
                )}
                {open && (
                  <tr>
                    <td colSpan={OBJECT_PERMISSIONS.length + 2} className="p-0">
                      <FieldAccessPanel id={panelId} object={object} access={access}
                        onDefault={(value) => store.setFieldDefault(kind, set.name, object.name, value)}
                        onField={(field, value) => store.setFieldAccess(kind, set.name, object.name, field, value)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
