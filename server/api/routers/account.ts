import "server-only";
import { z } from "zod";
import { changePassword, endAllSessions, endOwnSession, listSessions } from "@/server/auth/sessions";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/** The signed-in user's own account (/account/security): their sessions and their password. */
export const accountRouter = createTRPCRouter({
  /** Their live sessions, newest first; `current` is the one this request came with. */
  sessions: protectedProcedure.query(({ ctx }) => listSessions(ctx.services.platformDb, ctx.user.id, ctx.user.sessionId)),

  /** Ends one of their sessions (another browser, or this one). */
  endSession: protectedProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    await endOwnSession(ctx.services.platformDb, ctx.user.id, input.id);
    return { ok: true as const };
  }),

  /** "Sign out of all my devices": every session ends, this one included. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => ({ ended: await endAllSessions(ctx.services.platformDb, ctx.user.id) })),

  /** Changes their password (the current one is required) and ends all their sessions. */
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: z.string().min(1, "is required").max(200), newPassword: z.string().max(200, "must be at most 200 characters") }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx.services.platformDb, ctx.user.id, input);
      return { ok: true as const };
    }),
});
