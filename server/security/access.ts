import { isComputedField, nameFieldOf, type FieldDef, type ObjectDef } from "@/spec/object";
import {
  OBJECT_PERMISSIONS,
  type FieldAccess,
  type ObjectPermission,
  type OrgWideDefault,
  type SecurityModel,
  type SharingRule,
} from "@/spec/security";

/**
 * What one user may do, worked out from the published security model: object permissions
 * and field access (profiles and permission sets combined, most permissive wins), and the
 * ingredients of their row-level access (whose records they own or manage, which sharing rules
 * and manual shares reach them). Pure: no database. `row-predicates.ts` compiles it to SQL.
 */

export type ObjectPermissions = Record<ObjectPermission, boolean>;

const NO_PERMISSIONS: ObjectPermissions = Object.fromEntries(OBJECT_PERMISSIONS.map((permission) => [permission, false])) as ObjectPermissions;

const FIELD_RANK: Record<FieldAccess, number> = { none: 0, read: 1, edit: 2 };

/** Where a user's row access comes from, for one object. */
export type RowScope =
  /** Every record (public read[/write] for this operation, view all / modify all). */
  | { kind: "all" }
  | {
      kind: "limited";
      /** Records owned by these users (the user and everyone in roles below theirs). */
      owners: string[];
      /** Criteria of sharing rules that reach the user at this level. */
      rules: SharingRule[];
      /** Manual shares to any of these principals (`user:<id>`, `group:<name>`) at this level. */
      principals: string[];
      /** controlled_by_parent: a record is reachable when the record its master-detail field points at is. */
      parent?: { field: string; object: string };
    };

export type Operation = "read" | "edit" | "delete";

export interface UserAccess {
  readonly userId: string;
  /** Identifies this access for caches of compiled plans (changes with the model and the user). */
  readonly key: string;
  permissions(object: string): ObjectPermissions;
  fieldAccess(object: ObjectDef, field: string): FieldAccess;
  /** The rows the user reaches for `operation` on `object`. */
  rowScope(object: ObjectDef, operation: Operation): RowScope;
}

/** The user's place in the model: role, subordinate users, groups, manual-share principals. */
export type UserStanding = {
  userId: string;
  profile: string | null;
  permissionSets: string[];
  role: string | null;
  /** The user and every user whose role is below theirs. */
  ownedUsers: string[];
  groups: string[];
};

/** Roles below `role` (not including it), deepest last. */
export function subordinateRoles(model: SecurityModel, role: string): string[] {
  const children = new Map<string, string[]>();
  for (const candidate of model.roles) {
    if (candidate.parent === undefined) continue;
    children.set(candidate.parent, [...(children.get(candidate.parent) ?? []), candidate.name]);
  }
  const result: string[] = [];
  const queue = [...(children.get(role) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (result.includes(next)) continue;
    result.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return result;
}

export function standingOf(model: SecurityModel, userId: string): UserStanding {
  const assignment = model.assignments[userId];
  const role = assignment?.role ?? null;
  const below = role ? new Set(subordinateRoles(model, role)) : new Set<string>();
  const ownedUsers = [userId];
  for (const [otherId, other] of Object.entries(model.assignments)) {
    if (otherId !== userId && other.role !== undefined && below.has(other.role)) ownedUsers.push(otherId);
  }
  const groups = model.groups
    .filter((group) => group.users.includes(userId) || (role !== null && group.roles.includes(role)))
    .map((group) => group.name);
  return {
    userId,
    profile: assignment?.profile ?? model.defaultProfile ?? null,
    permissionSets: assignment?.permissionSets ?? [],
    role,
    ownedUsers,
    groups,
  };
}

/** Whether a sharing rule's recipients include the user. */
function ruleReaches(model: SecurityModel, rule: SharingRule, standing: UserStanding): boolean {
  const target = rule.sharedWith;
  switch (target.kind) {
    case "user":
      return target.name === standing.userId;
    case "group":
      return standing.groups.includes(target.name);
    case "role":
      return standing.role === target.name;
    case "role_and_subordinates":
      return standing.role !== null && (standing.role === target.name || subordinateRoles(model, target.name).includes(standing.role));
  }
}

/** The org-wide default of an object (objects not listed are public read/write). */
export function orgWideDefaultOf(model: SecurityModel, object: string): OrgWideDefault {
  // Own properties only: an object may be named like a property every JS object has (`constructor`).
  return (Object.hasOwn(model.orgWideDefaults, object) ? model.orgWideDefaults[object] : undefined) ?? "public_read_write";
}

/**
 * Access for a user under a published model. `version` identifies the model (for cache keys).
 */
export function userAccess(model: SecurityModel, version: string, userId: string): UserAccess {
  const standing = standingOf(model, userId);
  const sets = [
    ...model.profiles.filter((profile) => profile.name === standing.profile),
    ...model.permissionSets.filter((set) => standing.permissionSets.includes(set.name)),
  ];
  const permissionCache = new Map<string, ObjectPermissions>();
  const principals = [`user:${userId}`, ...standing.groups.map((group) => `group:${group}`)];

  function permissions(object: string): ObjectPermissions {
    let result = permissionCache.get(object);
    if (!result) {
      result = { ...NO_PERMISSIONS };
      for (const set of sets) {
        const access = Object.hasOwn(set.objects, object) ? set.objects[object] : undefined;
        if (!access) continue;
        for (const permission of OBJECT_PERMISSIONS) if (access[permission]) result[permission] = true;
      }
      permissionCache.set(object, result);
    }
    return result;
  }

  function fieldAccess(object: ObjectDef, field: string): FieldAccess {
    if (!permissions(object.name).read) return "none";
    let best: FieldAccess = "none";
    for (const set of sets) {
      const access = Object.hasOwn(set.objects, object.name) ? set.objects[object.name] : undefined;
      if (!access || !access.read) continue;
      let granted = (Object.hasOwn(access.fields, field) ? access.fields[field] : undefined) ?? access.fieldDefault;
      // A set that cannot edit the object grants at most read on its fields.
      if (granted === "edit" && !access.edit) granted = "read";
      if (FIELD_RANK[granted] > FIELD_RANK[best]) best = granted;
    }
    return best;
  }

  function rowScope(object: ObjectDef, operation: Operation): RowScope {
    const granted = permissions(object.name);
    if (granted.modifyAll || (operation === "read" && granted.viewAll)) return { kind: "all" };
    const baseline = orgWideDefaultOf(model, object.name);
    if (baseline === "public_read_write" && operation !== "delete") return { kind: "all" };
    if (baseline === "public_read" && operation === "read") return { kind: "all" };
    if (baseline === "controlled_by_parent") {
      const master = object.fields.find((field) => field.type === "master_detail");
      if (master && master.type === "master_detail") return { kind: "limited", owners: [], rules: [], principals: [], parent: { field: master.name, object: master.reference } };
    }
    // Deleting is for owners and their managers (and modify all), never through sharing.
    if (operation === "delete") return { kind: "limited", owners: standing.ownedUsers, rules: [], principals: [] };
    const rules = model.sharingRules.filter(
      (rule) => rule.object === object.name && (operation === "read" || rule.access === "edit") && ruleReaches(model, rule, standing),
    );
    return { kind: "limited", owners: standing.ownedUsers, rules, principals };
  }

  return { userId, key: `${version}:${userId}`, permissions, fieldAccess, rowScope };
}

/**
 * The object as the user sees it: only the fields they may read (a formula or roll-up that
 * reads a hidden field is hidden too), and the id as the display name when the name field is
 * hidden. The engine resolves every name against this, so a hidden field is unknown in select,
 * filter, sort, group-by, aggregates, search and paths through lookups alike.
 */
export function visibleFields(object: ObjectDef, readable: (field: FieldDef) => boolean, dependsOnHidden: (field: FieldDef, hidden: Set<string>) => boolean): ObjectDef {
  const hidden = new Set(object.fields.filter((field) => !readable(field)).map((field) => field.name));
  // Checked even when none of the object's own fields is hidden: a roll-up or a formula may read
  // a hidden field of another object (a sum of costs the user may not see).
  for (const field of object.fields) {
    if (!hidden.has(field.name) && isComputedField(field) && dependsOnHidden(field, hidden)) hidden.add(field.name);
  }
  if (hidden.size === 0) return object;
  const fields = object.fields.filter((field) => !hidden.has(field.name));
  const name = nameFieldOf(object);
  return { ...object, fields, nameField: hidden.has(name) ? "id" : object.nameField };
}
