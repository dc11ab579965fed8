import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createObjectQL, type DataRecord, type ObjectQL } from "@/server/objectql/objectql";
import { ObjectQLError } from "@/server/objectql/errors";
import { RECORD_SHARE_TABLE } from "@/server/objectql/schema/applied-schema-store";
import { Harness, defineObject } from "@/server/objectql/test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "@/server/objectql/test-support/test-databases";
import type { ObjectDef } from "@/spec/object";
import { securitySchema } from "@/spec/security";
import { userAccess } from "./access";
import { MODEL, OBJECTS, USERS, account, ctxOf, lineItem, loadPermissionFixture, opportunity, type ObjectName, type User } from "./test-support/permission-fixture";
import { FixtureAccessOracle, type OracleObject } from "./test-support/fixture-access-oracle";
import { criteriaMatch, describeCriteria, explainAccess, type ExplainShare, type ExplainSubject } from "./explain-access";
import type { Filter } from "@/spec/query";

/**
 * Access explain must say what the engine does. The fixture is the permission matrix's
 * (server/security/permission-matrix.suite.ts): six users with different profiles, permission
 * sets, roles, groups, sharing rules, manual shares and ownership over three related objects, one
 * of them controlled by its parent. For every user and record, explain's read / edit / delete
 * verdict and what the engine lets the user do are both compared with an oracle written by hand
 * from the model (test-support/fixture-access-oracle.ts): explain and the engine share
 * `access.ts`, so agreeing with each other alone would not catch a wrong rule there.
 */

// Plus an object with no org-wide default (public read/write), which the Standard profile grants.
const note = defineObject({ name: "note", label: "Note", pluralLabel: "Notes", fields: [{ id: "n1", name: "name", label: "Name", type: "text", required: true }] });
const NOTE_MODEL = securitySchema.parse({
  ...MODEL,
  profiles: MODEL.profiles.map((profile) => profile.name === "standard" ? { ...profile, objects: { ...profile.objects, note: { create: true, read: true, edit: true, delete: true } } } : profile),
});
const ALL_OBJECTS: OracleObject[] = [...OBJECTS, "note"];

const OBJECT_DEFS: Record<string, ObjectDef> = { account, opportunity, line_item: lineItem, note };

type Row = DataRecord & { owner_id: string };

/** Thrown to roll a probing write back. */
class Rollback extends Error {}

describe("criteria of sharing rules, evaluated and described in code", () => {
  it("decides each operator over the record's own values as the database would, and leaves the rest undecided", () => {
    const deal = defineObject({
      name: "deal", label: "Deal", pluralLabel: "Deals",
      fields: [
        { id: "d1", name: "name", label: "Name", type: "text", required: true },
        { id: "d2", name: "amount", label: "Amount", type: "number" },
        { id: "d3", name: "note", label: "Note", type: "text" },
        { id: "d4", name: "tags", label: "Tags", type: "multiselect", options: ["a", "b", "c"].map((value) => ({ value, label: value })) },
        { id: "d5", name: "account", label: "Account", type: "lookup", reference: "account" },
        { id: "d6", name: "double", label: "Double", type: "formula", returnType: "number", expression: "amount * 2" },
        { id: "d7", name: "closes", label: "Closes", type: "date" },
      ],
    });
    const record = { id: "x", owner_id: "u1", name: "Deal", amount: 7000, note: null, tags: ["a", "b"], account: { id: "acc1", name: "A" }, double: 14000, closes: "2026-01-01" };
    const match = (field: string, operator: string, value?: unknown) => criteriaMatch({ field, operator, value } as Filter, deal, record);
    const cases: [string, string, unknown, boolean | undefined][] = [
      ["amount", "=", 7000, true], ["amount", "=", 7001, false], ["note", "=", null, false],
      ["amount", "!=", 7000, false], ["amount", "!=", 1, true], ["note", "!=", "x", true],
      ["amount", "<", 7001, true], ["amount", "<", 7000, false], ["note", "<", "z", false], ["name", "<", "E", true], ["name", "<", "D", false],
      ["amount", "<=", 7000, true], ["amount", "<=", 6999, false], ["note", "<=", "z", false],
      ["amount", ">", 6999, true], ["amount", ">", 7000, false], ["note", ">", "", false],
      ["amount", ">=", 7000, true], ["amount", ">=", 7001, false], ["note", ">=", "", false],
      ["amount", "between", [7000, 7000], true], ["amount", "between", [1, 6999], false], ["amount", "between", [7001, 8000], false],
      ["amount", "between", [7000], false], ["note", "between", ["", "z"], false],
      ["amount", "in", [1, 7000], true], ["amount", "in", [1], false], ["note", "in", [null], false],
      ["amount", "not_in", [1], true], ["amount", "not_in", [7000], false], ["note", "not_in", ["x"], true],
      ["name", "contains", "EA", true], ["name", "contains", "x", false], ["note", "contains", "", false],
      ["name", "starts_with", "de", true], ["name", "starts_with", "al", false], ["note", "starts_with", "", false],
      ["name", "ends_with", "AL", true], ["name", "ends_with", "de", false], ["note", "ends_with", "", false],
      ["note", "is_null", undefined, true], ["amount", "is_null", undefined, false], ["amount", "is_not_null", undefined, true], ["note", "is_not_null", undefined, false],
      ["missing", "is_null", undefined, undefined], ["owner_id", "=", "u1", true], ["created_by", "is_null", undefined, true],
      ["account", "=", "acc1", true], ["account", "=", "A", false],
      // System fields are the record's own; equal strings are not less than each other; != and not_in keep empty values.
      ["id", "=", "x", true], ["id", "=", "y", false], ["updated_by", "is_null", undefined, true], ["created_by", "=", "u1", false],
      ["name", "<", "Deal", false], ["name", ">", "Deal", false], ["name", "<=", "Deal", true], ["name", ">=", "Deal", true],
      ["note", "!=", null, true], ["note", "not_in", [null], true],
      ["tags", "=", ["a"], undefined], ["tags", "in", "a", undefined],
      ["tags", "contains", "a", true], ["tags", "contains", "c", false], ["tags", "in", ["c", "b"], true], ["tags", "in", ["c"], false], ["tags", "=", "a", undefined],
      // Undecided: computed fields, relative dates (alone or in a list), names through lookups, unknown operators.
      ["double", "=", 14000, undefined], ["closes", "=", "TODAY", undefined], ["closes", "in", ["2026-01-01", "LAST_N_DAYS:3"], undefined],
      ["account.name", "=", "A", undefined], ["amount", "like", 1, undefined],
    ];
    for (const [field, operator, value, expected] of cases) expect(match(field, operator, value), `${field} ${operator} ${JSON.stringify(value)}`).toBe(expected);
    expect(criteriaMatch({ field: "tags", operator: "contains", value: "a" }, deal, { ...record, tags: null })).toBe(false);

    const yes: Filter = { field: "amount", operator: "=", value: 7000 };
    const no: Filter = { field: "amount", operator: "=", value: 1 };
    const unknown: Filter = { field: "double", operator: "=", value: 1 };
    const combined: [Filter, boolean | undefined][] = [
      [{ and: [yes, unknown] }, undefined], [{ and: [no, unknown] }, false], [{ and: [unknown, no] }, false], [{ and: [yes, yes] }, true], [{ and: [] }, true],
      [{ or: [yes, unknown] }, true], [{ or: [unknown, yes] }, true], [{ or: [no, unknown] }, undefined], [{ or: [no, no] }, false], [{ or: [] }, false],
      [{ not: yes }, false], [{ not: no }, true], [{ not: unknown }, undefined],
    ];
    for (const [filter, expected] of combined) expect(criteriaMatch(filter, deal, record), JSON.stringify(filter)).toBe(expected);
  });

  it("describes criteria as a person reads them", () => {
    const won: Filter = { field: "stage", operator: "=", value: "won" };
    const cases: [Filter, string][] = [
      [{ and: [] }, "every record"],
      [{ and: [won, { field: "amount", operator: ">=", value: 5000 }] }, "stage = won and amount >= 5000"],
      [{ or: [won, { field: "stage", operator: "=", value: "lost" }] }, "(stage = won or stage = lost)"],
      [{ not: won }, "not (stage = won)"],
      [{ field: "secret_note", operator: "is_null" }, "secret_note is empty"],
      [{ field: "secret_note", operator: "is_not_null" }, "secret_note is not empty"],
      [{ field: "stage", operator: "not_in", value: ["won", "lost"] }, "stage not in [won, lost]"],
      [{ field: "name", operator: "starts_with", value: "De" }, "name starts with De"],
    ];
    for (const [filter, expected] of cases) expect(describeCriteria(filter, opportunity)).toBe(expected);
  });
});

/**
 * The reasons themselves, case by case, written out from the permission fixture's model: an admin
 * acts on these sentences, so each branch of the explanation is checked word for word.
 */
describe("access explain's reasons, word for word", () => {
  const opp = (id: string, owner: string | null, stage: string, amount: number): ExplainSubject =>
    ({ object: opportunity, record: { id, owner_id: owner, name: `Deal ${id}`, stage, amount, secret_note: "s", account: { id: "a1", name: "A" } }, shares: [] });
  // A permission set with modify all, a default profile for users without an assignment.
  const model = securitySchema.parse({
    ...MODEL,
    defaultProfile: "support",
    permissionSets: [...MODEL.permissionSets, { name: "fixer", label: "Fixer", objects: { opportunity: { read: true, edit: true, delete: true, modifyAll: true } } }],
    assignments: { ...MODEL.assignments, fixer: { profile: "restricted", permissionSets: ["fixer"] } },
  });
  const explain = (user: string, subject: ExplainSubject, objects?: (name: string) => ObjectDef | undefined) =>
    explainAccess({ ...subject, model, user: { id: user, role: "user" }, objects: objects ?? ((name) => OBJECT_DEFS[name]) });
  const verdict = (explained: ReturnType<typeof explainAccess>) => [explained.read, explained.edit, explained.delete];
  const standard = (object: string) => `Profile 'Standard' grants Create, Read, Edit, Delete on ${object}`;
  const rep1 = ["rep1 has profile 'Standard'", "Role: Sales rep", "Groups: Big deals"];
  const privateNotOwned = (owner: string) => ["Org-wide default for Opportunity is Private", `Owner is ${owner}: not the user, nor anyone in a role below theirs`];
  const wonRule = "Sharing rule 'Won deals to reps' (stage = won) shares with role Sales rep (read)";
  const bigRule = "Sharing rule 'Big deals' (amount >= 5000) shares with group Big deals (edit)";

  it("no read permission, view all, modify all, public read only, unassigned users", () => {
    const none = explain("support", opp("1", "ceo", "open", 100));
    expect(verdict(none)).toEqual([false, false, false]);
    expect(none.reasons).toEqual([
      "support has profile 'Support'", "Role: Support agent", "Groups: Big deals",
      "No profile or permission set of the user grants anything on Opportunity", "Without Read on Opportunity the user sees none of its records",
    ]);
    expect(none.fields.map((field) => [field.access, field.reason])).toEqual(opportunity.fields.map(() => ["none", "The user may not read Opportunity"]));

    const auditor = explain("auditor", opp("1", "ceo", "open", 100));
    expect(verdict(auditor)).toEqual([true, false, false]);
    expect(auditor.reasons).toEqual([
      "auditor has profile 'Standard'", "Permission sets: Auditor", "The user has no role",
      standard("Opportunity"), "Permission set 'Auditor' grants Read, View all on Opportunity",
      "View all on Opportunity: the user reads every record", "So the user can read this record",
      ...privateNotOwned("ceo").map((reason) => `Edit: ${reason}`), "So the user cannot edit this record",
      ...privateNotOwned("ceo").map((reason) => `Delete: ${reason}`), "Delete: Sharing never grants deletion", "So the user cannot delete this record",
    ]);
    // Editable fields of a record the user may not edit are shown read-only.
    expect(auditor.fields.map((field) => [field.access, field.reason])).toEqual(opportunity.fields.map(() => ["read", "The user cannot edit this record"]));

    const fixer = explain("fixer", opp("1", "ceo", "open", 100));
    expect(verdict(fixer)).toEqual([true, true, true]);
    expect(fixer.reasons).toEqual([
      "fixer has profile 'Restricted'", "Permission sets: Fixer", "The user has no role",
      "Profile 'Restricted' grants Read on Opportunity", "Permission set 'Fixer' grants Read, Edit, Delete, Modify all on Opportunity",
      "Modify all on Opportunity: the user may read every record", "So the user can read this record",
      "Edit: Modify all on Opportunity: the user may edit every record", "So the user can edit this record", "So the user can delete this record",
    ]);
    // The most permissive wins: the set's edit over the profile's read; the profile's hidden field stays readable through the set.
    expect(fixer.fields.find((field) => field.name === "name")).toMatchObject({ access: "edit", reason: "Field 'name' is editable" });
    expect(fixer.fields.find((field) => field.name === "secret_note")).toMatchObject({ access: "edit", reason: "Field 'secret_note' is editable" });
    const restricted = explain("rep2", opp("1", "rep2", "open", 100));
    expect(restricted.fields.find((field) => field.name === "name")).toMatchObject({ access: "read", reason: "Field 'name' is read only in every profile and permission set the user has" });

    const account = explain("rep1", { object: OBJECT_DEFS.account, record: { id: "a1", owner_id: "ceo", name: "Acme", region: "north", revenue: 1 }, shares: [] });
    expect(verdict(account)).toEqual([true, false, false]);
    expect(account.reasons).toEqual([
      ...rep1, standard("Account"),
      "Org-wide default for Account is Public read only: everyone with permission may read every record", "So the user can read this record",
      "Edit: Org-wide default for Account is Public read only: only owners, their managers and sharing with edit access may edit",
      "Edit: Owner is ceo: not the user, nor anyone in a role below theirs", "So the user cannot edit this record",
      "Delete: Org-wide default for Account is Public read only: only owners, their managers and sharing with edit access may delete",
      "Delete: Owner is ceo: not the user, nor anyone in a role below theirs", "Delete: Sharing never grants deletion", "So the user cannot delete this record",
    ]);

    // No assignment: the default profile, no role.
    const stranger = explain("stranger", { object: OBJECT_DEFS.account, record: { id: "a1", owner_id: null, name: "", region: null, revenue: 1 }, shares: [] });
    expect(stranger.reasons.slice(0, 3)).toEqual(["stranger has profile 'Support' (the default profile)", "The user has no role", "Profile 'Support' grants Read on Account"]);
    expect(stranger.fields.find((field) => field.name === "revenue")).toMatchObject({ access: "none", reason: "Field 'revenue' is hidden by every profile and permission set the user has" });
    expect(explainAccess({ ...opp("1", null, "open", 1), model: { ...model, defaultProfile: undefined }, user: { id: "stranger", role: "user" } }).reasons.slice(0, 3))
      .toEqual(["stranger has no profile", "The user has no role", "No profile or permission set of the user grants anything on Opportunity"]);
  });

  it("ownership, sharing rules (matching or not, reaching the user or not) and manual shares", () => {
    const won = explain("rep2", opp("2", "mgr", "won", 100));
    expect(verdict(won)).toEqual([true, false, false]);
    expect(won.reasons).toEqual([
      "rep2 has profile 'Restricted'", "Role: Sales rep", "Groups: Big deals", "Profile 'Restricted' grants Read on Opportunity",
      ...privateNotOwned("mgr"),
      "Sharing rule 'Won deals to reps' matches (stage = won) and shares with role Sales rep (read)", `${bigRule}, but the record does not match`,
      "So the user can read this record", "No Edit permission on Opportunity: the user cannot edit it", "No Delete permission on Opportunity",
    ]);

    const big = explain("rep1", opp("3", "auditor", "open", 7000));
    expect(verdict(big)).toEqual([true, true, false]);
    const bigMatches = "Sharing rule 'Big deals' matches (amount >= 5000) and shares with group Big deals (edit)";
    expect(big.reasons).toEqual([
      ...rep1, standard("Opportunity"), ...privateNotOwned("auditor"), `${wonRule}, but the record does not match`, bigMatches,
      "So the user can read this record",
      ...[...privateNotOwned("auditor"), bigMatches].map((reason) => `Edit: ${reason}`), "So the user can edit this record",
      "Delete: Sharing never grants deletion", "So the user cannot delete this record",
    ]);
    expect(big.fields.map((field) => field.access)).toEqual(opportunity.fields.map(() => "edit"));

    const unseen = explain("rep1", opp("4", "ceo", "open", 100));
    expect(verdict(unseen)).toEqual([false, false, false]);
    expect(unseen.reasons).toEqual([
      ...rep1, standard("Opportunity"), ...privateNotOwned("ceo"), `${wonRule}, but the record does not match`, `${bigRule}, but the record does not match`,
      "So the user cannot see this record",
    ]);
    expect(unseen.fields.map((field) => [field.access, field.reason])).toEqual(opportunity.fields.map(() => ["none", "The user cannot see this record (field access on Opportunity: edit)"]));
    expect(explain("rep2", opp("4", "ceo", "open", 100)).fields.find((field) => field.name === "secret_note")!.reason).toBe("The user cannot see this record (field access on Opportunity: hidden)");

    const shared = explain("rep1", { ...opp("5", "ceo", "won", 100), shares: [{ principal: "group:big_deals", access: "read" }, { principal: "user:rep1", access: "edit" }, { principal: "user:rep2", access: "edit" }] });
    expect(verdict(shared)).toEqual([true, true, false]);
    expect(shared.reasons).toEqual([
      ...rep1, standard("Opportunity"), ...privateNotOwned("ceo"),
      "Sharing rule 'Won deals to reps' matches (stage = won) and shares with role Sales rep (read)", `${bigRule}, but the record does not match`,
      "Manually shared with group Big deals (read)", "Manually shared with the user (edit)", "So the user can read this record",
      ...[...privateNotOwned("ceo"), `${wonRule}: read only, so it does not let the user edit`, `${bigRule}, but the record does not match`,
        "Manually shared with group Big deals for read only", "Manually shared with the user (edit)"].map((reason) => `Edit: ${reason}`),
      "So the user can edit this record", "Delete: Sharing never grants deletion", "So the user cannot delete this record",
    ]);
    // Someone else's share is named by user (and display name).
    const byName = explainAccess({ ...opp("5", "ceo", "won", 100), shares: [{ principal: "user:rep1", access: "read" }], model, user: { id: "rep1", role: "user" }, userName: (id) => id.toUpperCase() });
    expect(byName.reasons).toContain("Manually shared with the user (read)");
    expect(byName.reasons[0]).toBe("REP1 has profile 'Standard'");

    const notAmong = explain("mgr", opp("6", "ceo", "won", 100));
    expect(verdict(notAmong)).toEqual([false, false, false]);
    expect(notAmong.reasons).toEqual([
      "mgr has profile 'Standard'", "Role: Sales manager", standard("Opportunity"), ...privateNotOwned("ceo"),
      `${wonRule}: the record matches, but the user is not among them`, "So the user cannot see this record",
    ]);
  });

  it("names rule recipients of every kind", () => {
    const rules = securitySchema.parse({
      ...model,
      sharingRules: [
        { name: "lost_to_rep1", label: "Lost to rep1", object: "opportunity", criteria: { field: "stage", operator: "=", value: "lost" }, sharedWith: { kind: "user", name: "rep1" }, access: "read" },
        { name: "huge_down", label: "Huge deals down", object: "opportunity", criteria: { field: "amount", operator: ">=", value: 10000 }, sharedWith: { kind: "role_and_subordinates", name: "sales_manager" }, access: "edit" },
      ],
    });
    const explained = explainAccess({ ...opp("11", "ceo", "lost", 100), model: rules, user: { id: "rep1", role: "user" }, userName: (id) => `<${id}>` });
    expect(explained.reasons.slice(4, 8)).toEqual([
      "Org-wide default for Opportunity is Private",
      "Owner is <ceo>: not the user, nor anyone in a role below theirs",
      "Sharing rule 'Lost to rep1' matches (stage = lost) and shares with user <rep1> (read)",
      "Sharing rule 'Huge deals down' (amount >= 10000) shares with role Sales manager and its subordinates (edit), but the record does not match",
    ]);
    expect(explained.read).toBe(true);
  });

  it("controlled-by-parent records follow their master; computed fields are read only", () => {
    const item = (parent: ExplainSubject | null): ExplainSubject =>
      ({ object: lineItem, record: { id: "i1", owner_id: "ceo", name: "", quantity: 1, opportunity: parent ? { id: parent.record.id, name: "x" } : null }, shares: [], parent });
    const followed = explain("mgr", item(opp("7", "rep1", "open", 100)));
    expect(verdict(followed)).toEqual([true, true, true]);
    const intro = "Org-wide default for Line item is Controlled by parent: its records are as visible and editable as their opportunity record";
    const master = ["  Org-wide default for Opportunity is Private", "  Owner is rep1, whose role Sales rep is below Sales manager"];
    expect(followed.reasons).toEqual([
      "mgr has profile 'Standard'", "Role: Sales manager", standard("Line item"),
      intro, "The user may read its master Opportunity 'Deal 7':", ...master, "So the user can read this record",
      `Edit: ${intro}`, "Edit: The user may edit its master Opportunity 'Deal 7':", ...master.map((reason) => `Edit: ${reason}`), "So the user can edit this record",
      "So the user can delete this record",
    ]);
    const refused = explain("rep1", item(opp("8", "ceo", "open", 100)));
    expect(refused.reasons.slice(4, 6)).toEqual([intro, "The user may not read its master Opportunity 'Deal 8':"]);
    const orphan = explain("mgr", item(null));
    expect(orphan.reasons.slice(3)).toEqual([intro, "The record has no opportunity to follow", "So the user cannot see this record"]);

    // A record named by its id when its name is empty; the owner's own record.
    const own = explain("rep1", { ...opp("9", "rep1", "open", 1), record: { ...opp("9", "rep1", "open", 1).record, name: "" } });
    expect(own.reasons).toContain("The user owns the record");
    expect(own.delete).toBe(true);

    // Computed fields: read only, or hidden when they read a hidden field.
    const withFormulas = defineObject({
      ...opportunity,
      fields: [
        ...opportunity.fields,
        { id: "o6", name: "double_amount", label: "Double", type: "formula", returnType: "number", expression: "amount * 2" },
        { id: "o7", name: "note_length", label: "Note length", type: "formula", returnType: "number", expression: "LEN(secret_note)" },
        { id: "o8", name: "number", label: "Number", type: "autonumber", format: "D-{0000}" },
      ],
    });
    const objects = (name: string) => (name === "opportunity" ? withFormulas : OBJECT_DEFS[name]);
    const fieldsOf = (user: string) => Object.fromEntries(explain(user, { ...opp("10", user, "open", 1), object: withFormulas }, objects).fields.slice(5).map((field) => [field.name, [field.access, field.reason]]));
    expect(fieldsOf("rep1")).toEqual({
      double_amount: ["read", "Field 'double_amount' is computed: read only"],
      note_length: ["read", "Field 'note_length' is computed: read only"],
      number: ["read", "Field 'number' is computed: read only"],
    });
    expect(fieldsOf("rep2")).toEqual({
      double_amount: ["read", "Field 'double_amount' is computed: read only"],
      note_length: ["none", "Field 'note_length' is computed from a field the user may not read"],
      number: ["read", "Field 'number' is computed: read only"],
    });
    // Admins: computed fields read only, the rest editable.
    const admin = explainAccess({ ...opp("10", "x", "open", 1), object: withFormulas, model, user: { id: "root", role: "admin" } });
    expect(admin.fields.map((field) => field.access)).toEqual([...opportunity.fields.map(() => "edit"), "read", "read", "read"]);
  });

  it("names master records by their name (a lookup's name, else the id) and follows masters to a depth, then stops", () => {
    const item = (parentName: unknown): ExplainSubject => {
      const parent = opp("7", "rep1", "open", 100);
      return { object: lineItem, record: { id: "i1", owner_id: "ceo", name: "", quantity: 1, opportunity: { id: "7", name: "x" } }, shares: [], parent: { ...parent, record: { ...parent.record, name: parentName } } };
    };
    const masterLine = (parentName: unknown) => explain("mgr", item(parentName)).reasons[4];
    expect(masterLine("Big one")).toBe("The user may read its master Opportunity 'Big one':");
    expect(masterLine({ id: "acc9", name: "Through a lookup" })).toBe("The user may read its master Opportunity 'Through a lookup':");
    expect(masterLine({ id: "acc9" })).toBe("The user may read its master Opportunity '[object Object]':");
    for (const empty of [null, undefined, ""]) expect(masterLine(empty)).toBe("The user may read its master Opportunity '7':");
    expect(masterLine(0)).toBe("The user may read its master Opportunity '0':");

    // A user who reads line items but not opportunities reaches no line item: its master is out of reach.
    const itemsOnly = securitySchema.parse({ ...model, profiles: model.profiles.map((profile) => profile.name === "support" ? { ...profile, objects: { ...profile.objects, line_item: { read: true } } } : profile) });
    const blind = explainAccess({ ...item("Big one"), model: itemsOnly, user: { id: "support", role: "user" }, objects: (name) => OBJECT_DEFS[name] });
    expect(verdict(blind)).toEqual([false, false, false]);
    expect(blind.reasons.slice(-4)).toEqual([
      "Org-wide default for Line item is Controlled by parent: its records are as visible and editable as their opportunity record",
      "The user may not read its master Opportunity 'Big one':", "  The user has no Read permission on Opportunity", "So the user cannot see this record",
    ]);

    // A chain of masters: level0 (private) <- level1 <- ... <- level6, each controlled by its parent.
    const levels = Array.from({ length: 7 }, (_, depth) => defineObject({
      name: `level${depth}`, label: `Level ${depth}`, pluralLabel: `Levels ${depth}`,
      fields: [
        { id: `l${depth}a`, name: "name", label: "Name", type: "text" },
        ...(depth === 0 ? [] : [{ id: `l${depth}b`, name: "up", label: "Up", type: "master_detail" as const, reference: `level${depth - 1}` }]),
      ],
    }));
    const chainModel = securitySchema.parse({
      ...model,
      profiles: model.profiles.map((profile) => profile.name === "standard" ? { ...profile, objects: { ...profile.objects, ...Object.fromEntries(levels.map((level) => [level.name, { create: true, read: true, edit: true, delete: true }])) } } : profile),
      orgWideDefaults: { ...model.orgWideDefaults, level0: "private", ...Object.fromEntries(levels.slice(1).map((level) => [level.name, "controlled_by_parent"])) },
    });
    const subjectAt = (depth: number): ExplainSubject => ({ object: levels[depth], record: { id: `r${depth}`, owner_id: "rep1", name: `L${depth}` }, shares: [], parent: depth === 0 ? null : subjectAt(depth - 1) });
    const chain = (depth: number) => explainAccess({ ...subjectAt(depth), model: chainModel, user: { id: "rep1", role: "user" }, objects: (name) => levels.find((level) => level.name === name) });
    // Five masters up is as far as the engine follows (record-security.ts): level5 is readable, level6 is not.
    expect(verdict(chain(5))).toEqual([true, true, true]);
    expect(verdict(chain(6))).toEqual([false, false, false]);
    expect(chain(6).reasons.filter((reason) => reason.includes("too deep"))).toEqual([`${" ".repeat(10)}The chain of master records is too deep to follow`]);
  });

  it("says why each field is read only on a record the user may not edit, and repeats no reason the edit check shares with the read check", () => {
    // Without sharing rules, the owner's read and edit reasons are the same: they are said once.
    const noRules = securitySchema.parse({ ...model, sharingRules: [] });
    const own = explainAccess({ ...opp("9", "rep1", "open", 1), model: noRules, user: { id: "rep1", role: "user" } });
    expect(own.reasons.slice(4)).toEqual([
      "Org-wide default for Opportunity is Private", "The user owns the record", "So the user can read this record",
      "So the user can edit this record", "So the user can delete this record",
    ]);
    // Without `objects`, the record's own object is the only one known: its fields are shown as granted.
    expect(own.fields.map((field) => field.access)).toEqual(opportunity.fields.map(() => "edit"));

    // Public read/write: everyone edits through the org-wide default (not view all), only owners delete.
    const onNote = explainAccess({ object: OBJECT_DEFS.note, record: { id: "n1", owner_id: "ceo", name: "N" }, shares: [], model: NOTE_MODEL, user: { id: "rep1", role: "user" } });
    expect(onNote.reasons).toContain("Edit: Org-wide default for Note is Public read/write: everyone with permission may edit every record");
    expect(onNote.fields.map((field) => [field.access, field.reason])).toEqual([["edit", "Field 'name' is editable"]]);

    // Admins and the no-model case: every field editable, each with its reason.
    const admin = explainAccess({ ...opp("1", "x", "open", 1), model, user: { id: "root", role: "admin" } });
    expect(admin.fields.map((field) => field.reason)).toEqual(opportunity.fields.map(() => "Admins see and edit every field"));
    const open = explainAccess({ ...opp("1", "x", "open", 1), model: null, user: { id: "rep1", role: "user" } });
    expect(verdict(open)).toEqual([true, true, true]);
    expect(open.fields.map((field) => [field.access, field.reason])).toEqual(opportunity.fields.map(() => ["edit", "No security model is published"]));
  });

  it("external objects are read only; public read/write records are deleted by owners only", () => {
    const external = defineObject({ ...OBJECT_DEFS.note, source: { datasource: "crm", table: "notes", primaryKey: "id" } });
    const onNote = (object: ObjectDef, user: string, owner: string) => explainAccess({ object, record: { id: "n1", owner_id: owner, name: "N" }, shares: [], model: NOTE_MODEL, user: { id: user, role: "user" } });
    const read = onNote(external, "rep1", "rep1");
    expect(verdict(read)).toEqual([true, false, false]);
    expect(read.reasons.slice(-2)).toEqual(["So the user can read this record", "Note reads an external data source: its records are read only"]);
    expect(read.fields.map((field) => [field.access, field.reason])).toEqual([["read", "Note reads an external data source: its records are read only"]]);
    expect(verdict(onNote(OBJECT_DEFS.note, "rep1", "ceo"))).toEqual([true, true, false]);
    expect(onNote(OBJECT_DEFS.note, "rep1", "ceo").reasons.slice(-4)).toEqual([
      "Delete: Org-wide default for Note is Public read/write, but deleting is for the owner and their managers",
      "Delete: Owner is ceo: not the user, nor anyone in a role below theirs", "Delete: Sharing never grants deletion", "So the user cannot delete this record",
    ]);
    const admin = explainAccess({ object: external, record: { id: "n1", owner_id: null }, shares: [], model: NOTE_MODEL, user: { id: "root", role: "admin" } });
    expect(verdict(admin)).toEqual([true, false, false]);
    expect(verdict(explainAccess({ object: external, record: { id: "n1", owner_id: null }, shares: [], model: null, user: { id: "rep1", role: "user" } }))).toEqual([true, false, false]);
  });
});

describe("access explain and the engine agree with an independent oracle (permission-matrix fixture)", () => {
  let test: TestDatabase;
  let h: Harness;
  let ql: ObjectQL;
  const rows: Record<OracleObject, Row[]> = { account: [], opportunity: [], line_item: [], note: [] };
  const shares: { object: string; record_id: string; principal: string; access: "read" | "edit" }[] = [];

  const sharesOf = (object: string, id: string): ExplainShare[] =>
    shares.filter((share) => share.object === object && share.record_id === id).map(({ principal, access }) => ({ principal, access }));

  function subjectOf(object: OracleObject, row: Row): ExplainSubject {
    const subject: ExplainSubject = { object: OBJECT_DEFS[object], record: row, shares: sharesOf(object, row.id) };
    if (object === "line_item") {
      const parentId = (row.opportunity as { id: string } | null)?.id;
      const parent = rows.opportunity.find((candidate) => candidate.id === parentId);
      subject.parent = parent ? subjectOf("opportunity", parent) : null;
    }
    return subject;
  }

  /** What the engine lets the user do with the record: read it, change it, delete it (rolled back). */
  async function engineVerdict(user: User, object: OracleObject, row: Row) {
    const ctx = ctxOf(user);
    const read = await ql.findOne(ctx, object, row.id).then((found) => found !== null, (error: unknown) => {
      if (error instanceof ObjectQLError && error.code === "FORBIDDEN") return false;
      throw error;
    });
    const attempt = async (work: (tx: ObjectQL) => Promise<unknown>) =>
      ql.transaction(ctx, async (tx) => {
        await work(tx);
        throw new Rollback();
      }).then(() => true, (error: unknown) => {
        if (error instanceof Rollback) return true;
        if (error instanceof ObjectQLError && ["FORBIDDEN", "NOT_FOUND"].includes(error.code)) return false;
        throw error;
      });
    const edit = await attempt((tx) => tx.update(ctx, object, row.id, { name: row.name }));
    const remove = await attempt((tx) => tx.delete(ctx, object, row.id));
    return { read, edit, delete: remove };
  }

  beforeAll(async () => {
    test = await sqliteFactory.create();
    ({ h } = await loadPermissionFixture(test.db));
    await h.sync(note);
    for (const [index, owner] of USERS.entries()) await h.ql.insert(ctxOf(owner), "note", { name: `Note ${index}` });
    for (const object of ALL_OBJECTS) rows[object] = (await h.ql.find({ kind: "system" }, { object, limit: 1000 })).records as Row[];
    const small = (owner: string, nth = 0) => rows.opportunity.filter((row) => row.owner_id === owner && Number(row.amount) < 5000)[nth]!;
    const now = new Date().toISOString();
    for (const share of [
      { object: "opportunity", record_id: small("ceo").id, principal: "user:rep2", access: "read" as const },
      { object: "opportunity", record_id: small("mgr").id, principal: "user:rep1", access: "edit" as const },
      { object: "opportunity", record_id: small("ceo", 1).id, principal: "group:big_deals", access: "read" as const },
    ]) {
      await test.db.kysely.insertInto(RECORD_SHARE_TABLE).values({ ...share, created_by: "test", created_at: now }).execute();
      shares.push(share);
    }
  });

  afterAll(async () => {
    await test?.cleanup();
  });

  // Access compiled and an engine made per test, not in the hook: the engine keeps each user's
  // compiled security, and mutation testing credits code to the test that runs it
  // (docs/mutation-testing.md).
  beforeEach(() => {
    const access = new Map(USERS.map((user) => [user, userAccess(NOTE_MODEL, "notes", user)]));
    ql = createObjectQL({ db: test.db, registry: h.registry, accessFor: async (ctx) => access.get(ctx.userId as User) ?? null });
  });

  it("gives the oracle's read, edit and delete verdict for every user and record, as the engine does", async () => {
    const oracle = new FixtureAccessOracle(rows.opportunity, shares.map((share) => ({ ...share })));
    let checked = 0;
    const verdicts = { read: 0, edit: 0, delete: 0 };
    for (const user of USERS) {
      for (const object of ALL_OBJECTS) {
        for (const row of rows[object]) {
          const expected = oracle.verdict(user, object, row);
          const explained = explainAccess({ ...subjectOf(object, row), model: NOTE_MODEL, user: { id: user, role: "user" }, objects: (name) => OBJECT_DEFS[name] });
          const engine = await engineVerdict(user, object, row);
          const label = `${user} ${object} ${row.name as string} (owner ${row.owner_id}):\n${explained.reasons.join("\n")}`;
          expect({ read: explained.read, edit: explained.edit, delete: explained.delete }, `explain: ${label}`).toEqual(expected);
          expect(engine, `engine: ${label}`).toEqual(expected);
          checked++;
          for (const key of ["read", "edit", "delete"] as const) if (expected[key]) verdicts[key]++;
        }
      }
    }
    expect(checked).toBe(USERS.length * (6 + 18 + 24 + USERS.length));
    // Both answers of every verdict occur (counted from the oracle, for the fixture and shares above).
    for (const count of Object.values(verdicts)) expect(count).toBeGreaterThan(0);
    for (const count of Object.values(verdicts)) expect(count).toBeLessThan(checked);
  });

  it("explains in sentences: profiles, org-wide defaults, hierarchy, rules, shares, hidden fields", () => {
    const explain = (user: User, object: ObjectName, row: Row) =>
      explainAccess({ ...subjectOf(object, row), model: MODEL, user: { id: user, role: "user" }, objects: (name) => OBJECT_DEFS[name] });

    const repDeal = rows.opportunity.find((row) => row.owner_id === "rep1" && row.stage !== "won" && Number(row.amount) < 5000)!;
    const byManager = explain("mgr", "opportunity", repDeal);
    expect(byManager.read).toBe(true);
    expect(byManager.reasons).toContain("Profile 'Standard' grants Create, Read, Edit, Delete on Opportunity");
    expect(byManager.reasons).toContain("Org-wide default for Opportunity is Private");
    expect(byManager.reasons).toContain("Owner is rep1, whose role Sales rep is below Sales manager");

    const won = rows.opportunity.find((row) => row.owner_id === "mgr" && row.stage === "won" && Number(row.amount) < 5000)!;
    const byRep = explain("rep2", "opportunity", won);
    expect(byRep).toMatchObject({ read: true, edit: false });
    expect(byRep.reasons).toContain("Sharing rule 'Won deals to reps' matches (stage = won) and shares with role Sales rep (read)");
    expect(byRep.fields.find((field) => field.name === "secret_note")).toMatchObject({
      access: "none", reason: "Field 'secret_note' is hidden by every profile and permission set the user has",
    });

    const groupShared = rows.opportunity.find((row) => row.id === shares[2].record_id)!;
    expect(explain("support", "opportunity", groupShared)).toMatchObject({ read: false });
    expect(explain("rep1", "opportunity", groupShared).reasons).toContain("Manually shared with group Big deals (read)");

    const hidden = explain("support", "opportunity", won);
    expect(hidden.read).toBe(false);
    expect(hidden.reasons).toContain("No profile or permission set of the user grants anything on Opportunity");

    const item = rows.line_item.find((row) => (row.opportunity as { id: string }).id === repDeal.id)
      ?? rows.line_item.find((row) => rows.opportunity.find((opp) => opp.id === (row.opportunity as { id: string }).id)?.owner_id === "rep1")!;
    const parentLed = explain("mgr", "line_item", item);
    expect(parentLed.read).toBe(true);
    expect(parentLed.reasons.some((reason) => reason.startsWith("Org-wide default for Line item is Controlled by parent"))).toBe(true);
  });

  it("admins are unrestricted; with no model published every user works with every record", () => {
    const row = rows.opportunity[0];
    expect(explainAccess({ ...subjectOf("opportunity", row), model: MODEL, user: { id: "someone", role: "admin" } })).toMatchObject({
      read: true, edit: true, delete: true, reasons: ["The user is a platform admin: admins are never restricted"],
    });
    const open = explainAccess({ ...subjectOf("opportunity", row), model: null, user: { id: "rep2", role: "user" } });
    expect(open).toMatchObject({ read: true, edit: true, delete: true });
    expect(open.reasons[0]).toContain("No security model is published");
  });

  it("evaluates simple criteria in code and leaves the rest to the caller", () => {
    const record = { id: "x", owner_id: null, name: "Deal", amount: 7000, stage: "won" };
    expect(criteriaMatch({ and: [{ field: "stage", operator: "=", value: "won" }, { field: "amount", operator: ">=", value: 5000 }] }, opportunity, record)).toBe(true);
    expect(criteriaMatch({ or: [{ field: "stage", operator: "in", value: ["lost"] }, { field: "name", operator: "starts_with", value: "de" }] }, opportunity, record)).toBe(true);
    expect(criteriaMatch({ not: { field: "amount", operator: "between", value: [1, 8000] } }, opportunity, record)).toBe(false);
    expect(criteriaMatch({ field: "account.name", operator: "=", value: "A" }, opportunity, record)).toBeUndefined();
    // An undecidable part does not matter when the rest decides.
    expect(criteriaMatch({ and: [{ field: "stage", operator: "=", value: "lost" }, { field: "account.name", operator: "=", value: "A" }] }, opportunity, record)).toBe(false);
  });
});
