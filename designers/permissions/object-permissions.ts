import { OBJECT_PERMISSIONS, type ObjectAccess, type ObjectPermission } from "@/spec/security";

/**
 * What each object permission needs on the same object. The schema requires read for every
 * other permission and edit for delete and modifyAll; the editor also treats "modify all" as
 * "view all" plus delete, as its description says (read, edit and delete every record).
 */
const REQUIRES: Record<ObjectPermission, readonly ObjectPermission[]> = {
  create: ["read"],
  read: [],
  edit: ["read"],
  delete: ["edit"],
  viewAll: ["read"],
  modifyAll: ["viewAll", "delete"],
  export: ["read"],
};

/** Every permission `permission` needs, directly or through another (not itself). */
export function permissionRequirements(permission: ObjectPermission): ObjectPermission[] {
  const result = new Set<ObjectPermission>();
  const pending = [...REQUIRES[permission]];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (result.has(next)) continue;
    result.add(next);
    pending.push(...REQUIRES[next]);
  }
  return OBJECT_PERMISSIONS.filter((candidate) => result.has(candidate));
}

/** Every permission that needs `permission` (so goes when it is unticked). */
export function permissionDependents(permission: ObjectPermission): ObjectPermission[] {
  return OBJECT_PERMISSIONS.filter((candidate) => permissionRequirements(candidate).includes(permission));
}

/** The access of an object a set does not mention: nothing granted, every field editable. */
export function emptyObjectAccess(): ObjectAccess {
  return { create: false, read: false, edit: false, delete: false, viewAll: false, modifyAll: false, export: false, fieldDefault: "edit", fields: {} };
}

/** True when the access grants nothing beyond the defaults (the entry can be left out). */
export function isEmptyObjectAccess(access: ObjectAccess): boolean {
  return OBJECT_PERMISSIONS.every((permission) => !access[permission]) && access.fieldDefault === "edit" && Object.keys(access.fields).length === 0;
}

/**
 * Ticks or unticks one permission and keeps the rest consistent: ticking ticks what it needs,
 * unticking unticks what needs it. Returns the same object when nothing changes.
 */
export function withPermission(access: ObjectAccess, permission: ObjectPermission, value: boolean): ObjectAccess {
  const touched = value ? [permission, ...permissionRequirements(permission)] : [permission, ...permissionDependents(permission)];
  if (touched.every((name) => access[name] === value)) return access;
  const next = { ...access };
  for (const name of touched) next[name] = value;
  return next;
}

export const PERMISSION_LABELS: Record<ObjectPermission, string> = {
  create: "Create",
  read: "Read",
  edit: "Edit",
  delete: "Delete",
  viewAll: "View all",
  modifyAll: "Modify all",
  export: "Export",
};

export const PERMISSION_HELP: Record<ObjectPermission, string> = {
  create: "Create records",
  read: "Read the records sharing lets them see",
  edit: "Edit the records sharing lets them edit",
  delete: "Delete the records they may edit",
  viewAll: "Read every record, whatever the sharing",
  modifyAll: "Read, edit and delete every record, whatever the sharing",
  export: "Export records",
};
