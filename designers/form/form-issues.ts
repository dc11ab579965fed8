import type { ErrorIssue } from "@/components/trpc";
import type { FormDef } from "@/spec/form";

/** An issue as the designer shows it: on the element its path names, with the property it is about. */
export type ElementIssue = { elementId: string | null; property: string; path: string; message: string };

/**
 * Places issues (local formMetadataIssues / zod, or the server's, same paths) on the form's
 * elements: `tabs.0.sections.1.items.2.visibleWhen` lands on that item, property `visibleWhen`;
 * a path above any element (`label`, `recordType.value`) belongs to the form (elementId null).
 */
export function placeIssues(form: FormDef, issues: readonly ErrorIssue[]): ElementIssue[] {
  return issues.map((issue) => {
    const path = issue.path.map(String);
    let elementId: string | null = null;
    let rest = path;
    const tab = path[0] === "tabs" ? form.tabs[Number(path[1])] : undefined;
    if (tab) {
      elementId = tab.id;
      rest = path.slice(2);
      const section = path[2] === "sections" ? tab.sections[Number(path[3])] : undefined;
      if (section) {
        elementId = section.id;
        rest = path.slice(4);
        const item = path[4] === "items" && section.type === "fields" ? section.items[Number(path[5])] : undefined;
        if (item) {
          elementId = item.id;
          rest = path.slice(6);
        }
      }
    }
    return { elementId, property: rest.join("."), path: path.join("."), message: issue.message };
  });
}

/** Issues of one element (null: the form itself), optionally of one property. */
export function issuesOf(issues: readonly ElementIssue[], elementId: string | null, property?: string): ElementIssue[] {
  return issues.filter((issue) => issue.elementId === elementId && (property === undefined || issue.property === property || issue.property.startsWith(`${property}.`)));
}
