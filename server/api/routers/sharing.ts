import "server-only";
import { z } from "zod";
import { filterSchema, identifier, orderBySchema } from "@/spec";
import { isReferenceField, type FieldDef } from "@/spec/object";
import type { CurrentUser } from "@/server/auth/options";
import { toCsv, type CsvColumn } from "@/server/audit/csv";
import type { DataRecord, ObjectQL } from "@/server/objectql";
import { RECORD_SHARE_TABLE } from "@/server/objectql/schema/applied-schema-store";
import { timestampParameter, timestampToIso } from "@/server/objectql/records/codec";
import { standingOf } from "@/server/security/access";
import type { Services } from "@/server/services";
import { createTRPCRouter, protectedProcedure, userContext } from "../trpc";
import { findUser, refusal } from "./access";

const recordId = z.string().min(1).max(64);
const principalSchema = z.object({ kind: z.enum(["user", "group"]), name: z.string().trim().min(1, "is required").max(255) }).strict();
const recordInput = z.object({ object: identifier, id: recordId });

/** At most this many records per export (the current filtered view, fetched page by page). */
export const EXPORT_MAX_ROWS = 10_000;
const EXPORT_PAGE = 1000;

/** The native object (manual shares and owners exist only for the platform's own tables). */
function ownedObject(services: Services, name: string) {
  const object = services.registry.get(name);
  if (object) return object;
  if (services.externalObjects.get(name)) {
    throw refusal("BAD_REQUEST", `Object '${name}' reads an external data source: its records have no owner and cannot be shared`, ["object"]);
  }
  throw refusal("NOT_FOUND", `Unknown object '${name}'`, ["object"]);
}

/** The record as the caller sees it: NOT_FOUND when they cannot read it (FORBIDDEN without Read on the object). */
async function visibleRecord(services: Services, user: CurrentUser, object: string, id: string): Promise<DataRecord> {
  const record = await services.objectql.findOne(userContext(user), object, id);
  if (!record) throw refusal("NOT_FOUND", `No ${object} record with id '${id}'`, ["id"]);
  return record;
}

/**
 * Whether the user may share the record and change its owner: an admin, the owner, someone above
 * the owner in the role hierarchy, or a user with Modify all on the object. Without a published
 * model only the owner (and admins).
 */
async function canManage(services: Services, user: CurrentUser, object: string, record: DataRecord): Promise<boolean> {
  if (user.role === "admin") return true;
  const model = await services.security.current();
  if (!model) return record.owner_id === user.id;
  const access = await services.security.accessFor(userContext(user));
  if (access?.permissions(object).modifyAll) return true;
  return record.owner_id !== null && standingOf(model, user.id).ownedUsers.includes(record.owner_id);
}

async function requireManager(services: Services, user: CurrentUser, object: string, id: string): Promise<DataRecord> {
  ownedObject(services, object);
  const record = await visibleRecord(services, user, object, id);
  if (!(await canManage(services, user, object, record))) {
    throw refusal("FORBIDDEN", `Only the record's owner, someone above them in the role hierarchy, a user with Modify all on '${object}' or an admin may do this`, ["id"]);
  }
  return record;
}

/** `user:<id>` or `group:<name>`, after checking the user exists / the group is in the published model. */
async function principalKey(services: Services, principal: z.infer<typeof principalSchema>): Promise<string> {
  if (principal.kind === "user") {
    const user = await findUser(services, principal.name);
    if (!user) throw refusal("BAD_REQUEST", `No user '${principal.name}'`, ["principal", "name"]);
    return `user:${user.id}`;
  }
  const model = await services.security.current();
  if (!model?.groups.some((group) => group.name === principal.name)) {
    throw refusal("BAD_REQUEST", `No group '${principal.name}' in the published security model`, ["principal", "name"]);
  }
  return `group:${principal.name}`;
}

type ShareRow = { object: string; record_id: string; principal: string; access: string; created_by: string | null; created_at: unknown };

/** One cell of an exported record: lookups by name, lists joined, JSON as text. */
function exportCell(field: FieldDef, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (isReferenceField(field) && typeof value === "object") return String((value as { name?: unknown; id?: unknown }).name ?? (value as { id?: unknown }).id ?? "");
  if (Array.isArray(value)) return value.join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "number") return value;
  return String(value);
}

/**
 * Manual sharing, ownership transfer and export of records (merged into the `data` router):
 * shares go to `_os_record_share`, which the engine's row predicates read.
 */
export const sharingRouter = createTRPCRouter({
  /**
   * What the caller may do with this one record (`describe` answers for the object): a record
   * shared read-only, or someone else's under public read, is readable but not editable.
   * Worked out by access explain (which agrees with the engine); the engine enforces it anyway.
   */
  recordAccess: protectedProcedure.input(recordInput).query(async ({ ctx, input }) => {
    const object = ctx.services.registry.get(input.object);
    if (!object && !ctx.services.externalObjects.get(input.object)) throw refusal("NOT_FOUND", `Unknown object '${input.object}'`, ["object"]);
    // The engine answers with the very predicates that guard the writes (read-only data sources: no edit, no delete).
    const ql = (await ctx.services.externalObjects.engineFor(input.object)) ?? ctx.services.objectql;
    return ql.recordAccess(userContext(ctx.user), input.object, input.id);
  }),

  /** The record's owner and manual shares, and whether the caller may change them. Anyone who can read the record may look. */
  shares: protectedProcedure.input(recordInput).query(async ({ ctx, input }) => {
    ownedObject(ctx.services, input.object);
    const record = await visibleRecord(ctx.services, ctx.user, input.object, input.id);
    const rows = (await ctx.services.dataDb.kysely
      .selectFrom(RECORD_SHARE_TABLE)
      .selectAll()
      .where("object", "=", input.object)
      .where("record_id", "=", input.id)
      .orderBy("created_at")
      .execute()) as ShareRow[];
    const userIds = [...rows.map((row) => row.principal).filter((key) => key.startsWith("user:")).map((key) => key.slice(5)), ...(record.owner_id ? [record.owner_id] : [])];
    const users = new Map((await ctx.services.platformDb.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } })).map((user) => [user.id, user]));
    const model = await ctx.services.security.current();
    const shares = rows.map((row) => {
      const [kind, ...rest] = row.principal.split(":");
      const name = rest.join(":");
      const user = kind === "user" ? users.get(name) : undefined;
      const label = kind === "user" ? (user ? `${user.name ?? user.email} (${user.email})` : `${name} (unknown user)`) : model?.groups.find((group) => group.name === name)?.label ?? `${name} (unknown group)`;
      return { principal: row.principal, kind: kind as "user" | "group", name, label, access: row.access as "read" | "edit", createdBy: row.created_by, createdAt: timestampToIso(row.created_at) };
    });
    const owner = record.owner_id ? users.get(record.owner_id) : undefined;
    return {
      owner: record.owner_id ? { id: record.owner_id, name: owner ? owner.name ?? owner.email : record.owner_id, email: owner?.email ?? null } : null,
      canManage: await canManage(ctx.services, ctx.user, input.object, record),
      shares,
    };
  }),

  /** Shares one record with a user or a group (again: changes the access level). */
  share: protectedProcedure
    .input(recordInput.extend({ principal: principalSchema, access: z.enum(["read", "edit"]) }))
    .mutation(async ({ ctx, input }) => {
      await requireManager(ctx.services, ctx.user, input.object, input.id);
      const principal = await principalKey(ctx.services, input.principal);
      const db = ctx.services.dataDb;
      await db.kysely.transaction().execute(async (trx) => {
        await trx.deleteFrom(RECORD_SHARE_TABLE).where("object", "=", input.object).where("record_id", "=", input.id).where("principal", "=", principal).execute();
        await trx.insertInto(RECORD_SHARE_TABLE).values({
          object: input.object, record_id: input.id, principal, access: input.access, created_by: ctx.user.id,
          created_at: timestampParameter(new Date().toISOString(), db.dialect),
        }).execute();
      });
      return { principal, access: input.access };
    }),

  /** Removes a manual share (`name` is the user's id or email, or the group's name). */
  unshare: protectedProcedure
    .input(recordInput.extend({ principal: principalSchema }))
    .mutation(async ({ ctx, input }) => {
      await requireManager(ctx.services, ctx.user, input.object, input.id);
      const candidates = [`${input.principal.kind}:${input.principal.name}`];
      if (input.principal.kind === "user") {
        const user = await findUser(ctx.services, input.principal.name);
        if (user) candidates.push(`user:${user.id}`);
      }
      const result = await ctx.services.dataDb.kysely
        .deleteFrom(RECORD_SHARE_TABLE)
        .where("object", "=", input.object)
        .where("record_id", "=", input.id)
        .where("principal", "in", candidates)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw refusal("NOT_FOUND", `The record is not shared with ${input.principal.kind} '${input.principal.name}'`, ["principal", "name"]);
      }
      return { removed: Number(result.numDeletedRows) };
    }),

  /** Transfers the record to another user (same rule as sharing); the record's version moves on. */
  changeOwner: protectedProcedure
    .input(recordInput.extend({ ownerId: z.string().trim().min(1, "is required").max(255) }))
    .mutation(async ({ ctx, input }) => {
      await requireManager(ctx.services, ctx.user, input.object, input.id);
      const owner = await findUser(ctx.services, input.ownerId);
      if (!owner) throw refusal("BAD_REQUEST", `No user '${input.ownerId}'`, ["ownerId"]);
      // The transfer goes in the record's history (ObjectQL's audit), whether or not fields are tracked.
      await ctx.services.objectql.changeOwner(userContext(ctx.user), input.object, input.id, owner.id);
      // The caller may no longer see the record (a private record given away).
      const visible = (await ctx.services.objectql.findOne(userContext(ctx.user), input.object, input.id)) !== null;
      return { id: input.id, owner: { id: owner.id, name: owner.name ?? owner.email }, visible };
    }),

  /**
   * The records of a filtered view as CSV (at most EXPORT_MAX_ROWS), read through ObjectQL with
   * the caller's context so row and field security apply; refused without the Export permission.
   */
  export: protectedProcedure
    .input(z.object({
      object: identifier,
      filter: filterSchema.optional(),
      search: z.string().max(200).optional(),
      orderBy: z.array(orderBySchema).max(10).optional(),
    }))
    .mutation(async ({ ctx, input }) => {
      const security = userContext(ctx.user);
      const known = ctx.services.registry.get(input.object) ?? ctx.services.externalObjects.get(input.object);
      if (!known) throw refusal("NOT_FOUND", `Unknown object '${input.object}'`, ["object"]);
      const ql: ObjectQL = (await ctx.services.externalObjects.engineFor(input.object)) ?? ctx.services.objectql;
      const described = await ql.describe(security, input.object);
      if (!described.access.export) throw refusal("FORBIDDEN", `You may not export records of object '${input.object}'`, ["object"]);
      const records: DataRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await ql.find(security, { object: input.object, filter: input.filter, search: input.search, orderBy: input.orderBy, limit: Math.min(EXPORT_PAGE, EXPORT_MAX_ROWS - records.length), cursor });
        records.push(...page.records);
        cursor = page.nextCursor;
      } while (cursor && records.length < EXPORT_MAX_ROWS);
      const columns: CsvColumn<DataRecord>[] = [
        { header: "id", value: (record) => record.id },
        ...described.fields.map((field) => ({ header: field.name, value: (record: DataRecord) => exportCell(field, record[field.name]) })),
      ];
      return {
        csv: toCsv(records, columns),
        rows: records.length,
        truncated: cursor !== undefined,
        filename: `${input.object}-${new Date().toISOString().slice(0, 10)}.csv`,
      };
    }),
});
