import "server-only";
import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/security/api-keys";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc";

const id = z.string().min(1).max(64);

/** Keys for the REST API (/api/v1). Users manage their own; admins anyone's. */
export const apiKeysRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.object({ userId: id.optional() }).default({}))
    .query(({ ctx, input }) => listApiKeys(ctx.services.platformDb, ctx.user, input)),

  /** Returns the key's secret: shown once, only its hash is kept. */
  create: protectedProcedure
    .input(z.object({ name: z.string().trim().min(1, "must not be empty").max(100), userId: id.optional() }))
    .mutation(({ ctx, input }) => createApiKey(ctx.services.platformDb, ctx.user, input)),

  revoke: protectedProcedure.input(z.object({ id })).mutation(({ ctx, input }) => revokeApiKey(ctx.services.platformDb, ctx.user, input.id)),

  /** Active users an admin may create a key for. */
  owners: adminProcedure.query(({ ctx }) =>
    ctx.services.platformDb.user.findMany({ where: { active: true }, orderBy: { email: "asc" }, select: { id: true, email: true, name: true } }),
  ),
});
