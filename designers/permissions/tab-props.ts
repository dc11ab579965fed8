import type { ErrorIssue } from "@/components/trpc";
import type { SecurityModel } from "@/spec/security";
import type { PermissionSetKind, SecurityDesignerStore } from "./security-designer-store";
import type { SecurityCatalog } from "./use-security-catalog";

/** What the tabs have selected, kept by the page so switching tabs does not lose it. */
export type SecurityView = {
  set: { kind: PermissionSetKind; name: string } | null;
  group: string | null;
  historyObject: string | null;
};

/** What every tab of the security designer gets: the store, its document, the catalog and the last save's issues. */
export type SecurityTabProps = {
  store: SecurityDesignerStore;
  doc: SecurityModel;
  catalog: SecurityCatalog;
  issues: ErrorIssue[];
  view: SecurityView;
  setView: (patch: Partial<SecurityView>) => void;
};
