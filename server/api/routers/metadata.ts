import "server-only";
import { z } from "zod";
import { identifier, metadataKind } from "@/spec";
import { adminProcedure, createTRPCRouter } from "../trpc";

const ref = z.object({ kind: metadataKind, name: identifier });

/** Metadata documents (objects, apps): studio only, so every procedure requires an admin. */
export const metadataRouter = createTRPCRouter({
  list: adminProcedure
    .input(z.object({ kind: metadataKind }))
    .query(({ ctx, input }) => ctx.services.metadata.list(input.kind)),

  get: adminProcedure.input(ref).query(({ ctx, input }) => ctx.services.metadata.get(input.kind, input.name)),

  /** The body is validated by the service against the kind's schema (errors carry field paths). */
  create: adminProcedure
    .input(z.object({ kind: metadataKind, body: z.unknown() }))
    .mutation(({ ctx, input }) => ctx.services.metadata.create(input.kind, input.body, ctx.user.id)),

  saveDraft: adminProcedure
    .input(ref.extend({ body: z.unknown(), baseRevision: z.number().int().min(0) }))
    .mutation(({ ctx, input }) =>
      ctx.services.metadata.saveDraft(input.kind, input.name, input.body, input.baseRevision, ctx.user.id),
    ),

  discardDraft: adminProcedure
    .input(ref)
    .mutation(({ ctx, input }) => ctx.services.metadata.discardDraft(input.kind, input.name, ctx.user.id)),

  deleteUnpublished: adminProcedure
    .input(ref)
    .mutation(({ ctx, input }) => ctx.services.metadata.deleteUnpublished(input.kind, input.name)),

  previewPublish: adminProcedure
    .input(ref)
    .query(({ ctx, input }) => ctx.services.metadata.previewPublish(input.kind, input.name)),

  publish: adminProcedure
    .input(ref.extend({ confirmDestructive: z.boolean().default(false), note: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) =>
      ctx.services.metadata.publish(input.kind, input.name, { confirmDestructive: input.confirmDestructive, note: input.note }, ctx.user.id),
    ),

  history: adminProcedure.input(ref).query(({ ctx, input }) => ctx.services.metadata.history(input.kind, input.name)),

  /** Rollback: makes a published version the working draft (publish it to make it live). */
  restoreVersion: adminProcedure
    .input(ref.extend({ version: z.number().int().min(1), baseRevision: z.number().int().min(0) }))
    .mutation(({ ctx, input }) =>
      ctx.services.metadata.restoreVersion(input.kind, input.name, input.version, input.baseRevision, ctx.user.id),
    ),

  getVersion: adminProcedure
    .input(ref.extend({ version: z.number().int().min(1) }))
    .query(({ ctx, input }) => ctx.services.metadata.getVersion(input.kind, input.name, input.version)),
});
