"use client";
import { useQuery } from "@tanstack/react-query";
import { Monitor, Smartphone } from "lucide-react";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, FormField, NativeSelect, Spinner, cn } from "@/components/ui";
import { FormRenderer } from "@/components/runtime/form-renderer";
import type { DescribedObjectDef } from "@/components/runtime/record-access";
import { asRecords, recordTitle } from "@/components/runtime/types";
import type { FormDef } from "@/spec/form";

/**
 * The live preview: the app's own form renderer with the current draft (unsaved edits
 * included), on a real record or a new one, at desktop or phone width, and as another user
 * (their field permissions hide fields; saving is off).
 */
export function FormPreview({ form }: { form: FormDef }) {
  const trpc = useTRPC();
  const [recordId, setRecordId] = useState("");
  const [layout, setLayout] = useState<"desktop" | "mobile">("desktop");
  const [asUser, setAsUser] = useState("");
  const previewedUser = asUser === "" ? undefined : asUser;

  const users = useQuery(trpc.users.list.queryOptions());
  const described = useQuery(trpc.data.describe.queryOptions({ object: form.object, asUser: previewedUser }));
  const records = useQuery(trpc.data.find.queryOptions({ object: form.object, limit: 50, asUser: previewedUser }));
  const record = useQuery({
    ...trpc.data.get.queryOptions({ object: form.object, id: recordId, asUser: previewedUser }),
    enabled: recordId !== "",
  });
  const rows = asRecords(records.data?.records);
  const object = described.data as DescribedObjectDef | undefined;

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="form-preview">
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 bg-white px-4 py-2">
        <div className="w-64">
          <FormField label="Record" htmlFor="preview-record">
            <NativeSelect id="preview-record" value={recordId} onChange={(e) => setRecordId(e.target.value)}>
              <option value="">New record</option>
              {object && rows.map((row) => <option key={row.id} value={row.id}>{recordTitle(object, row)}</option>)}
            </NativeSelect>
          </FormField>
        </div>
        <div className="w-64">
          <FormField label="Preview as user" htmlFor="preview-as-user">
            <NativeSelect id="preview-as-user" value={asUser} onChange={(e) => { setAsUser(e.target.value); setRecordId(""); }}>
              <option value="">Me (admin)</option>
              {(users.data ?? []).map((user) => <option key={user.id} value={user.id}>{user.name ? `${user.name} (${user.email})` : user.email}</option>)}
            </NativeSelect>
          </FormField>
        </div>
        <div role="radiogroup" aria-label="Preview width" className="flex rounded-md border border-slate-200">
          {(["desktop", "mobile"] as const).map((width) => {
            const Icon = width === "desktop" ? Monitor : Smartphone;
            return (
              <button key={width} type="button" role="radio" aria-checked={layout === width} onClick={() => setLayout(width)}
                className={cn("inline-flex h-9 items-center gap-1.5 px-3 text-sm first:rounded-l-md last:rounded-r-md", layout === width ? "bg-slate-100 font-medium text-slate-900" : "text-slate-600 hover:bg-slate-50")}>
                <Icon className="h-4 w-4" aria-hidden /> {width === "desktop" ? "Desktop" : "Mobile"}
              </button>
            );
          })}
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto bg-slate-100 p-4">
        <div className={cn("mx-auto rounded-lg border border-slate-200 bg-white p-4 shadow-sm", layout === "mobile" ? "w-[390px]" : "max-w-5xl")}
          data-testid="preview-frame" data-layout={layout}>
          {described.isError ? (
            <Alert>{errorMessage(described.error)}</Alert>
          ) : record.isError ? (
            <Alert>{errorMessage(record.error)}</Alert>
          ) : !object || (recordId !== "" && !record.data) ? (
            <Spinner label="Loading preview" />
          ) : (
            <FormRenderer key={`${recordId}|${asUser}`} object={object} form={form} mode="preview" layout={layout} asUser={previewedUser}
              record={recordId !== "" ? (record.data as never) : undefined} onSaved={() => undefined} />
          )}
        </div>
      </div>
    </div>
  );
}
