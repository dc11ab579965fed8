import { z } from "zod";
import { identifier } from "./identifier";
import { filterSchema } from "./query";

/**
 * The security model: who may do what with which records and fields. One metadata document
 * (kind `security`, name `org`) holds all of it, so it is versioned, diffed and published as a
 * whole and the runtime always enforces one consistent snapshot.
 *
 * - Profiles and permission sets grant object permissions and field access. A user has one
 *   profile and any number of permission sets; grants combine, the most permissive wins.
 * - Org-wide defaults set the baseline record access per object; owners, the role hierarchy
 *   (managers see their reports' records), sharing rules and manual shares open it up.
 * - Platform admins (the studio's users) are not subject to it: they have every permission.
 */

/** Access to one field: edit implies read. */
export const FIELD_ACCESS = ["edit", "read", "none"] as const;
export const fieldAccess = z.enum(FIELD_ACCESS);
export type FieldAccess = z.infer<typeof fieldAccess>;

export const OBJECT_PERMISSIONS = ["create", "read", "edit", "delete", "viewAll", "modifyAll", "export"] as const;
export type ObjectPermission = (typeof OBJECT_PERMISSIONS)[number];

export const objectAccessSchema = z
  .object({
    create: z.boolean().default(false),
    read: z.boolean().default(false),
    edit: z.boolean().default(false),
    delete: z.boolean().default(false),
    /** Read every record, whatever the sharing. */
    viewAll: z.boolean().default(false),
    /** Read, edit and delete every record, whatever the sharing. */
    modifyAll: z.boolean().default(false),
    export: z.boolean().default(false),
    /** Access to fields not listed in `fields`. */
    fieldDefault: fieldAccess.default("edit"),
    fields: z.record(identifier, fieldAccess).default({}),
  })
  .strict()
  .superRefine((access, ctx) => {
    const needsRead: ObjectPermission[] = ["create", "edit", "delete", "viewAll", "modifyAll", "export"];
    for (const permission of needsRead) {
      if (access[permission] && !access.read) {
        ctx.addIssue({ code: "custom", path: [permission], message: `'${permission}' needs 'read' on the same object` });
      }
    }
    if ((access.delete || access.modifyAll) && !access.edit) {
      ctx.addIssue({ code: "custom", path: [access.delete ? "delete" : "modifyAll"], message: `'${access.delete ? "delete" : "modifyAll"}' needs 'edit' on the same object` });
    }
  });
export type ObjectAccess = z.infer<typeof objectAccessSchema>;

/** A profile or a permission set: object permissions and field access, by object name. */
export const permissionSetSchema = z
  .object({
    name: identifier,
    label: z.string().trim().min(1, "is required").max(120),
    description: z.string().max(1000).optional(),
    objects: z.record(identifier, objectAccessSchema).default({}),
  })
  .strict();
export type PermissionSet = z.infer<typeof permissionSetSchema>;

export const roleSchema = z
  .object({
    name: identifier,
    label: z.string().trim().min(1, "is required").max(120),
    /** The manager role: users in it (and above) see the records of users in this role. */
    parent: identifier.optional(),
  })
  .strict();
export type Role = z.infer<typeof roleSchema>;

export const groupSchema = z
  .object({
    name: identifier,
    label: z.string().trim().min(1, "is required").max(120),
    users: z.array(z.string().min(1).max(100)).max(10_000).default([]),
    /** Every user in these roles is a member too. */
    roles: z.array(identifier).max(500).default([]),
  })
  .strict();
export type Group = z.infer<typeof groupSchema>;

/**
 * Baseline record access per object. `controlled_by_parent`: a record is as visible and
 * editable as the record its master-detail field points at.
 */
export const ORG_WIDE_DEFAULTS = ["private", "public_read", "public_read_write", "controlled_by_parent"] as const;
export const orgWideDefault = z.enum(ORG_WIDE_DEFAULTS);
export type OrgWideDefault = z.infer<typeof orgWideDefault>;

export const SHARE_TARGET_KINDS = ["user", "role", "role_and_subordinates", "group"] as const;
export const shareTargetSchema = z.object({ kind: z.enum(SHARE_TARGET_KINDS), name: z.string().min(1).max(100) }).strict();
export type ShareTarget = z.infer<typeof shareTargetSchema>;

export const SHARE_ACCESS = ["read", "edit"] as const;
export const shareAccess = z.enum(SHARE_ACCESS);
export type ShareAccess = z.infer<typeof shareAccess>;

/** Records of `object` matching `criteria` are shared with `sharedWith` at `access`. */
export const sharingRuleSchema = z
  .object({
    name: identifier,
    label: z.string().trim().min(1, "is required").max(120),
    object: identifier,
    criteria: filterSchema,
    sharedWith: shareTargetSchema,
    access: shareAccess.default("read"),
  })
  .strict();
export type SharingRule = z.infer<typeof sharingRuleSchema>;

/** Which profile, permission sets and role a user has (by user id). */
export const userAssignmentSchema = z
  .object({
    profile: identifier,
    permissionSets: z.array(identifier).max(100).default([]),
    role: identifier.optional(),
  })
  .strict();
export type UserAssignment = z.infer<typeof userAssignmentSchema>;

function duplicates(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => (seen.has(name) ? true : (seen.add(name), false)));
}

export const securitySchema = z
  .object({
    name: z.literal("org").default("org"),
    label: z.string().trim().min(1).max(120).default("Security"),
    /**
     * Whether record access is enforced. Off, every signed-in user may work with every record
     * (as before any model was published) while the admin prepares the model; field history
     * tracking applies either way.
     */
    enforced: z.boolean().default(true),
    profiles: z.array(permissionSetSchema).max(200).default([]),
    permissionSets: z.array(permissionSetSchema).max(500).default([]),
    /** The profile of users without an assignment. */
    defaultProfile: identifier.optional(),
    roles: z.array(roleSchema).max(1000).default([]),
    groups: z.array(groupSchema).max(1000).default([]),
    /** Objects not listed are public read/write (every user with read/edit permission sees and edits every record). */
    orgWideDefaults: z.record(identifier, orgWideDefault).default({}),
    sharingRules: z.array(sharingRuleSchema).max(1000).default([]),
    assignments: z.record(z.string().min(1).max(100), userAssignmentSchema).default({}),
    /** Fields whose changes are recorded in the field history, by object name. */
    trackedFields: z.record(identifier, z.array(identifier).max(200)).default({}),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const lists = [["profiles", doc.profiles], ["permissionSets", doc.permissionSets], ["roles", doc.roles], ["groups", doc.groups], ["sharingRules", doc.sharingRules]] as const;
    for (const [key, list] of lists) {
      for (const name of duplicates(list.map((item) => item.name))) {
        const index = list.findLastIndex((item) => item.name === name);
        ctx.addIssue({ code: "custom", path: [key, index, "name"], message: `'${name}' is used twice in ${key}` });
      }
    }
    const profiles = new Set(doc.profiles.map((profile) => profile.name));
    const sets = new Set(doc.permissionSets.map((set) => set.name));
    const roles = new Map(doc.roles.map((role) => [role.name, role]));
    const groups = new Set(doc.groups.map((group) => group.name));
    if (doc.defaultProfile && !profiles.has(doc.defaultProfile)) {
      ctx.addIssue({ code: "custom", path: ["defaultProfile"], message: `Unknown profile '${doc.defaultProfile}'` });
    }
    doc.roles.forEach((role, index) => {
      if (role.parent === undefined) return;
      if (!roles.has(role.parent)) {
        ctx.addIssue({ code: "custom", path: ["roles", index, "parent"], message: `Unknown role '${role.parent}'` });
        return;
      }
      // Walk up the managers: reaching the role itself means it is in a cycle (each role of the
      // cycle is told); a cycle further up belongs to the roles in it, so the walk just stops.
      const chain = [role.name];
      for (let parent: string | undefined = role.parent; parent !== undefined; parent = roles.get(parent)?.parent) {
        if (parent === role.name) {
          ctx.addIssue({ code: "custom", path: ["roles", index, "parent"], message: `Role '${role.name}' would be its own manager (${[...chain, role.name].map((name) => `'${name}'`).join(" reports to ")})` });
          break;
        }
        if (chain.includes(parent)) break;
        chain.push(parent);
      }
    });
    doc.groups.forEach((group, index) => {
      group.roles.forEach((role, roleIndex) => {
        if (!roles.has(role)) ctx.addIssue({ code: "custom", path: ["groups", index, "roles", roleIndex], message: `Unknown role '${role}'` });
      });
    });
    doc.sharingRules.forEach((rule, index) => {
      const target = rule.sharedWith;
      const known = target.kind === "user" ? true : target.kind === "group" ? groups.has(target.name) : roles.has(target.name);
      if (!known) ctx.addIssue({ code: "custom", path: ["sharingRules", index, "sharedWith", "name"], message: `Unknown ${target.kind === "group" ? "group" : "role"} '${target.name}'` });
    });
    for (const [userId, assignment] of Object.entries(doc.assignments)) {
      if (!profiles.has(assignment.profile)) ctx.addIssue({ code: "custom", path: ["assignments", userId, "profile"], message: `Unknown profile '${assignment.profile}'` });
      assignment.permissionSets.forEach((set, index) => {
        if (!sets.has(set)) ctx.addIssue({ code: "custom", path: ["assignments", userId, "permissionSets", index], message: `Unknown permission set '${set}'` });
      });
      if (assignment.role !== undefined && !roles.has(assignment.role)) {
        ctx.addIssue({ code: "custom", path: ["assignments", userId, "role"], message: `Unknown role '${assignment.role}'` });
      }
    }
  });
export type SecurityModel = z.infer<typeof securitySchema>;
export type SecurityModelInput = z.input<typeof securitySchema>;

/** The name of the one security document. */
export const SECURITY_DOCUMENT = "org";
