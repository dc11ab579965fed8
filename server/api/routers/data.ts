import "server-only";
import { z } from "zod";
import { aggregateQuerySchema, filterSchema, findQuerySchema, identifier } from "@/spec";
import { ObjectQLError, isObjectQLError, type ObjectQL } from "@/server/objectql";
import type { Services } from "@/server/services";
import { ServiceError } from "@/server/errors";
import { createTRPCRouter, protectedProcedure, userContext } from "../trpc";
import type { CurrentUser } from "@/server/auth/options";
import { readableRecordHistory } from "@/server/audit/record-history-query";
import { checkFormSave, formForUser } from "@/server/forms/form-service";

const recordId = z.string().min(1).max(64);
const values = z.record(z.string(), z.unknown());
/**
 * Reads take `asUser` for the designers' "preview as user": an admin sees what that user would
 * see (their permissions, their hidden fields). Writes never take it.
 */
const asUser = z.string().min(1).max(64).optional();
/** The published form a save was made through: its rules are checked again on the server. */
const formName = identifier.optional();
/** tRPC's infinite queries (the kanban's columns) add the paging direction to the input; `cursor` pages forward only. */
const infiniteDirection = z.literal("forward", { error: "only forward paging (with cursor) is supported" }).optional();
const findInput = findQuerySchema.extend({ withTotal: z.boolean().optional(), asUser, direction: infiniteDirection });

/** The security context a read runs in: the caller's, or (admins only) the previewed user's. */
async function readContext(ctx: { user: CurrentUser; services: Services }, previewUserId: string | undefined) {
  if (previewUserId === undefined || previewUserId === ctx.user.id) return userContext(ctx.user);
  if (ctx.user.role !== "admin") throw new ServiceError("FORBIDDEN", "Only admins may preview as another user");
  const user = await ctx.services.platformDb.user.findUnique({ where: { id: previewUserId }, select: { id: true, role: true } });
  if (!user) throw new ServiceError("NOT_FOUND", `No user with id '${previewUserId}' (asUser)`, [{ path: ["asUser"], message: "is not a user" }]);
  return userContext({ ...ctx.user, id: user.id, role: user.role as CurrentUser["role"] });
}

/**
 * The engine that serves `object`: the native one, or for an object with `source` the read-only
 * engine of its data source (whose writes are refused as FORBIDDEN).
 */
async function engineFor(services: Services, object: string): Promise<ObjectQL> {
  return (await services.externalObjects.engineFor(object)) ?? services.objectql;
}

/** Records one `createMany` call may create (each request body is at most 1 MB anyway). */
export const MAX_BULK_CREATE = 10_000;

/** insertMany names a row by its index (`3.amount`); the API names it where it sits in the input (`records.3.amount`). */
function rowIssuesUnder(error: unknown, key: string): unknown {
  if (!isObjectQLError(error)) return error;
  const place = (path: (string | number)[]) => (typeof path[0] === "number" ? [key, ...path] : path);
  return new ObjectQLError(error.code, error.message, {
    path: error.path ? place(error.path) : undefined,
    issues: error.issues?.map((issue) => ({ ...issue, path: place(issue.path) })),
    cause: error,
  });
}

/** Records of published objects, through ObjectQL: every procedure requires a signed-in user. */
export const dataRouter = createTRPCRouter({
  /** The published definition of an object, for the runtime renderers. */
  describe: protectedProcedure.input(z.object({ object: identifier, asUser })).query(async ({ ctx, input }) => {
    const known = ctx.services.registry.get(input.object) ?? ctx.services.externalObjects.get(input.object);
    if (!known) throw new ServiceError("NOT_FOUND", `Unknown object '${input.object}'`);
    // Only the fields the user may read, and what they may do (the UI hides the rest).
    return (await engineFor(ctx.services, input.object)).describe(await readContext(ctx, input.asUser), input.object);
  }),

  /**
   * A page of records. The count of all matching records costs a second statement, so it is
   * opt-in: with `withTotal` the answer carries `total` (ask when the filter or search changes,
   * not for every page or sort).
   */
  find: protectedProcedure.input(findInput).query(async ({ ctx, input }) => {
    const security = await readContext(ctx, input.asUser);
    const ql = await engineFor(ctx.services, input.object);
    const { withTotal, asUser: _previewed, direction: _direction, ...query } = input;
    const [{ records, nextCursor }, total] = await Promise.all([
      ql.find(security, query),
      withTotal ? ql.count(security, { object: query.object, filter: query.filter, search: query.search }) : undefined,
    ]);
    return { records, ...(total !== undefined ? { total } : {}), ...(nextCursor ? { nextCursor } : {}) };
  }),

  /** Groups and aggregates (count, sum, avg, ... by fields, dotted paths or date buckets). */
  aggregate: protectedProcedure
    .input(aggregateQuerySchema.extend({ asUser }))
    .query(async ({ ctx, input: { asUser: previewed, ...query } }) =>
      (await engineFor(ctx.services, query.object)).aggregate(await readContext(ctx, previewed), query),
    ),

  count: protectedProcedure
    .input(z.object({ object: identifier, filter: filterSchema.optional(), search: z.string().max(200).optional(), asUser }))
    .query(async ({ ctx, input: { asUser: previewed, ...query } }) =>
      (await engineFor(ctx.services, query.object)).count(await readContext(ctx, previewed), query),
    ),

  get: protectedProcedure.input(z.object({ object: identifier, id: recordId, asUser })).query(async ({ ctx, input }) => {
    const record = await (await engineFor(ctx.services, input.object)).findOne(await readContext(ctx, input.asUser), input.object, input.id);
    if (!record) throw new ServiceError("NOT_FOUND", `No ${input.object} record with id '${input.id}'`);
    return record;
  }),

  /** The field history of one record: only if the user can read the record, and only the fields they can read. */
  history: protectedProcedure.input(z.object({ object: identifier, id: recordId })).query(async ({ ctx, input }) => {
    const security = userContext(ctx.user);
    const ql = await engineFor(ctx.services, input.object);
    const history = await readableRecordHistory(ctx.services.dataDb, ctx.services.platformDb, {
      findOne: (object, id) => ql.findOne(security, object, id),
      describe: (object) => ql.describe(security, object),
      find: (query) => ql.find(security, query),
    }, input.object, input.id);
    if (!history) throw new ServiceError("NOT_FOUND", `No ${input.object} record with id '${input.id}'`);
    return history;
  }),

  /**
   * The published form the user (or, for admins, `asUser`) gets for a new record of `object`,
   * or for record `id`; null means the generated form.
   */
  form: protectedProcedure.input(z.object({ object: identifier, id: recordId.optional(), asUser })).query(async ({ ctx, input }) => {
    const security = await readContext(ctx, input.asUser);
    let record: Record<string, unknown> | undefined;
    if (input.id !== undefined) {
      const found = await (await engineFor(ctx.services, input.object)).findOne(security, input.object, input.id);
      if (!found) throw new ServiceError("NOT_FOUND", `No ${input.object} record with id '${input.id}'`);
      record = found;
    }
    return formForUser(ctx.services, security.userId, input.object, record);
  }),

  create: protectedProcedure
    .input(z.object({ object: identifier, values, form: formName }))
    .mutation(async ({ ctx, input }) => {
      const engine = await engineFor(ctx.services, input.object);
      const security = userContext(ctx.user);
      if (input.form !== undefined) await checkFormSave(ctx.services, { engine, security, object: input.object, form: input.form, values: input.values });
      return engine.insert(security, input.object, input.values);
    }),

  /**
   * Bulk create: up to MAX_BULK_CREATE records in one transaction, all or none, with the same
   * validation, rules, permissions and audit as `create`; issues name the row (`records.3.amount`).
   */
  createMany: protectedProcedure
    .input(z.object({ object: identifier, records: z.array(values).min(1).max(MAX_BULK_CREATE, `must hold at most ${MAX_BULK_CREATE} records`) }))
    .mutation(async ({ ctx, input }) => {
      const engine = await engineFor(ctx.services, input.object);
      try {
        const { ids } = await engine.insertMany(userContext(ctx.user), input.object, input.records);
        return { count: ids.length, ids };
      } catch (error) {
        throw rowIssuesUnder(error, "records");
      }
    }),

  /** Bulk edit: the same values on up to 1000 records, all or none. */
  updateMany: protectedProcedure
    .input(z.object({ object: identifier, ids: z.array(recordId).min(1).max(1000), values }))
    .mutation(async ({ ctx, input }) => (await engineFor(ctx.services, input.object)).updateMany(userContext(ctx.user), input.object, input.ids, input.values)),

  update: protectedProcedure
    .input(
      z.object({
        object: identifier,
        id: recordId,
        values,
        /** The record's `updated_at` as loaded: if it changed since, the update is refused (CONFLICT). */
        expectedUpdatedAt: z.string().max(40).optional(),
        form: formName,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const engine = await engineFor(ctx.services, input.object);
      const security = userContext(ctx.user);
      if (input.form !== undefined) {
        await checkFormSave(ctx.services, { engine, security, object: input.object, form: input.form, values: input.values, id: input.id });
      }
      return engine.update(security, input.object, input.id, input.values, { expectedUpdatedAt: input.expectedUpdatedAt });
    }),

  delete: protectedProcedure
    .input(z.object({ object: identifier, id: recordId }))
    .mutation(async ({ ctx, input }) => {
      await (await engineFor(ctx.services, input.object)).delete(userContext(ctx.user), input.object, input.id);
      return { id: input.id };
    }),
});
