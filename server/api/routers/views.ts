import "server-only";
import { z } from "zod";
import { identifier } from "@/spec";
import { deleteUserView, renameUserView, saveUserView, viewsForObject } from "@/server/views/view-service";
import { createTRPCRouter, protectedProcedure, userContext } from "../trpc";

const viewId = z.string().min(1).max(64);
const label = z.string().trim().min(1, "is required").max(120);

/**
 * List views for the apps: an object's shared (published) views and the user's own saved views.
 * Own views are reachable only by their owner (another user's id answers NOT_FOUND).
 */
export const viewsRouter = createTRPCRouter({
  /** Views of an object the user may read (FORBIDDEN otherwise), masked to the fields they may read. */
  forObject: protectedProcedure
    .input(z.object({ object: identifier }))
    .query(({ ctx, input }) => viewsForObject({ services: ctx.services, security: userContext(ctx.user) }, input.object)),

  /** Saves `view` (spec/view.ts; `name` optional: derived from the label) as a new own view, or over own view `id`. */
  save: protectedProcedure
    .input(z.object({ object: identifier, id: viewId.optional(), view: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => saveUserView({ services: ctx.services, security: userContext(ctx.user) }, input)),

  rename: protectedProcedure
    .input(z.object({ id: viewId, label }))
    .mutation(({ ctx, input }) => renameUserView({ services: ctx.services, security: userContext(ctx.user) }, input)),

  delete: protectedProcedure
    .input(z.object({ id: viewId }))
    .mutation(({ ctx, input }) => deleteUserView({ services: ctx.services, security: userContext(ctx.user) }, input)),
});
