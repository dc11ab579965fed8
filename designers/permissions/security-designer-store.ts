import { DocumentStore, type CommandOptions, type DocumentStoreOptions } from "@/designers/shared/document-store";
import type {
  FieldAccess, Group, ObjectAccess, ObjectPermission, OrgWideDefault, PermissionSet, Role, SecurityModel, SharingRule, UserAssignment,
} from "@/spec/security";
import { emptyObjectAccess, isEmptyObjectAccess, PERMISSION_LABELS, withPermission } from "./object-permissions";

/** A command the document cannot take (duplicate name, something still refers to it); the message says why. */
export class SecurityCommandError extends Error {}

/** Profiles and permission sets have the same shape; commands name which list they edit. */
export type PermissionSetKind = "profiles" | "permissionSets";

const KIND_NOUN: Record<PermissionSetKind, string> = { profiles: "profile", permissionSets: "permission set" };

/** How a user id reads in a message (their name or email, when the editor knows them). */
export type UserName = (userId: string) => string;

type NamedPatch<T> = Partial<Omit<T, "name">>;

function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((other, i) => (i === index ? item : other));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** A patch applied to an item: keys set to undefined are removed; the same item when nothing changes. */
function patched<T extends object>(item: T, patch: Partial<NoInfer<T>>): T {
  const keys = Object.keys(patch) as (keyof T)[];
  if (keys.every((key) => item[key] === patch[key])) return item;
  const next = { ...item, ...patch };
  for (const key of keys) if (patch[key] === undefined) delete next[key];
  return next;
}

function quoteList(names: string[]): string {
  return names.map((name) => `'${name}'`).join(", ");
}

/**
 * The security designer's document (kind `security`, name `org`): profiles and permission sets
 * with their object and field permissions, roles, groups, org-wide defaults, sharing rules,
 * user assignments and tracked fields. Every command is one undoable step.
 */
export class SecurityDesignerStore extends DocumentStore<SecurityModel> {
  constructor(initial: SecurityModel, options?: DocumentStoreOptions) {
    super(initial, options);
  }

  // ---- profiles and permission sets ----

  private setIndex(kind: PermissionSetKind, name: string): number {
    const index = this.document[kind].findIndex((set) => set.name === name);
    if (index < 0) throw new SecurityCommandError(`No ${KIND_NOUN[kind]} named '${name}'`);
    return index;
  }

  addPermissionSet(kind: PermissionSetKind, set: { name: string; label: string; description?: string }): boolean {
    if (this.document[kind].some((other) => other.name === set.name)) {
      throw new SecurityCommandError(`A ${KIND_NOUN[kind]} named '${set.name}' already exists`);
    }
    const item: PermissionSet = { ...set, objects: {} };
    return this.apply(`Add ${KIND_NOUN[kind]} ${set.label}`, (doc) => ({ ...doc, [kind]: [...doc[kind], item] }));
  }

  updatePermissionSet(kind: PermissionSetKind, name: string, patch: NamedPatch<Pick<PermissionSet, "label" | "description">>, options?: CommandOptions): boolean {
    const index = this.setIndex(kind, name);
    return this.apply(`Edit ${KIND_NOUN[kind]} ${name}`, (doc) => {
      const next = patched(doc[kind][index], patch);
      return next === doc[kind][index] ? doc : { ...doc, [kind]: replaceAt(doc[kind], index, next) };
    }, options);
  }

  /** Who still uses a profile or permission set: users (named by `userName`) and the default profile. */
  permissionSetUses(kind: PermissionSetKind, name: string, userName: UserName = (id) => id): string[] {
    const doc = this.document;
    const users = Object.entries(doc.assignments)
      .filter(([, assignment]) => (kind === "profiles" ? assignment.profile === name : assignment.permissionSets.includes(name)))
      .map(([userId]) => `user ${userName(userId)}`);
    return kind === "profiles" && doc.defaultProfile === name ? ["the default profile", ...users] : users;
  }

  /** Deletes a profile or permission set nothing uses. */
  removePermissionSet(kind: PermissionSetKind, name: string, userName?: UserName): boolean {
    const index = this.setIndex(kind, name);
    const uses = this.permissionSetUses(kind, name, userName);
    if (uses.length > 0) throw new SecurityCommandError(`The ${KIND_NOUN[kind]} '${name}' is still used by ${uses.join(", ")}`);
    return this.apply(`Delete ${KIND_NOUN[kind]} ${name}`, (doc) => ({ ...doc, [kind]: doc[kind].filter((_, i) => i !== index) }));
  }

  /** The access a set grants on an object (the defaults when it does not mention it). */
  objectAccess(kind: PermissionSetKind, setName: string, object: string): ObjectAccess {
    const set = this.document[kind].find((candidate) => candidate.name === setName);
    return set?.objects[object] ?? emptyObjectAccess();
  }

  /** Applies `change` to the access of each of `objects` in one step; entries granting nothing are left out. */
  private updateObjectAccess(kind: PermissionSetKind, setName: string, objects: readonly string[], label: string, change: (access: ObjectAccess) => ObjectAccess): boolean {
    const index = this.setIndex(kind, setName);
    return this.apply(label, (doc) => {
      const set = doc[kind][index];
      const next = { ...set.objects };
      let changed = false;
      for (const object of objects) {
        const before = set.objects[object] ?? emptyObjectAccess();
        const after = change(before);
        if (after === before) continue;
        changed = true;
        if (isEmptyObjectAccess(after)) delete next[object];
        else next[object] = after;
      }
      return changed ? { ...doc, [kind]: replaceAt(doc[kind], index, { ...set, objects: next }) } : doc;
    });
  }

  /** Ticks or unticks a permission; what it needs is ticked, what needs it is unticked. */
  setObjectPermission(kind: PermissionSetKind, setName: string, object: string, permission: ObjectPermission, value: boolean): boolean {
    const label = `${value ? "Grant" : "Revoke"} ${PERMISSION_LABELS[permission]} on ${object}`;
    return this.updateObjectAccess(kind, setName, [object], label, (access) => withPermission(access, permission, value));
  }

  /** The same for a whole column of the matrix: one permission on every object listed. */
  setPermissionOnObjects(kind: PermissionSetKind, setName: string, objects: readonly string[], permission: ObjectPermission, value: boolean): boolean {
    const label = `${value ? "Grant" : "Revoke"} ${PERMISSION_LABELS[permission]} on every object`;
    return this.updateObjectAccess(kind, setName, objects, label, (access) => withPermission(access, permission, value));
  }

  setFieldDefault(kind: PermissionSetKind, setName: string, object: string, access: FieldAccess): boolean {
    return this.updateObjectAccess(kind, setName, [object], `Set field default on ${object}`, (current) =>
      current.fieldDefault === access ? current : { ...current, fieldDefault: access });
  }

  /** Sets one field's access; `null` goes back to the object's field default. */
  setFieldAccess(kind: PermissionSetKind, setName: string, object: string, field: string, access: FieldAccess | null): boolean {
    return this.updateObjectAccess(kind, setName, [object], `Set access to ${object}.${field}`, (current) => {
      if ((current.fields[field] ?? null) === access) return current;
      const fields = { ...current.fields };
      if (access === null) delete fields[field];
      else fields[field] = access;
      return { ...current, fields };
    });
  }

  // ---- roles ----

  private roleIndex(name: string): number {
    const index = this.document.roles.findIndex((role) => role.name === name);
    if (index < 0) throw new SecurityCommandError(`No role named '${name}'`);
    return index;
  }

  addRole(role: Role): boolean {
    if (this.document.roles.some((other) => other.name === role.name)) throw new SecurityCommandError(`A role named '${role.name}' already exists`);
    return this.apply(`Add role ${role.label}`, (doc) => ({ ...doc, roles: [...doc.roles, role] }));
  }

  updateRole(name: string, patch: NamedPatch<Role>, options?: CommandOptions): boolean {
    const index = this.roleIndex(name);
    const label = "parent" in patch && Object.keys(patch).length === 1 ? `Set manager of ${name}` : `Edit role ${name}`;
    return this.apply(label, (doc) => {
      const next = patched(doc.roles[index], patch);
      return next === doc.roles[index] ? doc : { ...doc, roles: replaceAt(doc.roles, index, next) };
    }, options);
  }

  /** What refers to a role: users, sharing rules and groups (its reports are moved up instead). */
  roleUses(name: string, userName: UserName = (id) => id): string[] {
    const doc = this.document;
    return [
      ...Object.entries(doc.assignments).filter(([, a]) => a.role === name).map(([userId]) => `user ${userName(userId)}`),
      ...doc.sharingRules.filter((rule) => rule.sharedWith.kind !== "user" && rule.sharedWith.kind !== "group" && rule.sharedWith.name === name)
        .map((rule) => `sharing rule '${rule.label}'`),
      ...doc.groups.filter((group) => group.roles.includes(name)).map((group) => `group '${group.label}'`),
    ];
  }

  /** Deletes a role nothing refers to; the roles reporting to it then report to its manager. */
  removeRole(name: string, userName?: UserName): boolean {
    const index = this.roleIndex(name);
    const uses = this.roleUses(name, userName);
    if (uses.length > 0) throw new SecurityCommandError(`The role '${name}' is still used by ${uses.join(", ")}`);
    const parent = this.document.roles[index].parent;
    return this.apply(`Delete role ${name}`, (doc) => ({
      ...doc,
      roles: doc.roles.filter((_, i) => i !== index).map((role) => (role.parent === name ? patched(role, { parent }) : role)),
    }));
  }

  // ---- groups ----

  private groupIndex(name: string): number {
    const index = this.document.groups.findIndex((group) => group.name === name);
    if (index < 0) throw new SecurityCommandError(`No group named '${name}'`);
    return index;
  }

  addGroup(group: { name: string; label: string }): boolean {
    if (this.document.groups.some((other) => other.name === group.name)) throw new SecurityCommandError(`A group named '${group.name}' already exists`);
    const item: Group = { ...group, users: [], roles: [] };
    return this.apply(`Add group ${group.label}`, (doc) => ({ ...doc, groups: [...doc.groups, item] }));
  }

  updateGroup(name: string, patch: NamedPatch<Group>, options?: CommandOptions): boolean {
    const index = this.groupIndex(name);
    return this.apply(`Edit group ${name}`, (doc) => {
      const current = doc.groups[index];
      const lists = (["users", "roles"] as const).filter((key) => patch[key] !== undefined && sameList(patch[key], current[key]));
      const effective = { ...patch };
      for (const key of lists) delete effective[key];
      const next = patched(current, effective);
      return next === current ? doc : { ...doc, groups: replaceAt(doc.groups, index, next) };
    }, options);
  }

  removeGroup(name: string): boolean {
    const index = this.groupIndex(name);
    const rules = this.document.sharingRules.filter((rule) => rule.sharedWith.kind === "group" && rule.sharedWith.name === name);
    if (rules.length > 0) throw new SecurityCommandError(`Group '${name}' is still used by sharing rule${rules.length === 1 ? "" : "s"} ${quoteList(rules.map((rule) => rule.label))}`);
    return this.apply(`Delete group ${name}`, (doc) => ({ ...doc, groups: doc.groups.filter((_, i) => i !== index) }));
  }

  // ---- sharing ----

  setOrgWideDefault(object: string, value: OrgWideDefault): boolean {
    return this.apply(`Set org-wide default of ${object}`, (doc) =>
      doc.orgWideDefaults[object] === value ? doc : { ...doc, orgWideDefaults: { ...doc.orgWideDefaults, [object]: value } });
  }

  private ruleIndex(name: string): number {
    const index = this.document.sharingRules.findIndex((rule) => rule.name === name);
    if (index < 0) throw new SecurityCommandError(`No sharing rule named '${name}'`);
    return index;
  }

  addSharingRule(rule: SharingRule): boolean {
    if (this.document.sharingRules.some((other) => other.name === rule.name)) throw new SecurityCommandError(`A sharing rule named '${rule.name}' already exists`);
    return this.apply(`Add sharing rule ${rule.label}`, (doc) => ({ ...doc, sharingRules: [...doc.sharingRules, rule] }));
  }

  /** Edits a rule; moving it to another object clears its criteria (they name the old object's fields). */
  updateSharingRule(name: string, patch: NamedPatch<SharingRule>, options?: CommandOptions): boolean {
    const index = this.ruleIndex(name);
    return this.apply(`Edit sharing rule ${name}`, (doc) => {
      const current = doc.sharingRules[index];
      const effective = { ...patch };
      if (effective.object !== undefined && effective.object !== current.object && effective.criteria === undefined) effective.criteria = { and: [] };
      if (effective.sharedWith && effective.sharedWith.kind === current.sharedWith.kind && effective.sharedWith.name === current.sharedWith.name) delete effective.sharedWith;
      if (effective.criteria && JSON.stringify(effective.criteria) === JSON.stringify(current.criteria)) delete effective.criteria;
      const next = patched(current, effective);
      return next === current ? doc : { ...doc, sharingRules: replaceAt(doc.sharingRules, index, next) };
    }, options);
  }

  removeSharingRule(name: string): boolean {
    const index = this.ruleIndex(name);
    return this.apply(`Delete sharing rule ${name}`, (doc) => ({ ...doc, sharingRules: doc.sharingRules.filter((_, i) => i !== index) }));
  }

  // ---- users ----

  setEnforced(enforced: boolean): boolean {
    return this.apply(enforced ? "Enforce record access" : "Stop enforcing record access", (doc) => (doc.enforced === enforced ? doc : { ...doc, enforced }));
  }

  setDefaultProfile(profile: string | undefined): boolean {
    return this.apply("Set default profile", (doc) => (doc.defaultProfile === profile ? doc : patched(doc, { defaultProfile: profile })));
  }

  /**
   * Changes a user's assignment. A user without one gets the default profile (or the first
   * profile) when a role or permission set is given first; with no profile at all it is refused.
   */
  assignUser(userId: string, patch: Partial<UserAssignment>): boolean {
    const doc = this.document;
    const current = doc.assignments[userId];
    // "No role" or no permission sets for a user without an assignment changes nothing.
    if (!current && patch.profile === undefined && patch.role === undefined && (patch.permissionSets ?? []).length === 0) return false;
    const profile = patch.profile ?? current?.profile ?? doc.defaultProfile ?? doc.profiles[0]?.name;
    if (profile === undefined) throw new SecurityCommandError("Create a profile first: every assigned user needs one");
    const base: UserAssignment = current ?? { profile, permissionSets: [] };
    const effective = { ...patch, profile };
    if (effective.permissionSets && sameList(effective.permissionSets, base.permissionSets)) delete effective.permissionSets;
    const next = patched(base, effective);
    if (next === current) return false;
    return this.apply(`Change assignment of ${userId}`, (state) => ({ ...state, assignments: { ...state.assignments, [userId]: next } }));
  }

  /** Removes a user's assignment: they get the default profile, no permission sets and no role. */
  clearAssignment(userId: string): boolean {
    return this.apply(`Reset assignment of ${userId}`, (doc) => {
      if (!(userId in doc.assignments)) return doc;
      const assignments = { ...doc.assignments };
      delete assignments[userId];
      return { ...doc, assignments };
    });
  }

  // ---- field history ----

  setFieldTracked(object: string, field: string, tracked: boolean): boolean {
    const current = this.document.trackedFields[object] ?? [];
    if (current.includes(field) === tracked) return false;
    return this.setTrackedFields(object, tracked ? [...current, field] : current.filter((name) => name !== field));
  }

  /** Sets the tracked fields of an object; an empty list removes the object's entry. */
  setTrackedFields(object: string, fields: string[]): boolean {
    return this.apply(`Change tracked fields of ${object}`, (doc) => {
      if (sameList(doc.trackedFields[object] ?? [], fields)) return doc;
      const trackedFields = { ...doc.trackedFields };
      if (fields.length === 0) delete trackedFields[object];
      else trackedFields[object] = fields;
      return { ...doc, trackedFields };
    });
  }
}
