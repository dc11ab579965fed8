"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import { CalendarDays, Plus, Rows3, SquareKanban } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Badge, Button, Dialog, EmptyState, FormField, Input, Spinner } from "@/components/ui";
import { NativeSelect } from "@/components/ui/input";
import { toApiName } from "@/designers/shared/api-name";
import { DocumentStatus } from "@/designers/shared/document-status";
import { useCreateDocument, validateCommon, type Errors } from "@/designers/shared/new-document-dialogs";
import { PageHeader } from "@/designers/shared/page-header";
import type { ObjectDef } from "@/spec/object";
import { VIEW_TYPES, type ViewDef, type ViewType } from "@/spec/view";
import { defaultCalendar, defaultColumns, defaultKanban } from "./view-defaults";

const TYPE_ICONS = { grid: Rows3, kanban: SquareKanban, calendar: CalendarDays } as const;
const TYPE_LABELS: Record<ViewType, string> = { grid: "Grid", kanban: "Kanban", calendar: "Calendar" };

/** "New view": the object, label, API name and type; kanban and calendar start from the object's first fitting field. */
function NewViewDialog({ open, onOpenChange, objects }: { open: boolean; onOpenChange: (open: boolean) => void; objects: { name: string; label: string }[] }) {
  const trpc = useTRPC();
  const [objectName, setObjectName] = useState("");
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [type, setType] = useState<ViewType>("grid");
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const create = useCreateDocument((created) => `/studio/views/${created}`, onOpenChange, setServerError, setErrors);
  const describe = useQuery({ ...trpc.data.describe.queryOptions({ object: objectName }), enabled: objectName !== "" });
  const object = describe.data as ObjectDef | undefined;

  function reset() {
    setObjectName(""); setLabel(""); setName(""); setNameTouched(false); setType("grid"); setErrors({}); setServerError(null); create.reset();
  }

  function onLabelChange(value: string) {
    setLabel(value);
    if (!nameTouched) setName(toApiName(value));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateCommon(label, name);
    if (!objectName) local.object = "is required";
    const kanban = object ? defaultKanban(object) : undefined;
    const calendar = object ? defaultCalendar(object) : undefined;
    if (object && type === "kanban" && !kanban) local.type = `${object.label} has no select field to group a kanban by`;
    if (object && type === "calendar" && !calendar) local.type = `${object.label} has no date field for a calendar`;
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0 || !object) return;
    const body: Partial<ViewDef> = {
      name,
      label: label.trim(),
      object: objectName,
      type,
      columns: defaultColumns(object),
      ...(type === "kanban" ? { kanban } : {}),
      ...(type === "calendar" ? { calendar } : {}),
    };
    create.mutate({ kind: "view", body });
  }

  return (
    <Dialog open={open} title="New view" description="A list of an object's records: a grid, a kanban board or a calendar."
      onOpenChange={(next) => { if (!next) reset(); onOpenChange(next); }}>
      <form onSubmit={submit} className="space-y-3" noValidate>
        {serverError && <Alert>{serverError}</Alert>}
        <FormField label="Object" htmlFor="new-view-object" required error={errors.object}>
          <NativeSelect id="new-view-object" value={objectName} onChange={(event) => setObjectName(event.target.value)} aria-invalid={!!errors.object}>
            <option value="">Choose an object</option>
            {objects.map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.label}</option>)}
          </NativeSelect>
        </FormField>
        <FormField label="Label" htmlFor="new-view-label" required error={errors.label}>
          <Input id="new-view-label" value={label} onChange={(event) => onLabelChange(event.target.value)} placeholder="Open deals" aria-invalid={!!errors.label} />
        </FormField>
        <FormField label="API name" htmlFor="new-view-name" required error={errors.name} help="Lowercase letters, digits and underscores; cannot be changed later.">
          <Input id="new-view-name" value={name} className="font-mono" aria-invalid={!!errors.name}
            onChange={(event) => { setName(event.target.value); setNameTouched(true); }} />
        </FormField>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-700">Type</legend>
          <div role="radiogroup" aria-label="Type" className="grid grid-cols-3 gap-2">
            {VIEW_TYPES.map((candidate) => {
              const Icon = TYPE_ICONS[candidate];
              return (
                <button key={candidate} type="button" role="radio" aria-checked={type === candidate} onClick={() => setType(candidate)}
                  className={`flex flex-col items-center gap-1 rounded-md border px-2 py-2 text-xs font-medium ${type === candidate ? "border-brand-500 bg-brand-50 text-brand-700" : "border-slate-200 text-slate-600 hover:bg-slate-50"}`}>
                  <Icon className="h-4 w-4" aria-hidden />{TYPE_LABELS[candidate]}
                </button>
              );
            })}
          </div>
          {errors.type && <p role="alert" className="text-xs text-red-600">{errors.type}</p>}
        </fieldset>
        <div className="flex justify-end gap-2 pt-3">
          <Button onClick={() => { reset(); onOpenChange(false); }}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending || (objectName !== "" && describe.isPending)}>
            {create.isPending ? "Creating…" : "Create view"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** /studio/views: every view, grouped by its object, and "New view". */
export function ViewList() {
  const trpc = useTRPC();
  const [creating, setCreating] = useState(false);
  const views = useQuery(trpc.metadata.list.queryOptions({ kind: "view" }));
  const objects = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  // The list has names and labels only; each view's object and type come from its document.
  const details = useQueries({
    queries: (views.data ?? []).map((summary) => ({ ...trpc.metadata.get.queryOptions({ kind: "view", name: summary.name }), staleTime: 30_000 })),
  });
  const publishedObjects = (objects.data ?? []).filter((summary) => summary.publishedVersion !== null).map((summary) => ({ name: summary.name, label: summary.label }));
  const objectLabel = (name: string) => objects.data?.find((summary) => summary.name === name)?.label ?? name;

  const groups = new Map<string, { summary: NonNullable<typeof views.data>[number]; body: ViewDef | null }[]>();
  (views.data ?? []).forEach((summary, index) => {
    const detail = details[index]?.data;
    const body = detail ? ((detail.draft ?? detail.published) as ViewDef | null) : null;
    const key = body?.object ?? "";
    groups.set(key, [...(groups.get(key) ?? []), { summary, body }]);
  });
  const loadingDetails = details.some((detail) => detail.isPending);

  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / Views</>}
        title="Views"
        meta={<span>How records are listed in the apps: grids, kanban boards and calendars.</span>}
        actions={<Button variant="primary" onClick={() => setCreating(true)}><Plus className="h-4 w-4" aria-hidden /> New view</Button>}
      />
      <div className="space-y-5 px-6 py-4">
        {views.isPending || loadingDetails ? (
          <Spinner label="Loading views" />
        ) : views.isError ? (
          <Alert>{errorMessage(views.error)}</Alert>
        ) : groups.size === 0 ? (
          <EmptyState title="No views yet">Use “New view” to design how an object’s records are listed.</EmptyState>
        ) : (
          [...groups.entries()].sort(([a], [b]) => objectLabel(a).localeCompare(objectLabel(b))).map(([objectName, items]) => (
            <section key={objectName} aria-label={`Views of ${objectLabel(objectName)}`}>
              <h2 className="mb-2 text-sm font-semibold text-slate-800">{objectName ? objectLabel(objectName) : "Unknown object"}</h2>
              <ul className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white">
                {items.map(({ summary, body }) => {
                  const Icon = TYPE_ICONS[body?.type ?? "grid"];
                  return (
                    <li key={summary.name}>
                      <Link href={`/studio/views/${summary.name}`} className="flex items-center gap-3 px-4 py-2.5 hover:bg-slate-50">
                        <Icon className="h-4 w-4 text-slate-400" aria-hidden />
                        <span className="font-medium text-slate-900">{summary.label}</span>
                        <span className="font-mono text-xs text-slate-500">{summary.name}</span>
                        {body?.isDefault && <Badge color="#2f58db">Default</Badge>}
                        <span className="ml-auto text-xs text-slate-500">{TYPE_LABELS[body?.type ?? "grid"]}</span>
                        <DocumentStatus publishedVersion={summary.publishedVersion} hasDraft={summary.hasDraft} />
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))
        )}
      </div>
      <NewViewDialog open={creating} onOpenChange={setCreating} objects={publishedObjects} />
    </>
  );
}
