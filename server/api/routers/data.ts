import "server-only";
import { z } from "zod";
import { aggregateQuerySchema, filterSchema, findQuerySchema, identifier } from "@/spec";
import type { SecurityContext } from "@/server/objectql";
import { ServiceError } from "@/server/errors";
import type { CurrentUser } from "@/server/auth/options";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const recordId = z.string().min(1).max(64);
const values = z.record(z.string(), z.unknown());

function securityContext(user: CurrentUser): SecurityContext {
  return { kind: "user", userId: user.id, role: user.role };
}

/** Records of published objects, through ObjectQL: every procedure requires a signed-in user. */
export const dataRouter = createTRPCRouter({
  /** The published definition of an object, for the runtime renderers. */
  describe: protectedProcedure.input(z.object({ object: identifier })).query(({ ctx, input }) => {
    const object = ctx.services.registry.get(input.object);
    if (!object) throw new ServiceError("NOT_FOUND", `Unknown object '${input.object}'`);
    return object;
  }),

  find: protectedProcedure.input(findQuerySchema).query(async ({ ctx, input }) => {
    const security = securityContext(ctx.user);
    const [{ records, nextCursor }, total] = await Promise.all([
      ctx.services.objectql.find(security, input),
      ctx.services.objectql.count(security, { object: input.object, filter: input.filter, search: input.search }),
    ]);
    return { records, total, ...(nextCursor ? { nextCursor } : {}) };
  }),

  /** Groups and aggregates (count, sum, avg, ... by fields, dotted paths or date buckets). */
  aggregate: protectedProcedure
    .input(aggregateQuerySchema)
    .query(({ ctx, input }) => ctx.services.objectql.aggregate(securityContext(ctx.user), input)),

  count: protectedProcedure
    .input(z.object({ object: identifier, filter: filterSchema.optional(), search: z.string().max(200).optional() }))
    .query(({ ctx, input }) => ctx.services.objectql.count(securityContext(ctx.user), input)),

  get: protectedProcedure.input(z.object({ object: identifier, id: recordId })).query(async ({ ctx, input }) => {
    const record = await ctx.services.objectql.findOne(securityContext(ctx.user), input.object, input.id);
    if (!record) throw new ServiceError("NOT_FOUND", `No ${input.object} record with id '${input.id}'`);
    return record;
  }),

  create: protectedProcedure
    .input(z.object({ object: identifier, values }))
    .mutation(({ ctx, input }) => ctx.services.objectql.insert(securityContext(ctx.user), input.object, input.values)),

  /** Bulk edit: the same values on up to 1000 records, all or none. */
  updateMany: protectedProcedure
    .input(z.object({ object: identifier, ids: z.array(recordId).min(1).max(1000), values }))
    .mutation(({ ctx, input }) => ctx.services.objectql.updateMany(securityContext(ctx.user), input.object, input.ids, input.values)),

  update: protectedProcedure
    .input(
      z.object({
        object: identifier,
        id: recordId,
        values,
        /** The record's `updated_at` as loaded: if it changed since, the update is refused (CONFLICT). */
        expectedUpdatedAt: z.string().max(40).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.objectql.update(securityContext(ctx.user), input.object, input.id, input.values, {
        expectedUpdatedAt: input.expectedUpdatedAt,
      }),
    ),

  delete: protectedProcedure
    .input(z.object({ object: identifier, id: recordId }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.objectql.delete(securityContext(ctx.user), input.object, input.id);
      return { id: input.id };
    }),
});
