"use client";
import { useQuery } from "@tanstack/react-query";
import { ChevronDown, ChevronRight } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useState, type ReactNode } from "react";
import type { ObjectDef } from "@/spec";
import { nameFieldOf } from "@/spec/object-fields";
import type { FieldsSection, FormSection, RelatedSection } from "@/spec/form";
import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/feedback";
import { errorMessage, useTRPC } from "@/components/trpc";
import { FieldValue } from "./field-value";
import type { GridFilter } from "./filter-operators";
import { asRecords } from "./types";

/** Pieces shared by the form renderer (edit) and the record view (read): grids, sections, related lists. */

export type FormLayoutMode = "desktop" | "mobile";

// Whole class names, so Tailwind sees them. Below `md` every section is one column.
const GRID_COLUMNS: Record<number, string> = { 1: "", 2: "md:grid-cols-2", 3: "md:grid-cols-3", 4: "md:grid-cols-4" };
const COLUMN_SPAN: Record<number, string> = { 1: "", 2: "md:col-span-2", 3: "md:col-span-3", 4: "md:col-span-4" };

/** The grid of a fields section: 1-4 columns on wide screens, one on narrow ones (and in the mobile layout). */
export function sectionGridClass(columns: number, layout: FormLayoutMode): string {
  return cn("grid grid-cols-1 gap-x-6 gap-y-4", layout === "desktop" && GRID_COLUMNS[Math.min(Math.max(columns, 1), 4)]);
}

/** An item's span, capped by its section's columns. */
export function itemSpanClass(span: number, columns: number, layout: FormLayoutMode): string {
  return layout === "desktop" ? (COLUMN_SPAN[Math.min(span, columns)] ?? "") : "";
}

/** Which sections start collapsed: the collapsible ones marked `collapsed`. */
export function initiallyCollapsed(sections: FormSection[]): Set<string> {
  return new Set(sections.filter((section) => section.collapsible && section.collapsed).map((section) => section.id));
}

/**
 * A section's frame: its label as a heading, a button (aria-expanded) that folds a collapsible
 * section. A section without a label and not collapsible is just its body.
 */
export function SectionFrame({
  section,
  collapsed,
  onToggle,
  children,
  marker,
}: {
  section: FormSection;
  collapsed: boolean;
  onToggle: () => void;
  children: ReactNode;
  /** Shown after the label (e.g. the count of a related list). */
  marker?: ReactNode;
}) {
  const bodyId = useId();
  const label = section.label || (section.collapsible ? "Section" : "");
  if (!label) return <div data-testid={`form-section-${section.id}`}>{children}</div>;
  const open = !(section.collapsible && collapsed);
  return (
    <section className="space-y-3" aria-label={label} data-testid={`form-section-${section.id}`}>
      <div className="flex items-center gap-2 border-b border-slate-200 pb-1.5">
        {section.collapsible ? (
          <button
            type="button"
            aria-expanded={open}
            aria-controls={bodyId}
            onClick={onToggle}
            className="-ml-1 inline-flex items-center gap-1 rounded px-1 text-sm font-semibold text-slate-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          >
            {open ? <ChevronDown className="h-4 w-4 text-slate-500" aria-hidden /> : <ChevronRight className="h-4 w-4 text-slate-500" aria-hidden />}
            {label}
          </button>
        ) : (
          <h3 className="text-sm font-semibold text-slate-800">{label}</h3>
        )}
        {marker}
      </div>
      <div id={bodyId} hidden={!open}>
        {children}
      </div>
    </section>
  );
}

/** Keeps which collapsible sections are folded. */
export function useCollapsedSections(sections: FormSection[]) {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => initiallyCollapsed(sections));
  return {
    isCollapsed: (id: string) => collapsed.has(id),
    toggle: (id: string) =>
      setCollapsed((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    expand: (ids: string[]) =>
      setCollapsed((current) => (ids.some((id) => current.has(id)) ? new Set([...current].filter((id) => !ids.includes(id))) : current)),
  };
}

/** Types whose value already renders as a link (mailto:, tel:, the site): not wrapped in the record link. */
const LINKED_TYPES = new Set(["url", "email", "phone", "lookup", "master_detail"]);

/** The app a page belongs to (/apps/<app>/...), to link related records; none in the studio. */
function useAppBase(): string | null {
  const pathname = usePathname();
  const match = /^\/apps\/([^/]+)/.exec(pathname ?? "");
  return match ? `/apps/${match[1]}` : null;
}

/**
 * A related list: the child records whose `lookupField` points at this record (first `limit`,
 * newest first), the chosen columns, a link to each record and "View all" (the child list
 * filtered to this record) with the count.
 */
export function RelatedList({ section, recordId, recordName, asUser }: { section: RelatedSection; recordId: string; recordName: string; asUser?: string }) {
  const trpc = useTRPC();
  const appBase = useAppBase();
  const describe = useQuery({ ...trpc.data.describe.queryOptions({ object: section.object, asUser }), staleTime: 60_000, retry: false });
  const child = describe.data as ObjectDef | undefined;
  const find = useQuery({
    ...trpc.data.find.queryOptions({
      object: section.object,
      filter: { field: section.lookupField, operator: "=", value: recordId },
      orderBy: [{ field: "created_at", direction: "desc" }],
      limit: section.limit,
      withTotal: true,
      asUser,
    }),
    enabled: describe.isSuccess,
    retry: false,
  });
  const error = describe.error ?? find.error;
  if (error) return <p className="text-sm text-slate-500">{errorMessage(error)}</p>;
  if (!child || find.isPending) return <Spinner label={`Loading ${section.label || section.object}`} />;

  const nameField = nameFieldOf(child);
  const columns = (section.columns.length > 0 ? section.columns : [nameField])
    .map((name) => child.fields.find((field) => field.name === name))
    .filter((field) => field !== undefined);
  const records = asRecords(find.data?.records);
  const total = find.data?.total ?? records.length;
  // The child list filtered to this record (the grid keeps its filters in the URL).
  const listFilter: GridFilter[] = [{ field: section.lookupField, operator: "=", value: recordId, display: recordName }];
  const listHref = appBase ? `${appBase}/${child.name}?filter=${encodeURIComponent(JSON.stringify(listFilter))}` : null;
  return (
    <div className="space-y-2" data-testid={`related-${section.object}`}>
      {records.length === 0 ? (
        <p className="text-sm text-slate-500">No {child.pluralLabel.toLowerCase()} yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50">
              <tr>
                {columns.map((field) => (
                  <th key={field.name} scope="col" className="px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                    {field.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {records.map((record) => (
                <tr key={record.id}>
                  {columns.map((field, index) => (
                    <td key={field.name} className="max-w-64 truncate px-3 py-2 text-slate-800">
                      {index === 0 && appBase && !LINKED_TYPES.has(field.type) ? (
                        <Link href={`${appBase}/${child.name}/${encodeURIComponent(record.id)}`} className="font-medium text-brand-700 hover:underline">
                          <FieldValue field={field} value={record[field.name]} />
                        </Link>
                      ) : (
                        <FieldValue field={field} value={record[field.name]} />
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {listHref ? (
        <Link href={listHref} className="inline-block text-sm font-medium text-brand-700 hover:underline">
          View all ({total})
        </Link>
      ) : (
        <p className="text-sm text-slate-500">{total} in all</p>
      )}
    </div>
  );
}

/** The fields of a fields section that are shown, in order. */
export function shownItems(section: FieldsSection, shown: (field: string) => boolean) {
  return section.items.filter((item) => shown(item.field));
}

/** The look of a form's tab triggers (edit and read views alike). */
export const TAB_TRIGGER_CLASS =
  "-mb-px inline-flex items-center gap-1.5 whitespace-nowrap rounded-t border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 data-[state=active]:border-brand-600 data-[state=active]:text-brand-700";
