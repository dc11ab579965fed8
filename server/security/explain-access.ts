import { isComputedField, nameFieldOf, type FieldDef, type ObjectDef } from "@/spec/object";
import { isRelativeDateValue, type Filter } from "@/spec/query";
import { OBJECT_PERMISSIONS, type ObjectPermission, type OrgWideDefault, type SecurityModel, type ShareTarget } from "@/spec/security";
import { orgWideDefaultOf, standingOf, userAccess, type Operation, type UserAccess } from "./access";
import { recordSecurity } from "./record-security";

/**
 * Access explain: whether one user can read, edit and delete one record, and why, in sentences
 * an admin can act on. Pure (no database): the caller loads the record, its manual shares, the
 * master records of controlled-by-parent objects and (ideally) which sharing rules match. It
 * walks the same decisions as the engine (`access.ts` `rowScope`, `record-security.ts`
 * `rowPredicate`, the write checks of `objectql.ts`), so its verdict is the engine's verdict.
 */

export type ExplainRecord = { id: string; owner_id: string | null; [field: string]: unknown };
export type ExplainShare = { principal: string; access: "read" | "edit" };

/** One record and what its access depends on. */
export type ExplainSubject = {
  object: ObjectDef;
  record: ExplainRecord;
  /** The record's manual shares (`_os_record_share`). */
  shares: ExplainShare[];
  /**
   * Whether each sharing rule of the object matches the record, by rule name (the caller can
   * ask the database, which is exact). Missing rules are evaluated here over the record's values.
   */
  ruleMatches?: Record<string, boolean>;
  /** For controlled-by-parent objects: the master record (null: none, or it does not exist). */
  parent?: ExplainSubject | null;
};

export type ExplainInput = ExplainSubject & {
  /** The published model; null: none published (every signed-in user works with every record). */
  model: SecurityModel | null;
  /** The user and their platform role ("admin" is never restricted). */
  user: { id: string; role: string };
  /** Every object by name (formulas and roll-ups reading hidden fields); default: only `object`. */
  objects?: (name: string) => ObjectDef | undefined;
  /** A user's display name (reasons name owners and users); default: the id. */
  userName?: (id: string) => string;
};

export type FieldExplanation = { name: string; label: string; access: "edit" | "read" | "none"; reason: string };

export type AccessExplanation = {
  read: boolean;
  edit: boolean;
  delete: boolean;
  /** Why, in order: who the user is, object permissions, record access. */
  reasons: string[];
  /** Each field of the object and what the user may do with it (only meaningful when `read`). */
  fields: FieldExplanation[];
};

/** How deep controlled-by-parent chains are followed (as `record-security.ts`). */
const MAX_PARENT_DEPTH = 5;

const PERMISSION_LABELS: Record<ObjectPermission, string> = {
  create: "Create", read: "Read", edit: "Edit", delete: "Delete", viewAll: "View all", modifyAll: "Modify all", export: "Export",
};
const OWD_LABELS: Record<OrgWideDefault, string> = {
  private: "Private", public_read: "Public read only", public_read_write: "Public read/write", controlled_by_parent: "Controlled by parent",
};

type Context = {
  model: SecurityModel;
  access: UserAccess;
  userId: string;
  userName: (id: string) => string;
  roleLabel: (role: string) => string;
  groupLabel: (group: string) => string;
};

const quote = (text: string) => `'${text}'`;

/** "Account 'Acme'": the object's label and the record's name. */
function recordLabel(subject: ExplainSubject): string {
  const value = subject.record[nameFieldOf(subject.object)];
  const name = value !== null && typeof value === "object" && "name" in value ? (value as { name: unknown }).name : value;
  return `${subject.object.label} ${quote(name === null || name === undefined || name === "" ? subject.record.id : String(name))}`;
}

function lookupId(value: unknown): unknown {
  return value !== null && typeof value === "object" && "id" in value ? (value as { id: unknown }).id : value;
}

/**
 * A sharing rule's criteria over the record's own values; undefined when it cannot be decided
 * here (relative dates, paths through lookups, computed fields): the caller's `ruleMatches` decides.
 */
export function criteriaMatch(filter: Filter, object: ObjectDef, record: ExplainRecord): boolean | undefined {
  const all = (parts: Filter[], every: boolean) => {
    let unknown = false;
    for (const part of parts) {
      const result = criteriaMatch(part, object, record);
      if (result === undefined) unknown = true;
      else if (result !== every) return result;
    }
    return unknown ? undefined : every;
  };
  if ("and" in filter) return all(filter.and, true);
  if ("or" in filter) return all(filter.or, false);
  if ("not" in filter) {
    const inner = criteriaMatch(filter.not, object, record);
    return inner === undefined ? undefined : !inner;
  }
  const field = object.fields.find((candidate) => candidate.name === filter.field);
  const system = ["id", "owner_id", "created_by", "updated_by"].includes(filter.field);
  if ((!field && !system) || (field && isComputedField(field))) return undefined;
  const target = filter.value;
  if (isRelativeDateValue(target) || (Array.isArray(target) && target.some(isRelativeDateValue))) return undefined;
  const raw = lookupId(record[filter.field]);
  const value = raw === undefined ? null : raw;
  if (filter.operator === "is_null") return value === null;
  if (filter.operator === "is_not_null") return value !== null;
  if (field?.type === "multiselect") {
    const list = Array.isArray(value) ? value.map(String) : [];
    if (filter.operator === "contains") return list.includes(String(target));
    if (filter.operator === "in" && Array.isArray(target)) return target.some((item) => list.includes(String(item)));
    return undefined;
  }
  const lower = (text: unknown) => String(text).toLowerCase();
  const less = (a: unknown, b: unknown) => (typeof a === "number" && typeof b === "number" ? a < b : String(a) < String(b));
  const list = Array.isArray(target) ? target : [];
  switch (filter.operator) {
    case "=": return value !== null && value === target;
    case "!=": return value === null || value !== target;
    case "<": return value !== null && less(value, target);
    case "<=": return value !== null && !less(target, value);
    case ">": return value !== null && less(target, value);
    case ">=": return value !== null && !less(value, target);
    case "between": return value !== null && list.length === 2 && !less(value, list[0]) && !less(list[1], value);
    case "in": return value !== null && list.includes(value as never);
    case "not_in": return value === null || !list.includes(value as never);
    case "contains": return value !== null && lower(value).includes(lower(target));
    case "starts_with": return value !== null && lower(value).startsWith(lower(target));
    case "ends_with": return value !== null && lower(value).endsWith(lower(target));
    default: return undefined;
  }
}

/** The criteria as a person reads them: "stage = won and amount >= 5000". */
export function describeCriteria(filter: Filter, object: ObjectDef): string {
  if ("and" in filter) return filter.and.length === 0 ? "every record" : filter.and.map((part) => describeCriteria(part, object)).join(" and ");
  if ("or" in filter) return `(${filter.or.map((part) => describeCriteria(part, object)).join(" or ")})`;
  if ("not" in filter) return `not (${describeCriteria(filter.not, object)})`;
  if (filter.operator === "is_null" || filter.operator === "is_not_null") return `${filter.field} ${filter.operator === "is_null" ? "is empty" : "is not empty"}`;
  const value = Array.isArray(filter.value) ? `[${filter.value.join(", ")}]` : String(filter.value);
  return `${filter.field} ${filter.operator.replace(/_/g, " ")} ${value}`;
}

function describeTarget(target: ShareTarget, ctx: Context): string {
  switch (target.kind) {
    case "user": return `user ${ctx.userName(target.name)}`;
    case "group": return `group ${ctx.groupLabel(target.name)}`;
    case "role": return `role ${ctx.roleLabel(target.name)}`;
    case "role_and_subordinates": return `role ${ctx.roleLabel(target.name)} and its subordinates`;
  }
}

function describePrincipal(principal: string, ctx: Context): string {
  const [kind, ...rest] = principal.split(":");
  const name = rest.join(":");
  return kind === "group" ? `group ${ctx.groupLabel(name)}` : name === ctx.userId ? "the user" : `user ${ctx.userName(name)}`;
}

/** Which profile and permission sets grant the user `permissions` on `object`. */
function grantsOn(ctx: Context, object: ObjectDef): string[] {
  const standing = standingOf(ctx.model, ctx.userId);
  const sets = [
    ...ctx.model.profiles.filter((profile) => profile.name === standing.profile).map((set) => ({ set, kind: "Profile" })),
    ...ctx.model.permissionSets.filter((set) => standing.permissionSets.includes(set.name)).map((set) => ({ set, kind: "Permission set" })),
  ];
  const reasons: string[] = [];
  for (const { set, kind } of sets) {
    const access = set.objects[object.name];
    const granted = access ? OBJECT_PERMISSIONS.filter((permission) => access[permission]).map((permission) => PERMISSION_LABELS[permission]) : [];
    if (granted.length > 0) reasons.push(`${kind} ${quote(set.label)} grants ${granted.join(", ")} on ${object.label}`);
  }
  if (reasons.length === 0) reasons.push(`No profile or permission set of the user grants anything on ${object.label}`);
  return reasons;
}

type Reach = { ok: boolean; reasons: string[] };

/** Whether the user reaches the record for `operation`: `rowScope` and `rowPredicate`, explained. */
function reach(ctx: Context, subject: ExplainSubject, operation: Operation, depth: number): Reach {
  const { object, record } = subject;
  const permissions = ctx.access.permissions(object.name);
  if (!permissions.read) return { ok: false, reasons: [`The user has no Read permission on ${object.label}`] };
  const owd = orgWideDefaultOf(ctx.model, object.name);
  const scope = ctx.access.rowScope(object, operation);
  const verb = operation === "read" ? "read" : operation === "edit" ? "edit" : "delete";
  if (scope.kind === "all") {
    if (permissions.modifyAll) return { ok: true, reasons: [`Modify all on ${object.label}: the user may ${verb} every record`] };
    if (operation === "read" && permissions.viewAll) return { ok: true, reasons: [`View all on ${object.label}: the user reads every record`] };
    return { ok: true, reasons: [`Org-wide default for ${object.label} is ${OWD_LABELS[owd]}: everyone with permission may ${verb} every record`] };
  }
  if (scope.parent) {
    const intro = `Org-wide default for ${object.label} is Controlled by parent: its records are as visible and editable as their ${scope.parent.object} record`;
    if (depth >= MAX_PARENT_DEPTH) return { ok: false, reasons: [intro, "The chain of master records is too deep to follow"] };
    const parent = subject.parent;
    if (!parent) return { ok: false, reasons: [intro, `The record has no ${scope.parent.field} to follow`] };
    const inner = reach(ctx, parent, operation === "delete" ? "edit" : operation, depth + 1);
    const need = operation === "read" ? "read" : "edit";
    return { ok: inner.ok, reasons: [intro, `${inner.ok ? "The user may" : "The user may not"} ${need} its master ${recordLabel(parent)}:`, ...inner.reasons.map((reason) => `  ${reason}`)] };
  }
  const reasons: string[] = [];
  if (owd === "public_read" && operation !== "read") reasons.push(`Org-wide default for ${object.label} is Public read only: only owners, their managers and sharing with edit access may ${verb}`);
  else if (owd === "public_read_write" && operation === "delete") reasons.push(`Org-wide default for ${object.label} is Public read/write, but deleting is for the owner and their managers`);
  else reasons.push(`Org-wide default for ${object.label} is ${OWD_LABELS[owd]}`);
  let ok = false;

  const owner = record.owner_id;
  if (owner !== null && scope.owners.includes(owner)) {
    ok = true;
    if (owner === ctx.userId) reasons.push("The user owns the record");
    else {
      const ownerRole = ctx.model.assignments[owner]?.role;
      const role = ctx.model.assignments[ctx.userId]?.role;
      reasons.push(`Owner is ${ctx.userName(owner)}, whose role ${ctx.roleLabel(ownerRole ?? "")} is below ${ctx.roleLabel(role ?? "")}`);
    }
  } else {
    reasons.push(owner === null ? "The record has no owner" : `Owner is ${ctx.userName(owner)}: not the user, nor anyone in a role below theirs`);
  }
  if (operation === "delete") {
    if (!ok) reasons.push("Sharing never grants deletion");
    return { ok, reasons };
  }

  const reaching = new Set(scope.rules.map((rule) => rule.name));
  const readScope = operation === "read" ? scope : ctx.access.rowScope(object, "read");
  const readReaching = new Set(readScope.kind === "limited" ? readScope.rules.map((rule) => rule.name) : []);
  for (const rule of ctx.model.sharingRules.filter((candidate) => candidate.object === object.name)) {
    const matches = subject.ruleMatches?.[rule.name] ?? criteriaMatch(rule.criteria, object, record) ?? false;
    const what = `Sharing rule ${quote(rule.label)} (${describeCriteria(rule.criteria, object)}) shares with ${describeTarget(rule.sharedWith, ctx)} (${rule.access})`;
    if (reaching.has(rule.name)) {
      if (matches) {
        ok = true;
        reasons.push(`Sharing rule ${quote(rule.label)} matches (${describeCriteria(rule.criteria, object)}) and shares with ${describeTarget(rule.sharedWith, ctx)} (${rule.access})`);
      } else reasons.push(`${what}, but the record does not match`);
    } else if (matches) {
      reasons.push(readReaching.has(rule.name) ? `${what}: read only, so it does not let the user edit` : `${what}: the record matches, but the user is not among them`);
    }
  }

  for (const share of subject.shares) {
    if (!scope.principals.includes(share.principal)) continue;
    if (operation === "read" || share.access === "edit") {
      ok = true;
      reasons.push(`Manually shared with ${describePrincipal(share.principal, ctx)} (${share.access})`);
    } else {
      reasons.push(`Manually shared with ${describePrincipal(share.principal, ctx)} for read only`);
    }
  }
  return { ok, reasons };
}

/**
 * Each field and why the user may edit, read or not see it (the engine's masked definition decides
 * what is hidden). A field granted edit implies Edit on the object (access.ts demotes a set's field
 * grants to read where the set cannot edit the object).
 */
function explainFields(ctx: Context, object: ObjectDef, objects: (name: string) => ObjectDef | undefined): FieldExplanation[] {
  const visible = recordSecurity(ctx.access, objects, "sqlite", () => new Date()).visibleObject(object.name);
  const shown = new Set((visible?.fields ?? []).map((field) => field.name));
  return object.fields.map((field: FieldDef) => {
    const granted = ctx.access.fieldAccess(object, field.name);
    const access: FieldExplanation["access"] = !shown.has(field.name) ? "none" : granted === "edit" && !isComputedField(field) && field.type !== "autonumber" ? "edit" : "read";
    let reason: string;
    if (!ctx.access.permissions(object.name).read) reason = `The user may not read ${object.label}`;
    else if (granted === "none") reason = `Field ${quote(field.name)} is hidden by every profile and permission set the user has`;
    else if (!shown.has(field.name)) reason = `Field ${quote(field.name)} is computed from a field the user may not read`;
    else if (isComputedField(field) || field.type === "autonumber") reason = `Field ${quote(field.name)} is computed: read only`;
    else if (granted === "read") reason = `Field ${quote(field.name)} is read only in every profile and permission set the user has`;
    else reason = `Field ${quote(field.name)} is editable`;
    return { name: field.name, label: field.label, access, reason };
  });
}

/** Why the user can or cannot read, edit and delete the record. */
export function explainAccess(input: ExplainInput): AccessExplanation {
  const { model, user, object } = input;
  const allFields = (access: FieldExplanation["access"], reason: string): FieldExplanation[] =>
    object.fields.map((field) => ({ name: field.name, label: field.label, access: access === "edit" && (isComputedField(field) || field.type === "autonumber") ? "read" : access, reason }));
  const writable = !object.source;
  if (user.role === "admin") {
    return { read: true, edit: writable, delete: writable, reasons: ["The user is a platform admin: admins are never restricted"], fields: allFields("edit", "Admins see and edit every field") };
  }
  if (!model) {
    return {
      read: true, edit: writable, delete: writable,
      reasons: ["No security model is published: every signed-in user works with every record"],
      fields: allFields("edit", "No security model is published"),
    };
  }
  const userName = input.userName ?? ((id: string) => id);
  const roles = new Map(model.roles.map((role) => [role.name, role.label]));
  const groups = new Map(model.groups.map((group) => [group.name, group.label]));
  const ctx: Context = {
    model,
    access: userAccess(model, "explain", user.id),
    userId: user.id,
    userName,
    roleLabel: (role) => (role === "" ? "(none)" : roles.get(role) ?? role),
    groupLabel: (group) => groups.get(group) ?? group,
  };
  const standing = standingOf(model, user.id);
  const profile = model.profiles.find((candidate) => candidate.name === standing.profile);
  const reasons: string[] = [];
  const assigned = model.assignments[user.id] !== undefined;
  reasons.push(
    profile ? `${userName(user.id)} has profile ${quote(profile.label)}${assigned ? "" : " (the default profile)"}` : `${userName(user.id)} has no profile`,
    ...(standing.permissionSets.length > 0 ? [`Permission sets: ${standing.permissionSets.map((name) => model.permissionSets.find((set) => set.name === name)?.label ?? name).join(", ")}`] : []),
    standing.role ? `Role: ${ctx.roleLabel(standing.role)}` : "The user has no role",
    ...(standing.groups.length > 0 ? [`Groups: ${standing.groups.map(ctx.groupLabel).join(", ")}`] : []),
    ...grantsOn(ctx, object),
  );
  const permissions = ctx.access.permissions(object.name);
  const objects = input.objects ?? ((name: string) => (name === object.name ? object : undefined));
  const fields = explainFields(ctx, object, objects);
  if (!permissions.read) {
    reasons.push(`Without Read on ${object.label} the user sees none of its records`);
    return { read: false, edit: false, delete: false, reasons, fields };
  }
  const read = reach(ctx, input, "read", 0);
  reasons.push(...read.reasons);
  if (!read.ok) {
    reasons.push(`So the user cannot see this record`);
    const unseen = fields.map((field) => ({ ...field, access: "none" as const, reason: `The user cannot see this record (field access on ${object.label}: ${field.access === "none" ? "hidden" : field.access})` }));
    return { read: false, edit: false, delete: false, reasons, fields: unseen };
  }
  reasons.push(`So the user can read this record`);
  let edit = false;
  if (!writable) reasons.push(`${object.label} reads an external data source: its records are read only`);
  else if (!permissions.edit) reasons.push(`No Edit permission on ${object.label}: the user cannot edit it`);
  else {
    const editReach = reach(ctx, input, "edit", 0);
    edit = editReach.ok;
    if (editReach.reasons.join("\n") !== read.reasons.join("\n")) reasons.push(...editReach.reasons.map((reason) => `Edit: ${reason}`));
    reasons.push(edit ? "So the user can edit this record" : "So the user cannot edit this record");
  }
  let remove = false;
  if (writable && permissions.delete) {
    const deleteReach = reach(ctx, input, "delete", 0);
    remove = deleteReach.ok;
    if (!remove) reasons.push(...deleteReach.reasons.filter((reason) => !reasons.includes(reason)).map((reason) => `Delete: ${reason}`));
    reasons.push(remove ? "So the user can delete this record" : "So the user cannot delete this record");
  } else if (writable) {
    reasons.push(`No Delete permission on ${object.label}`);
  }
  // A field the user could edit on a record they may not edit is read only here: say why.
  const recordReadOnly = !writable ? `${object.label} reads an external data source: its records are read only` : "The user cannot edit this record";
  return { read: true, edit, delete: remove, reasons, fields: fields.map((field) => (edit || field.access !== "edit" ? field : { ...field, access: "read", reason: recordReadOnly })) };
}
