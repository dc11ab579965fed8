import type { SecurityModelInput } from "@/spec/security";
import { DEMO_TEAM } from "./demo-crm";

/**
 * The demo CRM's security model (docs/record-security.md), published with the demo on a fresh
 * install so a newcomer sees record and field security at work:
 * - opportunities are private: a rep sees their own, the manager (a role above the reps) sees
 *   the reps' too, and a sharing rule shows every won deal to the whole sales team (read only);
 * - accounts are public read: everyone reads every account, only its owner (and their manager)
 *   edits it; contacts are left public read/write; leads are private (a rep works their own);
 * - the "Sales rep" profile hides an account's annual revenue and cannot delete accounts; the
 *   manager's "Account management" permission set adds both.
 *
 * Assignments are by user id, so the caller says which id each demo email has. Pure (no
 * database), so the seed and the end-to-end tests publish the very same model.
 */

export const DEMO_PROFILE = "sales_rep";
export const DEMO_MANAGER_SET = "account_management";
export const DEMO_ROLES = { manager: "sales_manager", rep: "sales_rep" } as const;
/** The sharing rule: won opportunities, for everyone in the sales team to read. */
export const DEMO_SHARED_STAGE = "closed_won";

/** Every demo email the model assigns (the manager first). */
export const DEMO_TEAM_EMAILS: readonly string[] = [DEMO_TEAM.manager, ...DEMO_TEAM.reps];

export function demoSecurityModel(userIdOf: (email: string) => string): SecurityModelInput {
  const rep = { profile: DEMO_PROFILE, role: DEMO_ROLES.rep };
  return {
    name: "org",
    label: "Sales CRM security",
    enforced: true,
    profiles: [
      {
        name: DEMO_PROFILE,
        label: "Sales rep",
        description: "Works the pipeline: leads, opportunities and contacts in full; accounts without their annual revenue, and no deleting them.",
        objects: {
          account: { create: true, read: true, edit: true, export: true, fields: { annual_revenue: "none" } },
          contact: { create: true, read: true, edit: true, delete: true, export: true },
          opportunity: { create: true, read: true, edit: true, delete: true, export: true },
          lead: { create: true, read: true, edit: true, delete: true, export: true },
        },
      },
    ],
    permissionSets: [
      {
        name: DEMO_MANAGER_SET,
        label: "Account management",
        description: "Sees and edits an account's annual revenue, and deletes accounts (of their own and their team's).",
        objects: { account: { read: true, edit: true, delete: true, fieldDefault: "read", fields: { annual_revenue: "edit" } } },
      },
    ],
    defaultProfile: DEMO_PROFILE,
    roles: [
      { name: DEMO_ROLES.manager, label: "Sales manager" },
      { name: DEMO_ROLES.rep, label: "Sales rep", parent: DEMO_ROLES.manager },
    ],
    orgWideDefaults: { account: "public_read", opportunity: "private", lead: "private" },
    sharingRules: [
      {
        name: "won_deals",
        label: "Won deals, for the sales team",
        object: "opportunity",
        criteria: { field: "stage", operator: "=", value: DEMO_SHARED_STAGE },
        sharedWith: { kind: "role_and_subordinates", name: DEMO_ROLES.manager },
        access: "read",
      },
    ],
    assignments: {
      [userIdOf(DEMO_TEAM.manager)]: { profile: DEMO_PROFILE, permissionSets: [DEMO_MANAGER_SET], role: DEMO_ROLES.manager },
      ...Object.fromEntries(DEMO_TEAM.reps.map((email) => [userIdOf(email), rep])),
    },
  };
}
