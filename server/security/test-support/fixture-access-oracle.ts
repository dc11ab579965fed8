import type { ObjectName, User } from "./permission-fixture";

/**
 * Who may read, edit and delete which record of the permission fixture (permission-fixture.ts
 * MODEL), written out by hand from the model as plain tables and a few lines of rules. It shares
 * no code with the engine (`access.ts`, `row-predicates.ts`) or with access explain, so a wrong
 * rule in either shows up as a disagreement with this.
 */

type Grant = { read: boolean; edit: boolean; delete: boolean };
const CRUD: Grant = { read: true, edit: true, delete: true };
const READ: Grant = { read: true, edit: false, delete: false };
const NONE: Grant = { read: false, edit: false, delete: false };

/**
 * `note`: an object the model lists no org-wide default for (so public read/write), granted in
 * full by the Standard profile of NOTE_MODEL (explain-access.test.ts): MODEL plus that grant.
 */
export type OracleObject = ObjectName | "note";

/** Object permissions: the profile plus permission sets, most permissive wins. */
const GRANTS: Record<User, Record<OracleObject, Grant>> = {
  ceo: { account: CRUD, opportunity: CRUD, line_item: CRUD, note: CRUD },
  mgr: { account: CRUD, opportunity: CRUD, line_item: CRUD, note: CRUD },
  rep1: { account: CRUD, opportunity: CRUD, line_item: CRUD, note: CRUD },
  rep2: { account: NONE, opportunity: READ, line_item: READ, note: NONE },
  support: { account: READ, opportunity: NONE, line_item: NONE, note: NONE },
  auditor: { account: CRUD, opportunity: CRUD, line_item: CRUD, note: CRUD },
};

/** Owners whose records the user owns or manages: themselves and everyone in roles below theirs. */
const MANAGED: Record<User, readonly string[]> = {
  ceo: ["ceo", "mgr", "rep1", "rep2"],
  mgr: ["mgr", "rep1", "rep2"],
  rep1: ["rep1"],
  rep2: ["rep2"],
  support: ["support"],
  auditor: ["auditor"],
};

/** Opportunity view-all (the Auditor permission set). */
const VIEWS_ALL_OPPORTUNITIES: readonly User[] = ["auditor"];
/** The Sales rep role, which the rule "Won deals to reps" shares with for reading. */
const SALES_REPS: readonly User[] = ["rep1", "rep2"];
/** Group Big deals: support by name, rep1 and rep2 through the Sales rep role (rule "Big deals": amount >= 5000, edit). */
const BIG_DEALS: readonly User[] = ["support", "rep1", "rep2"];

export type OracleRecord = { id: string; owner_id: string; stage?: unknown; amount?: unknown; opportunity?: unknown };
export type OracleShare = { object: string; record_id: string; principal: string; access: "read" | "edit" };
export type Verdict = { read: boolean; edit: boolean; delete: boolean };

export class FixtureAccessOracle {
  constructor(
    private readonly opportunities: readonly OracleRecord[],
    private readonly shares: readonly OracleShare[],
  ) {}

  private sharedWith(user: User, record: OracleRecord, level: "read" | "edit"): boolean {
    const mine = (principal: string) => principal === `user:${user}` || (principal === "group:big_deals" && BIG_DEALS.includes(user));
    return this.shares.some((share) => share.object === "opportunity" && share.record_id === record.id && mine(share.principal) && (level === "read" || share.access === "edit"));
  }

  /** Opportunities are private: owner and managers, view all, the two sharing rules, manual shares. */
  private opportunity(user: User, record: OracleRecord): Verdict {
    const grant = GRANTS[user].opportunity;
    if (!grant.read) return NONE;
    const managed = MANAGED[user].includes(record.owner_id);
    const big = typeof record.amount === "number" && record.amount >= 5000 && BIG_DEALS.includes(user);
    const wonForReps = record.stage === "won" && SALES_REPS.includes(user);
    return {
      read: managed || VIEWS_ALL_OPPORTUNITIES.includes(user) || big || wonForReps || this.sharedWith(user, record, "read"),
      edit: grant.edit && (managed || big || this.sharedWith(user, record, "edit")),
      delete: grant.delete && managed,
    };
  }

  verdict(user: User, object: OracleObject, record: OracleRecord): Verdict {
    const grant = GRANTS[user][object];
    if (!grant.read) return NONE;
    if (object === "note") {
      // Public read/write: everyone with the permissions reads and edits; deleting stays with owners and managers.
      return { read: true, edit: grant.edit, delete: grant.delete && MANAGED[user].includes(record.owner_id) };
    }
    if (object === "account") {
      // Public read only: everyone with Read reads; editing and deleting stay with owners and managers.
      const managed = MANAGED[user].includes(record.owner_id);
      return { read: true, edit: grant.edit && managed, delete: grant.delete && managed };
    }
    if (object === "opportunity") return this.opportunity(user, record);
    // Line items are controlled by their opportunity: read it to read them, edit it to edit or delete them.
    const parentId = typeof record.opportunity === "string" ? record.opportunity : (record.opportunity as { id: string } | null)?.id;
    const parent = this.opportunities.find((candidate) => candidate.id === parentId);
    if (!parent) return NONE;
    const master = this.opportunity(user, parent);
    return { read: master.read, edit: grant.edit && master.edit, delete: grant.delete && master.edit };
  }
}
